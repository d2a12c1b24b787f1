from django.db import models


class DeviceKind(models.TextChoices):
    SMARTPHONE = "smartphone", "Smartphone"
    TABLET = "tablet", "Tablette"
    LAPTOP = "laptop", "Ordinateur portable"
    KIOSK_TABLET = "kiosk_tablet", "Tablette partagée (kiosque)"


class DeviceState(models.TextChoices):
    IN_STOCK = "in_stock", "En stock"
    ALLOCATED = "allocated", "Attribué à un agent"
    SHARED = "shared", "Partagé sur un site"
    IN_REPAIR = "in_repair", "En réparation"
    RECONDITIONED = "reconditioned", "Reconditionné, prêt à resservir"
    RETIRED = "retired", "Réformé"


# A device in one of these states can be handed over.
AVAILABLE_STATES = (DeviceState.IN_STOCK, DeviceState.RECONDITIONED)


class Condition(models.TextChoices):
    NEW = "new", "Neuf"
    GOOD = "good", "Bon état"
    WORN = "worn", "Usé"
    DAMAGED = "damaged", "Abîmé"


class NeedReason(models.TextChoices):
    NO_DEVICE = "no_device", "Agent de terrain sans appareil"
    PATHWAY = "pathway", "Étape de parcours qui demande un appareil"
    ADVISOR = "advisor", "Demande d'un conseiller numérique"


class NeedStatus(models.TextChoices):
    WAITING = "waiting", "En attente"
    SERVED = "served", "Équipé"
    CANCELLED = "cancelled", "Annulé"


class NeedPriority(models.IntegerChoices):
    HIGH = 1, "Haute (agent éloigné du numérique)"
    MEDIUM = 2, "Moyenne (agent de terrain)"
    NORMAL = 3, "Normale"


class RepairOutcome(models.TextChoices):
    REPAIRED = "repaired", "Réparé"
    RECONDITIONED = "reconditioned", "Reconditionné"
    BEYOND_REPAIR = "beyond_repair", "Irréparable : appareil réformé"
