"""Demo data for equipment: a stock of a few hundred devices bought over the last six
years, smartphones handed to field agents (charter accepted, through device.allocate),
a shared kiosk tablet on the sites that have a training room, devices returned and
reconditioned, a few retired ones (their actual life feeds the footprint page), repairs
under way and done, devices due for renewal, and a queue of needs. Reproducible for a
given seed; call after the organisation demo (and the training demo, for priorities).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from tremplin.accounts.models import User
from tremplin.organisation.enums import WorkKind
from tremplin.organisation.models import Agent, Site

from .enums import Condition, DeviceKind, NeedReason, RepairOutcome
from .models import Allocation, Device, DeviceNeed, Repair, add_years

MODELS = {
    DeviceKind.SMARTPHONE: [
        ("Samsung Galaxy A54", Decimal("329.00")),
        ("Samsung Galaxy XCover 6 Pro", Decimal("449.00")),
        ("Crosscall Core-Z5", Decimal("479.00")),
        ("Fairphone 5", Decimal("599.00")),
        ("Apple iPhone SE", Decimal("529.00")),
    ],
    DeviceKind.TABLET: [
        ("Samsung Galaxy Tab A9+", Decimal("249.00")),
        ("Apple iPad 10,9", Decimal("439.00")),
        ("Lenovo Tab M10", Decimal("199.00")),
    ],
    DeviceKind.LAPTOP: [
        ("Dell Latitude 3540", Decimal("789.00")),
        ("Lenovo ThinkPad E14", Decimal("849.00")),
    ],
    DeviceKind.KIOSK_TABLET: [("Samsung Galaxy Tab Active4 Pro", Decimal("689.00"))],
}
PROBLEMS = [
    "Écran fissuré après une chute.",
    "La batterie ne tient plus la journée.",
    "Le port de charge ne fonctionne plus.",
    "L'appareil redémarre tout seul.",
    "Le haut-parleur grésille.",
]
# The share of field agents who hold a phone from the collectivité, and the cap.
FIELD_SHARE = 0.2
MAX_FIELD_PHONES = 260


def _imei(rng: random.Random) -> str:
    body = "35" + "".join(str(rng.randrange(10)) for _ in range(12))
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:  # doubled: the check digit will sit to the right
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return body + str((10 - total % 10) % 10)


class _Stock:
    """Makes devices with unique serial numbers and IMEIs."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.serial = 0
        self.imeis: set[str] = set()

    def device(self, kind: str, purchase_date: dt.date, site=None, **extra) -> Device:
        model_name, price = self.rng.choice(MODELS[kind])
        self.serial += 1
        imei = ""
        if kind == DeviceKind.SMARTPHONE:
            imei = _imei(self.rng)
            while imei in self.imeis:
                imei = _imei(self.rng)
            self.imeis.add(imei)
        return Device.objects.create(
            kind=kind,
            model_name=model_name,
            serial_number=f"DEMO-{self.serial:05d}",
            imei=imei,
            purchase_date=purchase_date,
            purchase_price=price,
            warranty_end=add_years(purchase_date, 2),
            site=site,
            **extra,
        )


def _days_ago(today: dt.date, rng: random.Random, low: int, high: int) -> dt.date:
    return today - dt.timedelta(days=rng.randint(low, high))


def seed(*, seed: int = 1, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    rng = random.Random(f"equipment-{seed}")
    hr = User.objects.filter(username="rh").first()
    field_agents = list(
        Agent.objects.present(on=today)
        .filter(job__work_kind=WorkKind.FIELD)
        .select_related("site", "job")
        .order_by("pk")
    )
    if not field_agents:
        return {}
    stock = _Stock(rng)
    sites = list(Site.objects.order_by("pk"))
    counts = dict.fromkeys(
        ("appareils", "attributions", "réparations", "réformés", "demandes en attente"), 0
    )

    # Who gets a phone now; the history comes first so that nobody holds two.
    holders = rng.sample(field_agents, min(MAX_FIELD_PHONES, int(len(field_agents) * FIELD_SHARE)))
    # Retired devices: their actual life shows on the footprint page.
    for _ in range(max(8, len(holders) // 10)):
        bought = _days_ago(today, rng, 4 * 365, 6 * 365)
        device = stock.device(DeviceKind.SMARTPHONE, bought)
        agent = rng.choice(field_agents)
        allocation = device.allocate(
            agent=agent, on=bought + dt.timedelta(days=5), by=hr, charter_accepted=True
        )
        allocation.close(
            on=bought + dt.timedelta(days=rng.randint(2 * 365, 4 * 365)),
            by=hr,
            condition=Condition.DAMAGED,
        )
        device.retire(on=allocation.ends_on + dt.timedelta(days=3), by=hr, note="Filière DEEE.")
        counts["appareils"] += 1
        counts["attributions"] += 1
        counts["réformés"] += 1

    # Phones handed over years ago, returned and reconditioned: back in stock.
    for _ in range(max(6, len(holders) // 15)):
        agent = rng.choice(field_agents)
        bought = _days_ago(today, rng, 700, 1200)
        device = stock.device(DeviceKind.SMARTPHONE, bought, site=agent.site)
        allocation = device.allocate(
            agent=agent, on=bought + dt.timedelta(days=10), by=hr, charter_accepted=True
        )
        allocation.close(
            on=bought + dt.timedelta(days=rng.randint(300, 650)), by=hr, condition=Condition.WORN
        )
        repair = device.send_to_repair(
            problem="Remise en état avant une nouvelle attribution.",
            provider="Atelier de reconditionnement",
            on=allocation.ends_on + dt.timedelta(days=2),
            by=hr,
        )
        repair.close(
            outcome=RepairOutcome.RECONDITIONED,
            on=repair.requested_on + dt.timedelta(days=rng.randint(5, 20)),
            cost=Decimal(rng.choice(("39.00", "59.00", "79.00"))),
            by=hr,
        )
        counts["appareils"] += 1
        counts["attributions"] += 1
        counts["réparations"] += 1

    # Smartphones for a share of the field agents, bought 0 to 4 years ago: those near
    # three years old are due for renewal.
    for agent in holders:
        bought = _days_ago(today, rng, 30, 4 * 365)
        device = stock.device(DeviceKind.SMARTPHONE, bought, site=agent.site)
        device.allocate(
            agent=agent,
            on=min(bought + dt.timedelta(days=rng.randint(3, 40)), today),
            by=hr,
            charter_accepted=True,
        )
        counts["appareils"] += 1
        counts["attributions"] += 1

    # A shared kiosk tablet on each site with a training room (20 at most), where agents
    # take the diagnostic.
    for site in [s for s in sites if s.has_training_room][:20]:
        device = stock.device(DeviceKind.KIOSK_TABLET, _days_ago(today, rng, 60, 900), site=site)
        device.allocate(
            site=site, on=min(device.purchase_date + dt.timedelta(days=7), today), by=hr
        )
        counts["appareils"] += 1
        counts["attributions"] += 1

    # The stock: new devices waiting.
    for _ in range(max(20, len(holders) // 6)):
        kind = rng.choice((DeviceKind.SMARTPHONE, DeviceKind.SMARTPHONE, DeviceKind.TABLET))
        stock.device(
            kind, _days_ago(today, rng, 10, 200), site=rng.choice(sites) if sites else None
        )
        counts["appareils"] += 1
    # Laptops for the advisors' mobile workshops, some at the end of their life.
    for _ in range(12):
        stock.device(
            DeviceKind.LAPTOP,
            _days_ago(today, rng, 400, 1900),
            site=rng.choice(sites) if sites else None,
        )
        counts["appareils"] += 1

    # Repairs under way on phones that agents hold.
    held = list(
        Device.objects.filter(kind=DeviceKind.SMARTPHONE, holder__isnull=False).order_by("pk")
    )
    for device in rng.sample(held, min(len(held), max(4, len(held) // 25))):
        device.send_to_repair(
            problem=rng.choice(PROBLEMS),
            provider="Réparateur sous contrat",
            on=_days_ago(today, rng, 1, 20),
            by=hr,
        )
        counts["réparations"] += 1

    # The needs queue: field agents without a device, pathway steps, advisors' requests.
    equipped = set(Allocation.objects.open().exclude(agent=None).values_list("agent_id", flat=True))
    without = [a for a in field_agents if a.pk not in equipped]
    advisor = User.objects.filter(username="conseiller1").first()
    for agent in rng.sample(without, min(len(without), 35)):
        reason = rng.choice(
            (NeedReason.NO_DEVICE, NeedReason.NO_DEVICE, NeedReason.PATHWAY, NeedReason.ADVISOR)
        )
        DeviceNeed.open_for(
            agent=agent,
            kind=DeviceKind.SMARTPHONE if rng.random() < 0.8 else DeviceKind.TABLET,
            reason=reason,
            by=advisor if reason == NeedReason.ADVISOR and advisor else hr,
            note="Pour passer le diagnostic et suivre son parcours."
            if reason == NeedReason.PATHWAY
            else "",
        )
        counts["demandes en attente"] += 1
    return counts


def wipe() -> None:
    """Empties the equipment tables (the footprint references stay) before seed_demo
    --reset deletes the agents and sites."""
    with connection.cursor() as cursor:
        for model in (DeviceNeed, Repair, Allocation, Device):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's own table name)
