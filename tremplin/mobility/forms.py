from django import forms

from tremplin.competences.models import Competence
from tremplin.core.forms import AccessibleFormMixin
from tremplin.organisation.models import Agent, Job, OrgUnit

from .models import Move, Placement, Position, RedeploymentFile, Wish

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EXTRA_ROWS = 3


class PositionForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Position
        fields = ["job", "unit", "site", "category", "starts_on", "status", "description"]
        widgets = {"starts_on": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 3})}


class ExtraRequirementForm(AccessibleFormMixin, forms.Form):
    competence = forms.ModelChoiceField(
        Competence.objects.order_by("position", "code"), label="Compétence", required=False
    )
    level = forms.IntegerField(label="Niveau demandé", min_value=1, max_value=8, required=False)

    def clean(self):
        data = super().clean()
        if data.get("competence") and not data.get("level"):
            self.add_error("level", "Indiquez le niveau demandé.")
        if data.get("level") and not data.get("competence"):
            self.add_error("competence", "Choisissez la compétence.")
        return data


ExtraRequirementFormSet = forms.formset_factory(ExtraRequirementForm, extra=0)


class PositionFilterForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="État",
        required=False,
        choices=[("", "Ouverts et à venir"), ("all", "Tous")]
        + list(Position._meta.get_field("status").choices),
    )


class FileForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = RedeploymentFile
        fields = [
            "agent",
            "restriction",
            "opened_on",
            "ppr_starts_on",
            "ppr_ends_on",
            "no_level3_diploma",
            "doctor_opinion",
            "cpf_hours_carried",
            "hours_used",
            "status",
            "closed_on",
        ]
        widgets = {
            "opened_on": DATE_WIDGET,
            "ppr_starts_on": DATE_WIDGET,
            "ppr_ends_on": DATE_WIDGET,
            "closed_on": DATE_WIDGET,
            "restriction": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = Agent.objects.visible_to(user).order_by(
            "last_name", "first_name"
        )
        if self.instance.pk:
            self.fields["agent"].disabled = True


class UseHoursForm(AccessibleFormMixin, forms.Form):
    hours = forms.IntegerField(label="Heures de formation utilisées", min_value=1)


class PlacementForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Placement
        fields = ["unit", "starts_on", "ends_on", "notes"]
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.order_by("path")


class MoveForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Move
        fields = ["agent", "position", "to_job", "moved_on", "file"]
        widgets = {"moved_on": DATE_WIDGET}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = Agent.objects.visible_to(user).order_by(
            "last_name", "first_name"
        )
        self.fields["position"].queryset = Position.objects.select_related("job", "unit")
        self.fields["to_job"].required = False
        self.fields["to_job"].help_text = "Vide : le métier du poste."
        # Only the mobility role links a move to a file (it reveals that a file exists).
        self.fields["file"].queryset = RedeploymentFile.objects.visible_to(user)
        self.fields["file"].label_from_instance = lambda f: f"{f} ({f.agent})"
        if not self.fields["file"].queryset.exists():
            del self.fields["file"]

    def clean(self):
        data = super().clean()
        position = data.get("position")
        if not data.get("to_job"):
            if position:
                data["to_job"] = position.job
                self.instance.to_job = position.job
            else:
                self.add_error("to_job", "Choisissez le poste pris ou le nouveau métier.")
        agent, file = data.get("agent"), data.get("file")
        if agent and file and file.agent_id != agent.pk:
            self.add_error("file", "Ce dossier est celui d'un autre agent.")
        return data


class WishForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Wish
        fields = ["job", "family"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        families = (
            Job.objects.exclude(family="").order_by("family").values_list("family", flat=True)
        )
        self.fields["family"] = forms.ChoiceField(
            label="Famille de métiers souhaitée",
            required=False,
            choices=[("", "—")] + [(f, f) for f in dict.fromkeys(families)],
        )

    def clean(self):
        data = super().clean()
        if not data.get("job") and not data.get("family"):
            raise forms.ValidationError("Indiquez un métier ou une famille de métiers.")
        return data
