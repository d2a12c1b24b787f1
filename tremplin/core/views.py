from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from tremplin.accounts import perms
from tremplin.accounts.enums import Role

from . import audit
from .enums import AuditAction
from .models import AuditEntry, BackgroundJob
from .tabular import csv_response


@login_required
def home(request):
    from tremplin.organisation.home import home_cards

    user = request.user
    if request.session.get("kiosk_until") or user.role_set == {Role.AGENT}:
        return render(request, "core/home_agent.html", {"agent": user.agent})
    roles = [Role(r).label for r in sorted(user.role_set)] or ["aucun rôle"]
    return render(request, "core/home.html", {"cards": home_cards(user), "roles": roles})


def privacy(request):
    return render(request, "core/privacy.html")


AUDIT_COLUMNS = [
    "Date",
    "Auteur",
    "Action",
    "Type d'objet",
    "Identifiant",
    "Résumé",
    "Avant / après",
]


@login_required
def audit_list(request):
    if not perms.can_view_audit(request.user):
        raise PermissionDenied
    entries = AuditEntry.objects.all()
    action = request.GET.get("action", "")
    target_type = request.GET.get("type", "").strip()
    if action:
        entries = entries.filter(action=action)
    if target_type:
        entries = entries.filter(target_type=target_type)
    if request.GET.get("format") == "csv":
        audit.record(
            AuditAction.EXPORT, target_type="core.auditentry", summary="export du journal d'audit"
        )
        rows = (
            [
                e.at.isoformat(timespec="seconds"),
                e.actor_label,
                e.get_action_display(),
                e.target_type,
                e.target_id,
                e.summary,
                e.changes,
            ]
            for e in entries.iterator(chunk_size=2000)
        )
        return csv_response("journal-audit.csv", AUDIT_COLUMNS, rows)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    types = (
        AuditEntry.objects.order_by("target_type").values_list("target_type", flat=True).distinct()
    )
    return render(
        request,
        "core/audit_list.html",
        {
            "page": page,
            "actions": AuditAction.choices,
            "types": [t for t in types if t],
            "action": action,
            "target_type": target_type,
            "crumbs": [("Journal d'audit", None)],
        },
    )


@require_GET
@login_required
def job_status(request, pk):
    """Progress of a background job, polled by htmx until it is finished."""
    job = get_object_or_404(BackgroundJob, pk=pk)
    if job.created_by_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied
    return render(request, "core/_job_status.html", {"job": job})
