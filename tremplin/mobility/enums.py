from django.db import models


class PositionStatus(models.TextChoices):
    OPEN = "open", "Ouvert"
    UPCOMING = "upcoming", "À venir"
    FILLED = "filled", "Pourvu"
    CLOSED = "closed", "Fermé"


# Positions agents may still be matched with.
ACTIVE_STATUSES = (PositionStatus.OPEN, PositionStatus.UPCOMING)


class FileStatus(models.TextChoices):
    OPEN = "open", "En cours"
    CLOSED = "closed", "Clos"
