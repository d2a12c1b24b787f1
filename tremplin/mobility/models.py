"""Positions to fill, agents' wishes, redeployment files (restricted to the mobility
role) and the moves done."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from tremplin.core.audit import audited
from tremplin.organisation.enums import Category

from .enums import ACTIVE_STATUSES, FileStatus, PositionStatus

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(8)]
CPF_HOURS_PER_YEAR = 25
# Category C agents without a level-3 diploma (CAP, BEP) earn twice as much.
CPF_HOURS_PER_YEAR_LOW_QUALIFIED = 50
# On the occupational doctor's opinion, to prevent unfitness.
DOCTOR_OPINION_HOURS = 150
PPR_MAX_DAYS = 366  # one year, a leap year included


class PositionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)


@audited()
class Position(models.Model):
    """An open or upcoming post: a job in a unit, on a site, with the job's requirements
    plus the extra levels listed in `extra_requirements`."""

    job = models.ForeignKey(
        "organisation.Job", verbose_name="métier", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "organisation.OrgUnit", verbose_name="unité", on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(
        "organisation.Site",
        verbose_name="site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.CharField("catégorie", max_length=1, choices=Category.choices, blank=True)
    starts_on = models.DateField("prise de poste")
    status = models.CharField(
        "état", max_length=10, choices=PositionStatus.choices, default=PositionStatus.OPEN
    )
    description = models.TextField("description", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = "poste"
        verbose_name_plural = "postes"
        ordering = ["starts_on", "pk"]

    def __str__(self):
        return f"{self.job} — {self.unit}"


class PositionRequirement(models.Model):
    """A competence level the position needs beyond (or above) what its job requires."""

    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="extra_requirements"
    )
    competence = models.ForeignKey(
        "competences.Competence",
        verbose_name="compétence",
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.PositiveSmallIntegerField("niveau demandé", validators=LEVEL_VALIDATORS)

    class Meta:
        verbose_name = "exigence propre au poste"
        verbose_name_plural = "exigences propres au poste"
        constraints = [
            models.UniqueConstraint(
                fields=["position", "competence"], name="one_extra_level_per_competence"
            )
        ]

    def __str__(self):
        return f"{self.competence.code} niveau {self.level}"


@audited()
class Wish(models.Model):
    """What an agent said they would like to do next: a job, or a family of jobs."""

    agent = models.ForeignKey(
        "organisation.Agent", verbose_name="agent", on_delete=models.CASCADE, related_name="+"
    )
    job = models.ForeignKey(
        "organisation.Job",
        verbose_name="métier souhaité",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    family = models.CharField("famille de métiers souhaitée", max_length=120, blank=True)
    expressed_on = models.DateField("exprimé le", default=timezone.localdate)

    class Meta:
        verbose_name = "souhait de mobilité"
        verbose_name_plural = "souhaits de mobilité"
        ordering = ["agent", "pk"]

    def __str__(self):
        return f"Souhait de {self.agent} : {self.job or self.family}"

    def clean(self):
        if not self.job_id and not self.family:
            raise ValidationError("Indiquez un métier ou une famille de métiers.")


class RedeploymentFileQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Files of the agents a mobility user may see; nobody else sees any."""
        from tremplin.accounts import perms
        from tremplin.accounts.scopes import agent_scope_q

        if not perms.can_read_redeployment_files(user):
            return self.none()
        return self.filter(agent_scope_q(user, prefix="agent__"))

    def open(self):
        return self.filter(status=FileStatus.OPEN)

    def in_ppr(self, on: dt.date):
        return self.open().filter(ppr_starts_on__lte=on, ppr_ends_on__gte=on)


# The audit log is read by administrators: it says a file changed, never whose it is,
# what the restriction says nor what the doctor advised.
@audited(masked=["restriction", "agent_id", "doctor_opinion", "no_level3_diploma"])
class RedeploymentFile(models.Model):
    """An agent the occupational doctor declared unfit or at risk. The restriction is
    readable by the mobility role only (perms.can_read_redeployment_files) and its
    value never goes to the audit log."""

    agent = models.ForeignKey(
        "organisation.Agent", verbose_name="agent", on_delete=models.PROTECT, related_name="+"
    )
    restriction = models.TextField(
        "restrictions médicales",
        help_text="Ce que l'agent ne peut plus faire. Visible de la mobilité seulement.",
    )
    opened_on = models.DateField("ouvert le", default=timezone.localdate)
    status = models.CharField(
        "état", max_length=10, choices=FileStatus.choices, default=FileStatus.OPEN
    )
    closed_on = models.DateField("clos le", null=True, blank=True)
    ppr_starts_on = models.DateField(
        "début de la période de préparation au reclassement (PPR)", null=True, blank=True
    )
    ppr_ends_on = models.DateField("fin de la PPR", null=True, blank=True)
    no_level3_diploma = models.BooleanField(
        "sans diplôme de niveau 3 (CAP, BEP)",
        default=False,
        help_text="En catégorie C : 50 h par an au lieu de 25 h.",
    )
    doctor_opinion = models.BooleanField(
        "avis du médecin du travail pour prévenir l'inaptitude",
        default=False,
        help_text="Donne 150 h de plus.",
    )
    cpf_hours_carried = models.PositiveIntegerField("heures déjà acquises sur le CPF", default=0)
    hours_used = models.PositiveIntegerField("heures de formation utilisées", default=0)

    objects = RedeploymentFileQuerySet.as_manager()

    class Meta:
        verbose_name = "dossier de reclassement"
        verbose_name_plural = "dossiers de reclassement"
        ordering = ["-opened_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent"], condition=Q(status="open"), name="one_open_file_per_agent"
            )
        ]

    def __str__(self):
        # No name here: the audit log shows this text to administrators.
        return f"Dossier de reclassement n° {self.pk}"

    @property
    def yearly_hours(self) -> int:
        low = self.no_level3_diploma and getattr(self.agent, "category", "") == Category.C
        return CPF_HOURS_PER_YEAR_LOW_QUALIFIED if low else CPF_HOURS_PER_YEAR

    @property
    def hours_rights(self) -> int:
        return (
            self.cpf_hours_carried
            + self.yearly_hours
            + (DOCTOR_OPINION_HOURS if self.doctor_opinion else 0)
        )

    @property
    def hours_balance(self) -> int:
        return self.hours_rights - self.hours_used

    def clean(self):
        errors = {}
        start, end = self.ppr_starts_on, self.ppr_ends_on
        if bool(start) != bool(end):
            errors["ppr_ends_on"] = "Indiquez le début et la fin de la PPR, ou aucune des deux."
        elif start and end:
            if end < start:
                errors["ppr_ends_on"] = "La fin de la PPR est avant son début."
            elif (end - start).days >= PPR_MAX_DAYS or end >= _one_year_after(start):
                errors["ppr_ends_on"] = "La PPR dure un an au plus."
        if self.agent_id and self.no_level3_diploma and self.agent.category != Category.C:
            errors["no_level3_diploma"] = (
                "Les 50 h par an concernent seulement les agents de catégorie C."
            )
        if self.hours_used > self.hours_rights:
            errors["hours_used"] = "Les heures utilisées dépassent les droits."
        if errors:
            raise ValidationError(errors)

    @transaction.atomic
    def use_hours(self, hours: int) -> None:
        """Counts training hours against the rights; refuses beyond the balance."""
        if hours <= 0:
            raise ValidationError({"hours": "Indiquez un nombre d'heures positif."})
        if hours > self.hours_balance:
            raise ValidationError(
                {"hours": f"Il reste {self.hours_balance} h : impossible d'en utiliser {hours}."}
            )
        self.hours_used += hours
        self.save(update_fields=["hours_used"])


def _one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@audited(masked=["notes"])
class Placement(models.Model):
    """A period spent in another unit during the PPR, to try a job."""

    file = models.ForeignKey(RedeploymentFile, on_delete=models.CASCADE, related_name="placements")
    unit = models.ForeignKey(
        "organisation.OrgUnit", verbose_name="unité", on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    notes = models.TextField("notes", blank=True)

    class Meta:
        verbose_name = "mise en situation"
        verbose_name_plural = "mises en situation"
        ordering = ["starts_on", "pk"]

    def __str__(self):
        return f"Mise en situation n° {self.pk}"

    def clean(self):
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                raise ValidationError({"ends_on": "La fin est avant le début."})
            file = self.file if self.file_id else None
            if (
                file
                and file.ppr_starts_on
                and not (file.ppr_starts_on <= self.starts_on and self.ends_on <= file.ppr_ends_on)
            ):
                raise ValidationError(
                    {"starts_on": "La mise en situation doit tenir dans les dates de la PPR."}
                )


@audited(ignored=["file_id"])  # whether a move ended a file is for the mobility role only
class Move(models.Model):
    """A move done: the agent took a position (or another job)."""

    agent = models.ForeignKey(
        "organisation.Agent", verbose_name="agent", on_delete=models.PROTECT, related_name="+"
    )
    from_job = models.ForeignKey(
        "organisation.Job",
        verbose_name="ancien métier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.ForeignKey(
        Position,
        verbose_name="poste pris",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moves",
    )
    to_job = models.ForeignKey(
        "organisation.Job",
        verbose_name="nouveau métier",
        on_delete=models.PROTECT,
        related_name="+",
    )
    moved_on = models.DateField("date de la mobilité")
    # The file it ends, if any: only its dates are used, for the average time to move.
    file = models.ForeignKey(
        RedeploymentFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "mobilité réalisée"
        verbose_name_plural = "mobilités réalisées"
        ordering = ["-moved_on", "pk"]

    def __str__(self):
        return f"Mobilité de {self.agent} vers {self.to_job}"


class ReachableJobsAccess(models.Model):
    """HR opened the « Métiers accessibles » page to this agent."""

    agent = models.OneToOneField(
        "organisation.Agent", on_delete=models.CASCADE, related_name="reachable_jobs_access"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField("ouvert le", auto_now_add=True)

    class Meta:
        verbose_name = "accès aux métiers accessibles"
        verbose_name_plural = "accès aux métiers accessibles"

    def __str__(self):
        return f"Métiers accessibles ouverts à {self.agent}"
