from django.db import models


class Role(models.TextChoices):
    AGENT = "agent", "Agent"
    MANAGER = "manager", "Encadrant"
    ADVISOR = "advisor", "Conseiller numérique"
    HR = "hr", "Service formation (RH)"
    MOBILITY = "mobility", "Mobilité (RH)"
    DIRECTION = "direction", "Direction"
    ADMIN = "admin", "Administrateur"


# Roles whose assignment is limited to an employer and/or an org-unit subtree.
SCOPED_ROLES = {Role.MANAGER, Role.HR, Role.DIRECTION, Role.MOBILITY}
