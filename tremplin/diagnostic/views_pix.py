"""Pix pages for HR: campaigns followed in Tremplin (population, who started and shared
per unit, reminders and letters), the import of a Pix Orga export (upload → check →
confirm → progress, the file kept between the steps), and the review of the rows no
agent was found for. The rules live in pix_import.py and pix_campaigns.py."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tremplin.accounts import perms
from tremplin.accounts.scopes import AGENT_COUNT_ROLES, agent_scope_q
from tremplin.core import audit, uploads
from tremplin.core.enums import AuditAction
from tremplin.core.models import BackgroundJob
from tremplin.core.qr import qr_svg
from tremplin.organisation.models import Agent

from . import pix_campaigns as logic
from . import pix_import
from .campaigns import LetterGroup
from .forms import PixAgentFilterForm, PixCampaignForm, PixReviewForm, PixUploadForm, UnitForm
from .models import PixCampaign, PixParticipation
from .tasks import PIX_IMPORT_JOB_KIND, run_pix_import
from .views_hr import plural

SESSION_KEY = "pix_import"
CAMPAIGNS_PER_PAGE = 30
AGENTS_PER_PAGE = 50
REVIEW_PER_PAGE = 20
LETTERS_PER_PAGE = 100
PREVIEW_REVIEW_ROWS = 50
MULTIPART_OVERHEAD = 64 * 1024
MATCH_LABELS = {
    "ambiguous": "plusieurs agents ont ce nom",
    "unmatched": "aucun agent trouvé",
    "out_of_scope": "agent hors de votre périmètre",
}


def _crumbs(campaign=None, *tail):
    crumbs = [("Pix", reverse("diagnostic:pix_list") if campaign or tail else None)]
    if campaign is not None:
        url = reverse("diagnostic:pix_detail", args=[campaign.pk])
        crumbs.append((str(campaign), url if tail else None))
    crumbs.extend((label, None) for label in tail)
    return crumbs


# --- Campaigns ----------------------------------------------------------------------------


@login_required
def pix_list(request):
    user = request.user
    perms.require(perms.can_follow_diagnostic_campaigns(user))
    scope = agent_scope_q(user, AGENT_COUNT_ROLES, prefix="participations__agent__")
    campaigns = PixCampaign.objects.annotate(
        participants=Count("participations__agent", filter=scope, distinct=True),
        shared=Count(
            "participations__agent",
            filter=scope & Q(participations__shared=True),
            distinct=True,
        ),
        to_review=Count(
            "participations",
            filter=Q(participations__agent__isnull=True, participations__dismissed=False),
        ),
    ).order_by("-created_at", "code")
    page = Paginator(campaigns, CAMPAIGNS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "diagnostic/pix_list.html",
        {
            "page": page,
            "can_manage": perms.can_manage_diagnostic_campaigns(user),
            "crumbs": _crumbs(),
        },
    )


def _save_population(request, form, *, created: bool):
    """Saves the campaign and audits its population choices (many-to-many)."""
    campaign = form.instance

    def ids(c):
        return {
            "units": sorted(u.pk for u in c.units.all()),
            "jobs": sorted(j.pk for j in c.jobs.all()),
        }

    before = {} if created else ids(campaign)
    with transaction.atomic():
        if created:
            campaign.created_by = request.user
        campaign = form.save()
        changes = audit.diff(before, ids(campaign))
        if changes:
            audit.record(
                AuditAction.UPDATE,
                obj=campaign,
                summary=f"Pix {campaign.code} : population"[:255],
                changes=changes,
            )
    return campaign


@login_required
def pix_create(request):
    user = request.user
    perms.require(perms.can_manage_diagnostic_campaigns(user))
    form = PixCampaignForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        campaign = _save_population(request, form, created=True)
        messages.success(
            request,
            f"Campagne {campaign.code} enregistrée. Importez ses résultats quand ils arrivent.",
        )
        return redirect("diagnostic:pix_detail", campaign.pk)
    return render(
        request,
        "diagnostic/pix_form.html",
        {"form": form, "campaign": None, "crumbs": _crumbs(None, "Nouvelle campagne Pix")},
    )


@login_required
def pix_edit(request, pk):
    user = request.user
    campaign = get_object_or_404(PixCampaign, pk=pk)
    perms.require(perms.can_edit_campaign(user, campaign))
    form = PixCampaignForm(request.POST or None, instance=campaign, user=user)
    if request.method == "POST" and form.is_valid():
        _save_population(request, form, created=False)
        messages.success(request, "Campagne modifiée.")
        return redirect("diagnostic:pix_detail", campaign.pk)
    return render(
        request,
        "diagnostic/pix_form.html",
        {"form": form, "campaign": campaign, "crumbs": _crumbs(campaign, "Modifier")},
    )


@login_required
def pix_detail(request, pk):
    """The campaign, its figures per unit after the last import, and what to do next."""
    user = request.user
    perms.require(perms.can_follow_diagnostic_campaigns(user))
    campaign = get_object_or_404(PixCampaign.objects.select_related("created_by"), pk=pk)
    form = UnitForm(request.GET or None, user=user)
    can_manage = perms.can_manage_diagnostic_campaigns(user)
    return render(
        request,
        "diagnostic/pix_detail.html",
        {
            "campaign": campaign,
            "units": campaign.units.order_by("name"),
            "jobs": campaign.jobs.order_by("title"),
            "totals": logic.totals(campaign, user),
            "table": logic.figures_by_unit(campaign, user, form.unit),
            "form": form,
            "filtered": form.unit is not None,
            "can_edit": perms.can_edit_campaign(user, campaign),
            "can_manage": can_manage,
            "can_list": perms.can_list_diagnostic_participants(user),
            "to_remind": logic.reminder_targets(campaign, user).count() if can_manage else 0,
            "crumbs": _crumbs(campaign),
        },
    )


@login_required
def pix_agents(request, pk):
    """The population agent by agent: not started, started, shared; last reminder."""
    user = request.user
    perms.require(perms.can_list_diagnostic_participants(user))
    campaign = get_object_or_404(PixCampaign, pk=pk)
    form = PixAgentFilterForm(request.GET or None, user=user)
    agents = logic.agents_with_status(campaign, user).select_related("unit")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            agents = agents.filter(
                Q(matricule=q) | Q(last_name__icontains=q) | Q(first_name__icontains=q)
            )
        if data["unit"]:
            agents = agents.filter(unit__path__startswith=data["unit"].path)
        agents = logic.filter_status(agents, data["status"])
    agents = agents.order_by("last_name", "first_name", "pk")
    page = Paginator(agents, AGENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "diagnostic/pix_agents.html",
        {
            "campaign": campaign,
            "form": form,
            "page": page,
            "crumbs": _crumbs(campaign, "Agents"),
        },
    )


# --- Reminders and letters ----------------------------------------------------------------


@login_required
def pix_remind(request, pk):
    """Reminds the agents of the population the exports have not found yet."""
    user = request.user
    perms.require(perms.can_manage_diagnostic_campaigns(user))
    campaign = get_object_or_404(PixCampaign, pk=pk)
    form = UnitForm(request.POST if request.method == "POST" else request.GET, user=user)
    targets = logic.reminder_targets(campaign, user, form.unit)
    if request.method == "POST" and form.is_valid():
        outcome = logic.remind(campaign, by=user, unit=form.unit)
        if not outcome.reminded:
            messages.info(request, "Personne à relancer : tous les agents ont commencé.")
            return redirect("diagnostic:pix_detail", campaign.pk)
        messages.success(
            request,
            f"Relance faite : {plural(outcome.emailed, 'courriel envoyé', 'courriels envoyés')}, "
            f"{plural(outcome.letters, 'courrier à imprimer', 'courriers à imprimer')}.",
        )
        if outcome.email_failed:
            messages.error(
                request,
                f"{plural(outcome.email_failed, 'courriel n’a', 'courriels n’ont')} pas pu "
                "partir. Réessayez plus tard.",
            )
        if outcome.letters:
            url = reverse("diagnostic:pix_letters", args=[campaign.pk])
            return redirect(f"{url}?unit={form.unit.pk}" if form.unit else url)
        return redirect("diagnostic:pix_detail", campaign.pk)
    counts = targets.aggregate(
        total=Count("pk"),
        by_email=Count("pk", filter=Q(contact_channel="email") & ~Q(email="")),
    )
    counts["by_letter"] = counts["total"] - counts["by_email"]
    return render(
        request,
        "diagnostic/pix_remind.html",
        {
            "campaign": campaign,
            "form": form,
            "counts": counts,
            "crumbs": _crumbs(campaign, "Relancer"),
        },
    )


@login_required
def pix_letters(request, pk):
    """Reminder letters, one per page, grouped by unit and manager for distribution."""
    user = request.user
    perms.require(perms.can_manage_diagnostic_campaigns(user))
    campaign = get_object_or_404(PixCampaign, pk=pk)
    form = UnitForm(request.GET or None, user=user)
    agents = logic.letter_agents(campaign, user, form.unit)
    page = Paginator(agents, LETTERS_PER_PAGE).get_page(request.GET.get("page"))
    qr = qr_svg(campaign.link)
    groups: list[LetterGroup] = []
    for agent in page:
        if not groups or (groups[-1].unit, groups[-1].manager) != (agent.unit, agent.manager):
            groups.append(LetterGroup(agent.unit, agent.manager))
        groups[-1].letters.append((agent, logic.external_id_hint(campaign, agent), qr))
    if page.object_list:
        audit.record(
            AuditAction.EXPORT,
            obj=campaign,
            summary=f"impression de {len(page.object_list)} courrier(s) de relance Pix "
            f"{campaign.code}"[:255],
        )
    return render(
        request,
        "diagnostic/pix_letters.html",
        {
            "campaign": campaign,
            "form": form,
            "page": page,
            "groups": groups,
            "back_url": reverse("diagnostic:pix_detail", args=[campaign.pk]),
            "campaign_label": f"Pix {campaign}",
            "crumbs": _crumbs(campaign, "Courriers"),
        },
    )


# --- Import -------------------------------------------------------------------------------


def _import_crumbs(*steps):
    return [
        ("Pix", reverse("diagnostic:pix_list")),
        ("Importer un export", reverse("diagnostic:pix_import") if steps else None),
        *steps,
    ]


def _review_sample(plan) -> list[dict]:
    return [
        {
            "line": r.line,
            "name": f"{r.last_name.upper()} {r.first_name}",
            "external_id": r.external_id,
            "why": MATCH_LABELS.get(r.match, ""),
            "shared": r.shared,
        }
        for r in plan.rows
        if r.match in MATCH_LABELS
    ][:PREVIEW_REVIEW_ROWS]


def _upload_page(request, form, *, errors=None, error_total=0, status=200):
    return render(
        request,
        "diagnostic/pix_import.html",
        {
            "form": form,
            "errors": errors or [],
            "error_total": error_total,
            "more_errors": error_total - len(errors or []),
            "crumbs": _import_crumbs(),
        },
        status=status,
    )


@login_required
def pix_import_upload(request):
    user = request.user
    perms.require(perms.can_manage_diagnostic_campaigns(user))
    uploads.purge_stale_uploads()
    if request.method != "POST":
        initial = {}
        if campaign_id := request.GET.get("campagne"):
            initial["campaign"] = PixCampaign.objects.filter(pk=campaign_id).first()
        return _upload_page(request, PixUploadForm(initial=initial))
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > settings.TREMPLIN_IMPORT_MAX_BYTES + MULTIPART_OVERHEAD:
        form = PixUploadForm({}, oversize=length)
        form.is_valid()
        return _upload_page(request, form, status=413)
    form = PixUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form)
    upload = form.cleaned_data["file"]
    campaign = form.cleaned_data["campaign"]
    data = b"".join(upload.chunks())
    filename = upload.name[:200]
    code = campaign.code if campaign else ""
    try:
        plan = pix_import.preview(
            pix_import.parse(data, filename, code), logic.allowed_agents(user)
        )
    except pix_import.PixImportError as exc:
        form.add_error("file", str(exc))
        return _upload_page(request, form)
    if not plan.ok:
        form.add_error(
            "file",
            f"Le fichier contient {plan.error_total} erreur{'s' if plan.error_total > 1 else ''}"
            " : rien n'a été enregistré. Téléchargez-le de nouveau depuis Pix Orga.",
        )
        errors = [{"line": e.line, "column": e.column, "message": e.message} for e in plan.errors]
        return _upload_page(request, form, errors=errors, error_total=plan.error_total)
    previous = request.session.get(SESSION_KEY)
    if previous:
        uploads.delete_upload(previous.get("token", ""))
    known = PixCampaign.objects.filter(code=plan.code).first()
    request.session[SESSION_KEY] = {
        "token": uploads.store_upload([data]),
        "filename": filename,
        "campaign_code": code,
        "preview": {
            "code": plan.code,
            "name": plan.name or (known.name if known else ""),
            "kind": plan.kind,
            "kind_label": pix_import.PixCampaignKind(plan.kind).label,
            "known_id": known.pk if known else None,
            "target_profile": plan.target_profile,
            "external_id_label": plan.external_id_label,
            "encoding": plan.encoding,
            "counts": plan.counts,
            "warnings": plan.warnings,
            "review": _review_sample(plan),
        },
    }
    return redirect("diagnostic:pix_import_preview")


@login_required
def pix_import_preview(request):
    user = request.user
    perms.require(perms.can_manage_diagnostic_campaigns(user))
    draft = request.session.get(SESSION_KEY)
    if not draft or "preview" not in draft:
        messages.info(request, "Aucun import en cours : envoyez d'abord le fichier.")
        return redirect("diagnostic:pix_import")
    if not uploads.upload_exists(draft["token"]):
        request.session.pop(SESSION_KEY, None)
        messages.error(
            request, "Le fichier n'est plus disponible (plus de 24 h). Envoyez-le à nouveau."
        )
        return redirect("diagnostic:pix_import")
    if request.method == "POST":
        job = BackgroundJob.objects.create(
            kind=PIX_IMPORT_JOB_KIND, created_by=user, total=100, message="En attente…"
        )
        request.session.pop(SESSION_KEY, None)
        run_pix_import.enqueue(
            job_id=job.pk,
            token=draft["token"],
            filename=draft["filename"],
            campaign_code=draft["campaign_code"],
        )
        return redirect("diagnostic:pix_import_job", pk=job.pk)
    preview = draft["preview"]
    counts = preview["counts"]
    return render(
        request,
        "diagnostic/pix_import_preview.html",
        {
            "draft": draft,
            "preview": preview,
            "counts": counts,
            "changes": counts["new_participations"] or counts["changed_participations"],
            "to_review": counts["ambiguous"] + counts["unmatched"] + counts["out_of_scope"],
            "crumbs": _import_crumbs(("Vérification", None)),
        },
    )


@require_POST
@login_required
def pix_import_cancel(request):
    perms.require(perms.can_manage_diagnostic_campaigns(request.user))
    draft = request.session.pop(SESSION_KEY, None)
    if draft:
        uploads.delete_upload(draft.get("token", ""))
    messages.info(request, "Import annulé. Le fichier envoyé a été effacé.")
    return redirect("diagnostic:pix_import")


@login_required
def pix_import_job(request, pk):
    perms.require(perms.can_manage_diagnostic_campaigns(request.user))
    job = get_object_or_404(BackgroundJob, pk=pk, kind=PIX_IMPORT_JOB_KIND)
    if job.created_by_id != request.user.pk:
        raise Http404
    result = job.result or {}
    errors = result.get("errors") or []
    campaign = None
    if result.get("campaign_id"):
        campaign = PixCampaign.objects.filter(pk=result["campaign_id"]).first()
    return render(
        request,
        "diagnostic/pix_import_job.html",
        {
            "job": job,
            "campaign": campaign,
            "counts": result.get("counts"),
            "to_review": result.get("to_review") or 0,
            "errors": errors,
            "error_total": result.get("error_total") or 0,
            "more_errors": (result.get("error_total") or 0) - len(errors),
            "crumbs": _import_crumbs(("Avancement", None)),
        },
    )


# --- Review -------------------------------------------------------------------------------


def _row_summary(participation: PixParticipation) -> str:
    values = participation.values or {}
    if not participation.shared:
        return "résultats non envoyés"
    if "total_pix" in values:
        return f"{values['total_pix']:g} pix"
    if "mastery" in values:
        mastery = values["mastery"]
        return f"{round(100 * mastery if mastery <= 1 else mastery)} % de maîtrise"
    return "résultats envoyés"


@login_required
def pix_review(request, pk):
    """Rows of the exports without an agent: HR picks the agent (remembered for the next
    imports, the row's evidence follows) or sets the row aside."""
    user = request.user
    perms.require(perms.can_manage_diagnostic_campaigns(user))
    campaign = get_object_or_404(PixCampaign, pk=pk)
    rows = campaign.participations.to_review().order_by("last_name", "first_name", "line")
    page = Paginator(rows, REVIEW_PER_PAGE).get_page(request.GET.get("page"))
    candidates = logic.Candidates(user)
    posted = None
    if request.method == "POST":
        participation = get_object_or_404(
            campaign.participations.to_review(), pk=request.POST.get("row")
        )
        if request.POST.get("action") == "dismiss":
            logic.dismiss(participation, by=user)
            messages.success(request, f"Ligne {participation.line} écartée.")
            return redirect(request.get_full_path())
        found = candidates.for_rows([participation])[participation.pk]
        form = PixReviewForm(
            request.POST, prefix=f"r{participation.pk}", candidates=found, user=user
        )
        if form.is_valid():
            agent = Agent.objects.get(pk=form.cleaned_data["agent_id"])
            evidence = pix_import.resolve(
                participation,
                agent,
                remember_globally=form.cleaned_data["everywhere"],
                user=user,
            )
            messages.success(
                request,
                f"Ligne {participation.line} reliée à {agent.full_name} : "
                f"{plural(evidence, 'observation ajoutée', 'observations ajoutées')} au profil.",
            )
            return redirect(request.get_full_path())
        posted = (participation.pk, form)
    found = candidates.for_rows(page.object_list)
    items = []
    for participation in page:
        if posted and posted[0] == participation.pk:
            form = posted[1]
        else:
            form = PixReviewForm(
                prefix=f"r{participation.pk}", candidates=found[participation.pk], user=user
            )
        items.append((participation, _row_summary(participation), form))
    return render(
        request,
        "diagnostic/pix_review.html",
        {
            "campaign": campaign,
            "page": page,
            "items": items,
            "crumbs": _crumbs(campaign, "Lignes à vérifier"),
        },
    )
