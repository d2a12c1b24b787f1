"""Figures per unit, summed up the org tree: identity coverage, diagnostic and Pix
participation all count agents per unit in one grouped SQL query, then add the counts
up the tree here, over units (a few hundred), never over agents.

A figure row is a dataclass deriving from `UnitRow` whose `FIGURES` name its integer
fields; `unit_table` builds the table the template core/_unit_groups.html draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from .models import OrgUnit

TOTAL_LABEL = "Total de votre périmètre"
ELSEWHERE_LABEL = "Agents sans unité ou rattachés à une autre unité"


def share_percent(part: int, whole: int) -> int | None:
    """Rounded half up, as people compute it by hand (1 of 8 reads 13 %)."""
    if not whole:
        return None
    return (200 * part + whole) // (2 * whole)


@dataclass
class UnitRow:
    unit: OrgUnit | None
    label: str
    children: list = field(default_factory=list)

    FIGURES: ClassVar[tuple[str, ...]] = ()

    def add(self, other, sign: int = 1) -> None:
        for name in self.FIGURES:
            setattr(self, name, getattr(self, name) + sign * getattr(other, name))

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in self.FIGURES)

    def add_counts(self, counts: dict) -> None:
        for name in self.FIGURES:
            setattr(self, name, getattr(self, name) + (counts.get(name) or 0))


@dataclass
class UnitTable:
    groups: list  # each top unit shown, with its direct sub-units as children
    total: UnitRow
    elsewhere: UnitRow  # in scope but outside the units shown (no unit, a unit elsewhere)


def unit_table(
    user,
    direct: dict,
    row_class: type[UnitRow],
    unit: OrgUnit | None = None,
    *,
    hide_empty: bool = False,
) -> UnitTable:
    """`direct` maps a unit id (or None) to the counts of agents directly in it, already
    limited to the user's counting scope. Each unit the user sees gets its subtree's sums;
    the table shows the top units (or `unit`) with their direct sub-units. `hide_empty`
    leaves out the units whose figures are all zero (a campaign for two directions)."""
    units = list(
        OrgUnit.objects.visible_to(user).only("pk", "name", "kind", "parent_id", "path", "depth")
    )
    nodes = {u.pk: row_class(u, u.name) for u in units}
    for u in sorted(units, key=lambda u: -u.depth):
        node = nodes[u.pk]
        if u.pk in direct:
            node.add_counts(direct[u.pk])
        parent = nodes.get(u.parent_id)
        if parent is not None:
            parent.add(node)
    # By name: paths are text, so "/10/" would come before "/9/".
    units.sort(key=lambda u: (u.name.casefold(), u.pk))
    for u in units:
        parent = nodes.get(u.parent_id)
        if parent is not None and not (hide_empty and nodes[u.pk].is_empty):
            parent.children.append(nodes[u.pk])
    total = row_class(None, TOTAL_LABEL)
    for counts in direct.values():
        total.add_counts(counts)
    if unit is not None and unit.pk in nodes:
        groups = [nodes[unit.pk]]
    else:
        groups = [
            nodes[u.pk]
            for u in units
            if u.parent_id not in nodes and not (hide_empty and nodes[u.pk].is_empty)
        ]
    elsewhere = row_class(None, ELSEWHERE_LABEL)
    if unit is None:
        elsewhere.add(total)
        for group in groups:
            elsewhere.add(group, -1)
    return UnitTable(groups=groups, total=total, elsewhere=elsewhere)
