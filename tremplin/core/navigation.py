"""The main menu: one entry per page, shown to the roles allowed to open it.

Later apps add their entries here, next to the predicate that guards the page.
"""

from django.urls import reverse

from tremplin.accounts import perms

MENU = [
    ("Accueil", "core:home", lambda u: True),
    ("Organisation", "organisation:tree", perms.can_view_org_tree),
    ("Agents", "organisation:agent_list", perms.can_list_agents),
    ("Identités numériques", "organisation:identities", perms.can_view_identity_coverage),
    ("Compétences", "competences:map", perms.can_view_competence_map),
    ("Diagnostic", "diagnostic:campaign_list", perms.can_follow_diagnostic_campaigns),
    ("Pix", "diagnostic:pix_list", perms.can_follow_diagnostic_campaigns),
    ("Formation", "training:home", perms.can_open_training),
    ("Mon parcours", "training:my_pathway", lambda u: bool(u.agent_id)),
    ("Mes séances", "planning:my_sessions", lambda u: bool(u.agent_id)),
    ("Accompagnements", "coaching:list", perms.can_log_coaching),
    ("Matériel", "equipment:home", perms.can_open_equipment),
    ("Mobilité", "mobility:home", perms.can_open_mobility),
    ("Pilotage", "steering:dashboard", perms.can_view_steering),
    ("Imports", "organisation:import_agents", perms.can_import_agents),
    ("Kiosque", "accounts:kiosk_open", perms.can_open_kiosk),
    ("Journal d'audit", "core:audit", perms.can_view_audit),
]


def menu_for(request):
    user = request.user
    if not user.is_authenticated or request.session.get("kiosk_until"):
        return []
    items = []
    for label, url_name, allowed in MENU:
        if allowed(user):
            url = reverse(url_name)
            current = request.path == url or (url != "/" and request.path.startswith(url))
            items.append({"label": label, "url": url, "current": current})
    return items
