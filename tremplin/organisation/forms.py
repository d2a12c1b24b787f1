from django import forms
from django.db.models import Q

from tremplin.core.forms import AccessibleFormMixin

from .enums import Category, IdentityStatus
from .models import Job, OrgUnit, Site


class AgentFilterForm(AccessibleFormMixin, forms.Form):
    q = forms.CharField(label="Nom ou matricule", required=False)
    unit = forms.ModelChoiceField(
        label="Unité (et ses sous-unités)",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="Toutes",
    )
    job = forms.ModelChoiceField(
        label="Métier", queryset=Job.objects.all(), required=False, empty_label="Tous"
    )
    category = forms.ChoiceField(
        label="Catégorie", choices=[("", "Toutes"), *Category.choices], required=False
    )
    site = forms.ModelChoiceField(
        label="Site", queryset=Site.objects.all(), required=False, empty_label="Tous"
    )
    identity = forms.ChoiceField(
        label="Identité numérique", choices=[("", "Tous"), *IdentityStatus.choices], required=False
    )
    departed = forms.BooleanField(label="Inclure les agents partis", required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user)
        self.fields["unit"].label_from_instance = lambda u: f"{'— ' * u.depth}{u.name}"

    def filter(self, agents):
        if not self.is_valid():
            return agents
        data = self.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            agents = agents.filter(
                Q(matricule=q) | Q(last_name__icontains=q) | Q(first_name__icontains=q)
            )
        if data["unit"]:
            agents = agents.filter(unit__path__startswith=data["unit"].path)
        if data["job"]:
            agents = agents.filter(job=data["job"])
        if data["category"]:
            agents = agents.filter(category=data["category"])
        if data["site"]:
            agents = agents.filter(site=data["site"])
        if data["identity"]:
            agents = agents.filter(identity_status_value=data["identity"])
        if not data["departed"]:
            agents = agents.present()
        return agents
