"""Manufacturing footprint spread over a device's life, and what keeping devices one
more year avoids.

The arithmetic is pure (Decimal in, Decimal out) and tested on hand-computed figures;
`fleet_footprint` and `indicators` read the database.

A device whose manufacturing cost K kg CO₂e and that serves L years weighs K / L kg per
year. Kept L + 1 years, it weighs K / (L + 1): each year of a fleet of N such devices,
N × (K / L − K / (L + 1)) kg CO₂e of manufacturing are avoided, because the fleet is
renewed less often (N / L purchases a year become N / (L + 1)).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from .enums import DeviceKind, DeviceState, NeedStatus
from .models import DAYS_PER_YEAR, Device, DeviceNeed, FootprintReference, Repair

SINGULARS = {
    DeviceKind.SMARTPHONE: "smartphone",
    DeviceKind.TABLET: "tablette",
    DeviceKind.LAPTOP: "ordinateur portable",
    DeviceKind.KIOSK_TABLET: "tablette partagée",
}
PLURALS = {
    DeviceKind.SMARTPHONE: "smartphones",
    DeviceKind.TABLET: "tablettes",
    DeviceKind.LAPTOP: "ordinateurs portables",
    DeviceKind.KIOSK_TABLET: "tablettes partagées",
}
IN_SERVICE_STATES = [s for s in DeviceState.values if s != DeviceState.RETIRED]


def yearly_kg(manufacturing_kg: Decimal, life_years: Decimal) -> Decimal:
    """Manufacturing footprint per year of use."""
    return Decimal(manufacturing_kg) / Decimal(life_years)


def gain_of_extra_years(manufacturing_kg: Decimal, life_years: Decimal, extra: int = 1) -> Decimal:
    """kg CO₂e avoided per device and per year by keeping it `extra` years longer."""
    # K/L - K/(L+e) written as one division, so that 3 phones give exactly 3 × the gain.
    life = Decimal(life_years)
    return Decimal(manufacturing_kg) * extra / (life * (life + extra))


def rounded(value: Decimal | None, places: str = "0.1") -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal(places), ROUND_HALF_UP)


def french_kg(value: Decimal | float | None) -> str:
    """5666.7 → « 5 667 » (no decimals above 100, one below)."""
    if value is None or value == "":  # "" : a template's missing value (no reference)
        return "—"
    value = Decimal(value)
    if abs(value) >= 100:
        return f"{int(value.quantize(Decimal('1'), ROUND_HALF_UP)):,}".replace(",", "\u202f")
    return f"{value.quantize(Decimal('0.1'), ROUND_HALF_UP)}".replace(".", ",").removesuffix(",0")


@dataclass
class KindFootprint:
    kind: str
    label: str
    reference: FootprintReference | None
    in_service: int = 0
    retired: int = 0
    retired_life_years: Decimal | None = None  # mean actual life of the retired ones

    @property
    def life_years(self) -> Decimal | None:
        return Decimal(self.reference.expected_years) if self.reference else None

    @property
    def yearly_per_unit(self) -> Decimal | None:
        if not self.reference:
            return None
        return yearly_kg(self.reference.manufacturing_kg, self.life_years)

    @property
    def yearly_per_unit_longer(self) -> Decimal | None:
        if not self.reference:
            return None
        return yearly_kg(self.reference.manufacturing_kg, self.life_years + 1)

    @property
    def gain_per_unit(self) -> Decimal | None:
        if not self.reference:
            return None
        return gain_of_extra_years(self.reference.manufacturing_kg, self.life_years)

    @property
    def gain_total(self) -> Decimal | None:
        if not self.reference:
            return None
        return gain_of_extra_years(
            self.reference.manufacturing_kg * self.in_service, self.life_years
        )

    @property
    def sentence(self) -> str:
        """« +1 an sur 800 smartphones = 5 667 kg CO₂e évités par an »."""
        if not self.reference or not self.in_service:
            return ""
        label = (PLURALS if self.in_service > 1 else SINGULARS)[self.kind]
        number = f"{self.in_service:,}".replace(",", "\u202f")
        return f"+1 an sur {number} {label} = {french_kg(self.gain_total)} kg CO₂e évités par an"


@dataclass
class FleetFootprint:
    kinds: list[KindFootprint] = field(default_factory=list)

    @property
    def in_service(self) -> int:
        return sum(k.in_service for k in self.kinds)

    @property
    def yearly_total(self) -> Decimal:
        return sum(
            (k.yearly_per_unit * k.in_service for k in self.kinds if k.yearly_per_unit),
            Decimal(0),
        )

    @property
    def gain_total(self) -> Decimal:
        return sum((k.gain_total for k in self.kinds if k.gain_total), Decimal(0))


def fleet_footprint(devices=None) -> FleetFootprint:
    """Per kind: devices in service and retired, the mean actual life of the retired
    ones, and the gain of one more year. Two queries."""
    devices = Device.objects.all() if devices is None else devices
    references = FootprintReference.by_kind()
    counts = {
        row["kind"]: row
        for row in devices.values("kind").annotate(
            in_service=Count("pk", filter=Q(state__in=IN_SERVICE_STATES)),
            retired=Count("pk", filter=Q(state=DeviceState.RETIRED)),
        )
    }
    lives: dict[str, list[int]] = {}
    for kind, bought, ended in devices.filter(
        state=DeviceState.RETIRED, actual_end_of_life__isnull=False
    ).values_list("kind", "purchase_date", "actual_end_of_life"):
        lives.setdefault(kind, []).append((ended - bought).days)
    fleet = FleetFootprint()
    for kind, label in DeviceKind.choices:
        row = counts.get(kind, {})
        days = lives.get(kind)
        fleet.kinds.append(
            KindFootprint(
                kind=kind,
                label=label,
                reference=references.get(kind),
                in_service=row.get("in_service", 0),
                retired=row.get("retired", 0),
                retired_life_years=(
                    Decimal(sum(days)) / len(days) / DAYS_PER_YEAR if days else None
                ),
            )
        )
    return fleet


def indicators(user=None, today: dt.date | None = None) -> dict:
    """The figures a dashboard shows: devices per state and kind, needs waiting, open
    repairs, devices due for renewal, yearly footprint and what one more year avoids.
    Limited to what `user` may see when given; plain ints and floats."""
    today = today or timezone.localdate()
    devices = Device.objects.all() if user is None else Device.objects.visible_to(user)
    needs = DeviceNeed.objects.all() if user is None else DeviceNeed.objects.visible_to(user)
    per_state = dict.fromkeys(DeviceState.values, 0)
    per_state.update(
        {row["state"]: row["n"] for row in devices.values("state").annotate(n=Count("pk"))}
    )
    fleet = fleet_footprint(devices)
    return {
        "devices": sum(per_state.values()),
        "per_state": per_state,
        "per_kind_in_service": {k.kind: k.in_service for k in fleet.kinds},
        "needs_waiting": needs.filter(status=NeedStatus.WAITING).count(),
        "repairs_open": Repair.objects.filter(device__in=devices, returned_on__isnull=True).count(),
        "due_for_renewal": devices.due_for_renewal(today).count(),
        "yearly_manufacturing_kg": float(rounded(fleet.yearly_total)),
        "avoided_kg_per_year_if_one_more_year": float(rounded(fleet.gain_total)),
    }


def responsible_digital_coverage(user, today: dt.date | None = None):
    """Progress of the numérique responsable coverage goals (training app), read-only:
    the goals whose module is the catalogue's « Numérique responsable »."""
    from tremplin.training.demo_goals import RESPONSIBLE_CODE
    from tremplin.training.goals import progress_of
    from tremplin.training.models import CoverageGoal

    goals = CoverageGoal.objects.filter(active=True).filter(
        Q(module__code=RESPONSIBLE_CODE) | Q(module__title__icontains="numérique responsable")
    )
    return progress_of(goals.select_related("module"), user, today)
