"""The CRCN framework (domains, competences, levels), the evidence of agents' levels,
the profile merged from it (with its history), and what each job requires.

The framework's 16 competences and 8 levels come from a data migration
(0002_crcn_framework); admins may add local competences (a business software…).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from tremplin.core.audit import audited

from .enums import EvidenceSource, LevelBand
from .merge import MAX_LEVEL, whole_level

LEVEL_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(MAX_LEVEL))]
# Words for agents (FALC): no "Indépendant 3", just how far along they are.
PLAIN_BAND_WORDS = {
    LevelBand.NOVICE: "débutant",
    LevelBand.INDEPENDENT: "autonome",
    LevelBand.ADVANCED: "avancé",
    LevelBand.EXPERT: "expert",
}


def band_of(level: int) -> LevelBand | None:
    """Levels 1–2 Novice, 3–4 Indépendant, 5–6 Avancé, 7–8 Expert; none below 1."""
    if level < 1:
        return None
    bands = list(LevelBand)
    return bands[min((level - 1) // 2, len(bands) - 1)]


def level_label(level: int) -> str:
    """'Indépendant 3'; level 0 reads 'Pas encore acquis'."""
    band = band_of(level)
    return f"{band.label} {level}" if band else "Pas encore acquis"


def plain_level(level: int) -> str:
    """What an agent reads: 'débutant (1 sur 8)', 'pas encore appris (0 sur 8)'."""
    band = band_of(level)
    words = PLAIN_BAND_WORDS[band] if band else "pas encore appris"
    return f"{words} ({level} sur 8)"


@audited()
class Domain(models.Model):
    code = models.CharField("code", max_length=10, unique=True)
    name = models.CharField("nom", max_length=200)

    class Meta:
        verbose_name = "domaine"
        verbose_name_plural = "domaines"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code}. {self.name}"


class CompetenceQuerySet(models.QuerySet):
    def crcn(self):
        return self.filter(is_crcn=True)

    def required_somewhere(self):
        return self.filter(requirements__isnull=False).distinct()


@audited()
class Competence(models.Model):
    """A CRCN competence (code "1.1"…"5.2"), or a local one an admin adds."""

    domain = models.ForeignKey(
        Domain,
        verbose_name="domaine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competences",
        help_text="Pour une compétence locale, facultatif.",
    )
    code = models.CharField(
        "code",
        max_length=20,
        unique=True,
        help_text="Court et unique, par exemple « L1 » pour une compétence locale.",
    )
    name = models.CharField("intitulé", max_length=200)
    plain_name = models.CharField(
        "intitulé en mots simples",
        max_length=200,
        blank=True,
        help_text="Ce que lit l'agent, sans jargon. Par exemple « Écrire des courriers ».",
    )
    description = models.TextField("description", blank=True)
    is_crcn = models.BooleanField("compétence du référentiel CRCN", default=False, editable=False)
    position = models.PositiveSmallIntegerField("ordre d'affichage", default=100)

    objects = CompetenceQuerySet.as_manager()

    class Meta:
        verbose_name = "compétence"
        verbose_name_plural = "compétences"
        ordering = ["position", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def words(self) -> str:
        return self.plain_name or self.name


class Level(models.Model):
    """The eight CRCN levels, loaded by the data migration; reference data only."""

    number = models.PositiveSmallIntegerField("niveau", unique=True)
    band = models.CharField("palier", max_length=20, choices=LevelBand.choices)
    label = models.CharField("libellé", max_length=50)

    class Meta:
        verbose_name = "niveau"
        verbose_name_plural = "niveaux"
        ordering = ["number"]

    def __str__(self):
        return self.label


class EvidenceQuerySet(models.QuerySet):
    def for_pair(self, agent_id, competence_id):
        return self.filter(agent_id=agent_id, competence_id=competence_id)


@audited()
class Evidence(models.Model):
    """One observation of an agent's level on a competence. Never edited: a correction
    is a new observation. Recording one recomputes the profile (services.record_evidence)."""

    agent = models.ForeignKey(
        "organisation.Agent",
        verbose_name="agent",
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    competence = models.ForeignKey(
        Competence, verbose_name="compétence", on_delete=models.PROTECT, related_name="evidence"
    )
    source = models.CharField("source", max_length=20, choices=EvidenceSource.choices)
    level = models.DecimalField(
        "niveau", max_digits=4, decimal_places=2, validators=LEVEL_VALIDATORS
    )
    sd = models.DecimalField(
        "incertitude (écart-type, en niveaux)",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Vide : l'incertitude habituelle de la source.",
    )
    observed_on = models.DateField("date de l'observation")
    recorded_at = models.DateTimeField("enregistrée le", auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What produced it: a row of this database (a diagnostic attempt, a session)…
    origin_type = models.ForeignKey(
        ContentType,
        verbose_name="type de l'origine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    origin_id = models.CharField("identifiant de l'origine", max_length=64, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    # …or something outside it (a Pix Orga campaign code, an import file and its line).
    origin_label = models.CharField("origine", max_length=200, blank=True)
    note = models.TextField("commentaire", blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "observation"
        verbose_name_plural = "observations"
        ordering = ["-observed_on", "-pk"]
        indexes = [models.Index(fields=["agent", "competence"])]

    def __str__(self):
        return f"{self.competence.code} niveau {self.level} ({self.get_source_display()}, {self.observed_on:%d/%m/%Y})"

    @property
    def origin_text(self) -> str:
        if self.origin_label:
            return self.origin_label
        if self.origin_type_id and self.origin_id:
            return f"{self.origin_type.name} n° {self.origin_id}"
        return ""


class WholeLevel(models.Func):
    """merge.whole_level in SQL, for grouping estimates by level: FLOOR(level + 0.5).
    SQLite has no FLOOR of its own (Django's is a Python function called on each row): a
    cast truncates, which is the floor of a level (never negative)."""

    template = "FLOOR(%(expressions)s + 0.5)"
    output_field = models.IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="CAST(%(expressions)s + 0.5 AS INTEGER)", **extra_context
        )


class ProfileEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        from tremplin.accounts.scopes import agent_scope_q

        return self.filter(agent_scope_q(user, prefix="agent__"))


class ProfileEntry(models.Model):
    """The current estimate of one agent on one competence, merged from the evidence by
    merge.merge(). Derived data, so not audited itself: the evidence it comes from is,
    and every change of estimate is kept in ProfileHistory."""

    agent = models.ForeignKey(
        "organisation.Agent",
        verbose_name="agent",
        on_delete=models.CASCADE,
        related_name="competence_profile",
    )
    competence = models.ForeignKey(
        Competence, verbose_name="compétence", on_delete=models.CASCADE, related_name="profiles"
    )
    level = models.DecimalField(
        "niveau estimé", max_digits=4, decimal_places=2, validators=LEVEL_VALIDATORS
    )
    sd = models.DecimalField("incertitude (écart-type)", max_digits=4, decimal_places=2)
    measured_on = models.DateField("date de l'observation la plus récente")
    evidence_count = models.PositiveIntegerField("nombre d'observations")
    main_source = models.CharField(
        "source principale", max_length=20, choices=EvidenceSource.choices
    )
    computed_at = models.DateTimeField("calculé le")

    objects = ProfileEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "niveau du profil"
        verbose_name_plural = "profils de compétences"
        ordering = ["agent", "competence__position", "competence__code"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "competence"], name="profile_unique_pair")
        ]
        indexes = [models.Index(fields=["competence", "level"])]

    def __str__(self):
        return f"{self.agent} — {self.competence.code} : {self.level}"

    @property
    def whole_level(self) -> int:
        return whole_level(self.level)

    @property
    def level_label(self) -> str:
        return level_label(self.whole_level)

    @property
    def plain_level(self) -> str:
        return plain_level(self.whole_level)


class ProfileHistory(models.Model):
    """An estimate that a recomputation replaced: the profile as it was until `replaced_at`."""

    agent = models.ForeignKey(
        "organisation.Agent",
        verbose_name="agent",
        on_delete=models.CASCADE,
        related_name="competence_history",
    )
    competence = models.ForeignKey(
        Competence, verbose_name="compétence", on_delete=models.CASCADE, related_name="+"
    )
    level = models.DecimalField("niveau estimé", max_digits=4, decimal_places=2)
    sd = models.DecimalField("incertitude (écart-type)", max_digits=4, decimal_places=2)
    measured_on = models.DateField("date de l'observation la plus récente")
    evidence_count = models.PositiveIntegerField("nombre d'observations")
    main_source = models.CharField(
        "source principale", max_length=20, choices=EvidenceSource.choices
    )
    computed_at = models.DateTimeField("calculé le")
    replaced_at = models.DateTimeField("remplacé le")

    class Meta:
        verbose_name = "ancien niveau du profil"
        verbose_name_plural = "historique des profils"
        ordering = ["-replaced_at", "-pk"]
        indexes = [models.Index(fields=["agent", "competence"])]

    def __str__(self):
        return f"{self.agent} — {self.competence.code} : {self.level} (jusqu'au {self.replaced_at:%d/%m/%Y})"

    @property
    def level_label(self) -> str:
        return level_label(whole_level(self.level))


@audited()
class JobRequirement(models.Model):
    """The level a job requires on a competence (at least this whole level)."""

    job = models.ForeignKey(
        "organisation.Job",
        verbose_name="métier",
        on_delete=models.CASCADE,
        related_name="competence_requirements",
    )
    competence = models.ForeignKey(
        Competence,
        verbose_name="compétence",
        on_delete=models.CASCADE,
        related_name="requirements",
    )
    level = models.PositiveSmallIntegerField(
        "niveau demandé", validators=[MinValueValidator(1), MaxValueValidator(MAX_LEVEL)]
    )

    class Meta:
        verbose_name = "niveau demandé pour un métier"
        verbose_name_plural = "niveaux demandés par métier"
        ordering = ["job__title", "competence__position", "competence__code"]
        constraints = [
            models.UniqueConstraint(fields=["job", "competence"], name="requirement_unique_pair"),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=MAX_LEVEL),
                name="requirement_level_1_to_8",
            ),
        ]

    def __str__(self):
        return f"{self.job} — {self.competence.code} : niveau {self.level}"

    def clean(self):
        if self.level is not None and not 1 <= self.level <= MAX_LEVEL:
            raise ValidationError({"level": "Le niveau demandé va de 1 à 8."})

    @property
    def level_label(self) -> str:
        return level_label(self.level)
