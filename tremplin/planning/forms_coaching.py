"""Forms of the coaching log: an entry (agents typed as matricules, a duration from a
list or typed, the place, themes, autonomy and follow-up) and the filters of the list
and the activity page."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.core.forms import AccessibleFormMixin
from tremplin.organisation.models import Agent, Site

from .coaching import MAX_DAYS
from .enums import COACHING_DURATIONS, Autonomy, CoachingFollowUp, CoachingPlace
from .models import CoachingEntry, CoachingTheme

OTHER_DURATION = "other"
MAX_AGENTS = 30
FOLLOW_UPS_WITH_DETAIL = (CoachingFollowUp.REFERRAL, CoachingFollowUp.APPOINTMENT)
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TOKEN_SEPARATORS = re.compile(r"[\s,;]+")


def _duration_label(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes} min"
    h, m = divmod(minutes, 60)
    return f"{h} h {m:02d}" if m else f"{h} h"


DURATION_CHOICES = [
    *((str(m), _duration_label(m)) for m in COACHING_DURATIONS),
    (OTHER_DURATION, "Autre durée"),
]


def split_matricules(text: str) -> list[str]:
    """'123, 456\\n789 123' -> ['123', '456', '789']: one per line or separated by
    commas, semicolons or spaces, each once, in the order typed."""
    seen: dict[str, str] = {}
    for token in TOKEN_SEPARATORS.split(text or ""):
        if token and token.upper() not in seen:
            seen[token.upper()] = token
    return list(seen.values())


class CoachingEntryForm(AccessibleFormMixin, forms.ModelForm):
    """One coaching, individual or in a group. The view saves it with `save()`, in one
    transaction, under the name of the advisor who logs it."""

    happened_on = forms.DateField(label="Date", widget=DATE_WIDGET)
    duration_choice = forms.ChoiceField(
        label="Durée", choices=DURATION_CHOICES, widget=forms.RadioSelect
    )
    duration_other = forms.IntegerField(
        label="Autre durée, en minutes",
        required=False,
        help_text="Seulement si vous avez choisi « Autre durée » : entre 5 et 480 minutes.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    matricules = forms.CharField(
        label="Matricules des agents",
        required=False,  # checked in clean(), with the agents already linked
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text="Un matricule par ligne, ou séparés par des virgules ou des espaces. "
        "Plusieurs matricules : un accompagnement collectif.",
    )

    class Meta:
        model = CoachingEntry
        fields = [
            "happened_on",
            "duration_choice",
            "duration_other",
            "place",
            "site",
            "place_detail",
            "matricules",
            "themes",
            "autonomy",
            "follow_up",
            "follow_up_detail",
            "notes",
        ]
        widgets = {
            "place": forms.RadioSelect,
            "themes": forms.CheckboxSelectMultiple,
            "autonomy": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"site": "Site", "place_detail": "Précision sur le lieu"}
        help_texts = {
            "site": "Obligatoire pour un accompagnement sur un site.",
            "place_detail": "Obligatoire si le lieu est « Ailleurs » ; facultatif sinon "
            "(bureau, salle…).",
            "follow_up_detail": "Obligatoire pour une orientation ou un nouveau rendez-vous : "
            "le service vers lequel l'agent est orienté, la date du rendez-vous…",
        }
        error_messages = {
            "themes": {"required": "Cochez au moins un thème."},
            "place": {"required": "Choisissez le lieu."},
            "autonomy": {"required": "Choisissez où en est l'agent à la fin."},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.agents: list[Agent] = []
        # Agents already on the entry that this user does not see: kept as they are,
        # never shown (a scoped HR officer editing an advisor's group coaching).
        self.hidden_agent_ids: list[int] = []
        entry = self.instance
        visible = Agent.objects.visible_to(user)
        self.fields["happened_on"].error_messages["required"] = "Indiquez la date."
        self.fields["duration_choice"].error_messages["required"] = "Choisissez la durée."
        self.fields["site"].queryset = Site.objects.order_by("name")
        self.fields["site"].empty_label = "Choisissez un site"
        themes = Q(active=True)
        if entry.pk:
            themes |= Q(pk__in=entry.themes.values("pk"))
            linked = list(entry.agents.values_list("pk", "matricule"))
            shown = set(
                visible.filter(pk__in=[pk for pk, _ in linked]).values_list("pk", flat=True)
            )
            self.hidden_agent_ids = [pk for pk, _ in linked if pk not in shown]
            self.initial.setdefault(
                "matricules",
                "\n".join(m for pk, m in sorted(linked, key=lambda x: x[1]) if pk in shown),
            )
            if entry.duration_minutes in COACHING_DURATIONS:
                self.initial.setdefault("duration_choice", str(entry.duration_minutes))
            else:
                self.initial.setdefault("duration_choice", OTHER_DURATION)
                self.initial.setdefault("duration_other", entry.duration_minutes)
        else:
            self.initial.setdefault("happened_on", timezone.localdate())
        self.fields["themes"].queryset = CoachingTheme.objects.filter(themes)
        self.fields["place"].choices = CoachingPlace.choices
        self.fields["autonomy"].choices = Autonomy.choices
        self.fields["follow_up"].choices = CoachingFollowUp.choices
        for name in ("duration_choice", "place", "themes", "autonomy"):
            # Radios and checkboxes, not text boxes (the mixin cannot tell them apart).
            self.fields[name].widget.attrs["class"] = "form-check-input"

    # --- Field by field ---------------------------------------------------------------

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                "Cette date est à venir : notez l'accompagnement le jour même ou après."
            )
        if day < timezone.localdate() - dt.timedelta(days=MAX_DAYS) and (
            day != self.instance.happened_on  # an old entry keeps its date when corrected
        ):
            raise forms.ValidationError("Cette date a plus de deux ans : vérifiez l'année.")
        return day

    def clean_duration_other(self):
        minutes = self.cleaned_data["duration_other"]
        if minutes is not None and not 5 <= minutes <= 480:
            raise forms.ValidationError("Une durée va de 5 à 480 minutes (8 heures).")
        return minutes

    # --- Across fields ----------------------------------------------------------------

    def clean(self):
        data = super().clean()
        self._clean_duration(data)
        self._clean_place(data)
        if (
            data.get("follow_up") in FOLLOW_UPS_WITH_DETAIL
            and not data.get("follow_up_detail", "").strip()
        ):
            self.add_error(
                "follow_up_detail",
                "Précisez la suite : le service vers lequel l'agent est orienté, "
                "ou la date du rendez-vous.",
            )
        self._clean_agents(data.get("matricules", ""), data.get("happened_on"))
        return data

    def _clean_duration(self, data):
        choice = data.get("duration_choice")
        if choice == OTHER_DURATION:
            if data.get("duration_other") is None and "duration_other" not in self.errors:
                self.add_error("duration_other", "Indiquez la durée en minutes.")
            self.duration = data.get("duration_other")
        elif choice:
            self.duration = int(choice)

    def _clean_place(self, data):
        place = data.get("place")
        if place == CoachingPlace.SITE and not data.get("site"):
            self.add_error("site", "Choisissez le site où a eu lieu l'accompagnement.")
        if place == CoachingPlace.OTHER and not data.get("place_detail", "").strip():
            self.add_error("place_detail", "Précisez le lieu.")
        if place != CoachingPlace.SITE:
            data["site"] = None

    def _clean_agents(self, text: str, day: dt.date | None):
        """Every matricule must name one agent present on the day of the coaching and in
        the user's scope; each one that does not is an error of its own, naming it.
        `ville:123456` picks the employer when two employers use the same number."""
        day = day or timezone.localdate()
        tokens = split_matricules(text)
        if not tokens and not self.hidden_agent_ids:
            self.add_error("matricules", "Indiquez au moins un matricule d'agent.")
            return
        if len(tokens) + len(self.hidden_agent_ids) > MAX_AGENTS:
            self.add_error(
                "matricules",
                f"Un accompagnement collectif compte {MAX_AGENTS} agents au plus : pour un "
                "groupe plus grand, proposez une séance de formation.",
            )
            return
        wanted = {t.upper().rpartition(":")[2] for t in tokens}
        # One query for all the matricules, then each token is checked against the rows.
        candidates = list(
            Agent.objects.annotate(matricule_upper=Upper("matricule"))
            .filter(matricule_upper__in=wanted)
            .select_related("employer")
            .order_by("last_name", "first_name", "pk")
        )
        visible_ids = set(
            Agent.objects.visible_to(self.user)
            .filter(pk__in=[a.pk for a in candidates])
            .values_list("pk", flat=True)
        )
        agents, errors = [], []
        for token in tokens:
            employer, _, number = token.upper().rpartition(":")
            matches = [
                a
                for a in candidates
                if a.matricule_upper == number
                and (not employer or a.employer.code.upper() == employer)
            ]
            present = [a for a in matches if a.departure_date is None or a.departure_date > day]
            if not present:
                errors.append(f"Matricule « {token} » : aucun agent en poste à cette date.")
                continue
            in_scope = [a for a in present if a.pk in visible_ids]
            if not in_scope:
                errors.append(f"Matricule « {token} » : cet agent n'est pas dans votre périmètre.")
            elif len(in_scope) > 1:
                codes = " ou ".join(f"{a.employer.code}:{number}" for a in in_scope)
                errors.append(
                    f"Matricule « {token} » : plusieurs employeurs l'utilisent ; écrivez {codes}."
                )
            elif in_scope[0].pk == getattr(self.user, "agent_id", None):
                errors.append(
                    f"Matricule « {token} » : c'est le vôtre ; on ne note pas un "
                    "accompagnement pour soi-même."
                )
            else:
                agents.append(in_scope[0])
        for error in errors:
            self.add_error("matricules", error)
        self.agents = agents

    # --- Saving -----------------------------------------------------------------------

    def save(self, commit=True):
        """The entry, its themes and its agents, all or nothing. A new entry is always in
        the name of the user who logs it."""
        entry = super().save(commit=False)
        entry.duration_minutes = self.duration
        if entry.pk is None:
            entry.advisor = self.user
        with transaction.atomic():
            entry.save()
            self.save_m2m()
            entry.agents.set([a.pk for a in self.agents] + self.hidden_agent_ids)
        return entry


class CoachingFilterForm(AccessibleFormMixin, forms.Form):
    """Period (and advisor, for those who see everybody's entries)."""

    start = forms.DateField(label="Du", required=False, widget=DATE_WIDGET)
    end = forms.DateField(label="Au", required=False, widget=DATE_WIDGET)
    advisor = forms.ModelChoiceField(
        label="Conseiller", queryset=User.objects.none(), required=False, empty_label="Tous"
    )

    def __init__(self, *args, all_advisors: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if all_advisors:
            self.fields["advisor"].queryset = (
                User.objects.filter(
                    Q(role_assignments__role=Role.ADVISOR) | Q(coaching_entries__isnull=False)
                )
                .distinct()
                .order_by("last_name", "first_name", "username")
            )
        else:
            del self.fields["advisor"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "La fin de la période doit venir après son début.")
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", "Choisissez une période de deux ans au plus.")
        return data

    def value(self, name):
        return self.cleaned_data.get(name) if self.is_bound and self.is_valid() else None


class CoachingThemeForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = CoachingTheme
        fields = ["name", "position", "active"]
        help_texts = {
            "position": "Les thèmes sont montrés du plus petit au plus grand numéro.",
            "active": "Décoché : le thème n'est plus proposé, les accompagnements passés le gardent.",
        }
        error_messages = {"name": {"unique": "Ce thème existe déjà."}}
