"""Demo data for the diagnostic: the item bank, an open campaign for field agents with
their invitations, and a few diagnostics already taken (so that the participation and
bank statistics pages show something). Reproducible for a given seed."""

import datetime as dt
import random

from django.db import connection
from django.utils import timezone

from tremplin.competences.models import Competence

from . import adapter
from .bank_loader import load_bank
from .campaigns import channel_for
from .enums import CampaignStatus, ItemKind
from .models import Attempt, Campaign, Participation, Response

CAMPAIGN_NAME = "Diagnostic numérique 2026 — agents de terrain"
# One invited agent in 180 has already taken the diagnostic (24 in the 6,000-agent demo);
# each simulated diagnostic costs about half a second.
TAKEN_SHARE = 1 / 180


def _answer_for(item, knows: bool) -> list[str] | None:
    """What an agent who knows (or not) answers: the right keys, or a plausible mistake."""
    right = item.correct_keys
    if knows:
        return right
    if item.kind == ItemKind.ORDER:
        return list(reversed(right))
    wrong = [c["key"] for c in item.choices if c["key"] not in right]
    return [wrong[0]] if wrong else None


def seed(*, seed: int = 1, today: dt.date | None = None, demo_agent=None) -> dict[str, int]:
    """Call inside seed_demo's transaction, after the workforce and the competences."""
    today = today or timezone.localdate()
    rng = random.Random(f"diagnostic-{seed}")
    bank = load_bank()
    campaign = Campaign.objects.create(
        name=CAMPAIGN_NAME,
        description=(
            "Ce petit questionnaire nous aide à vous proposer les bonnes formations. "
            "Ce n'est pas un examen : répondez « je ne sais pas » quand vous ne savez pas."
        ),
        precision=0.5,
        max_items=30,
        field_only=True,
        opens_on=today - dt.timedelta(days=14),
        closes_on=today + dt.timedelta(days=75),
        status=CampaignStatus.OPEN,
    )
    campaign.competences.set(Competence.objects.crcn())
    agents = list(campaign.population().order_by("pk"))
    Participation.objects.bulk_create(
        [
            Participation(
                campaign=campaign,
                agent=agent,
                channel=channel_for(agent),
                code=f"demo{seed}-{agent.pk}-{rng.getrandbits(64):016x}",
            )
            for agent in agents
        ],
        batch_size=1000,
    )
    taken = list(Participation.objects.filter(campaign=campaign).order_by("pk"))
    taken = [p for p in taken if demo_agent is None or p.agent_id != demo_agent.pk]
    count = min(int(len(agents) * TAKEN_SHARE), len(taken))
    for participation in rng.sample(taken, count):
        ability = rng.gauss(1.8, 1.0)  # field agents far from digital: mostly levels 1 and 2
        attempt = adapter.start_or_resume(participation, seed=rng.getrandbits(32))
        while (item := adapter.current_item(attempt)) is not None:
            knows = rng.random() < 1 / (1 + 2.7 ** (-1.7 * (ability - item.b)))
            adapter.submit(
                attempt,
                position=attempt.position,
                item_code=item.code,
                answer=_answer_for(item, knows),
            )
            attempt.refresh_from_db()
    return {"items": bank["total"], "invited": len(agents), "taken": count}


def wipe() -> None:
    """Empties the campaigns and what hangs from them (not the item bank), before
    seed_demo --reset deletes the agents."""
    tables = (
        Response,
        Attempt,
        Participation,
        Campaign.competences.through,
        Campaign.units.through,
        Campaign.jobs.through,
        Campaign,
    )
    with connection.cursor() as cursor:
        for model in tables:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's own table name)
