from django import forms
from django.conf import settings
from django.db.models import Q

from tremplin.accounts.scopes import agent_scope_q
from tremplin.competences.models import Competence
from tremplin.core import uploads
from tremplin.core.forms import AccessibleFormMixin
from tremplin.organisation.models import Agent, Job, OrgUnit
from tremplin.training.models import FragilitySegment

from .enums import InviteChannel, ItemKind
from .models import Campaign, Item, PixCampaign
from .pix_import import CAMPAIGN_CODE as PIX_CAMPAIGN_CODE

PRECISION_CHOICES = [
    (0.4, "Très précis (plus de questions)"),
    (0.5, "Précis (conseillé)"),
    (0.7, "Rapide (moins de questions)"),
]
STATUS_CHOICES = [
    ("", "Tous"),
    ("invited", "Pas encore commencé"),
    ("started", "Commencé"),
    ("finished", "Terminé"),
]


def _unit_label(unit: OrgUnit) -> str:
    return f"{'— ' * unit.depth}{unit.name}"


POPULATION_HELP = {
    "units": "Laissez vide pour toute la collectivité. Plusieurs choix : touche Ctrl "
    "(ou Cmd) en cliquant.",
    "jobs": "Laissez vide pour tous les métiers.",
    "segment": "Facultatif : seulement les agents de ce groupe (Formation › Agents éloignés "
    "du numérique).",
}
POPULATION_WIDGETS = {
    "units": forms.SelectMultiple(attrs={"size": 8}),
    "jobs": forms.SelectMultiple(attrs={"size": 6}),
}


class PopulationFieldsMixin:
    """The units, jobs and field-only choices of a campaign's population (diagnostic or
    Pix). A scoped HR officer chooses among their own units and must choose one."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        units = self.fields["units"]
        units.queryset = OrgUnit.objects.visible_to(user).only("pk", "name", "depth", "path")
        units.label_from_instance = _unit_label
        self.scoped = OrgUnit.objects.exclude(pk__in=units.queryset.values("pk")).exists()
        if self.scoped:
            units.required = True
            units.help_text = "Choisissez parmi les unités de votre périmètre. " + (
                "Plusieurs choix : touche Ctrl (ou Cmd) en cliquant."
            )
        self.fields["jobs"].queryset = Job.objects.only("pk", "title")
        self.fields["segment"].queryset = FragilitySegment.objects.filter(active=True)
        self.fields["segment"].empty_label = "Aucun : tous les agents choisis ci-dessus"


class CampaignForm(PopulationFieldsMixin, AccessibleFormMixin, forms.ModelForm):
    """A campaign: what is measured, how precisely, for whom, when. A scoped HR officer
    chooses among their own units and must choose at least one."""

    precision = forms.TypedChoiceField(
        label="Précision",
        coerce=float,
        choices=PRECISION_CHOICES,
        initial=0.5,
        help_text="Plus c'est précis, plus il faut de questions.",
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "description",
            "competences",
            "precision",
            "max_items",
            "units",
            "jobs",
            "field_only",
            "segment",
            "opens_on",
            "closes_on",
        ]
        labels = {"description": "Message aux agents"}
        help_texts = {
            "name": "Par exemple « Diagnostic des équipes de propreté, printemps 2025 ».",
            "description": "Deux ou trois phrases simples : pourquoi ce questionnaire, à quoi "
            "il sert. Elles figurent sur le courrier et dans le courriel.",
            "max_items": "Le diagnostic s'arrête au plus tard après ce nombre de questions. "
            "Pour tenir en 10 à 15 minutes, restez autour de 30.",
            **POPULATION_HELP,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "competences": forms.CheckboxSelectMultiple,
            **POPULATION_WIDGETS,
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "competences": {"required": "Choisissez au moins une compétence."},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        competences = self.fields["competences"]
        competences.queryset = Competence.objects.crcn().select_related("domain")
        competences.widget.attrs["class"] = "form-check-input"
        self.fields["max_items"].widget.attrs.update({"min": 5, "max": 80})
        # Keep a precision set elsewhere (the admin) choosable when editing.
        current = self.instance.precision if self.instance.pk else None
        if current is not None and current not in dict(PRECISION_CHOICES):
            self.fields["precision"].choices = [
                *PRECISION_CHOICES,
                (current, f"Actuelle : {current:g} niveau"),
            ]

    @property
    def competence_groups(self):
        """The competence checkboxes grouped by CRCN domain, for one fieldset each."""
        domains = {c.pk: c.domain for c in self.fields["competences"].queryset}
        groups: dict = {}
        for checkbox in self["competences"]:
            domain = domains.get(checkbox.data["value"].value)
            groups.setdefault(domain, []).append(checkbox)
        return list(groups.items())

    def clean_max_items(self):
        value = self.cleaned_data["max_items"]
        if value is not None and not 5 <= value <= 80:
            raise forms.ValidationError("Choisissez entre 5 et 80 questions.")
        return value

    def clean(self):
        data = super().clean()
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", "La clôture doit venir après l'ouverture.")
        competences, max_items = data.get("competences"), data.get("max_items")
        if competences and max_items and max_items < len(competences):
            self.add_error(
                "max_items",
                f"Avec {len(competences)} compétences, prévoyez au moins {len(competences)} "
                "questions : une par compétence au minimum.",
            )
        return data


class UnitFilterMixin:
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user).only(
            "pk", "name", "depth", "path"
        )
        self.fields["unit"].label_from_instance = _unit_label

    @property
    def unit(self):
        return self.cleaned_data.get("unit") if self.is_valid() else None


def _unit_field():
    return forms.ModelChoiceField(
        label="Unité (et ses sous-unités)",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="Toutes",
    )


class UnitForm(UnitFilterMixin, AccessibleFormMixin, forms.Form):
    unit = _unit_field()


class ParticipantFilterForm(UnitFilterMixin, AccessibleFormMixin, forms.Form):
    q = forms.CharField(label="Nom ou matricule", required=False)
    unit = _unit_field()
    status = forms.ChoiceField(label="Où en est l'agent", choices=STATUS_CHOICES, required=False)
    channel = forms.ChoiceField(
        label="Invitation",
        choices=[
            ("", "Toutes"),
            (InviteChannel.EMAIL, "Par courriel"),
            (InviteChannel.PAPER, "Par courrier"),
            (InviteChannel.KIOSK, "Sur tablette"),
        ],
        required=False,
    )

    def filter(self, participations):
        if not self.is_valid():
            return participations
        data = self.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            participations = participations.filter(
                Q(agent__matricule=q)
                | Q(agent__last_name__icontains=q)
                | Q(agent__first_name__icontains=q)
            )
        if data["unit"]:
            participations = participations.filter(agent__unit__path__startswith=data["unit"].path)
        if data["status"] == "finished":
            participations = participations.finished()
        elif data["status"] == "started":
            participations = participations.started()
        elif data["status"] == "invited":
            participations = participations.filter(
                started_at__isnull=True, finished_at__isnull=True
            )
        if data["channel"]:
            participations = participations.filter(channel=data["channel"])
        return participations


class LetterForm(UnitFilterMixin, AccessibleFormMixin, forms.Form):
    unit = _unit_field()
    relance = forms.BooleanField(label="Seulement les courriers de relance", required=False)


# --- Pix campaigns ------------------------------------------------------------------------


class PixCampaignForm(PopulationFieldsMixin, AccessibleFormMixin, forms.ModelForm):
    """A Pix Orga campaign HR follows in Tremplin: its code, what it is, for whom."""

    class Meta:
        model = PixCampaign
        fields = [
            "code",
            "name",
            "kind",
            "target_profile",
            "external_id_label",
            "units",
            "jobs",
            "field_only",
            "segment",
            "closes_on",
        ]
        labels = {"external_id_label": "Identifiant demandé par Pix (s'il y en a un)"}
        help_texts = {
            "name": "Le nom de la campagne dans Pix Orga.",
            "target_profile": "Pour une campagne d'évaluation : le nom du profil cible ou du "
            "parcours choisi dans Pix Orga.",
            "external_id_label": "Par exemple « Matricule » : Pix le demande aux agents quand "
            "ils rejoignent la campagne. Tremplin le rappelle dans les relances.",
            "closes_on": "Facultatif. Elle figure dans les relances.",
            **POPULATION_HELP,
        }
        widgets = {
            **POPULATION_WIDGETS,
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocapitalize": "characters", "spellcheck": "false", "autocomplete": "off"}
        )
        if self.instance.pk and self.instance.participations.exists():
            # Imports are filed under this code and kind: they cannot change any more.
            for name in ("code", "kind"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Fixé : des résultats sont déjà importés."

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper().replace(" ", "")
        if not PIX_CAMPAIGN_CODE.fullmatch(code):
            raise forms.ValidationError(
                "Un code de campagne Pix a de 3 à 30 lettres et chiffres, sans espace "
                "(par exemple ABCDEF123)."
            )
        return code


class PixUploadForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label="Export CSV de Pix Orga",
        help_text="Dans Pix Orga, ouvrez la campagne, onglet « Résultats » ou « Activité », "
        "puis « Exporter les résultats ». Envoyez le fichier tel quel, sans l'ouvrir dans "
        "Excel si possible.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt"}),
    )
    campaign = forms.ModelChoiceField(
        label="Campagne",
        queryset=PixCampaign.objects.none(),
        required=False,
        empty_label="Celle du fichier (colonne « Code »)",
        help_text="Choisissez-la si le fichier n'a pas de colonne « Code » (exports d'avant 2021).",
    )

    def __init__(self, *args, oversize: int = 0, **kwargs):
        self.oversize = oversize
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = PixCampaign.objects.order_by("code")
        if oversize:
            self.fields["file"].required = False

    def clean_file(self):
        limit = settings.TREMPLIN_IMPORT_MAX_BYTES
        size = self.oversize or self.cleaned_data["file"].size
        if size > limit:
            raise forms.ValidationError(uploads.too_big_message(size, limit))
        return self.cleaned_data["file"]


class PixReviewForm(AccessibleFormMixin, forms.Form):
    """HR's answer for one row of an export left without an agent."""

    agent = forms.TypedChoiceField(
        label="C'est l'agent",
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    matricule = forms.CharField(
        label="Ou son matricule",
        required=False,
        max_length=30,
        help_text="Si l'agent n'est pas proposé.",
    )
    everywhere = forms.BooleanField(
        label="Retenir pour toutes les campagnes Pix",
        required=False,
        help_text="Sinon, seulement pour les prochains imports de cette campagne.",
    )

    def __init__(self, *args, candidates, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["agent"].choices = [
            (a.pk, f"{a.full_name} — {a.matricule}, {a.unit or 'sans unité'}, {a.job or '—'}")
            for a in candidates
        ]
        if candidates:
            self.fields["agent"].widget.attrs["class"] = "form-check-input"
        else:
            del self.fields["agent"]

    def clean(self):
        data = super().clean()
        matricule = (data.get("matricule") or "").strip()
        chosen = data.get("agent")
        if chosen and matricule:
            self.add_error(
                "matricule", "Choisissez un agent ou écrivez un matricule, pas les deux."
            )
            return data
        if matricule:
            found = list(
                Agent.objects.present()
                .filter(agent_scope_q(self.user), matricule__iexact=matricule)
                .values_list("pk", flat=True)[:2]
            )
            if len(found) != 1:
                self.add_error(
                    "matricule",
                    "Aucun agent présent de votre périmètre n'a ce matricule."
                    if not found
                    else "Plusieurs agents ont ce matricule : choisissez dans la liste.",
                )
                return data
            data["agent_id"] = found[0]
        elif chosen:
            data["agent_id"] = chosen
        else:
            self.add_error(
                "agent" if "agent" in self.fields else "matricule",
                "Choisissez l'agent ou écrivez son matricule.",
            )
        return data


PIX_STATUS_CHOICES = [
    ("", "Tous"),
    ("not_started", "Pas commencé"),
    ("started", "Commencé, résultats pas envoyés"),
    ("shared", "Résultats envoyés"),
]


class PixAgentFilterForm(UnitFilterMixin, AccessibleFormMixin, forms.Form):
    q = forms.CharField(label="Nom ou matricule", required=False)
    unit = _unit_field()
    status = forms.ChoiceField(
        label="Où en est l'agent", choices=PIX_STATUS_CHOICES, required=False
    )


# --- Admin: editing an item's text ------------------------------------------------------


class ItemAdminForm(forms.ModelForm):
    """The stem, the explanation and each answer's text and correctness, edited as plain
    fields (not JSON). Keys and order stay: zone keys name parts of the illustration, and
    past responses refer to them. Build it for an item with `for_item(item)`: the answer
    fields depend on the item's answers."""

    choice_keys: tuple[str, ...] = ()
    kind: str = ""

    class Meta:
        model = Item
        fields = ["stem", "explanation", "tags", "retired"]
        widgets = {
            "stem": forms.Textarea(attrs={"rows": 3, "cols": 80}),
            "explanation": forms.Textarea(attrs={"rows": 3, "cols": 80}),
        }

    @classmethod
    def for_item(cls, item: Item | None):
        attrs = {"choice_keys": (), "kind": item.kind if item else ""}
        keys = []
        for n, choice in enumerate(item.choices if item else [], start=1):
            key = choice["key"]
            keys.append(key)
            attrs[f"choice_{key}_text"] = forms.CharField(
                label=f"Réponse {n} ({key})", initial=choice["text"], max_length=300
            )
            if item.kind != ItemKind.ORDER:
                attrs[f"choice_{key}_correct"] = forms.BooleanField(
                    label=f"Réponse {n} : bonne réponse",
                    initial=bool(choice.get("correct")),
                    required=False,
                )
        attrs["choice_keys"] = tuple(keys)
        return type(cls.__name__, (cls,), attrs)

    @classmethod
    def choice_field_names(cls) -> list[str]:
        names = []
        for key in cls.choice_keys:
            names.append(f"choice_{key}_text")
            if cls.kind != ItemKind.ORDER:
                names.append(f"choice_{key}_correct")
        return names

    def clean_stem(self):
        stem = self.cleaned_data["stem"].strip()
        if len(stem) > 280:
            raise forms.ValidationError(
                "Une question tient en trois phrases courtes (280 caractères au plus)."
            )
        return stem

    def clean(self):
        data = super().clean()
        correct = [k for k in self.choice_keys if data.get(f"choice_{k}_correct")]
        if self.kind == ItemKind.SINGLE and len(correct) != 1:
            raise forms.ValidationError(
                "Une question à une seule réponse a une seule bonne réponse : cochez-en une."
            )
        if self.kind == ItemKind.MULTIPLE and not 2 <= len(correct) < len(self.choice_keys):
            raise forms.ValidationError(
                "Une question à plusieurs réponses a au moins deux bonnes réponses, et au moins "
                "une mauvaise."
            )
        if self.kind == ItemKind.ZONE and not correct:
            raise forms.ValidationError("Cochez la zone (ou les zones) à toucher.")
        return data

    def save(self, commit=True):
        item = super().save(commit=False)
        item.choices = [
            {
                "key": key,
                "text": self.cleaned_data[f"choice_{key}_text"].strip(),
                "correct": bool(self.cleaned_data.get(f"choice_{key}_correct")),
            }
            for key in self.choice_keys
        ]
        if commit:
            item.save()
        return item


class BankFilterForm(AccessibleFormMixin, forms.Form):
    competence = forms.ModelChoiceField(
        label="Compétence",
        queryset=Competence.objects.none(),
        to_field_name="code",
        required=False,
        empty_label="Toutes",
    )
    level = forms.TypedChoiceField(
        label="Niveau",
        coerce=int,
        choices=[("", "Tous"), *((n, str(n)) for n in range(1, 9))],
        required=False,
        empty_value=None,
    )
    sort = forms.ChoiceField(
        label="Trier par",
        choices=[
            ("code", "Compétence et niveau"),
            ("served", "Les plus posées d'abord"),
            ("success", "Les moins réussies d'abord"),
        ],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competence"].queryset = Competence.objects.crcn()
