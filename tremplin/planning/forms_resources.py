"""Forms of the resource pages (trainers with their weekly slots and absences, rooms,
service-continuity rules) and the filters of the overall calendar. Every refusal is a
French message on the field concerned."""

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory

from tremplin.core.forms import AccessibleFormMixin
from tremplin.organisation.models import OrgUnit, Site
from tremplin.training.models import Module

from .models import ClosedPeriod, ContinuityRule, Room, Trainer, TrainerAbsence, TrainerAvailability

WEEKDAYS = [
    (1, "lundi"),
    (2, "mardi"),
    (3, "mercredi"),
    (4, "jeudi"),
    (5, "vendredi"),
    (6, "samedi"),
    (7, "dimanche"),
]
WEEKDAY_NAMES = dict(WEEKDAYS)
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _at_least_one(value):
    if value is not None and value < 1:
        raise forms.ValidationError("Indiquez au moins 1.")


class TrainerForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Trainer
        fields = [
            "name",
            "kind",
            "provider",
            "home_site",
            "modules",
            "max_sessions_per_day",
            "max_sessions_per_week",
            "active",
        ]
        widgets = {"modules": forms.CheckboxSelectMultiple}
        help_texts = {
            "provider": "Pour un organisme extérieur (CNFPT…).",
            "active": "Un formateur inactif n'est plus proposé pour les nouvelles séances.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modules"].queryset = Module.objects.order_by("title")
        self.fields["modules"].widget.attrs["class"] = "form-check-input"
        self.fields["home_site"].queryset = Site.objects.order_by("name")
        self.fields["home_site"].empty_label = "Aucun"
        for name in ("max_sessions_per_day", "max_sessions_per_week"):
            self.fields[name].widget.attrs["min"] = 1
            self.fields[name].validators.append(_at_least_one)

    def clean(self):
        data = super().clean()
        per_day, per_week = data.get("max_sessions_per_day"), data.get("max_sessions_per_week")
        if per_day and per_week and per_week < per_day:
            self.add_error(
                "max_sessions_per_week",
                "Le maximum par semaine ne peut pas être plus petit que le maximum par jour.",
            )
        return data


class AvailabilityForm(AccessibleFormMixin, forms.ModelForm):
    # The blank first choice keeps an unused extra line unchanged (so it is skipped).
    weekday = forms.TypedChoiceField(
        label="Jour", choices=[("", "Choisir un jour"), *WEEKDAYS], coerce=int
    )

    class Meta:
        model = TrainerAvailability
        fields = ["weekday", "starts_at", "ends_at"]
        widgets = {"starts_at": TIME_WIDGET, "ends_at": TIME_WIDGET}
        labels = {"starts_at": "De", "ends_at": "À"}

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", "L'heure de fin doit venir après l'heure de début.")
        return data


class BaseAvailabilityFormSet(BaseInlineFormSet):
    def clean(self):
        """Two slots of the same day that overlap: the second one says with which."""
        super().clean()
        kept = []
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            data = form.cleaned_data
            weekday, starts_at, ends_at = (data.get(k) for k in ("weekday", "starts_at", "ends_at"))
            if not (weekday and starts_at and ends_at) or ends_at <= starts_at:
                continue
            for other_day, other_start, other_end in kept:
                if other_day == weekday and starts_at < other_end and other_start < ends_at:
                    form.add_error(
                        "starts_at",
                        f"Ce créneau chevauche celui du {WEEKDAY_NAMES[weekday]} de "
                        f"{other_start:%H:%M} à {other_end:%H:%M}.",
                    )
                    break
            else:
                kept.append((weekday, starts_at, ends_at))


AvailabilityFormSet = inlineformset_factory(
    Trainer,
    TrainerAvailability,
    form=AvailabilityForm,
    formset=BaseAvailabilityFormSet,
    extra=2,
    can_delete=True,
)


class AbsenceForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = TrainerAbsence
        fields = ["starts_on", "ends_on", "reason"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}
        labels = {"starts_on": "Absent du", "ends_on": "au (inclus)"}
        help_texts = {"reason": "Facultatif : congés, formation, maladie… sans détail médical."}

    def __init__(self, *args, trainer: Trainer, **kwargs):
        super().__init__(*args, **kwargs)
        self.trainer = trainer
        self.instance.trainer = trainer

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if not (starts_on and ends_on):
            return data
        if ends_on < starts_on:
            self.add_error("ends_on", "La fin de l'absence doit venir après son début.")
            return data
        clash = self.trainer.absences.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).first()
        if clash:
            self.add_error(
                "starts_on",
                f"{self.trainer} est déjà absent(e) du {clash.starts_on:%d/%m/%Y} "
                f"au {clash.ends_on:%d/%m/%Y}.",
            )
        return data


class RoomForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Room
        fields = [
            "site",
            "name",
            "capacity",
            "has_computers",
            "has_tablets",
            "has_projector",
            "step_free",
            "active",
        ]
        error_messages = {
            "capacity": {"min_value": "Une salle a au moins 1 place."},
        }
        help_texts = {
            "step_free": "Une personne en fauteuil roulant peut y entrer sans marche.",
            "active": "Une salle inutilisable n'est plus proposée pour les nouvelles séances.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.order_by("name")
        self.fields["capacity"].widget.attrs["min"] = 1

    def clean(self):
        data = super().clean()
        site, name = data.get("site"), (data.get("name") or "").strip()
        if site and name:
            same = Room.objects.filter(site=site, name__iexact=name).exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error("name", f"Le site « {site} » a déjà une salle « {name} ».")
        return data


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        # The depth shows where the team sits in the chart without a query per option.
        return f"{'— ' * unit.depth}{unit.name}"


class ContinuityRuleForm(AccessibleFormMixin, forms.ModelForm):
    unit = UnitChoiceField(label="Équipe", queryset=OrgUnit.objects.none())

    class Meta:
        model = ContinuityRule
        fields = ["unit", "max_absent_percent"]
        error_messages = {
            "max_absent_percent": {
                "min_value": "Indiquez un pourcentage entre 1 et 100.",
                "max_value": "Indiquez un pourcentage entre 1 et 100.",
            }
        }
        help_texts = {
            "max_absent_percent": (
                "Part de l'équipe qui peut être en formation en même temps. "
                "Au moins une personne peut toujours partir."
            )
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user).order_by("path")
        self.fields["max_absent_percent"].widget.attrs.update({"min": 1, "max": 100})

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        taken = ContinuityRule.objects.filter(unit=unit).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                f"L'équipe « {unit.name} » a déjà une règle : modifiez-la plutôt."
            )
        return unit


class CalendarFilterForm(AccessibleFormMixin, forms.Form):
    site = forms.ModelChoiceField(
        label="Site", queryset=Site.objects.none(), required=False, empty_label="Tous les sites"
    )
    trainer = forms.ModelChoiceField(
        label="Formateur",
        queryset=Trainer.objects.none(),
        required=False,
        empty_label="Tous les formateurs",
    )
    module = forms.ModelChoiceField(
        label="Module",
        queryset=Module.objects.none(),
        required=False,
        empty_label="Tous les modules",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(rooms__isnull=False).distinct()
        self.fields["trainer"].queryset = Trainer.objects.all()
        self.fields["module"].queryset = Module.objects.order_by("title")


class ClosedPeriodForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = ClosedPeriod
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}
        help_texts = {"name": "Par exemple : vacances de Noël, fermeture d'été."}

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "La fin doit venir après le début.")
        return data
