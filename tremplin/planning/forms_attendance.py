import datetime as dt

from django import forms
from django.utils import timezone

from tremplin.core.forms import AccessibleFormMixin

from .enums import Attendance


class AttendanceSheetForm(forms.Form):
    """One radio group per registered agent (present / absent / excused). A group left
    empty is "not noted yet": the trainer may save a half-filled sheet and come back."""

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.registrations = list(registrations)
        for registration in self.registrations:
            self.fields[self.field_name(registration)] = forms.ChoiceField(
                label=registration.agent.full_name,
                choices=Attendance.choices,
                required=False,
                initial=registration.attendance or None,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choisissez présent, absent ou excusé."},
            )

    @staticmethod
    def field_name(registration) -> str:
        return f"presence_{registration.pk}"

    def rows(self):
        """(registration, bound field) in the sheet's order, for the template."""
        return [(r, self[self.field_name(r)]) for r in self.registrations]

    def marks(self) -> dict[int, str]:
        """{registration id: mark} for the groups that were ticked."""
        return {
            r.pk: self.cleaned_data[self.field_name(r)]
            for r in self.registrations
            if self.cleaned_data.get(self.field_name(r))
        }


class NoShowView:
    AGENTS = "agents"
    UNITS = "equipes"
    CHOICES = [(AGENTS, "Par agent"), (UNITS, "Par équipe")]


class NoShowFilterForm(AccessibleFormMixin, forms.Form):
    """The period of the no-shows table (by default the last twelve months) and whether
    to count per agent or per team."""

    starts_on = forms.DateField(
        label="Du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    ends_on = forms.DateField(
        label="Au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    per = forms.ChoiceField(label="Compter", choices=NoShowView.CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.default_period = (today - dt.timedelta(days=365), today)
        self.fields["starts_on"].initial, self.fields["ends_on"].initial = self.default_period

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "La fin de la période doit venir après son début.")
        return cleaned

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        if not self.is_valid():
            return self.default_period
        return (
            self.cleaned_data["starts_on"] or self.default_period[0],
            self.cleaned_data["ends_on"] or self.default_period[1],
        )

    @property
    def counted_per(self) -> str:
        if self.is_valid() and self.cleaned_data["per"] == NoShowView.UNITS:
            return NoShowView.UNITS
        return NoShowView.AGENTS


class WalkInForm(AccessibleFormMixin, forms.Form):
    """An agent who came without a seat, by matricule."""

    matricule = forms.CharField(
        label="Matricule de l'agent venu sans inscription",
        max_length=30,
        help_text="Il est ajouté à la feuille, noté présent.",
    )

    def clean_matricule(self):
        from tremplin.organisation.models import Agent

        text = self.cleaned_data["matricule"].strip()
        agents = list(Agent.objects.present().filter(matricule__iexact=text)[:2])
        if not agents:
            raise forms.ValidationError("Aucun agent en poste n'a ce matricule.")
        if len(agents) > 1:
            raise forms.ValidationError(
                "Plusieurs agents ont ce matricule (deux employeurs) : le service formation "
                "peut l'ajouter depuis la page de la séance."
            )
        self.agent = agents[0]
        return text
