from django.db import models


class EvidenceSource(models.TextChoices):
    """Where an observation of an agent's level comes from. The default reliability of
    each source (its standard deviation, in levels) lives in merge.DEFAULT_SD."""

    DIAGNOSTIC = "diagnostic", "Diagnostic Tremplin"
    PIX = "pix", "Pix (import)"
    ADVISOR = "advisor", "Observation d'un conseiller"
    TRAINING = "training", "Formation suivie"
    SELF = "self", "Auto-déclaration"


class LevelBand(models.TextChoices):
    """The four CRCN bands, two levels each."""

    NOVICE = "novice", "Novice"
    INDEPENDENT = "independent", "Indépendant"
    ADVANCED = "advanced", "Avancé"
    EXPERT = "expert", "Expert"


class GapStatus(models.TextChoices):
    MET = "met", "Niveau atteint"
    GAP = "gap", "Écart"
    UNMEASURED = "unmeasured", "Non mesuré"
    NOT_REQUIRED = "not_required", "Non demandé"


class GapListShow(models.TextChoices):
    """Which agents the gap list shows."""

    GAP = "gap", "Agents sous le niveau demandé"
    UNMEASURED = "unmeasured", "Agents non mesurés"
    BOTH = "both", "Les deux"
