"""Planning: trainers, rooms, sessions of a module, registrations with a waiting list,
and the service-continuity rule per team. The rules that span several rows (seats,
overlaps, continuity) live in registrations.py, inside one transaction with the
session row locked."""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from tremplin.core.audit import audited
from tremplin.training.enums import TrainerKind

from .enums import (
    ACTIVE_STATUSES,
    Attendance,
    Autonomy,
    CoachingFollowUp,
    CoachingPlace,
    RegistrationStatus,
    SessionStatus,
)


@audited()
class Trainer(models.Model):
    """Who runs sessions: a digital advisor, a Fresque facilitator, an external provider."""

    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=12, choices=TrainerKind.choices)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainer",
    )
    provider = models.CharField("organisme", max_length=120, blank=True)
    home_site = models.ForeignKey(
        "organisation.Site",
        verbose_name="site de rattachement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    modules = models.ManyToManyField(
        "training.Module", verbose_name="modules qu'il anime", blank=True, related_name="trainers"
    )
    max_sessions_per_day = models.PositiveSmallIntegerField("séances par jour au plus", default=2)
    max_sessions_per_week = models.PositiveSmallIntegerField(
        "séances par semaine au plus", default=8
    )
    active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "formateur"
        verbose_name_plural = "formateurs"
        ordering = ["name"]

    def __str__(self):
        return self.name


class TrainerAvailability(models.Model):
    """A weekly slot when the trainer can run sessions."""

    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="availabilities")
    weekday = models.PositiveSmallIntegerField(
        "jour", validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    starts_at = models.TimeField("de")
    ends_at = models.TimeField("à")

    class Meta:
        verbose_name = "disponibilité"
        verbose_name_plural = "disponibilités"
        ordering = ["trainer", "weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="availability_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.trainer} : jour {self.weekday}, {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class TrainerAbsence(models.Model):
    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="absences")
    starts_on = models.DateField("du")
    ends_on = models.DateField("au")
    reason = models.CharField("motif", max_length=200, blank=True)

    class Meta:
        verbose_name = "absence"
        verbose_name_plural = "absences"
        ordering = ["trainer", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="absence_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.trainer} absent du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"


@audited()
class ClosedPeriod(models.Model):
    """Days without training for everyone: school holidays, a summer closure, a
    collectivité-wide event. The planner places no session on them."""

    name = models.CharField("nom", max_length=120)
    starts_on = models.DateField("du")
    ends_on = models.DateField("au (inclus)")

    class Meta:
        verbose_name = "période sans formation"
        verbose_name_plural = "périodes sans formation"
        ordering = ["starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="closed_period_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y})"

    @classmethod
    def days_between(cls, start: dt.date, end: dt.date) -> set[dt.date]:
        """The closed days within [start, end]."""
        days = set()
        for period in cls.objects.filter(starts_on__lte=end, ends_on__gte=start):
            day = max(period.starts_on, start)
            while day <= min(period.ends_on, end):
                days.add(day)
                day += dt.timedelta(days=1)
        return days


@audited()
class Room(models.Model):
    site = models.ForeignKey(
        "organisation.Site", verbose_name="site", on_delete=models.PROTECT, related_name="rooms"
    )
    name = models.CharField("nom", max_length=120)
    capacity = models.PositiveSmallIntegerField("places", validators=[MinValueValidator(1)])
    has_computers = models.BooleanField("ordinateurs", default=False)
    has_tablets = models.BooleanField("tablettes", default=False)
    has_projector = models.BooleanField("vidéoprojecteur", default=False)
    step_free = models.BooleanField("accessible de plain-pied", default=True)
    active = models.BooleanField("utilisable", default=True)

    class Meta:
        verbose_name = "salle"
        verbose_name_plural = "salles"
        ordering = ["site__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="room_unique_name_on_site")
        ]

    def __str__(self):
        return f"{self.name} ({self.site})"


class SessionQuerySet(models.QuerySet):
    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)

    def live(self):
        return self.exclude(status=SessionStatus.CANCELLED)


@audited()
class Session(models.Model):
    """One session of a module: when, where, with whom, for how many."""

    module = models.ForeignKey(
        "training.Module", verbose_name="module", on_delete=models.PROTECT, related_name="sessions"
    )
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    room = models.ForeignKey(
        Room,
        verbose_name="salle",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
        help_text="Vide pour une formation en ligne.",
    )
    trainers = models.ManyToManyField(
        Trainer, verbose_name="formateurs", blank=True, related_name="sessions"
    )
    capacity = models.PositiveSmallIntegerField("places", validators=[MinValueValidator(1)])
    min_participants = models.PositiveSmallIntegerField(
        "participants au minimum pour la tenir", default=1
    )
    status = models.CharField(
        "état", max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    locked = models.BooleanField(
        "fixée", default=False, help_text="Le calcul du planning ne la déplace pas."
    )
    sequence = models.PositiveIntegerField(
        "version", default=0, help_text="Augmente à chaque changement envoyé aux agents."
    )
    notes = models.TextField("remarques", blank=True)
    cancellation_reason = models.CharField("motif de l'annulation", max_length=200, blank=True)
    attendance_closed_at = models.DateTimeField(
        "émargement clos le",
        null=True,
        blank=True,
        help_text="Les présences sont saisies : les étapes de parcours sont faites.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = "séance"
        verbose_name_plural = "séances"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(min_participants__lte=F("capacity")), name="session_min_le_capacity"
            ),
        ]
        indexes = [models.Index(fields=["starts_at", "ends_at"])]

    def __str__(self):
        return f"{self.module} — {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)


@audited()
class Registration(models.Model):
    """An agent's seat in a session, or their place on its waiting list."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    agent = models.ForeignKey(
        "organisation.Agent",
        verbose_name="agent",
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    status = models.CharField("état", max_length=10, choices=RegistrationStatus.choices)
    waiting_position = models.PositiveIntegerField("rang sur la liste d'attente", null=True)
    step = models.ForeignKey(
        "training.PathwayStep",
        verbose_name="étape du parcours",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    outside_work_pattern = models.BooleanField(
        "en dehors des horaires de l'agent",
        default=False,
        help_text="Signalé à l'inscription : l'encadrant organise le temps de travail.",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="inscrit par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="accord de",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attendance = models.CharField("présence", max_length=10, choices=Attendance.choices, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="présence notée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attendance_recorded_at = models.DateTimeField("présence notée le", null=True, blank=True)
    reminded_week_before_at = models.DateTimeField("rappel à 7 jours envoyé le", null=True)
    reminded_day_before_at = models.DateTimeField("rappel la veille envoyé le", null=True)
    ics_sequence = models.PositiveIntegerField(
        "version de l'invitation envoyée",
        default=0,
        help_text="Augmente à chaque changement ou annulation envoyé : même UID, SEQUENCE plus haute.",
    )
    created_at = models.DateTimeField("inscrit le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription"
        verbose_name_plural = "inscriptions"
        ordering = ["session", "status", "waiting_position", "pk"]
        constraints = [
            # One live registration per agent and session; cancelled ones stay as history.
            models.UniqueConstraint(
                fields=["session", "agent"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="registration_one_active_per_agent",
            ),
        ]

    def __str__(self):
        return f"{self.agent} — {self.session} ({self.get_status_display()})"


@audited()
class ContinuityRule(models.Model):
    """Service continuity: at most this share of a team's agents away in training at the
    same time (a care home keeps its residents looked after)."""

    unit = models.OneToOneField(
        "organisation.OrgUnit",
        verbose_name="équipe",
        on_delete=models.CASCADE,
        related_name="continuity_rule",
    )
    max_absent_percent = models.PositiveSmallIntegerField(
        "absents en même temps au plus (%)",
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = "règle de continuité de service"
        verbose_name_plural = "règles de continuité de service"

    def __str__(self):
        return f"{self.unit} : {self.max_absent_percent} % au plus en formation"

    def max_absent(self, team_size: int) -> int:
        """At least one agent may always go (a rule that forbids everybody would block
        training for ever in a small team)."""
        return max(1, team_size * self.max_absent_percent // 100)


class CoachingTheme(models.Model):
    """What a coaching was about (office software, email, security…); HR keeps the list."""

    name = models.CharField("thème", max_length=120, unique=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    active = models.BooleanField("proposé", default=True)

    class Meta:
        verbose_name = "thème d'accompagnement"
        verbose_name_plural = "thèmes d'accompagnement"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class CoachingEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """HR and admins see every entry; an advisor sees their own."""
        from tremplin.accounts.enums import Role

        if user.is_superuser or user.has_role(Role.HR, Role.ADMIN):
            return self
        if user.has_role(Role.ADVISOR):
            return self.filter(advisor=user)
        return self.none()


@audited()
class CoachingEntry(models.Model):
    """Individual or group coaching by a digital advisor, outside catalogue sessions."""

    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="conseiller",
        on_delete=models.PROTECT,
        related_name="coaching_entries",
    )
    happened_on = models.DateField("date")
    duration_minutes = models.PositiveSmallIntegerField(
        "durée (minutes)", validators=[MinValueValidator(5), MaxValueValidator(8 * 60)]
    )
    place = models.CharField("lieu", max_length=8, choices=CoachingPlace.choices)
    site = models.ForeignKey(
        "organisation.Site",
        verbose_name="site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    place_detail = models.CharField("précision sur le lieu", max_length=200, blank=True)
    agents = models.ManyToManyField(
        "organisation.Agent", verbose_name="agents accompagnés", related_name="coaching_entries"
    )
    themes = models.ManyToManyField(CoachingTheme, verbose_name="thèmes", related_name="entries")
    autonomy = models.CharField("autonomie atteinte", max_length=12, choices=Autonomy.choices)
    follow_up = models.CharField(
        "suite", max_length=12, choices=CoachingFollowUp.choices, default=CoachingFollowUp.NONE
    )
    follow_up_detail = models.CharField(
        "précision sur la suite",
        max_length=200,
        blank=True,
        help_text="Le service vers lequel l'agent est orienté, la date du rendez-vous…",
    )
    notes = models.TextField(
        "notes",
        blank=True,
        help_text="Ce que l'agent sait faire, ce qui reste à voir. Pas de donnée de santé.",
    )
    created_at = models.DateTimeField("saisi le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = CoachingEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "accompagnement"
        verbose_name_plural = "accompagnements"
        ordering = ["-happened_on", "-pk"]
        indexes = [models.Index(fields=["advisor", "happened_on"])]

    def __str__(self):
        return f"Accompagnement du {self.happened_on:%d/%m/%Y}"


class PlanningRunStatus(models.TextChoices):
    COMPUTING = "computing", "En calcul"
    READY = "ready", "À revoir"
    APPLIED = "applied", "Accepté"
    FAILED = "failed", "Échec"
    CANCELLED = "cancelled", "Arrêté"


@audited()
class PlanningRun(models.Model):
    """One run of the planner over a horizon: its parameters, progress (the background
    job), the proposed plan and its figures, and whether HR accepted it."""

    starts_on = models.DateField("du")
    ends_on = models.DateField("au")
    include_proposed = models.BooleanField(
        "compter aussi les étapes proposées (pas encore validées)", default=False
    )
    unit = models.ForeignKey(
        "organisation.OrgUnit",
        verbose_name="agents de l'unité (et de ses sous-unités)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    segment = models.ForeignKey(
        "training.FragilitySegment",
        verbose_name="agents du groupe",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    modules = models.ManyToManyField(
        "training.Module", verbose_name="modules à planifier", blank=True, related_name="+"
    )
    previous = models.ForeignKey(
        "self",
        verbose_name="relance du calcul",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Ses agents gardent, autant que possible, la séance qu'il leur proposait.",
    )
    time_limit_seconds = models.PositiveIntegerField(
        "temps de calcul au plus (secondes)",
        default=120,
        validators=[MinValueValidator(5), MaxValueValidator(3600)],
    )
    status = models.CharField(
        "état",
        max_length=10,
        choices=PlanningRunStatus.choices,
        default=PlanningRunStatus.COMPUTING,
    )
    job = models.ForeignKey(
        "core.BackgroundJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    figures = models.JSONField("chiffres", default=dict, blank=True)
    plan = models.JSONField("plan proposé", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="lancé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("lancé le", auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="accepté par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_at = models.DateTimeField("accepté le", null=True, blank=True)

    class Meta:
        verbose_name = "calcul du planning"
        verbose_name_plural = "calculs du planning"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="planning_run_ends_after_start"
            )
        ]

    def __str__(self):
        return f"Planning du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"

    def agents(self):
        """The agents whose steps this run places: those its author may see (everyone for a
        run from the command line), narrowed to the unit's subtree and the group chosen."""
        from tremplin.organisation.models import Agent
        from tremplin.training.segments import segment_q

        agents = Agent.objects.all()
        if self.created_by_id is not None:
            agents = agents.visible_to(self.created_by)
        if self.unit_id is not None:
            agents = agents.filter(unit__path__startswith=self.unit.path)
        if self.segment_id is not None:
            agents = agents.filter(segment_q(self.segment))
        return agents

    @property
    def population_label(self) -> str:
        """The population in words, e.g. « agents de Direction des sports, groupe Terrain »."""
        parts = []
        if self.unit_id is not None:
            parts.append(f"unité {self.unit}")
        if self.segment_id is not None:
            parts.append(f"groupe « {self.segment} »")
        return ", ".join(parts) or "tous les agents"
