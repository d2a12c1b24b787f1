import datetime as dt

from django import forms
from django.utils import timezone

from tremplin.core.forms import AccessibleFormMixin
from tremplin.training.models import Module

from . import calendar
from .forms_resources import WEEKDAY_NAMES
from .models import Room, Session, Trainer


class SessionForm(AccessibleFormMixin, forms.ModelForm):
    """A session of a module. Refused with a French error on the field: a date in the
    past, an end before the start, more places than the room has, a room or a trainer
    already taken at that time, a trainer who does not run this module, is absent that
    day, already runs their maximum of sessions that day, or (when they have weekly slots)
    is not available at that time."""

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
            problem = self._trainer_problem(trainer, module, others, starts_at, ends_at)
            if problem:
                self.add_error("trainers", problem)
        return data

    def _trainer_problem(self, trainer, module, others, starts_at, ends_at) -> str | None:
        """The first reason this trainer cannot run the session, or None."""
        start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
        absence = trainer.absences.filter(
            starts_on__lte=end.date(), ends_on__gte=start.date()
        ).first()
        if absence:
            return (
                f"{trainer} est absent(e) du {absence.starts_on:%d/%m/%Y} "
                f"au {absence.ends_on:%d/%m/%Y}."
            )
        clash = others.filter(trainers=trainer).select_related("module").first()
        if clash:
            return (
                f"{trainer} anime déjà « {clash.module} » à ce moment "
                f"({timezone.localtime(clash.starts_at):%d/%m/%Y %H:%M})."
            )
        if module and not trainer.modules.filter(pk=module.pk).exists():
            return f"{trainer} n'anime pas « {module} »."
        day_starts, day_ends = calendar.day_bounds(
            start.date(), start.date() + dt.timedelta(days=1), start.tzinfo
        )
        same_day = Session.objects.live().filter(
            trainers=trainer, starts_at__gte=day_starts, starts_at__lt=day_ends
        )
        if self.instance.pk:
            same_day = same_day.exclude(pk=self.instance.pk)
        if same_day.count() >= trainer.max_sessions_per_day:
            return (
                f"{trainer} anime déjà {trainer.max_sessions_per_day} séance"
                f"{'s' if trainer.max_sessions_per_day > 1 else ''} le "
                f"{start:%d/%m/%Y} : c'est son maximum par jour."
            )
        slots = list(trainer.availabilities.all())
        fits = start.date() == end.date() and any(
            slot.weekday == start.isoweekday()
            and slot.starts_at <= start.time()
            and end.time() <= slot.ends_at
            for slot in slots
        )
        if slots and not fits:
            return (
                f"La séance tombe en dehors des disponibilités de {trainer} ("
                + ", ".join(
                    f"{WEEKDAY_NAMES[s.weekday]} {s.starts_at:%H:%M}–{s.ends_at:%H:%M}"
                    for s in slots
                )
                + ")."
            )
        return None


class RegisterForm(AccessibleFormMixin, forms.Form):
    matricule = forms.CharField(label="Matricule de l'agent", max_length=30)
