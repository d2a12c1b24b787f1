from django.db import models


class ModuleFormat(models.TextChoices):
    GROUP = "group", "Séance en groupe"
    COACHING = "coaching", "Accompagnement individuel"
    ELEARNING = "elearning", "Formation en ligne"
    WORKSHOP = "workshop", "Atelier"


class TrainerKind(models.TextChoices):
    ADVISOR = "advisor", "Conseiller numérique"
    FRESQUE = "fresque", "Animateur Fresque du Climat"
    EXTERNAL = "external", "Organisme extérieur (CNFPT…)"


class Audience(models.TextChoices):
    ALL = "all", "Tous les agents"
    FIELD = "field", "Agents de terrain"
    OFFICE = "office", "Agents de bureau"


class PlaceNeed(models.TextChoices):
    COMPUTERS = "computers", "Salle avec ordinateurs"
    TABLETS = "tablets", "Tablettes seulement"
    ANY = "any", "N'importe quelle salle"


class StepStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposée"
    VALIDATED = "validated", "Validée"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Faite"
    CANCELLED = "cancelled", "Annulée"


# A step in one of these is "open": a new diagnostic may still reshape it, but a
# validated or started step is never removed silently (only marked for HR to decide).
OPEN_STEP_STATUSES = (StepStatus.PROPOSED, StepStatus.VALIDATED, StepStatus.IN_PROGRESS)


class StepOrigin(models.TextChoices):
    GAP = "gap", "Écart avec le métier"
    TARGET = "target", "Écart avec le métier visé"
    GOAL = "goal", "Objectif de la collectivité"
    TEMPLATE = "template", "Parcours type"
    PREREQUISITE = "prerequisite", "Prérequis"
    MANUAL = "manual", "Ajout manuel"


class DoneReason(models.TextChoices):
    ATTENDANCE = "attendance", "Présence à la formation"
    EVIDENCE = "evidence", "Niveau atteint (observation)"
    MANUAL = "manual", "Noté par le service formation"


class GoalPopulation(models.TextChoices):
    ALL = "all", "Tous les agents"
    OFFICE = "office", "Agents de bureau (gros utilisateurs du numérique)"
    FIELD = "field", "Agents de terrain"
    UNIT = "unit", "Une unité (et ses sous-unités)"
    SEGMENT = "segment", "Un groupe d'agents éloignés du numérique"


class SegmentMatch(models.TextChoices):
    ALL = "all", "Toutes les règles cochées"
    ANY = "any", "Au moins une règle cochée"
