"""One agent's profile as pages and files show it: lines per competence against the job,
the evidence with the weight each one has in the estimate, the earlier estimates."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from .enums import EvidenceSource, GapStatus
from .gaps import CompetenceLine, agent_lines
from .merge import Observation, merge
from .models import Evidence, ProfileHistory

HISTORY_SHOWN = 50
EXPORT_HEADERS = [
    "Matricule",
    "Nom",
    "Prénom",
    "Code",
    "Compétence",
    "Niveau estimé",
    "Niveau",
    "Incertitude (écart-type)",
    "Niveau demandé",
    "État",
    "Source principale",
    "Date de la dernière observation",
]
SOURCE_LABELS = dict(EvidenceSource.choices)


def french_decimal(value) -> str:
    """Decimal(2.50) -> '2,5'; Excel set to French reads '2.5' as a date."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


@dataclass
class ProfileSummary:
    lines: list[CompetenceLine]

    def _with(self, status) -> list[CompetenceLine]:
        return [line for line in self.lines if line.status == status]

    @property
    def gaps(self) -> list[CompetenceLine]:
        return self._with(GapStatus.GAP)

    @property
    def unmeasured(self) -> list[CompetenceLine]:
        return self._with(GapStatus.UNMEASURED)

    @property
    def known(self) -> list[CompetenceLine]:
        """What the agent already knows: measured at level 1 or more, and not short of
        what the job asks."""
        return [
            line
            for line in self.lines
            if line.entry is not None and line.level >= 1 and line.status != GapStatus.GAP
        ]

    @property
    def required_count(self) -> int:
        return sum(1 for line in self.lines if line.required is not None)


def summary_for(agent) -> ProfileSummary:
    return ProfileSummary(agent_lines(agent))


def weighted_evidence(agent) -> list[Evidence]:
    """The agent's evidence, each with `weight` (its share, in %, of its competence's
    estimate under the merge rule), by competence then newest first: 1 query."""
    evidence = list(
        Evidence.objects.filter(agent=agent)
        .select_related("competence", "author", "origin_type")
        .order_by("competence__position", "competence__code", "-observed_on", "-pk")
    )
    by_competence = defaultdict(list)
    for e in evidence:
        by_competence[e.competence_id].append(e)
    for items in by_competence.values():
        estimate = merge(
            [
                Observation(
                    level=float(e.level),
                    source=e.source,
                    observed_on=e.observed_on,
                    sd=None if e.sd is None else float(e.sd),
                    key=e.pk,
                )
                for e in items
            ]
        )
        weights = dict(estimate.weights)
        for e in items:
            e.weight = round(100 * weights[e.pk])
    return evidence


def history_for(agent) -> list[ProfileHistory]:
    return list(
        ProfileHistory.objects.filter(agent=agent).select_related("competence")[:HISTORY_SHOWN]
    )


def export_rows(agent, *, decimal_comma: bool):
    """One row per competence of the profile (measured or required), for CSV or XLSX."""

    def number(value):
        if value is None:
            return ""
        return french_decimal(value) if decimal_comma else float(value)

    for line in agent_lines(agent):
        entry = line.entry
        measured_on = ""
        if entry is not None:
            measured_on = (
                entry.measured_on.strftime("%d/%m/%Y") if decimal_comma else entry.measured_on
            )
        yield [
            agent.matricule,
            agent.last_name,
            agent.first_name,
            line.competence.code,
            line.competence.name,
            number(entry.level if entry else None),
            entry.level_label if entry else "",
            number(entry.sd if entry else None),
            line.required if line.required is not None else "",
            line.status_label,
            SOURCE_LABELS.get(entry.main_source, "") if entry else "",
            measured_on,
        ]
