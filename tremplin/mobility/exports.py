"""Exports of the positions and of the moves done, as CSV (French Excel) or XLSX.

Redeployment files are never exported (issue #9: restricted to the mobility role's
screens): a move's export does not even say whether it ended a redeployment."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from tremplin.core.tabular import dater

from .models import PositionRequirement

POSITION_HEADERS = [
    "Métier",
    "Famille de métiers",
    "Unité",
    "Site",
    "Catégorie",
    "Prise de poste",
    "État",
    "Niveaux propres au poste",
]

MOVE_HEADERS = [
    "Matricule",
    "Agent",
    "Ancien métier",
    "Nouveau métier",
    "Unité d'arrivée",
    "Date de la mobilité",
]


def position_rows(positions, *, as_text: bool = False) -> Iterator[list]:
    _date = dater(as_text)
    positions = list(positions.select_related("job", "unit", "site"))
    extra = defaultdict(list)
    for position_id, code, level in (
        PositionRequirement.objects.filter(position__in=[p.pk for p in positions])
        .order_by("competence__code")
        .values_list("position_id", "competence__code", "level")
    ):
        extra[position_id].append(f"{code} niveau {level}")
    for p in positions:
        yield [
            p.job.title,
            p.job.family,
            p.unit.name,
            p.site.name if p.site_id else "",
            p.category,
            _date(p.starts_on),
            p.get_status_display(),
            ", ".join(extra[p.pk]),
        ]


def move_rows(moves, *, as_text: bool = False) -> Iterator[list]:
    _date = dater(as_text)
    for move in moves.select_related("agent", "from_job", "to_job", "position__unit").iterator(
        chunk_size=500
    ):
        yield [
            move.agent.matricule,
            f"{move.agent.last_name.upper()} {move.agent.first_name}",
            move.from_job.title if move.from_job_id else "",
            move.to_job.title,
            move.position.unit.name if move.position_id else "",
            _date(move.moved_on),
        ]
