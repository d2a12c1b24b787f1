import datetime as dt

from django import forms

from tremplin.accounts.scopes import AGENT_COUNT_ROLES
from tremplin.competences.forms import ScopedUnitMixin
from tremplin.core.forms import AccessibleFormMixin
from tremplin.organisation.models import Employer, OrgUnit

from .indicators import Period, default_period

MAX_PERIOD_DAYS = 5 * 366


class DashboardFilterForm(ScopedUnitMixin, AccessibleFormMixin, forms.Form):
    """Employer, unit and period of the dashboard; a unit outside the user's scope is not
    a choice, so typing its id in the address gives an error, never its figures."""

    employer = forms.ModelChoiceField(
        label="Employeur", queryset=Employer.objects.none(), required=False, empty_label="Tous"
    )
    unit = forms.ModelChoiceField(
        label="Unité (et ses sous-unités)",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="Tout votre périmètre",
    )
    start = forms.DateField(
        label="Du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label="Au (inclus)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data=None, *, user, today: dt.date):
        self.today = today
        self.default = default_period(today)
        super().__init__(data, user=user)
        self.fields[
            "start"
        ].help_text = (
            f"Par défaut : les douze derniers mois, depuis le {self.default.start:%d/%m/%Y}."
        )
        self.fields["employer"].queryset = Employer.objects.visible_to(user, AGENT_COUNT_ROLES)

    def clean(self):
        data = super().clean()
        start = data.get("start") or self.default.start
        end = data.get("end") or self.default.end
        if start > end:
            self.add_error("end", "La fin de la période précède son début.")
        elif (end - start).days > MAX_PERIOD_DAYS:
            self.add_error("start", "Choisissez une période de cinq ans au plus.")
        data["period"] = Period(start, end)
        return data
