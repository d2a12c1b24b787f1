from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from tremplin.core.forms import AccessibleFormMixin
from tremplin.organisation.models import Agent, Employer, Site

from .enums import Condition, DeviceKind, DeviceState, NeedReason, RepairOutcome
from .models import Device, FootprintReference

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label, required=True, initial_today=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE_WIDGET,
        initial=timezone.localdate if initial_today else None,
        help_text=help_text,
    )


def add_domain_errors(form, exc: ValidationError) -> None:
    """A domain method's errors on the form: each on its field when the form has it,
    else at the top of the form."""
    for name, messages in exc.message_dict.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target if name != NON_FIELD_ERRORS else None, message)


class DeviceFilterForm(AccessibleFormMixin, forms.Form):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=100,
        help_text="Modèle, numéro de série, IMEI ou nom du détenteur.",
    )
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Tous"), *DeviceKind.choices]
    )
    state = forms.ChoiceField(
        label="Situation", required=False, choices=[("", "Toutes"), *DeviceState.choices]
    )
    site = forms.ModelChoiceField(
        label="Site", required=False, queryset=Site.objects.all(), empty_label="Tous"
    )
    renewal = forms.BooleanField(label="Seulement ceux à renouveler bientôt", required=False)
    departed = forms.BooleanField(label="Seulement ceux d'agents partis", required=False)


class DeviceForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Device
        fields = [
            "kind",
            "model_name",
            "serial_number",
            "imei",
            "purchase_date",
            "purchase_price",
            "condition",
            "site",
            "warranty_end",
            "expected_end_of_life",
            "notes",
        ]
        widgets = {
            "purchase_date": DATE_WIDGET,
            "warranty_end": DATE_WIDGET,
            "expected_end_of_life": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        localized_fields = ["purchase_price"]


class AgentByMatriculeMixin:
    """A matricule typed by HR, resolved among the present agents the user may see;
    the employer is asked for only when the matricule exists at several employers."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def resolve_agent(self, required: bool):
        matricule = (self.cleaned_data.get("agent") or "").strip()
        if not matricule:
            if required:
                self.add_error("agent", "Indiquez le matricule de l'agent.")
            return None
        agents = Agent.objects.visible_to(self.user).present().filter(matricule__iexact=matricule)
        employer = self.cleaned_data.get("employer")
        if employer is not None:
            agents = agents.filter(employer=employer)
        found = list(agents.select_related("job", "site")[:2])
        if not found:
            self.add_error("agent", "Aucun agent présent de votre périmètre n'a ce matricule.")
            return None
        if len(found) > 1:
            self.add_error(
                "employer",
                "Ce matricule existe chez plusieurs employeurs : choisissez l'employeur.",
            )
            return None
        return found[0]


def _matricule_field():
    return forms.CharField(label="Matricule de l'agent", max_length=30, required=False)


def _employer_field():
    return forms.ModelChoiceField(
        label="Employeur",
        required=False,
        queryset=Employer.objects.all(),
        empty_label="—",
        help_text="Seulement si le matricule existe chez plusieurs employeurs.",
    )


class AllocationForm(AgentByMatriculeMixin, AccessibleFormMixin, forms.Form):
    agent = _matricule_field()
    employer = _employer_field()
    site = forms.ModelChoiceField(
        label="Ou bien : site où l'appareil est partagé",
        required=False,
        queryset=Site.objects.all(),
        empty_label="—",
        help_text="Pour une tablette partagée (kiosque).",
    )
    starts_on = _date_field("Date de remise")
    charter_accepted = forms.BooleanField(
        label="L'agent a lu et accepte la charte d'utilisation", required=False
    )
    second_device_reason = forms.CharField(
        label="Si l'agent a déjà un appareil de ce type : pourquoi un second ?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        if device is not None and device.kind == DeviceKind.KIOSK_TABLET:
            for name in ("agent", "employer", "charter_accepted", "second_device_reason"):
                del self.fields[name]
            self.fields["site"].label = "Site où la tablette est partagée"
            self.fields["site"].required = True
        self.fields["site"].queryset = Site.objects.order_by("name")

    def clean(self):
        cleaned = super().clean()
        cleaned["agent_obj"] = (
            self.resolve_agent(required=False) if "agent" in self.fields else None
        )
        return cleaned


class NeedAllocationForm(AccessibleFormMixin, forms.Form):
    """Serving a need: the device, chosen among the available ones of the kind asked."""

    device = forms.ModelChoiceField(
        label="Appareil",
        queryset=Device.objects.none(),
        empty_label=None,
        help_text="Les reconditionnés et les plus anciens d'abord : ils servent avant les neufs.",
    )
    starts_on = _date_field("Date de remise")
    charter_accepted = forms.BooleanField(
        label="L'agent a lu et accepte la charte d'utilisation", required=False
    )
    second_device_reason = forms.CharField(
        label="Si l'agent a déjà un appareil de ce type : pourquoi un second ?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, devices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["device"].queryset = devices if devices is not None else Device.objects.none()


class ReturnForm(AccessibleFormMixin, forms.Form):
    ends_on = _date_field("Date de retour")
    return_condition = forms.ChoiceField(
        label="État de l'appareil au retour", choices=Condition.choices, initial=Condition.GOOD
    )
    return_note = forms.CharField(
        label="Remarques (chargeur, coque, rayures…)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NeedForm(AgentByMatriculeMixin, AccessibleFormMixin, forms.Form):
    agent = forms.CharField(label="Matricule de l'agent", max_length=30)
    employer = _employer_field()
    kind = forms.ChoiceField(
        label="Appareil demandé",
        choices=[c for c in DeviceKind.choices if c[0] != DeviceKind.KIOSK_TABLET],
        initial=DeviceKind.SMARTPHONE,
    )
    reason = forms.ChoiceField(label="Motif", choices=NeedReason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label="Précisions", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["agent_obj"] = self.resolve_agent(required=True) if cleaned.get("agent") else None
        return cleaned


class RepairForm(AccessibleFormMixin, forms.Form):
    problem = forms.CharField(label="Panne", widget=forms.Textarea(attrs={"rows": 3}))
    provider = forms.CharField(label="Réparateur", required=False, max_length=120)
    requested_on = _date_field("Date de la demande")


class RepairCloseForm(AccessibleFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Résultat", choices=RepairOutcome.choices, widget=forms.RadioSelect
    )
    returned_on = _date_field("Date de retour")
    cost = forms.DecimalField(
        label="Coût (€)",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        localize=True,
    )


class RetireForm(AccessibleFormMixin, forms.Form):
    on = _date_field("Date de réforme")
    note = forms.CharField(
        label="Pourquoi (et filière de recyclage)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FootprintReferenceForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = FootprintReference
        fields = ["manufacturing_kg", "expected_years", "source"]
        localized_fields = ["manufacturing_kg"]
        widgets = {"source": forms.Textarea(attrs={"rows": 4})}


class InventoryImportForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label="Inventaire (CSV ou XLSX)",
        help_text="Colonnes : Type, Modèle, Numéro de série ou IMEI, Date d'achat. En plus si "
        "besoin : Prix, État, Site (code), Fin de garantie, Fin de vie prévue, Situation, "
        "Matricule du détenteur.",
    )
