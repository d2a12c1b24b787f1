"""Pix campaigns followed in Tremplin, HR side: the population a campaign is meant for,
who started and who shared per unit after each import, reminders to those who have not
started (an email with the link, or a letter with a QR code their manager hands over),
and the rows of an import left for HR to link to an agent.

Pix Orga only lists the people who joined a campaign: "started" means an import found
the agent in the export, "shared" that they sent their results. Counting is SQL's job;
sums up the org tree run over units (organisation.unit_figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone

from tremplin.accounts.scopes import AGENT_COUNT_ROLES, agent_scope_q
from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.core.tabular import normalise_header
from tremplin.organisation.models import Agent, OrgUnit
from tremplin.organisation.unit_figures import UnitRow, UnitTable, share_percent, unit_table

from .campaigns import channel_for, deliver, sender_name
from .enums import InviteChannel
from .models import PixCampaign, PixParticipation, PixReminder
from .pix_import import name_key

REMINDER_TYPE = "diagnostic.pixreminder"
PARTICIPATION_TYPE = "diagnostic.pixparticipation"


def allowed_agents(user) -> set[int] | None:
    """The agents an importer may link rows to; None when their scope is everybody."""
    scope = agent_scope_q(user)
    if scope == Q():
        return None
    return set(Agent.objects.filter(scope).values_list("pk", flat=True))


def population_for(campaign: PixCampaign, user, roles=None):
    """The campaign's agents in the user's scope (nominative roles unless `roles`)."""
    if roles is None:
        return campaign.population().filter(agent_scope_q(user))
    return campaign.population().filter(agent_scope_q(user, roles))


def _participated(campaign: PixCampaign, shared: bool = False):
    rows = PixParticipation.objects.filter(campaign=campaign, agent=OuterRef("pk"))
    return Exists(rows.filter(shared=True) if shared else rows)


# --- Follow-up per unit -----------------------------------------------------------------


@dataclass
class UnitPix(UnitRow):
    invited: int = 0  # the campaign's population
    started: int = 0  # found in an export (shared or not)
    shared: int = 0

    FIGURES: ClassVar[tuple[str, ...]] = ("invited", "started", "shared")

    @property
    def not_started(self) -> int:
        return self.invited - self.started

    @property
    def started_only(self) -> int:
        return self.started - self.shared

    @property
    def share(self) -> int | None:
        return share_percent(self.shared, self.invited)


def figures_by_unit(campaign: PixCampaign, user, unit: OrgUnit | None = None) -> UnitTable:
    """Population, started and shared per unit, in the user's counting scope."""
    per_unit = (
        population_for(campaign, user, AGENT_COUNT_ROLES)
        .annotate(did_start=_participated(campaign), did_share=_participated(campaign, True))
        .values("unit_id")
        .annotate(
            invited=Count("pk"),
            started=Count("pk", filter=Q(did_start=True)),
            shared=Count("pk", filter=Q(did_share=True)),
        )
        .order_by()
    )
    return unit_table(
        user, {row["unit_id"]: row for row in per_unit}, UnitPix, unit, hide_empty=True
    )


@dataclass
class Totals:
    invited: int
    started: int
    shared: int
    outside: int  # agents in the export but not in the population
    to_review: int  # rows of the exports not linked to an agent yet

    @property
    def share(self) -> int | None:
        return share_percent(self.shared, self.invited)


def totals(campaign: PixCampaign, user) -> Totals:
    counts = (
        population_for(campaign, user, AGENT_COUNT_ROLES)
        .annotate(did_start=_participated(campaign), did_share=_participated(campaign, True))
        .aggregate(
            invited=Count("pk"),
            started=Count("pk", filter=Q(did_start=True)),
            shared=Count("pk", filter=Q(did_share=True)),
        )
    )
    outside = (
        campaign.participations.filter(agent_scope_q(user, AGENT_COUNT_ROLES, prefix="agent__"))
        .exclude(agent_id__in=campaign.population().values("pk"))
        .exclude(agent__isnull=True)
        .values("agent_id")
        .distinct()
        .count()
    )
    return Totals(
        counts["invited"],
        counts["started"],
        counts["shared"],
        outside,
        campaign.participations.to_review().count(),
    )


# --- The population, agent by agent -----------------------------------------------------

STATUS_NOT_STARTED = "not_started"
STATUS_STARTED = "started"
STATUS_SHARED = "shared"


def agents_with_status(campaign: PixCampaign, user):
    """The population in the user's (nominative) scope, each agent annotated with
    `did_start`, `did_share` and `last_reminded` (their latest reminder's date)."""
    return population_for(campaign, user).annotate(
        did_start=_participated(campaign),
        did_share=_participated(campaign, True),
        last_reminded=Max("pix_reminders__sent_at", filter=Q(pix_reminders__campaign=campaign)),
    )


def filter_status(agents, status: str):
    if status == STATUS_NOT_STARTED:
        return agents.filter(did_start=False)
    if status == STATUS_STARTED:
        return agents.filter(did_start=True, did_share=False)
    if status == STATUS_SHARED:
        return agents.filter(did_share=True)
    return agents


# --- Reminders --------------------------------------------------------------------------


def reminder_targets(campaign: PixCampaign, user, unit: OrgUnit | None = None):
    """Agents of the population in scope the exports have not found yet."""
    agents = population_for(campaign, user).exclude(
        pk__in=campaign.participations.exclude(agent__isnull=True).values("agent_id")
    )
    if unit is not None:
        agents = agents.filter(unit__path__startswith=unit.path)
    return agents


@dataclass
class ReminderOutcome:
    reminded: int = 0
    emailed: int = 0
    letters: int = 0
    email_failed: int = 0


def external_id_hint(campaign: PixCampaign, agent: Agent) -> str:
    """What to type when Pix asks for the campaign's external id, when Tremplin knows it:
    the matricule or the email. Empty otherwise."""
    label = normalise_header(campaign.external_id_label)
    if not label:
        return ""
    if "matricule" in label:
        return agent.matricule
    if "mail" in label:
        return agent.email
    return ""


def reminder_email(campaign: PixCampaign, agent: Agent, sender: str):
    body = render_to_string(
        "diagnostic/pix_reminder_email.txt",
        {
            "agent": agent,
            "campaign": campaign,
            "hint": external_id_hint(campaign, agent),
            "branding_name": sender,
        },
    )
    return mail.EmailMessage(
        "Rappel : votre parcours Pix vous attend", body, settings.DEFAULT_FROM_EMAIL, [agent.email]
    )


def remind(campaign: PixCampaign, *, by, unit: OrgUnit | None = None) -> ReminderOutcome:
    """One reminder per agent who has not started: an email for those who read theirs, a
    letter to print for the others. Each reminder is stored and audited."""
    now = timezone.now()
    agents = list(
        reminder_targets(campaign, by, unit).only(
            "pk", "first_name", "last_name", "email", "contact_channel", "matricule"
        )
    )
    with transaction.atomic():
        reminders = PixReminder.objects.bulk_create(
            [
                PixReminder(
                    campaign=campaign, agent=a, channel=channel_for(a), sent_at=now, sent_by=by
                )
                for a in agents
            ],
            batch_size=500,
        )
        audit.record_many(
            (
                AuditAction.CREATE,
                REMINDER_TYPE,
                r.pk,
                f"relance Pix {campaign.code}",
                {"agent_id": [None, r.agent_id], "channel": [None, r.channel]},
            )
            for r in reminders
        )
    outcome = ReminderOutcome(reminded=len(reminders))
    by_email = [r for r in reminders if r.channel == InviteChannel.EMAIL]
    outcome.letters = len(reminders) - len(by_email)
    sender = sender_name()
    sent, outcome.email_failed = deliver(
        [reminder_email(campaign, r.agent, sender) for r in by_email], "Pix reminder"
    )
    outcome.emailed = sent
    if sent:
        PixReminder.objects.filter(pk__in=[r.pk for r in by_email[:sent]]).update(emailed=True)
        audit.record_many(
            (AuditAction.UPDATE, REMINDER_TYPE, r.pk, "courriel de relance Pix envoyé", {})
            for r in by_email[:sent]
        )
    return outcome


def letter_agents(campaign: PixCampaign, user, unit: OrgUnit | None = None):
    """Letters to print: agents reminded by letter who have still not started, ordered so
    that each manager's letters come together."""
    agents = reminder_targets(campaign, user, unit).filter(
        pk__in=PixReminder.objects.filter(campaign=campaign, channel=InviteChannel.PAPER).values(
            "agent_id"
        )
    )
    return agents.select_related("unit", "manager").order_by(
        "unit__name",
        "unit_id",
        "manager__last_name",
        "manager__first_name",
        "manager_id",
        "last_name",
        "first_name",
        "pk",
    )


# --- Rows left for review ---------------------------------------------------------------


class Candidates:
    """Agents HR may pick for rows left for review: present agents in the user's scope
    with the row's last name (accents and case aside), those with the same first name
    too coming first. Loads the scope's names once for a page of rows."""

    def __init__(self, user, limit: int = 8):
        self.limit = limit
        self.by_last: dict[str, list[tuple[int, str]]] = {}
        for pk, last, first in (
            Agent.objects.present()
            .filter(agent_scope_q(user))
            .values_list("pk", "last_name", "first_name")
        ):
            self.by_last.setdefault(normalise_header(last), []).append((pk, name_key(last, first)))

    def ids_for(self, participation: PixParticipation) -> list[int]:
        key = name_key(participation.last_name, participation.first_name)
        same = self.by_last.get(normalise_header(participation.last_name), [])
        ordered = [pk for pk, k in same if k == key] + [pk for pk, k in same if k != key]
        return ordered[: self.limit]

    def for_rows(self, participations) -> dict[int, list[Agent]]:
        """{participation pk: [agents]} in one query."""
        wanted = {p.pk: self.ids_for(p) for p in participations}
        agents = Agent.objects.select_related("unit", "job").in_bulk(
            {pk for ids in wanted.values() for pk in ids}
        )
        return {p: [agents[pk] for pk in ids if pk in agents] for p, ids in wanted.items()}


def dismiss(participation: PixParticipation, *, by) -> None:
    """HR says this row is nobody of the collectivité (a trainee, a test account)."""
    participation.dismissed = True
    participation.save(update_fields=["dismissed"])
    audit.record(
        AuditAction.UPDATE,
        obj=participation,
        summary=f"ligne Pix {participation.campaign.code} écartée",
        changes={"dismissed": [False, True]},
    )
