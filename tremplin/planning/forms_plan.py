import datetime as dt

from django import forms
from django.utils import timezone

from tremplin.core.forms import AccessibleFormMixin
from tremplin.organisation.models import OrgUnit
from tremplin.training.models import FragilitySegment, Module

from .models import PlanningRun

MAX_HORIZON = dt.timedelta(days=3 * 366)


class PlanningRunForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = PlanningRun
        fields = [
            "starts_on",
            "ends_on",
            "unit",
            "segment",
            "modules",
            "include_proposed",
            "time_limit_seconds",
        ]
        widgets = {
            "modules": forms.CheckboxSelectMultiple,
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "ends_on": "Par exemple un an ; trois ans au plus.",
            "time_limit_seconds": "Au-delà, le calcul garde le meilleur planning trouvé.",
            "unit": "Vide : tous les agents que vous suivez.",
            "segment": "Vide : tous les groupes.",
            "modules": "Aucun coché : tous les modules.",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.all()
        if user is not None:
            units = units.visible_to(user)
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["segment"].queryset = FragilitySegment.objects.order_by("name")
        self.fields["modules"].queryset = Module.objects.active().order_by("title")

    def clean_starts_on(self):
        starts_on = self.cleaned_data["starts_on"]
        if starts_on <= timezone.localdate():
            raise forms.ValidationError("Le planning commence au plus tôt demain.")
        return starts_on

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end:
            if end <= start:
                self.add_error("ends_on", "La fin doit venir après le début.")
            elif end - start > MAX_HORIZON:
                self.add_error("ends_on", "Trois ans au plus : découpez la période.")
        return data
