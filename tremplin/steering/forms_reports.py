from django import forms
from django.utils import timezone

from tremplin.accounts.enums import Role
from tremplin.core.forms import AccessibleFormMixin
from tremplin.organisation.models import Employer

YEARS_BACK = 5


class ReportFilterForm(AccessibleFormMixin, forms.Form):
    """The civil year of the reports and, for users who see several employers, one of them."""

    annee = forms.TypedChoiceField(label="Année", coerce=int)
    employeur = forms.ModelChoiceField(
        label="Employeur",
        queryset=Employer.objects.none(),
        required=False,
        empty_label="Tous les employeurs",
    )

    def __init__(self, data=None, *, user):
        super().__init__(data)
        this_year = timezone.localdate().year
        self.fields["annee"].choices = [
            (year, str(year)) for year in range(this_year + 1, this_year - YEARS_BACK - 1, -1)
        ]
        self.fields["annee"].initial = this_year
        employers = Employer.objects.visible_to(user, (Role.DIRECTION, Role.HR, Role.ADMIN))
        if employers.count() > 1:
            self.fields["employeur"].queryset = employers
        else:
            del self.fields["employeur"]

    @property
    def year(self) -> int:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["annee"]
        return self.fields["annee"].initial

    @property
    def employer(self):
        if "employeur" in self.fields and self.is_bound and self.is_valid():
            return self.cleaned_data["employeur"]
        return None

    def query(self) -> str:
        """The chosen filters as a query string, carried by every download link."""
        parts = [f"annee={self.year}"]
        if self.employer is not None:
            parts.append(f"employeur={self.employer.pk}")
        return "&".join(parts)
