"""HR side of the diagnostic: campaigns, invitations and reminders, letters with a QR
code, participation per unit, the list of participants, and the bank's statistics."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tremplin.accounts import perms
from tremplin.accounts.scopes import AGENT_COUNT_ROLES, agent_scope_q
from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.organisation.unit_figures import share_percent

from . import campaigns as logic
from . import stats
from .enums import CampaignStatus, InviteChannel
from .forms import BankFilterForm, CampaignForm, LetterForm, ParticipantFilterForm, UnitForm
from .models import Campaign

CAMPAIGNS_PER_PAGE = 30
PARTICIPANTS_PER_PAGE = 50
LETTERS_PER_PAGE = 100
ITEMS_PER_PAGE = 50
ITEM_SORTS = {
    "code": ("competence__position", "level", "code"),
    "served": ("-served", "code"),
    "success": (F("success").asc(nulls_last=True), "code"),
}


# The agent side's page that opens a diagnostic from a personal code (letter, QR, email).
PERSONAL_LINK_URL = "diagnostic:agent_code"


def _link_builder(request):
    def link_for(code: str) -> str:
        return request.build_absolute_uri(reverse(PERSONAL_LINK_URL, kwargs={"code": code}))

    return link_for


def _crumbs(campaign=None, *tail):
    crumbs = [("Diagnostic", reverse("diagnostic:campaign_list") if campaign or tail else None)]
    if campaign is not None:
        url = reverse("diagnostic:campaign_detail", args=[campaign.pk])
        crumbs.append((campaign.name, url if tail else None))
    crumbs.extend((label, None) for label in tail)
    return crumbs


def plural(n: int, one: str, many: str) -> str:
    """French counts: 0 and 1 take the singular (« 0 courriel envoyé »)."""
    return f"{n} {one if n <= 1 else many}"


# --- Campaigns ----------------------------------------------------------------------------


@login_required
def campaign_list(request):
    user = request.user
    perms.require(perms.can_follow_diagnostic_campaigns(user))
    scope = agent_scope_q(user, AGENT_COUNT_ROLES, prefix="participations__agent__")
    campaigns = Campaign.objects.annotate(
        invited=Count("participations", filter=scope),
        finished=Count(
            "participations", filter=scope & Q(participations__finished_at__isnull=False)
        ),
    ).order_by("-opens_on", "name")
    page = Paginator(campaigns, CAMPAIGNS_PER_PAGE).get_page(request.GET.get("page"))
    for campaign in page:
        campaign.share = share_percent(campaign.finished, campaign.invited)
    return render(
        request,
        "diagnostic/hr_campaign_list.html",
        {
            "page": page,
            "can_manage": perms.can_manage_diagnostic_campaigns(user),
            "can_view_bank": perms.can_view_item_bank_stats(user),
            "crumbs": _crumbs(),
        },
    )


def _m2m_ids(campaign) -> dict[str, list[int]]:
    return {
        "competences": sorted(c.pk for c in campaign.competences.all()),
        "units": sorted(u.pk for u in campaign.units.all()),
        "jobs": sorted(j.pk for j in campaign.jobs.all()),
    }


def _save_campaign(request, form, *, created: bool):
    """Saves the campaign and audits its many-to-many choices too (the save signal only
    sees the plain fields)."""
    campaign = form.instance
    before = {} if created else _m2m_ids(campaign)
    with transaction.atomic():
        if created:
            campaign.created_by = request.user
        campaign = form.save()
        after = _m2m_ids(campaign)
        changes = audit.diff(before, after)
        if changes:
            audit.record(
                AuditAction.UPDATE,
                obj=campaign,
                summary=f"{campaign.name} : compétences et population"[:255],
                changes=changes,
            )
    return campaign


@login_required
def campaign_create(request):
    perms.require(perms.can_manage_diagnostic_campaigns(request.user))
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        campaign = _save_campaign(request, form, created=True)
        messages.success(
            request,
            "Campagne enregistrée. Ouvrez-la, puis invitez les agents quand vous êtes prêt.",
        )
        return redirect("diagnostic:campaign_detail", campaign.pk)
    return render(
        request,
        "diagnostic/hr_campaign_form.html",
        {"form": form, "campaign": None, "crumbs": _crumbs(None, "Nouvelle campagne")},
    )


@login_required
def campaign_edit(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    perms.require(perms.can_edit_campaign(request.user, campaign))
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    if request.method == "POST" and form.is_valid():
        _save_campaign(request, form, created=False)
        messages.success(request, "Campagne modifiée.")
        return redirect("diagnostic:campaign_detail", campaign.pk)
    return render(
        request,
        "diagnostic/hr_campaign_form.html",
        {"form": form, "campaign": campaign, "crumbs": _crumbs(campaign, "Modifier")},
    )


@login_required
def campaign_detail(request, pk):
    """The campaign, what inviting would do now, and participation per unit."""
    user = request.user
    perms.require(perms.can_follow_diagnostic_campaigns(user))
    campaign = get_object_or_404(Campaign.objects.select_related("created_by"), pk=pk)
    can_manage = perms.can_manage_diagnostic_campaigns(user)
    form = UnitForm(request.GET or None, user=user)
    table = logic.participation_by_unit(campaign, user, form.unit)
    return render(
        request,
        "diagnostic/hr_campaign_detail.html",
        {
            "campaign": campaign,
            "competences": campaign.competences.order_by("position", "code"),
            "units": campaign.units.order_by("name"),
            "jobs": campaign.jobs.order_by("title"),
            "can_edit": perms.can_edit_campaign(user, campaign),
            "can_manage": can_manage,
            "can_list": perms.can_list_diagnostic_participants(user),
            "preview": logic.preview(campaign, user) if can_manage else None,
            "form": form,
            "table": table,
            "filtered": form.unit is not None,
            "crumbs": _crumbs(campaign),
        },
    )


STATUS_ACTIONS = {
    # action: (allowed from, new status, message)
    "open": (
        {CampaignStatus.DRAFT, CampaignStatus.CLOSED},
        CampaignStatus.OPEN,
        "Campagne ouverte : vous pouvez inviter les agents.",
    ),
    "close": (
        {CampaignStatus.OPEN},
        CampaignStatus.CLOSED,
        "Campagne terminée : les liens des agents ne servent plus.",
    ),
}


@login_required
@require_POST
def campaign_status(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    perms.require(perms.can_edit_campaign(request.user, campaign))
    action = STATUS_ACTIONS.get(request.POST.get("action", ""))
    if action is None or campaign.status not in action[0]:
        messages.error(
            request, "Cette action n'est pas possible dans l'état actuel de la campagne."
        )
    else:
        campaign.status = action[1]
        campaign.save(update_fields=["status"])
        messages.success(request, action[2])
    return redirect("diagnostic:campaign_detail", campaign.pk)


def _require_open(request, campaign) -> bool:
    if campaign.status != CampaignStatus.OPEN:
        messages.error(request, "Ouvrez d'abord la campagne : les invitations partent ensuite.")
        return False
    if campaign.closes_on < timezone.localdate():
        messages.error(
            request,
            f"La campagne s'est close le {campaign.closes_on:%d/%m/%Y} : repoussez la date de "
            "clôture (Modifier) avant d'inviter ou de relancer.",
        )
        return False
    return True


@login_required
def campaign_invite(request, pk):
    """Confirmation with the figures, then one invitation per agent not yet invited."""
    user = request.user
    perms.require(perms.can_manage_diagnostic_campaigns(user))
    campaign = get_object_or_404(Campaign, pk=pk)
    if not _require_open(request, campaign):
        return redirect("diagnostic:campaign_detail", campaign.pk)
    if request.method == "POST":
        outcome = logic.invite(campaign, by=user, link_for=_link_builder(request))
        if not outcome.created:
            messages.info(request, "Tous les agents de la campagne sont déjà invités.")
        else:
            messages.success(
                request,
                f"{plural(outcome.created, 'agent invité', 'agents invités')} : "
                f"{plural(outcome.emailed, 'courriel envoyé', 'courriels envoyés')}, "
                f"{plural(outcome.letters, 'courrier à imprimer', 'courriers à imprimer')}.",
            )
        if outcome.email_failed:
            messages.error(
                request,
                f"{plural(outcome.email_failed, 'courriel n’a', 'courriels n’ont')} pas pu "
                "partir. Les invitations sont enregistrées : utilisez « Relancer » plus tard.",
            )
        if outcome.letters:
            return redirect(reverse("diagnostic:campaign_letters", args=[campaign.pk]))
        return redirect("diagnostic:campaign_detail", campaign.pk)
    return render(
        request,
        "diagnostic/hr_invite_confirm.html",
        {
            "campaign": campaign,
            "preview": logic.preview(campaign, user),
            "crumbs": _crumbs(campaign, "Inviter"),
        },
    )


@login_required
def campaign_remind(request, pk):
    """Reminds the invited who have not finished: email again, or a letter to reprint."""
    user = request.user
    perms.require(perms.can_manage_diagnostic_campaigns(user))
    campaign = get_object_or_404(Campaign, pk=pk)
    if not _require_open(request, campaign):
        return redirect("diagnostic:campaign_detail", campaign.pk)
    form = UnitForm(request.POST if request.method == "POST" else request.GET, user=user)
    targets = logic.reminder_targets(campaign, user, form.unit)
    if request.method == "POST" and form.is_valid():
        outcome = logic.remind(campaign, by=user, link_for=_link_builder(request), unit=form.unit)
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
            url = reverse("diagnostic:campaign_letters", args=[campaign.pk]) + "?relance=on"
            if form.unit:
                url += f"&unit={form.unit.pk}"
            return redirect(url)
        return redirect("diagnostic:campaign_detail", campaign.pk)
    counts = targets.aggregate(
        total=Count("pk"),
        by_email=Count("pk", filter=Q(channel=InviteChannel.EMAIL)),
        by_letter=Count("pk", filter=Q(channel=InviteChannel.PAPER)),
    )
    return render(
        request,
        "diagnostic/hr_remind_confirm.html",
        {
            "campaign": campaign,
            "form": form,
            "counts": counts,
            "crumbs": _crumbs(campaign, "Relancer"),
        },
    )


@login_required
def campaign_letters(request, pk):
    """Printable letters, one per page, grouped by unit and manager for distribution."""
    user = request.user
    perms.require(perms.can_manage_diagnostic_campaigns(user))
    campaign = get_object_or_404(Campaign, pk=pk)
    form = LetterForm(request.GET or None, user=user)
    reminder = bool(form.is_valid() and form.cleaned_data["relance"])
    letters = logic.letter_participations(campaign, user, unit=form.unit, reminder=reminder)
    page = Paginator(letters, LETTERS_PER_PAGE).get_page(request.GET.get("page"))
    groups = logic.letter_groups(page, _link_builder(request))
    if page.object_list:
        # The letters carry personal codes: printing them is written to the audit log.
        audit.record(
            AuditAction.EXPORT,
            obj=campaign,
            summary=f"impression de {len(page.object_list)} courrier(s) du diagnostic "
            f"« {campaign.name} »"[:255],
        )
    return render(
        request,
        "diagnostic/hr_letters.html",
        {
            "campaign": campaign,
            "form": form,
            "page": page,
            "groups": groups,
            "reminder": reminder,
            "back_url": reverse("diagnostic:campaign_detail", args=[campaign.pk]),
            "campaign_label": campaign.name,
            "crumbs": _crumbs(campaign, "Courriers"),
        },
    )


@login_required
def campaign_participants(request, pk):
    user = request.user
    perms.require(perms.can_list_diagnostic_participants(user))
    campaign = get_object_or_404(Campaign, pk=pk)
    form = ParticipantFilterForm(request.GET or None, user=user)
    participations = form.filter(
        logic.participations_for(campaign, user)
        .select_related("agent__unit")
        .order_by("agent__last_name", "agent__first_name", "pk")
    )
    page = Paginator(participations, PARTICIPANTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "diagnostic/hr_participants.html",
        {
            "campaign": campaign,
            "form": form,
            "page": page,
            "crumbs": _crumbs(campaign, "Participants"),
        },
    )


# --- Bank statistics ------------------------------------------------------------------------


@login_required
def bank_stats(request):
    user = request.user
    perms.require(perms.can_view_item_bank_stats(user))
    grid = stats.bank_grid()
    summary = stats.bank_summary(grid)
    form = BankFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    items = stats.items_with_figures()
    if data.get("competence"):
        items = items.filter(competence=data["competence"])
    if data.get("level"):
        items = items.filter(level=data["level"])
    items = items.order_by(*ITEM_SORTS[data.get("sort") or "code"])
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    for item in page:
        item.exposure = share_percent(item.served, summary.attempts)
        item.success_percent = None if item.success is None else round(100 * item.success)
    return render(
        request,
        "diagnostic/hr_bank_stats.html",
        {
            "grid": grid,
            "levels": list(stats.GRID_LEVELS),
            "summary": summary,
            "min_per_cell": stats.MIN_PER_CELL,
            "page": page,
            "form": form,
            "can_edit_items": user.is_staff,
            "crumbs": [
                ("Diagnostic", reverse("diagnostic:campaign_list")),
                ("Banque de questions", None),
            ],
        },
    )
