import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tremplin.core.audit import audited

from .enums import CampaignStatus, InviteChannel, ItemKind


class ItemQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired=False)


@audited()
class Item(models.Model):
    """A question of the diagnostic, loaded from the bank modules (bank/c*.py) by
    `manage.py load_item_bank`, then edited, retired and calibrated here."""

    code = models.CharField("code", max_length=20, unique=True)
    competence = models.ForeignKey(
        "competences.Competence",
        verbose_name="compétence",
        on_delete=models.PROTECT,
        related_name="items",
    )
    level = models.PositiveSmallIntegerField("niveau visé")
    kind = models.CharField("type", max_length=10, choices=ItemKind.choices)
    stem = models.TextField("question")
    choices = models.JSONField("réponses", help_text="Liste de {key, text, correct}.")
    explanation = models.TextField("explication")
    illustration = models.CharField("illustration", max_length=60, blank=True)
    tags = models.JSONField("mots-clés", default=list, blank=True)
    a = models.FloatField("discrimination (a)")
    b = models.FloatField("difficulté (b)")
    calibrated_at = models.DateTimeField("calibrée le", null=True, blank=True)
    retired = models.BooleanField("retirée", default=False)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = "question"
        verbose_name_plural = "questions"
        ordering = ["competence__position", "level", "code"]

    def __str__(self):
        return self.code

    @property
    def correct_keys(self) -> list[str]:
        """The right answer: the correct keys, or every key in order for "order" items."""
        if self.kind == ItemKind.ORDER:
            return [c["key"] for c in self.choices]
        return [c["key"] for c in self.choices if c["correct"]]

    def grade(self, answer: list[str] | None) -> bool | None:
        """True or False for an answer (a list of keys, in order for "order" items);
        None for "je ne sais pas"."""
        if answer is None:
            return None
        if self.kind == ItemKind.ORDER:
            return list(answer) == self.correct_keys
        return sorted(set(answer)) == sorted(self.correct_keys)


class TargetPopulation(models.Model):
    """Who a campaign is meant for: units (with their sub-units), jobs, field agents only,
    a fragility segment; each choice narrows the others. Nothing chosen means every
    present agent."""

    units = models.ManyToManyField(
        "organisation.OrgUnit", verbose_name="unités (et sous-unités)", blank=True, related_name="+"
    )
    jobs = models.ManyToManyField(
        "organisation.Job", verbose_name="métiers", blank=True, related_name="+"
    )
    field_only = models.BooleanField("agents de terrain seulement", default=False)
    segment = models.ForeignKey(
        "training.FragilitySegment",
        verbose_name="groupe d'agents éloignés du numérique",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    def population(self):
        """Agents present this campaign is meant for (before any role scoping)."""
        from tremplin.organisation.enums import WorkKind
        from tremplin.organisation.models import Agent

        agents = Agent.objects.present()
        units = list(self.units.all())
        if units:
            q = Q()
            for unit in units:
                q |= Q(unit__path__startswith=unit.path)
            agents = agents.filter(q)
        if self.jobs.exists():
            agents = agents.filter(job__in=self.jobs.all())
        if self.field_only:
            agents = agents.filter(job__work_kind=WorkKind.FIELD)
        if self.segment_id:
            from tremplin.training.segments import segment_q

            agents = agents.filter(segment_q(self.segment))
        return agents


@audited()
class Campaign(TargetPopulation):
    """A diagnostic HR runs for a population: which competences, how precise, until when."""

    name = models.CharField("nom", max_length=200)
    description = models.TextField("message aux agents", blank=True)
    competences = models.ManyToManyField(
        "competences.Competence", verbose_name="compétences évaluées", related_name="+"
    )
    precision = models.FloatField(
        "précision visée (en niveaux)",
        default=0.5,
        help_text="Le diagnostic s'arrête quand chaque niveau est connu à cette précision près.",
    )
    max_items = models.PositiveSmallIntegerField("nombre maximum de questions", default=30)
    opens_on = models.DateField("ouverture")
    closes_on = models.DateField("clôture")
    status = models.CharField(
        "état", max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "campagne de diagnostic"
        verbose_name_plural = "campagnes de diagnostic"
        ordering = ["-opens_on", "name"]

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        today = timezone.localdate()
        return self.status == CampaignStatus.OPEN and self.opens_on <= today <= self.closes_on


def new_participation_code() -> str:
    return secrets.token_urlsafe(16)


class ParticipationQuerySet(models.QuerySet):
    def finished(self):
        return self.filter(finished_at__isnull=False)

    def started(self):
        return self.filter(started_at__isnull=False, finished_at__isnull=True)


class Participation(models.Model):
    """An agent invited to a campaign; their personal code opens it (QR on a letter)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    agent = models.ForeignKey(
        "organisation.Agent", on_delete=models.CASCADE, related_name="diagnostic_participations"
    )
    code = models.CharField(max_length=40, unique=True, default=new_participation_code)
    channel = models.CharField("invitation", max_length=10, choices=InviteChannel.choices)
    invited_at = models.DateTimeField("invité le", default=timezone.now)
    reminded_at = models.DateTimeField("relancé le", null=True, blank=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = "participation"
        verbose_name_plural = "participations"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "agent"], name="participation_unique")
        ]

    def __str__(self):
        return f"{self.agent} — {self.campaign}"

    @property
    def status(self) -> str:
        if self.finished_at:
            return "finished"
        if self.started_at:
            return "started"
        return "invited"


class Attempt(models.Model):
    """One run of the adaptive diagnostic. `state` is the engine's Session.to_dict();
    `position` counts answers, so a replayed or double-submitted answer is recognised."""

    participation = models.OneToOneField(
        Participation, on_delete=models.CASCADE, related_name="attempt"
    )
    seed = models.PositiveBigIntegerField()
    state = models.JSONField(default=dict)
    current_item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "passage"
        verbose_name_plural = "passages"

    def __str__(self):
        return f"Passage de {self.participation}"


class Response(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    position = models.PositiveSmallIntegerField()
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="responses")
    answer = models.JSONField(
        null=True, blank=True, help_text="Clés choisies ; vide : « je ne sais pas »."
    )
    correct = models.BooleanField(null=True)
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "réponse"
        verbose_name_plural = "réponses"
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="response_unique_position"
            ),
            models.UniqueConstraint(fields=["attempt", "item"], name="response_unique_item"),
        ]

    def __str__(self):
        return f"{self.attempt} #{self.position}"


# --- Pix Orga imports (pix_import.py) ---------------------------------------------------


class PixCampaignKind(models.TextChoices):
    ASSESSMENT = "assessment", "Campagne d'évaluation"
    PROFILES_COLLECTION = "profiles", "Collecte de profils"


PIX_CAMPAIGN_URL = "https://app.pix.fr/campagnes/{code}"


@audited()
class PixCampaign(TargetPopulation):
    """A campaign HR runs on Pix Orga: registered in Tremplin with its population (to
    follow who started and shared, per unit, and remind the others), or created by the
    first import of its export."""

    code = models.CharField(
        "code de la campagne",
        max_length=30,
        unique=True,
        help_text="Le code que Pix Orga donne à la campagne, par exemple ABCDEF123.",
    )
    name = models.CharField("nom", max_length=200, blank=True)
    kind = models.CharField("type", max_length=12, choices=PixCampaignKind.choices)
    target_profile = models.CharField("profil cible ou parcours", max_length=200, blank=True)
    external_id_label = models.CharField(
        "libellé de l'identifiant externe", max_length=100, blank=True
    )
    closes_on = models.DateField("date limite pour les agents", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    last_import_at = models.DateTimeField("dernier import", null=True, blank=True)

    class Meta:
        verbose_name = "campagne Pix"
        verbose_name_plural = "campagnes Pix"
        ordering = ["-created_at", "code"]

    def __str__(self):
        return f"{self.code} {self.name}".strip()

    @property
    def link(self) -> str:
        """Where an agent starts the campaign (Pix asks for the code otherwise)."""
        return PIX_CAMPAIGN_URL.format(code=self.code)


class PixParticipationQuerySet(models.QuerySet):
    def shared(self):
        return self.filter(shared=True)

    def to_review(self):
        return self.filter(agent__isnull=True, dismissed=False)


class PixParticipation(models.Model):
    """One line of a Pix Orga export, as it was read. `person_key` and `occurrence`
    identify the line again in a later export of the same campaign (Pix gives no row id):
    the same person's second sending is occurrence 2. Written in bulk by the import,
    which audits it with record_many."""

    campaign = models.ForeignKey(
        PixCampaign, on_delete=models.CASCADE, related_name="participations"
    )
    agent = models.ForeignKey(
        "organisation.Agent",
        verbose_name="agent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pix_participations",
    )
    person_key = models.CharField(max_length=250)
    occurrence = models.PositiveSmallIntegerField(default=1)
    last_name = models.CharField("nom dans le fichier", max_length=150)
    first_name = models.CharField("prénom dans le fichier", max_length=150)
    external_id = models.CharField("identifiant externe", max_length=200, blank=True)
    started_on = models.DateField("commencé le", null=True, blank=True)
    shared = models.BooleanField("résultats partagés", default=False)
    shared_on = models.DateField("partagé le", null=True, blank=True)
    values = models.JSONField("résultats bruts", default=dict, blank=True)
    line = models.PositiveIntegerField("ligne du fichier")
    dismissed = models.BooleanField(
        "écartée",
        default=False,
        help_text="Personne qui n'est pas un agent de la collectivité (stagiaire, test…).",
    )
    imported_at = models.DateTimeField("importée le", auto_now=True)

    objects = PixParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = "participation Pix"
        verbose_name_plural = "participations Pix"
        ordering = ["campaign", "line"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person_key", "occurrence"], name="pix_participation_unique"
            )
        ]

    def __str__(self):
        return f"{self.last_name.upper()} {self.first_name} — Pix {self.campaign.code}"


@audited()
class PixMatch(models.Model):
    """HR's answer to "who is this Pix participant?", remembered for the next imports:
    for one campaign, or for all of them when `campaign` is empty. `key` is
    "id:<external id>" or "nom:<last name>|<first name>", normalised."""

    campaign = models.ForeignKey(
        PixCampaign,
        verbose_name="campagne Pix",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="matches",
    )
    key = models.CharField("participant", max_length=250)
    agent = models.ForeignKey(
        "organisation.Agent", verbose_name="agent", on_delete=models.CASCADE, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décidé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("décidé le", auto_now_add=True)

    class Meta:
        verbose_name = "rapprochement Pix"
        verbose_name_plural = "rapprochements Pix"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "key"],
                condition=Q(campaign__isnull=False),
                name="pix_match_unique_in_campaign",
            ),
            models.UniqueConstraint(
                fields=["key"], condition=Q(campaign__isnull=True), name="pix_match_unique_global"
            ),
        ]

    def __str__(self):
        return f"{self.key} → {self.agent}"


class PixReminder(models.Model):
    """A reminder Tremplin sent (email) or printed (letter) to an agent of a Pix campaign's
    population who had not started it. Written in bulk, audited with record_many."""

    campaign = models.ForeignKey(PixCampaign, on_delete=models.CASCADE, related_name="reminders")
    agent = models.ForeignKey(
        "organisation.Agent",
        verbose_name="agent",
        on_delete=models.CASCADE,
        related_name="pix_reminders",
    )
    channel = models.CharField("moyen", max_length=10, choices=InviteChannel.choices)
    sent_at = models.DateTimeField("relancé le")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="relancé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    emailed = models.BooleanField("courriel parti", default=False)

    class Meta:
        verbose_name = "relance Pix"
        verbose_name_plural = "relances Pix"
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["campaign", "agent"])]

    def __str__(self):
        return f"{self.campaign.code} → {self.agent} ({self.sent_at:%d/%m/%Y})"
