from django.db import models


class UnitKind(models.TextChoices):
    DIRECTION = "direction", "Direction"
    SERVICE = "service", "Service"
    TEAM = "team", "Équipe"
    OTHER = "other", "Autre"


class SiteKind(models.TextChoices):
    OFFICE = "office", "Bureaux"
    CARE_HOME = "care_home", "EHPAD / résidence"
    DEPOT = "depot", "Centre technique / dépôt"
    SCHOOL = "school", "École"
    CANTEEN = "canteen", "Restauration"
    SPORTS = "sports", "Équipement sportif"
    CULTURE = "culture", "Équipement culturel"
    GREEN_SPACE = "green_space", "Espaces verts"
    OTHER = "other", "Autre"


class WorkKind(models.TextChoices):
    FIELD = "field", "Terrain"
    OFFICE = "office", "Bureau"


class Category(models.TextChoices):
    A = "A", "Catégorie A"
    B = "B", "Catégorie B"
    C = "C", "Catégorie C"


class Gender(models.TextChoices):
    """As the SIRH records it, for the Rapport social unique; blank when not provided."""

    FEMALE = "F", "Femme"
    MALE = "M", "Homme"
    OTHER = "X", "Autre ou non précisé"


class EmploymentStatus(models.TextChoices):
    TITULAIRE = "titulaire", "Titulaire"
    STAGIAIRE = "stagiaire", "Stagiaire"
    CONTRACTUEL = "contractuel", "Contractuel"
    APPRENTI = "apprenti", "Apprenti"
    EMPLOI_AIDE = "emploi_aide", "Contrat aidé"


class WorkPattern(models.TextChoices):
    OFFICE_HOURS = "office_hours", "Horaires de bureau"
    MORNING = "morning", "Équipe du matin"
    AFTERNOON = "afternoon", "Équipe d'après-midi"
    NIGHT = "night", "Équipe de nuit"
    ROTATING = "rotating", "Horaires alternés"


class ContactChannel(models.TextChoices):
    EMAIL = "email", "Courriel"
    SMS = "sms", "SMS"
    PAPER = "paper", "Courrier remis par l'encadrant"


class IdentityStatus(models.TextChoices):
    NONE = "none", "Aucune"
    REQUESTED = "requested", "Demandée"
    ACTIVE = "active", "Active"
    DISABLED = "disabled", "Désactivée"


WEEKDAYS = [
    (1, "lundi"),
    (2, "mardi"),
    (3, "mercredi"),
    (4, "jeudi"),
    (5, "vendredi"),
    (6, "samedi"),
    (7, "dimanche"),
]
