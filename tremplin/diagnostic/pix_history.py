"""One agent's Pix history as their competence profile page shows it: each imported
participation, newest first, with a short reading of its raw results and what it gave
to the profile (the evidence it produced, or why it produced none).

Three queries whatever the number of participations: the participations with their
campaign, the evidence they produced for this agent, the names of the competences
they mention. The reasons given for what did not count follow pix_import's rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.db.models.functions import Coalesce

from tremplin.competences.merge import pix_to_level
from tremplin.competences.models import Competence, Evidence

from .models import PixCampaignKind, PixParticipation
from .pix_import import ASSESSMENT_MIN_SKILLS

CRCN_CODE = re.compile(r"\d\.\d")
STAGE = re.compile(r"(\d+)/(\d+)")

# What a participation gave to the profile.
COUNTED = "counted"
NOT_SHARED = "not_shared"
TOO_FEW_SKILLS = "too_few_skills"  # assessment: every competence below ASSESSMENT_MIN_SKILLS
NOTHING = "nothing"  # shared, but no result that makes evidence (0 pix everywhere…)

# Why one competence of a shared participation gave no evidence.
REASON_TOO_FEW_SKILLS = "too_few_skills"
REASON_NOT_PLAYED = "not_played"  # profiles collection: 0 pix means "not played"
REASON_NO_RESULT = "no_result"
REASON_OUTSIDE = "outside"  # not a CRCN competence: kept raw only


def percent(value) -> int | None:
    """Pix writes a share as 0.75 (since 2021) or 75 (before): both read 75 (%)."""
    if value is None:
        return None
    value = float(value)
    return round(value * 100 if value <= 1 else value)


def whole(value):
    """52.0 -> 52 (the JSON keeps floats), 12.5 stays."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass
class CompetenceResult:
    code: str
    name: str
    words: str  # what the agent reads
    level: int | None = None  # profiles collection
    pix: int | float | None = None
    mastery: int | None = None  # assessment, in %
    skills: int | None = None
    validated: int | None = None
    counted: bool = False
    reason: str = ""

    @property
    def is_crcn(self) -> bool:
        return bool(CRCN_CODE.fullmatch(self.code))

    @property
    def played(self) -> bool:
        return self.reason != REASON_NOT_PLAYED


@dataclass
class PixHistoryLine:
    participation: PixParticipation
    evidence_count: int
    competences: list[CompetenceResult] = field(default_factory=list)
    total_pix: int | float | None = None
    certifiable: bool | None = None
    mastery: int | None = None  # overall, in %
    progress: int | None = None
    stage_reached: int | None = None
    stage_total: int | None = None
    stage_text: str = ""  # as the file wrote it, when it is not "n/m"
    badges_obtained: list[str] = field(default_factory=list)
    badges_missed: list[str] = field(default_factory=list)

    min_skills = ASSESSMENT_MIN_SKILLS

    @property
    def campaign(self):
        return self.participation.campaign

    @property
    def is_assessment(self) -> bool:
        return self.campaign.kind == PixCampaignKind.ASSESSMENT

    @property
    def kind_words(self) -> str:
        return "évaluation" if self.is_assessment else "collecte de profils"

    @property
    def started_on(self) -> dt.date | None:
        return self.participation.started_on

    @property
    def shared(self) -> bool:
        return self.participation.shared

    @property
    def shared_on(self) -> dt.date | None:
        return self.participation.shared_on

    @property
    def outcome(self) -> str:
        if self.evidence_count:
            return COUNTED
        if not self.shared:
            return NOT_SHARED
        if self.too_few_skills:
            return TOO_FEW_SKILLS
        return NOTHING

    @property
    def counted_competences(self) -> list[CompetenceResult]:
        return [c for c in self.competences if c.counted]

    @property
    def too_few_skills(self) -> list[CompetenceResult]:
        return [c for c in self.competences if c.reason == REASON_TOO_FEW_SKILLS]

    @property
    def played_competences(self) -> list[CompetenceResult]:
        return [c for c in self.competences if c.played]

    @property
    def not_played_competences(self) -> list[CompetenceResult]:
        return [c for c in self.competences if not c.played]


def history_for(agent) -> list[PixHistoryLine]:
    """The agent's Pix participations, newest first (start date, else share date)."""
    participations = list(
        PixParticipation.objects.filter(agent=agent)
        .select_related("campaign")
        .order_by(
            Coalesce("started_on", "shared_on").desc(nulls_last=True),
            F("shared_on").desc(nulls_last=True),
            "-pk",
        )
    )
    if not participations:
        return []
    content_type = ContentType.objects.get_for_model(PixParticipation)  # cached
    counted = defaultdict(list)
    for origin_id, code in Evidence.objects.filter(
        agent=agent,
        origin_type=content_type,
        origin_id__in=[str(p.pk) for p in participations],
    ).values_list("origin_id", "competence__code"):
        counted[int(origin_id)].append(code)
    codes = {code for p in participations for code in p.values.get("competences", {})}
    names = {
        code: (name, plain_name or name)
        for code, name, plain_name in Competence.objects.filter(code__in=codes).values_list(
            "code", "name", "plain_name"
        )
    }
    return [_line(p, counted[p.pk], names) for p in participations]


def _line(participation: PixParticipation, counted_codes: list[str], names) -> PixHistoryLine:
    values = participation.values
    assessment = participation.campaign.kind == PixCampaignKind.ASSESSMENT
    line = PixHistoryLine(
        participation=participation,
        evidence_count=len(counted_codes),
        total_pix=whole(values.get("total_pix")),
        certifiable=values.get("certifiable"),
        mastery=percent(values.get("mastery")),
        progress=percent(values.get("progress")),
    )
    stage = values.get("stage", "")
    found = STAGE.fullmatch(stage.replace(" ", ""))
    if found:
        line.stage_reached, line.stage_total = int(found[1]), int(found[2])
    else:
        line.stage_text = stage
    for badge, obtained in values.get("badges", {}).items():
        (line.badges_obtained if obtained else line.badges_missed).append(badge)
    counted_codes = set(counted_codes)
    for code, found in sorted(values.get("competences", {}).items()):
        name, words = names.get(code, (code, code))
        result = CompetenceResult(
            code=code,
            name=name,
            words=words,
            pix=whole(found.get("pix")),
            mastery=percent(found.get("mastery")),
            skills=whole(found.get("skills")),
            validated=whole(found.get("validated")),
            counted=code in counted_codes,
        )
        if "level" in found:
            result.level = min(int(found["level"]), 8)
        elif found.get("pix") is not None:
            result.level = pix_to_level(found["pix"])
        if not result.counted and participation.shared:
            result.reason = _reason(result, assessment)
        line.competences.append(result)
    return line


def _reason(result: CompetenceResult, assessment: bool) -> str:
    """Why a competence of a shared participation gave no evidence (pix_import's rule)."""
    if not result.is_crcn:
        return REASON_OUTSIDE
    if assessment:
        if result.mastery is None:
            return REASON_NO_RESULT
        if (result.skills or 0) < ASSESSMENT_MIN_SKILLS:
            return REASON_TOO_FEW_SKILLS
        return REASON_NO_RESULT
    if result.pix is not None and result.pix <= 0:
        return REASON_NOT_PLAYED
    return REASON_NO_RESULT
