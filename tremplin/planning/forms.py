import datetime as dt

from django import forms
from django.utils import timezone

from tremplin.core.forms import AccessibleFormMixin
from tremplin.training.models import Module

from .models import Room, Session, Trainer


class SessionForm(AccessibleFormMixin, forms.ModelForm):
    """A session of a module. Refused with a French error on the field: a date in the
    past, an end before the start, more places than the room has, a room or a trainer
    already taken at that time, a trainer who does not run this module."""

    starts_at = forms.DateTimeField(
        label="Début",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    ends_at = forms.DateTimeField(
        label="Fin",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )

    class Meta:
        model = Session
        fields = [
            "module",
            "starts_at",
            "ends_at",
            "room",
            "trainers",
            "capacity",
            "min_participants",
            "notes",
        ]
        widgets = {
            "trainers": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "capacity": "Au plus la taille de groupe du module et les places de la salle.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.active()
        self.fields["room"].queryset = Room.objects.filter(active=True).select_related("site")
        self.fields["trainers"].queryset = Trainer.objects.filter(active=True)
        self.fields["trainers"].widget.attrs["class"] = "form-check-input"

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if starts_at < timezone.now() and (
            self.instance.pk is None or starts_at != self.instance.starts_at
        ):
            raise forms.ValidationError("Cette date est passée : choisissez une date à venir.")
        return starts_at

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        module, room, capacity = data.get("module"), data.get("room"), data.get("capacity")
        if starts_at and ends_at:
            if ends_at <= starts_at:
                self.add_error("ends_at", "La fin doit venir après le début.")
                return data
            if ends_at - starts_at > dt.timedelta(hours=12):
                self.add_error("ends_at", "Une séance dure au plus 12 heures.")
        if module and capacity and capacity > module.group_max:
            self.add_error(
                "capacity",
                f"Le module « {module} » se fait à {module.group_max} personnes au plus.",
            )
        if room and capacity and capacity > room.capacity:
            self.add_error("capacity", f"La salle « {room.name} » n'a que {room.capacity} places.")
        if capacity and data.get("min_participants") and data["min_participants"] > capacity:
            self.add_error("min_participants", "Le minimum dépasse le nombre de places.")
        if not (starts_at and ends_at and ends_at > starts_at):
            return data
        others = Session.objects.live().overlapping(starts_at, ends_at)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if room:
            clash = others.filter(room=room).select_related("module").first()
            if clash:
                self.add_error(
                    "room",
                    f"La salle est déjà prise par « {clash.module} » "
                    f"({timezone.localtime(clash.starts_at):%d/%m/%Y %H:%M}).",
                )
        for trainer in data.get("trainers") or []:
            clash = others.filter(trainers=trainer).select_related("module").first()
            if clash:
                self.add_error(
                    "trainers",
                    f"{trainer} anime déjà « {clash.module} » à ce moment "
                    f"({timezone.localtime(clash.starts_at):%d/%m/%Y %H:%M}).",
                )
            elif module and not trainer.modules.filter(pk=module.pk).exists():
                self.add_error("trainers", f"{trainer} n'anime pas « {module} ».")
        return data


class RegisterForm(AccessibleFormMixin, forms.Form):
    matricule = forms.CharField(label="Matricule de l'agent", max_length=30)
