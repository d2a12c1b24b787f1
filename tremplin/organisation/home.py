"""Cards on the home page, per role: each one answers "what do I have to do here?"."""

from django.db.models import Count, Q
from django.urls import reverse

from tremplin.accounts import perms
from tremplin.accounts.scopes import AGENT_COUNT_ROLES, agent_scope_q

from .enums import IdentityStatus
from .models import Agent


def home_cards(user) -> list[dict]:
    cards = []
    if perms.can_view_steering(user):
        cards.append(
            {
                "title": "Où en est le plan ?",
                "figure": None,
                "text": "Le tableau de bord : identités, diagnostics, parcours, formations, "
                "Fresque du Climat, par direction et mois par mois.",
                "url": reverse("steering:dashboard"),
                "link": "Voir le tableau de bord",
            }
        )
    if perms.can_view_org_tree(user):
        counts = (
            Agent.objects.present()
            .filter(agent_scope_q(user, AGENT_COUNT_ROLES))
            .aggregate(
                total=Count("pk"),
                active=Count("pk", filter=Q(identity__status=IdentityStatus.ACTIVE)),
            )
        )
        cards.append(
            {
                "title": "Agents de mon périmètre",
                "figure": counts["total"],
                "text": "Agents présents dans les unités que vous suivez.",
                "url": reverse("organisation:tree"),
                "link": "Voir l'organisation",
            }
        )
        if perms.can_view_identity_coverage(user):
            missing = counts["total"] - counts["active"]
            cards.append(
                {
                    "title": "Sans identité numérique active",
                    "figure": missing,
                    "text": "Agents qui n'ont pas encore de compte et de messagerie actifs.",
                    "url": reverse("organisation:identities"),
                    "link": "Voir les identités numériques",
                }
            )
    if perms.can_list_agents(user):
        cards.append(
            {
                "title": "Rechercher un agent",
                "figure": None,
                "text": "Par nom, matricule, unité, métier, site ou catégorie.",
                "url": reverse("organisation:agent_list"),
                "link": "Liste des agents",
            }
        )
    if perms.can_import_agents(user):
        cards.append(
            {
                "title": "Importer depuis le SIRH",
                "figure": None,
                "text": "Mettre à jour les agents à partir d'un export CSV ou XLSX.",
                "url": reverse("organisation:import_agents"),
                "link": "Importer",
            }
        )
    if perms.can_open_kiosk(user):
        cards.append(
            {
                "title": "Tablette partagée",
                "figure": None,
                "text": "Ouvrir une session pour un agent sur une tablette, avec un code.",
                "url": reverse("accounts:kiosk_open"),
                "link": "Ouvrir une session",
            }
        )
    if perms.can_view_audit(user):
        cards.append(
            {
                "title": "Journal d'audit",
                "figure": None,
                "text": "Qui a modifié ou consulté quoi, et quand.",
                "url": reverse("core:audit"),
                "link": "Voir le journal",
            }
        )
    return cards
