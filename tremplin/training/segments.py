"""Fragility segments: which present agents a segment's rules flag, as one SQL filter
(no loop over agents), so that a segment can be counted per unit, or be the population
of a coverage goal or of a bulk pathway generation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.db.models import Avg, Count, Exists, OuterRef, Q

from tremplin.competences.models import ProfileEntry
from tremplin.organisation.enums import IdentityStatus, WorkKind
from tremplin.organisation.models import Agent
from tremplin.organisation.unit_figures import UnitRow, UnitTable, share_percent, unit_table

from .enums import SegmentMatch, StepStatus
from .models import FragilitySegment, PathwayStep

RULES = ("no_active_identity", "low_level", "never_measured", "field_job", "never_trained")


def rules_used(segment: FragilitySegment) -> list[str]:
    return [
        name
        for name in RULES
        if (getattr(segment, name) is not None if name == "low_level" else getattr(segment, name))
    ]


def _rule_q(name: str, segment: FragilitySegment) -> Q:
    agent = OuterRef("pk")
    if name == "no_active_identity":
        return ~Q(identity__status=IdentityStatus.ACTIVE)
    if name == "field_job":
        return Q(job__work_kind=WorkKind.FIELD)
    if name == "never_measured":
        return ~Exists(ProfileEntry.objects.filter(agent=agent))
    if name == "never_trained":
        return ~Exists(PathwayStep.objects.filter(pathway__agent=agent, status=StepStatus.DONE))
    if name == "low_level":
        # One GROUP BY … HAVING subquery: agents whose mean profile level is low enough.
        low = (
            ProfileEntry.objects.values("agent")
            .annotate(mean=Avg("level"))
            .filter(mean__lte=segment.low_level)
            .values("agent")
        )
        return Q(pk__in=low)
    raise ValueError(name)


def segment_q(segment: FragilitySegment) -> Q:
    """The segment's rules as one filter on Agent; no rule chosen matches nobody."""
    parts = [_rule_q(name, segment) for name in rules_used(segment)]
    if not parts:
        return Q(pk__in=[])
    combined = parts[0]
    for part in parts[1:]:
        combined = (combined & part) if segment.match == SegmentMatch.ALL else (combined | part)
    return combined


def agents_in(segment: FragilitySegment):
    """Present agents the segment flags (before any role scoping)."""
    return Agent.objects.present().filter(segment_q(segment))


# --- Reading a segment ----------------------------------------------------------------------


def _level(value) -> str:
    text = f"{value:.1f}".replace(".", ",")
    return text.removesuffix(",0")


def rule_sentences(segment: FragilitySegment) -> list[str]:
    """Each rule the segment uses, as the end of « les agents qui… »."""
    sentences = {
        "no_active_identity": "n'ont pas d'identité numérique active (compte, messagerie)",
        "low_level": f"ont un niveau moyen mesuré de {_level(segment.low_level)} ou moins"
        if segment.low_level is not None
        else "",
        "never_measured": "n'ont jamais été mesurés (ni diagnostic, ni Pix, ni observation)",
        "field_job": "ont un métier de terrain",
        "never_trained": "n'ont suivi aucune formation du catalogue",
    }
    return [sentences[name] for name in rules_used(segment)]


def rules_intro(segment: FragilitySegment) -> str:
    if len(rules_used(segment)) <= 1:
        return "Les agents présents qui :"
    if segment.match == SegmentMatch.ALL:
        return "Les agents présents qui remplissent toutes ces conditions à la fois :"
    return "Les agents présents qui remplissent au moins une de ces conditions :"


def rules_summary(segment: FragilitySegment) -> str:
    """The rules in one plain sentence, for lists."""
    sentences = rule_sentences(segment)
    if not sentences:
        return "Aucune règle : personne."
    joiner = " et " if segment.match == SegmentMatch.ALL else " ou "
    return "Les agents qui " + joiner.join(sentences) + "."


# --- Counting -------------------------------------------------------------------------------


def counts_of(segments, agents) -> tuple[int, dict[int, int]]:
    """How many `agents`, and {segment id: how many of them it flags}: one query."""
    counts = agents.aggregate(
        everybody=Count("pk"), **{f"s{s.pk}": Count("pk", filter=segment_q(s)) for s in segments}
    )
    return counts["everybody"], {s.pk: counts[f"s{s.pk}"] for s in segments}


@dataclass
class UnitSegment(UnitRow):
    agents: int = 0
    flagged: int = 0

    FIGURES: ClassVar[tuple[str, ...]] = ("agents", "flagged")

    @property
    def share(self) -> int | None:
        return share_percent(self.flagged, self.agents)


def figures_by_unit(segment: FragilitySegment, agents, user, unit=None) -> UnitTable:
    """Present agents and those the segment flags, per unit (subtrees summed); `agents`
    is already limited to what the user may count."""
    per_unit = (
        agents.values("unit_id")
        .annotate(agents=Count("pk"), flagged=Count("pk", filter=segment_q(segment)))
        .order_by()
    )
    return unit_table(user, {r["unit_id"]: r for r in per_unit}, UnitSegment, unit)
