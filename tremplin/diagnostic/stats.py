"""Statistics of the item bank: how many active questions each competence × level cell
holds, how often each question was served, how often it was answered right."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, FloatField, Q, Value
from django.db.models.functions import Cast, NullIf

from tremplin.competences.models import Competence

from .models import Attempt, Item, Response

# Fewer active questions than this in a cell and the engine soon serves the same ones to
# everybody there (and cannot draw among the best few): the cell needs writing.
MIN_PER_CELL = 3
GRID_LEVELS = range(1, 6)


@dataclass
class Cell:
    level: int
    active: int = 0
    retired: int = 0

    @property
    def short(self) -> bool:
        return self.active < MIN_PER_CELL


@dataclass
class GridRow:
    competence: Competence
    cells: list[Cell]

    @property
    def active(self) -> int:
        return sum(c.active for c in self.cells)


@dataclass
class BankSummary:
    active: int
    retired: int
    calibrated: int
    responses: int
    attempts: int
    short_cells: int


def bank_grid() -> list[GridRow]:
    """The 16 CRCN competences × levels 1–5, counted in one grouped query."""
    counts = {
        (row["competence_id"], row["level"]): row
        for row in Item.objects.values("competence_id", "level")
        .annotate(
            active=Count("pk", filter=Q(retired=False)), retired=Count("pk", filter=Q(retired=True))
        )
        .order_by()
    }
    rows = []
    for competence in Competence.objects.crcn().order_by("position", "code"):
        cells = []
        for level in GRID_LEVELS:
            found = counts.get((competence.pk, level), {"active": 0, "retired": 0})
            cells.append(Cell(level, found["active"], found["retired"]))
        rows.append(GridRow(competence, cells))
    return rows


def bank_summary(grid: list[GridRow]) -> BankSummary:
    counts = Item.objects.aggregate(
        active=Count("pk", filter=Q(retired=False)),
        retired=Count("pk", filter=Q(retired=True)),
        calibrated=Count("pk", filter=Q(calibrated_at__isnull=False)),
    )
    return BankSummary(
        active=counts["active"],
        retired=counts["retired"],
        calibrated=counts["calibrated"],
        responses=Response.objects.count(),
        attempts=Attempt.objects.count(),
        short_cells=sum(cell.short for row in grid for cell in row.cells),
    )


def items_with_figures(items=None):
    """Each item with `served` (answers given, "je ne sais pas" included), `right`,
    `dont_know` and `success` (share right, 0–1, None when never served)."""
    items = Item.objects.all() if items is None else items
    return items.select_related("competence").annotate(
        served=Count("responses"),
        right=Count("responses", filter=Q(responses__correct=True)),
        dont_know=Count("responses", filter=Q(responses__correct__isnull=True)),
        # NULLIF: PostgreSQL refuses a division by zero where SQLite returns NULL.
        success=Cast(F("right"), FloatField())
        / NullIf(Cast(F("served"), FloatField()), Value(0.0)),
    )
