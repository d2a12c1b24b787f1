from django.db import models


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "Prévue"
    CONFIRMED = "confirmed", "Confirmée"
    HELD = "held", "Faite"
    CANCELLED = "cancelled", "Annulée"


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", "En attente de l'accord de l'encadrant"
    REGISTERED = "registered", "Inscrit"
    WAITING = "waiting", "Sur liste d'attente"
    CANCELLED = "cancelled", "Désinscrit"


# A registration in one of these holds a seat of the session.
SEAT_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.REGISTERED)
ACTIVE_STATUSES = (*SEAT_STATUSES, RegistrationStatus.WAITING)


class Attendance(models.TextChoices):
    PRESENT = "present", "Présent"
    ABSENT = "absent", "Absent"
    EXCUSED = "excused", "Excusé"
