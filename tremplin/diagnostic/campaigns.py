"""Campaigns, HR side: who a campaign reaches in a user's scope, invitations (email or
printed letter with a QR code), reminders, and participation counted per unit.

Views stay thin: they check permissions and render what this module returns. Counting
is SQL's job; sums up the org tree run over units (a few hundred), never over agents.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import groupby
from typing import ClassVar

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from tremplin.accounts.scopes import AGENT_COUNT_ROLES, agent_scope_q
from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.core.qr import qr_svg
from tremplin.organisation.enums import ContactChannel
from tremplin.organisation.models import Agent, Collectivite, OrgUnit
from tremplin.organisation.unit_figures import UnitRow, UnitTable, share_percent, unit_table

from .enums import InviteChannel
from .models import Campaign, Participation

logger = logging.getLogger(__name__)
PARTICIPATION_TYPE = "diagnostic.participation"

# Builds the absolute personal link of a participation code (the request knows the host).
LinkBuilder = Callable[[str], str]


def channel_for(agent: Agent) -> str:
    """Email when the agent reads their mail (their chosen contact channel), else a letter
    their manager hands over: SMS is not sent by Tremplin."""
    if agent.contact_channel == ContactChannel.EMAIL and agent.email:
        return InviteChannel.EMAIL
    return InviteChannel.PAPER


# --- Population and invitations ---------------------------------------------------------


def population_for(campaign: Campaign, user):
    """The campaign's agents that this user may invite."""
    return campaign.population().filter(agent_scope_q(user))


def participations_for(campaign: Campaign, user):
    """The campaign's participations this user may see (names: list roles only)."""
    return campaign.participations.filter(agent_scope_q(user, prefix="agent__"))


@dataclass
class Preview:
    population: int
    invited: int  # of the population, already invited
    by_email: int  # still to invite, by email
    by_letter: int  # still to invite, by letter

    @property
    def to_invite(self) -> int:
        return self.by_email + self.by_letter


def preview(campaign: Campaign, user) -> Preview:
    """What "Inviter" would do now, in one grouped query."""
    invited = Q(pk__in=campaign.participations.values("agent_id"))
    counts = population_for(campaign, user).aggregate(
        population=Count("pk"),
        invited=Count("pk", filter=invited),
        by_email=Count(
            "pk", filter=Q(contact_channel=ContactChannel.EMAIL) & ~Q(email="") & ~invited
        ),
    )
    by_letter = counts["population"] - counts["invited"] - counts["by_email"]
    return Preview(counts["population"], counts["invited"], counts["by_email"], by_letter)


@dataclass
class InviteOutcome:
    created: int = 0
    emailed: int = 0
    letters: int = 0
    email_failed: int = 0


def invite(campaign: Campaign, *, by, link_for: LinkBuilder) -> InviteOutcome:
    """Invites the agents of the campaign's population in `by`'s scope who are not invited
    yet: one participation each (its personal code), an email for those who read theirs.
    Idempotent: inviting twice invites nobody twice, even on a double click."""
    agents = list(
        population_for(campaign, by)
        .exclude(diagnostic_participations__campaign=campaign)
        .only("pk", "first_name", "last_name", "email", "contact_channel")
    )
    now = timezone.now()
    with transaction.atomic():
        rows = [
            Participation(campaign=campaign, agent=a, channel=channel_for(a), invited_at=now)
            for a in agents
        ]
        # A concurrent request may have invited some of them meanwhile: the unique
        # constraint skips those, and reading back by code finds exactly the new rows.
        Participation.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        codes = [p.code for p in rows]
        created = list(
            Participation.objects.filter(code__in=codes).select_related("agent", "campaign")
        )
        audit.record_many(
            (
                AuditAction.CREATE,
                PARTICIPATION_TYPE,
                p.pk,
                f"invitation au diagnostic « {campaign.name} »"[:255],
                {
                    "campaign_id": [None, campaign.pk],
                    "agent_id": [None, p.agent_id],
                    "channel": [None, p.channel],
                },
            )
            for p in created
        )
    outcome = InviteOutcome(created=len(created))
    by_email = [p for p in created if p.channel == InviteChannel.EMAIL]
    outcome.letters = len(created) - len(by_email)
    outcome.emailed, outcome.email_failed = send_emails(by_email, link_for, reminder=False)
    return outcome


def reminder_targets(campaign: Campaign, user, unit: OrgUnit | None = None):
    """Invited agents in scope who have not finished yet."""
    targets = participations_for(campaign, user).filter(finished_at__isnull=True)
    if unit is not None:
        targets = targets.filter(agent__unit__path__startswith=unit.path)
    return targets


def remind(
    campaign: Campaign, *, by, link_for: LinkBuilder, unit: OrgUnit | None = None
) -> InviteOutcome:
    """Emails again those invited by email; those invited by letter get a reminder letter
    to print. Every reminded participation gets reminded_at, audited."""
    now = timezone.now()
    with transaction.atomic():
        targets = list(reminder_targets(campaign, by, unit).select_related("agent", "campaign"))
        Participation.objects.filter(pk__in=[p.pk for p in targets]).update(reminded_at=now)
        audit.record_many(
            (
                AuditAction.UPDATE,
                PARTICIPATION_TYPE,
                p.pk,
                f"relance pour le diagnostic « {campaign.name} »"[:255],
                {
                    "reminded_at": [
                        p.reminded_at.isoformat() if p.reminded_at else None,
                        now.isoformat(),
                    ]
                },
            )
            for p in targets
        )
    by_email = [p for p in targets if p.channel == InviteChannel.EMAIL]
    outcome = InviteOutcome(
        created=0, letters=sum(p.channel == InviteChannel.PAPER for p in targets)
    )
    outcome.emailed, outcome.email_failed = send_emails(by_email, link_for, reminder=True)
    return outcome


def invitation_email(participation: Participation, link: str, *, reminder: bool, sender: str):
    context = {
        "agent": participation.agent,
        "campaign": participation.campaign,
        "link": link,
        "reminder": reminder,
        "branding_name": sender,
    }
    subject = ("Rappel : " if reminder else "") + "un petit questionnaire sur le numérique"
    body = render_to_string("diagnostic/hr_invitation_email.txt", context)
    return mail.EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [participation.agent.email]
    )


def sender_name() -> str:
    collectivite = Collectivite.current()
    return f"Le service formation, {collectivite.name}" if collectivite else "Le service formation"


def deliver(messages: list, what: str) -> tuple[int, int]:
    """Sends the messages over one connection; returns (sent, failed). A mail server
    that is down fails them all: the caller keeps what it recorded, to send again."""
    if not messages:
        return 0, 0
    try:
        with mail.get_connection() as connection:
            sent = connection.send_messages(messages) or 0
    except Exception as exc:  # the mail server is down, refuses us…
        # The exception may quote addresses: log its type only.
        logger.error("%s emails failed: %s", what, type(exc).__name__)
        return 0, len(messages)
    return sent, len(messages) - sent


def send_emails(
    participations: Iterable[Participation], link_for: LinkBuilder, *, reminder: bool
) -> tuple[int, int]:
    """Sends the personal links; returns (sent, failed). Each email sent is written to
    the audit log; a failure leaves the invitation in place, and "Relancer" sends it
    again later."""
    participations = list(participations)
    sender = sender_name()
    sent, failed = deliver(
        [
            invitation_email(p, link_for(p.code), reminder=reminder, sender=sender)
            for p in participations
        ],
        "diagnostic invitation",
    )
    what = "courriel de relance envoyé" if reminder else "courriel d'invitation envoyé"
    audit.record_many(
        (AuditAction.UPDATE, PARTICIPATION_TYPE, p.pk, what, {}) for p in participations[:sent]
    )
    return sent, failed


# --- Letters ----------------------------------------------------------------------------


def letter_participations(campaign: Campaign, user, *, unit=None, reminder: bool = False):
    """Letters to print: paper invitations not finished, in scope, ordered so that each
    manager's letters come together (their distribution round)."""
    letters = participations_for(campaign, user).filter(
        channel=InviteChannel.PAPER, finished_at__isnull=True
    )
    if unit is not None:
        letters = letters.filter(agent__unit__path__startswith=unit.path)
    if reminder:
        letters = letters.filter(reminded_at__isnull=False)
    return letters.select_related("agent__unit", "agent__manager").order_by(
        "agent__unit__name",
        "agent__unit_id",
        "agent__manager__last_name",
        "agent__manager__first_name",
        "agent__manager_id",
        "agent__last_name",
        "agent__first_name",
        "pk",
    )


@dataclass
class LetterGroup:
    unit: OrgUnit | None
    manager: Agent | None
    letters: list = field(default_factory=list)  # (agent, link or hint to show, QR svg)


def letter_groups(participations: Iterable[Participation], link_for: LinkBuilder):
    """The letters of a page, grouped by (unit, manager), each with its link and QR."""
    groups = []
    key = lambda p: (p.agent.unit_id, p.agent.manager_id)  # noqa: E731
    for _key, members in groupby(participations, key=key):
        members = list(members)
        first = members[0].agent
        group = LetterGroup(first.unit, first.manager)
        for p in members:
            link = link_for(p.code)
            group.letters.append((p.agent, link, qr_svg(link)))
        groups.append(group)
    return groups


# --- Participation per unit -------------------------------------------------------------


@dataclass
class UnitParticipation(UnitRow):
    invited: int = 0
    started: int = 0  # started, not finished
    finished: int = 0

    FIGURES: ClassVar[tuple[str, ...]] = ("invited", "started", "finished")

    @property
    def not_started(self) -> int:
        return self.invited - self.started - self.finished

    @property
    def share(self) -> int | None:
        return share_percent(self.finished, self.invited)


def participation_by_unit(campaign: Campaign, user, unit: OrgUnit | None = None) -> UnitTable:
    """Invited, started and finished per unit (whole subtrees), in the user's counting
    scope."""
    per_unit = (
        campaign.participations.filter(agent_scope_q(user, AGENT_COUNT_ROLES, prefix="agent__"))
        .values("agent__unit_id")
        .annotate(
            invited=Count("pk"),
            started=Count("pk", filter=Q(started_at__isnull=False, finished_at__isnull=True)),
            finished=Count("pk", filter=Q(finished_at__isnull=False)),
        )
        .order_by()
    )
    return unit_table(
        user, {row["agent__unit_id"]: row for row in per_unit}, UnitParticipation, unit
    )
