"""Training: the catalogue of modules, fragility segments, coverage goals, personal
pathways and their templates.

Every model here is audited (core.audit): the audit log is the history of a module,
a goal or a pathway step (who changed what, when), shown on their pages.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from tremplin.core.audit import audited

from .enums import (
    OPEN_STEP_STATUSES,
    Audience,
    DoneReason,
    GoalPopulation,
    ModuleFormat,
    PlaceNeed,
    SegmentMatch,
    StepOrigin,
    StepStatus,
    TrainerKind,
)

LEVEL_VALIDATORS = [MinValueValidator(0), MaxValueValidator(8)]

# --- Catalogue ------------------------------------------------------------------------------


def minutes_label(total: int) -> str:
    """90 → « 1 h 30 », 45 → « 45 min », 120 → « 2 h »."""
    hours, minutes = divmod(total, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes:02d}" if minutes else f"{hours} h"


class ModuleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


@audited()
class Module(models.Model):
    """A training action of the catalogue: what it brings (outcomes), what it needs
    (prerequisites), for whom, where, with which trainer, at what cost."""

    code = models.SlugField(
        "code",
        max_length=40,
        unique=True,
        help_text="Court et stable, en minuscules : par exemple « messagerie ».",
    )
    title = models.CharField("intitulé", max_length=200)
    objective = models.TextField(
        "objectif",
        help_text="En mots simples, ce que l'agent saura faire à la fin. Il le lit sur son "
        "téléphone.",
    )
    format = models.CharField("format", max_length=12, choices=ModuleFormat.choices)
    duration_minutes = models.PositiveIntegerField(
        "durée (minutes)", validators=[MinValueValidator(15), MaxValueValidator(60 * 40)]
    )
    group_min = models.PositiveSmallIntegerField("participants au minimum", default=1)
    group_max = models.PositiveSmallIntegerField("participants au maximum", default=8)
    trainer_kind = models.CharField("formateur", max_length=12, choices=TrainerKind.choices)
    provider = models.CharField(
        "organisme", max_length=120, blank=True, help_text="Pour un organisme extérieur : CNFPT…"
    )
    audience = models.CharField(
        "public", max_length=8, choices=Audience.choices, default=Audience.ALL
    )
    job_families = models.JSONField(
        "familles de métiers",
        default=list,
        blank=True,
        help_text="Vide : toutes les familles de métiers.",
    )
    place_need = models.CharField(
        "salle", max_length=12, choices=PlaceNeed.choices, default=PlaceNeed.ANY
    )
    cost_per_agent = models.DecimalField(
        "coût par agent (€)", max_digits=8, decimal_places=2, default=0
    )
    needs_device = models.BooleanField(
        "l'agent doit avoir un smartphone ou une tablette", default=False
    )
    needs_manager_approval = models.BooleanField(
        "inscription validée par l'encadrant", default=False
    )
    gives_evidence = models.BooleanField(
        "la présence compte dans le profil de compétences",
        default=False,
        help_text="À la présence, le niveau visé est noté comme une observation de formation.",
    )
    active = models.BooleanField("proposé", default=True)
    position = models.PositiveSmallIntegerField("ordre dans le catalogue", default=100)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        verbose_name = "module de formation"
        verbose_name_plural = "modules de formation"
        ordering = ["position", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(group_min__lte=F("group_max")), name="module_group_min_le_max"
            ),
            models.CheckConstraint(condition=Q(group_min__gte=1), name="module_group_min_ge_1"),
        ]

    def __str__(self):
        return self.title

    @property
    def duration_label(self) -> str:
        return minutes_label(self.duration_minutes)

    @property
    def group_label(self) -> str:
        if self.group_max == 1:
            return "1 personne"
        if self.group_min == self.group_max:
            return f"{self.group_max} personnes"
        return f"{self.group_min} à {self.group_max} personnes"


@audited()
class ModuleOutcome(models.Model):
    """A competence the module brings from one level to another. It is the module's
    trigger too: recommended to an agent below `level_to` in that competence."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="outcomes")
    competence = models.ForeignKey(
        "competences.Competence",
        verbose_name="compétence",
        on_delete=models.PROTECT,
        related_name="+",
    )
    level_from = models.PositiveSmallIntegerField(
        "niveau de départ", validators=LEVEL_VALIDATORS, default=0
    )
    level_to = models.PositiveSmallIntegerField("niveau atteint", validators=LEVEL_VALIDATORS)

    class Meta:
        verbose_name = "compétence travaillée"
        verbose_name_plural = "compétences travaillées"
        ordering = ["module", "competence__position"]
        constraints = [
            models.UniqueConstraint(fields=["module", "competence"], name="outcome_unique"),
            models.CheckConstraint(
                condition=Q(level_to__gt=F("level_from")), name="outcome_level_goes_up"
            ),
        ]

    def __str__(self):
        return f"{self.module} : {self.competence.code} {self.level_from} → {self.level_to}"


@audited()
class ModulePrerequisite(models.Model):
    """What an agent needs before the module: another module done, or a level reached
    in a competence (checked on the profile)."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="prerequisites")
    required_module = models.ForeignKey(
        Module,
        verbose_name="module à suivre avant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="required_by",
    )
    competence = models.ForeignKey(
        "competences.Competence",
        verbose_name="compétence",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    min_level = models.PositiveSmallIntegerField(
        "niveau au moins", null=True, blank=True, validators=LEVEL_VALIDATORS
    )

    class Meta:
        verbose_name = "prérequis"
        verbose_name_plural = "prérequis"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        required_module__isnull=False,
                        competence__isnull=True,
                        min_level__isnull=True,
                    )
                    | Q(
                        required_module__isnull=True,
                        competence__isnull=False,
                        min_level__isnull=False,
                    )
                ),
                name="prerequisite_module_or_level",
            ),
            models.CheckConstraint(
                condition=~Q(required_module=F("module")), name="prerequisite_not_itself"
            ),
        ]

    def __str__(self):
        if self.required_module_id:
            return f"{self.module} après {self.required_module}"
        return f"{self.module} : {self.competence.code} niveau {self.min_level} au moins"


# --- Fragility segments ---------------------------------------------------------------------


@audited()
class FragilitySegment(models.Model):
    """A group of agents far from digital, defined by rules HR can edit. It can be the
    population of a coverage goal or of a bulk pathway generation (segments.py)."""

    name = models.CharField("nom", max_length=120, unique=True)
    description = models.TextField("description", blank=True)
    match = models.CharField(
        "les agents qui remplissent", max_length=3, choices=SegmentMatch.choices, default="any"
    )
    no_active_identity = models.BooleanField("sans identité numérique active", default=False)
    low_level = models.DecimalField(
        "niveau moyen mesuré au plus",
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=LEVEL_VALIDATORS,
        help_text="Moyenne des niveaux du profil (diagnostic, Pix…). Vide : règle non utilisée.",
    )
    never_measured = models.BooleanField("jamais mesurés (ni diagnostic, ni Pix)", default=False)
    field_job = models.BooleanField("métier de terrain", default=False)
    never_trained = models.BooleanField("aucune formation numérique suivie", default=False)
    active = models.BooleanField("utilisé", default=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "groupe d'agents éloignés du numérique"
        verbose_name_plural = "groupes d'agents éloignés du numérique"
        ordering = ["name"]

    def __str__(self):
        return self.name


# --- Coverage goals -------------------------------------------------------------------------


@audited()
class CoverageGoal(models.Model):
    """What the collectivité commits to: a module attended, or a competence level reached,
    by a population, before a deadline (goals.py computes where it stands)."""

    name = models.CharField("nom", max_length=200)
    module = models.ForeignKey(
        Module,
        verbose_name="module à suivre",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="goals",
    )
    competence = models.ForeignKey(
        "competences.Competence",
        verbose_name="ou compétence",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.PositiveSmallIntegerField(
        "niveau à atteindre", null=True, blank=True, validators=LEVEL_VALIDATORS
    )
    population = models.CharField(
        "pour", max_length=10, choices=GoalPopulation.choices, default=GoalPopulation.ALL
    )
    unit = models.ForeignKey(
        "organisation.OrgUnit",
        verbose_name="unité",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    segment = models.ForeignKey(
        FragilitySegment,
        verbose_name="groupe",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="goals",
    )
    starts_on = models.DateField("début")
    deadline = models.DateField("échéance")
    priority = models.PositiveSmallIntegerField(
        "priorité",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text="1 : la plus haute.",
    )
    active = models.BooleanField("suivi", default=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "objectif de couverture"
        verbose_name_plural = "objectifs de couverture"
        ordering = ["deadline", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(module__isnull=False, competence__isnull=True, level__isnull=True)
                    | Q(module__isnull=True, competence__isnull=False, level__isnull=False)
                ),
                name="goal_module_or_level",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=F("starts_on")), name="goal_deadline_after_start"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def aim(self) -> str:
        """What reaching the goal means, in words (module, or competence and level)."""
        if self.module_id:
            return f"Suivre le module « {self.module} »"
        return f"Atteindre le niveau {self.level} en {self.competence.code} {self.competence.name}"

    @property
    def population_label(self) -> str:
        """Who the goal is for, to follow « Pour : »."""
        if self.population == GoalPopulation.UNIT and self.unit_id:
            return f"{self.unit.name} (et ses sous-unités)"
        if self.population == GoalPopulation.SEGMENT and self.segment_id:
            return f"le groupe « {self.segment} »"
        label = self.get_population_display()
        return label[:1].lower() + label[1:]


# --- Pathways -------------------------------------------------------------------------------


@audited()
class PathwayTemplate(models.Model):
    """A pathway HR writes once for a job family and applies to many agents."""

    name = models.CharField("nom", max_length=200)
    job_family = models.CharField("famille de métiers", max_length=120)
    modules = models.ManyToManyField(
        Module, through="PathwayTemplateStep", verbose_name="modules", related_name="+"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "parcours type"
        verbose_name_plural = "parcours types"
        ordering = ["job_family", "name"]

    def __str__(self):
        return self.name


@audited()
class PathwayTemplateStep(models.Model):
    template = models.ForeignKey(PathwayTemplate, on_delete=models.CASCADE, related_name="steps")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("ordre")

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "module"], name="template_step_unique")
        ]

    def __str__(self):
        return f"{self.template} #{self.position} : {self.module}"


class PathwayQuerySet(models.QuerySet):
    def visible_to(self, user):
        from tremplin.accounts.scopes import agent_scope_q

        return self.filter(agent_scope_q(user, prefix="agent__"))


@audited()
class Pathway(models.Model):
    """An agent's pathway: towards their own job (target_job empty) or a job they may
    hold next (mobility). Its steps carry the status."""

    agent = models.ForeignKey(
        "organisation.Agent",
        verbose_name="agent",
        on_delete=models.CASCADE,
        related_name="pathways",
    )
    target_job = models.ForeignKey(
        "organisation.Job",
        verbose_name="métier visé",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Vide : le métier actuel de l'agent.",
    )
    extra_levels = models.JSONField(
        "niveaux demandés en plus par le poste visé",
        default=dict,
        blank=True,
        help_text="Code de compétence → niveau : ce qu'un poste demande au-delà de son métier.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    generated_at = models.DateTimeField("calculé le", null=True, blank=True)

    objects = PathwayQuerySet.as_manager()

    class Meta:
        verbose_name = "parcours"
        verbose_name_plural = "parcours"
        ordering = ["agent", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent"], condition=Q(target_job__isnull=True), name="one_own_job_pathway"
            ),
            models.UniqueConstraint(
                fields=["agent", "target_job"],
                condition=Q(target_job__isnull=False),
                name="one_pathway_per_target_job",
            ),
        ]

    def __str__(self):
        return f"Parcours de {self.agent}" + (f" vers {self.target_job}" if self.target_job else "")


class PathwayStepQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STEP_STATUSES)


@audited()
class PathwayStep(models.Model):
    """One module of a pathway, in order, with the plain-words reason it is there."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="steps")
    module = models.ForeignKey(
        Module, verbose_name="module", on_delete=models.PROTECT, related_name="steps"
    )
    position = models.PositiveSmallIntegerField("ordre")
    status = models.CharField(
        "état", max_length=12, choices=StepStatus.choices, default=StepStatus.PROPOSED
    )
    origin = models.CharField("origine", max_length=12, choices=StepOrigin.choices)
    reason = models.CharField("pourquoi", max_length=300)
    competence = models.ForeignKey(
        "competences.Competence",
        verbose_name="compétence visée",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    goal = models.ForeignKey(
        CoverageGoal,
        verbose_name="objectif",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="steps",
    )
    no_longer_needed = models.BooleanField(
        "plus nécessaire d'après le dernier calcul",
        default=False,
        help_text="Une étape validée n'est jamais retirée sans décision : elle est signalée.",
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="validée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    validated_at = models.DateTimeField("validée le", null=True, blank=True)
    done_on = models.DateField("faite le", null=True, blank=True)
    done_reason = models.CharField(
        "faite parce que", max_length=12, choices=DoneReason.choices, blank=True
    )
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = PathwayStepQuerySet.as_manager()

    class Meta:
        verbose_name = "étape de parcours"
        verbose_name_plural = "étapes de parcours"
        ordering = ["pathway", "position"]
        constraints = [
            models.UniqueConstraint(fields=["pathway", "module"], name="pathway_step_unique")
        ]
        indexes = [models.Index(fields=["module", "status"])]

    def __str__(self):
        return f"{self.pathway.agent} — {self.module} ({self.get_status_display()})"

    # Lifecycle: proposed → validated → in progress → done; cancelled before it is done.
    # Each method saves the step (the save signal writes the audit entry) or raises
    # StepTransitionError with a French message, changing nothing.

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STEP_STATUSES

    def _require(self, allowed: tuple, message: str) -> None:
        if self.status not in allowed:
            raise StepTransitionError(
                message.format(step=self.module, status=self.get_status_display().lower())
            )

    def validate(self, *, by) -> None:
        self._require(
            (StepStatus.PROPOSED,),
            "« {step} » ne peut pas être validée : elle est déjà {status}.",
        )
        self.status = StepStatus.VALIDATED
        self.validated_by = by
        self.validated_at = timezone.now()
        self.save(update_fields=["status", "validated_by", "validated_at", "updated_at"])

    def start(self) -> None:
        self._require(
            (StepStatus.PROPOSED, StepStatus.VALIDATED),
            "« {step} » ne peut pas commencer : elle est {status}.",
        )
        self.status = StepStatus.IN_PROGRESS
        self.save(update_fields=["status", "updated_at"])

    def mark_done(self, *, on, reason: str) -> None:
        self._require(
            OPEN_STEP_STATUSES,
            "« {step} » ne peut pas être notée faite : elle est {status}.",
        )
        self.status = StepStatus.DONE
        self.done_on = on
        self.done_reason = reason
        self.no_longer_needed = False
        self.save(
            update_fields=["status", "done_on", "done_reason", "no_longer_needed", "updated_at"]
        )

    def cancel(self) -> None:
        self._require(
            (StepStatus.PROPOSED, StepStatus.VALIDATED),
            "« {step} » ne peut pas être annulée : elle est {status}.",
        )
        self.status = StepStatus.CANCELLED
        self.save(update_fields=["status", "updated_at"])

    def reopen(self) -> None:
        """Back to proposed: a cancelled step HR wants after all."""
        self._require((StepStatus.CANCELLED,), "« {step} » n'est pas annulée.")
        self.status = StepStatus.PROPOSED
        self.validated_by = None
        self.validated_at = None
        self.save(update_fields=["status", "validated_by", "validated_at", "updated_at"])


class StepTransitionError(ValueError):
    """A step cannot go where asked; the message is French."""
