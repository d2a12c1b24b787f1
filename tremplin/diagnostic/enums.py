from django.db import models


class ItemKind(models.TextChoices):
    SINGLE = "single", "Une seule bonne réponse"
    MULTIPLE = "multiple", "Plusieurs bonnes réponses"
    ORDER = "order", "Remettre dans l'ordre"
    ZONE = "zone", "Toucher la bonne zone"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "En préparation"
    OPEN = "open", "Ouverte"
    CLOSED = "closed", "Terminée"


class InviteChannel(models.TextChoices):
    EMAIL = "email", "Courriel"
    PAPER = "paper", "Courrier avec code"
    KIOSK = "kiosk", "Sur tablette avec un conseiller"
