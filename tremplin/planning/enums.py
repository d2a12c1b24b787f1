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


class CoachingPlace(models.TextChoices):
    SITE = "site", "Sur un site de la collectivité"
    REMOTE = "remote", "À distance (téléphone, visio)"
    OTHER = "other", "Ailleurs"


class Autonomy(models.TextChoices):
    """Where the agent stands at the end of the coaching."""

    ACCOMPANIED = "accompanied", "Accompagné : a besoin d'aide pour le faire"
    PARTLY = "partly", "En partie autonome"
    AUTONOMOUS = "autonomous", "Autonome"


class CoachingFollowUp(models.TextChoices):
    NONE = "none", "Rien à prévoir"
    APPOINTMENT = "appointment", "Nouveau rendez-vous"
    MODULE = "module", "Inscription à une formation du catalogue"
    REFERRAL = "referral", "Orientation vers un autre service"


# Durations offered on the coaching form, in minutes ("other" lets the advisor type one).
COACHING_DURATIONS = (15, 30, 45, 60, 90, 120)
