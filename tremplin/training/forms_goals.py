"""Forms of the coverage goals and fragility segments pages. Every rule the pages rely
on is checked here, with a French error on the field concerned: nothing is saved when
one fails."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone

from tremplin.competences.models import Competence, level_label
from tremplin.core.forms import AccessibleFormMixin
from tremplin.organisation.models import OrgUnit

from .enums import GoalPopulation
from .goals import is_scoped
from .models import CoverageGoal, FragilitySegment, Module
from .segments import RULES

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PRIORITY_CHOICES = [
    (1, "1 : la plus haute"),
    (2, "2 : normale"),
    (3, "3 : quand il reste de la place"),
]
LEVEL_CHOICES = [("", "—")] + [(n, f"{n} ({level_label(n)})") for n in range(1, 9)]


def unit_label(unit: OrgUnit) -> str:
    return f"{'— ' * unit.depth}{unit.name}"


class CoverageGoalForm(AccessibleFormMixin, forms.ModelForm):
    """A goal: a module to attend, or a level to reach in a competence, by a population,
    before a deadline. HR limited to part of the tree set goals for their units only."""

    level = forms.TypedChoiceField(
        label="Niveau à atteindre",
        choices=LEVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    priority = forms.TypedChoiceField(
        label="Priorité",
        choices=PRIORITY_CHOICES,
        coerce=int,
        initial=2,
        help_text="Quand les places manquent, le planning sert d'abord les objectifs prioritaires.",
    )

    class Meta:
        model = CoverageGoal
        fields = [
            "name",
            "module",
            "competence",
            "level",
            "population",
            "unit",
            "segment",
            "starts_on",
            "deadline",
            "priority",
            "active",
        ]
        labels = {
            "name": "Nom de l'objectif",
            "module": "Module à suivre",
            "competence": "Ou : compétence",
            "population": "Population",
            "unit": "Unité (avec ses sous-unités)",
            "segment": "Groupe d'agents éloignés du numérique",
            "starts_on": "Début",
            "deadline": "Échéance",
            "active": "Suivi (décochez pour ne plus l'afficher)",
        }
        help_texts = {
            "name": "Une phrase que tout le monde comprend : « Tous les agents ont fait la "
            "Fresque du Climat avant la fin du mandat ».",
            "module": "Choisissez un module, ou bien une compétence et un niveau.",
            "competence": "L'objectif est atteint quand le profil de l'agent montre ce niveau.",
            "unit": "Seulement si l'objectif est pour une unité.",
            "segment": "Seulement si l'objectif est pour un groupe.",
            "starts_on": "Depuis quand l'objectif est suivi. Les agents formés avant cette "
            "date comptent aussi.",
            "deadline": "La date à laquelle tous les agents concernés doivent l'avoir atteint.",
        }
        widgets = {"starts_on": DATE_WIDGET, "deadline": DATE_WIDGET}
        error_messages = {
            "name": {"required": "Donnez un nom à l'objectif."},
            "starts_on": {"required": "Indiquez la date de début.", "invalid": "Date invalide."},
            "deadline": {"required": "Indiquez l'échéance.", "invalid": "Date invalide."},
        }

    def __init__(self, *args, user, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        instance = self.instance
        module = self.fields["module"]
        module.queryset = Module.objects.filter(Q(active=True) | Q(pk=instance.module_id))
        module.empty_label = "— (objectif de niveau)"
        competence = self.fields["competence"]
        competence.queryset = Competence.objects.crcn()
        competence.label_from_instance = lambda c: f"{c.code} {c.name}"
        competence.empty_label = "—"
        unit = self.fields["unit"]
        unit.queryset = OrgUnit.objects.visible_to(user).only("pk", "name", "depth", "path")
        unit.label_from_instance = unit_label
        unit.error_messages["invalid_choice"] = "Choisissez une unité de votre périmètre."
        unit.empty_label = "—"
        segment = self.fields["segment"]
        segment.queryset = FragilitySegment.objects.filter(
            Q(active=True) | Q(pk=instance.segment_id)
        )
        segment.empty_label = "—"
        self.scoped = is_scoped(user)
        if self.scoped:
            self.fields[
                "population"
            ].help_text = "Votre périmètre est limité : l'objectif porte sur une de vos unités."
        if not instance.pk:
            self.initial.setdefault("starts_on", self.today)

    def clean(self):
        data = super().clean()
        module, competence, level = data.get("module"), data.get("competence"), data.get("level")
        if module and (competence or level is not None):
            self.add_error(
                "module",
                "Choisissez soit un module, soit une compétence et un niveau : pas les deux.",
            )
        elif not module and not competence and level is None and "module" not in self.errors:
            self.add_error(
                "module",
                "Choisissez un module à suivre, ou une compétence et le niveau à atteindre.",
            )
        elif not module:
            if competence and level is None:
                self.add_error("level", "Indiquez le niveau à atteindre dans cette compétence.")
            if level is not None and not competence and "competence" not in self.errors:
                self.add_error("competence", "Choisissez la compétence de ce niveau.")

        starts_on, deadline = data.get("starts_on"), data.get("deadline")
        changed = not self.instance.pk or "deadline" in self.changed_data
        if deadline and changed and deadline < self.today:
            self.add_error("deadline", "Cette date est passée : choisissez une échéance à venir.")
        elif starts_on and deadline and deadline <= starts_on:
            self.add_error("deadline", "L'échéance doit venir après le début.")

        kind = data.get("population")
        if kind == GoalPopulation.UNIT:
            if not data.get("unit") and "unit" not in self.errors:
                self.add_error("unit", "Choisissez l'unité concernée.")
        else:
            data["unit"] = None
        if kind == GoalPopulation.SEGMENT:
            if not data.get("segment") and "segment" not in self.errors:
                self.add_error("segment", "Choisissez le groupe concerné.")
        else:
            data["segment"] = None
        if self.scoped and kind and kind != GoalPopulation.UNIT:
            self.add_error(
                "population",
                "Votre périmètre est limité à une partie de la collectivité : choisissez "
                "« Une unité », puis une unité de votre périmètre.",
            )
        return data


class UnitFilterForm(AccessibleFormMixin, forms.Form):
    """The unit whose sub-units a figures table details."""

    unit = forms.ModelChoiceField(
        label="Unité (et ses sous-unités)",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="Toutes",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        unit.queryset = OrgUnit.objects.visible_to(user).only("pk", "name", "depth", "path")
        unit.label_from_instance = unit_label

    @property
    def chosen_unit(self):
        return self.cleaned_data.get("unit") if self.is_valid() else None


LEVEL_ERROR = "Indiquez un niveau de 0 à 8, par exemple 2 ou 1,5."


class FragilitySegmentForm(AccessibleFormMixin, forms.ModelForm):
    """A segment's name and rules. At least one rule must be chosen: a segment without
    rules flags nobody."""

    low_level = forms.DecimalField(
        label="Niveau moyen mesuré au plus",
        required=False,
        min_value=0,
        max_value=8,
        max_digits=3,
        decimal_places=1,
        localize=True,
        help_text="De 0 à 8, par exemple 2 ou 1,5. La moyenne des niveaux du profil "
        "(diagnostic, Pix, observations). Vide : règle non utilisée.",
        error_messages={
            "invalid": LEVEL_ERROR,
            "min_value": LEVEL_ERROR,
            "max_value": LEVEL_ERROR,
            "max_digits": LEVEL_ERROR,
            "max_decimal_places": "Un seul chiffre après la virgule, par exemple 1,5.",
        },
    )

    class Meta:
        model = FragilitySegment
        fields = [
            "name",
            "description",
            "match",
            "no_active_identity",
            "low_level",
            "never_measured",
            "field_job",
            "never_trained",
            "active",
        ]
        labels = {
            "name": "Nom du groupe",
            "match": "Un agent fait partie du groupe s'il remplit",
            "no_active_identity": "Sans identité numérique active (compte, messagerie)",
            "never_measured": "Jamais mesuré (ni diagnostic, ni Pix, ni observation)",
            "field_job": "Métier de terrain",
            "never_trained": "Aucune formation du catalogue suivie",
            "active": "Utilisé (décochez pour ne plus le proposer comme population)",
        }
        help_texts = {
            "name": "Par exemple « Éloignés du numérique ».",
            "description": "Facultatif : pourquoi ce groupe, ce qu'on prévoit pour lui.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "match": forms.RadioSelect,
        }
        error_messages = {
            "name": {
                "required": "Donnez un nom au groupe.",
                "unique": "Un groupe porte déjà ce nom : choisissez-en un autre.",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["match"].widget.attrs["class"] = "form-check-input"
        self.fields["low_level"].widget.attrs["inputmode"] = "decimal"

    def clean(self):
        data = super().clean()
        chosen = [
            name
            for name in RULES
            if (data.get(name) is not None if name == "low_level" else data.get(name))
        ]
        if not chosen and "low_level" not in self.errors:
            self.add_error(
                None, "Choisissez au moins une règle : cochez une case ou indiquez un niveau."
            )
        return data
