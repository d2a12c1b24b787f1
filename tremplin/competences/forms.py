from django import forms
from django.utils import timezone

from tremplin.core.forms import AccessibleFormMixin
from tremplin.organisation.models import Job, OrgUnit

from .enums import GapListShow
from .merge import MAX_LEVEL
from .models import Competence, level_label


def _unit_field(label="Unité (et ses sous-unités)"):
    return forms.ModelChoiceField(
        label=label, queryset=OrgUnit.objects.none(), required=False, empty_label="Toutes"
    )


class ScopedUnitMixin:
    """The unit choices are the units the user may browse, indented by depth."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user)
        self.fields["unit"].label_from_instance = lambda u: f"{'— ' * u.depth}{u.name}"

    def value(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None


class MapFilterForm(ScopedUnitMixin, AccessibleFormMixin, forms.Form):
    unit = _unit_field("Unité à détailler")


class GapFilterForm(ScopedUnitMixin, AccessibleFormMixin, forms.Form):
    unit = _unit_field()
    job = forms.ModelChoiceField(
        label="Métier", queryset=Job.objects.none(), required=False, empty_label="Tous"
    )
    competence = forms.ModelChoiceField(
        label="Compétence",
        queryset=Competence.objects.none(),
        required=False,
        empty_label="Toutes",
    )
    show = forms.ChoiceField(label="Afficher", choices=GapListShow.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only jobs and competences that some requirement mentions: others have no gap.
        self.fields["job"].queryset = Job.objects.filter(
            competence_requirements__isnull=False
        ).distinct()
        self.fields["competence"].queryset = Competence.objects.required_somewhere()

    @property
    def shown(self) -> str:
        return self.value("show") or GapListShow.GAP


def required_level_choices():
    return [("", "Non demandé")] + [(str(n), level_label(n)) for n in range(1, MAX_LEVEL + 1)]


class RequirementsForm(AccessibleFormMixin, forms.Form):
    """One choice per competence: the level the job requires, or none."""

    def __init__(self, *args, competences, current: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.competences = list(competences)
        for competence in self.competences:
            self.fields[self.field_name(competence)] = forms.TypedChoiceField(
                label=f"{competence.code} {competence.name}",
                choices=required_level_choices(),
                coerce=int,
                empty_value=None,
                required=False,
                initial=current.get(competence.pk),
            )

    @staticmethod
    def field_name(competence) -> str:
        return f"c{competence.pk}"

    def levels(self) -> dict[int, int]:
        """{competence id: required level} for the competences the job requires."""
        return {
            c.pk: self.cleaned_data[self.field_name(c)]
            for c in self.competences
            if self.cleaned_data.get(self.field_name(c))
        }

    def grouped_fields(self):
        """[(domain label, [bound fields])], local competences last."""
        groups: dict[str, list] = {}
        for competence in self.competences:
            label = str(competence.domain) if competence.domain_id else "Compétences locales"
            groups.setdefault(label, []).append(self[self.field_name(competence)])
        return list(groups.items())


class ObservationForm(AccessibleFormMixin, forms.Form):
    competence = forms.ModelChoiceField(
        label="Compétence", queryset=Competence.objects.all(), empty_label="Choisir…"
    )
    level = forms.TypedChoiceField(
        label="Niveau observé",
        coerce=int,
        choices=[("", "Choisir…"), ("0", "0 — pas encore acquis")]
        + [(str(n), f"{n} — {level_label(n)}") for n in range(1, MAX_LEVEL + 1)],
    )
    observed_on = forms.DateField(
        label="Date de l'observation",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label="Ce que vous avez observé",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Facultatif. Pas d'information de santé ni de vie privée.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"observed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_observed_on(self):
        observed_on = self.cleaned_data["observed_on"]
        if observed_on > timezone.localdate():
            raise forms.ValidationError("La date ne peut pas être dans le futur.")
        return observed_on
