import datetime as dt

from django import forms
from django.utils import timezone

from tremplin.core.forms import AccessibleFormMixin

from .models import PlanningRun

MAX_HORIZON = dt.timedelta(days=3 * 366)


class PlanningRunForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = PlanningRun
        fields = ["starts_on", "ends_on", "include_proposed", "time_limit_seconds"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "ends_on": "Par exemple un an ; trois ans au plus.",
            "time_limit_seconds": "Au-delà, le calcul garde le meilleur planning trouvé.",
        }

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
