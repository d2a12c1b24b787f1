"""Demo data for the competences app: what each seeded job requires, and believable
evidence for part of the workforce, so that the heat map and the gaps mean something.

`seed(seed=…)` runs inside seed_demo's transaction, after the workforce is written.
It reads the agents back, draws evidence with its own `random.Random(seed)` (same seed,
same data) and writes everything with bulk inserts; profiles are merged in Python with
the same rule as in production (merge.merge), so no per-row recomputation is needed.

Who gets what (Rennes' situation at the start of the plan):
- office agents: most took a Pix profile collection (all 16 competences, levels
  mostly 2–5 depending on their category), some later saw an advisor or a training;
- field agents with an active account: about half took the Tremplin diagnostic on the
  competences their job requires (decimal estimates with their uncertainty);
- agents far from digital tools (field, no active account): mostly nothing yet, some
  advisor observations at levels 0–2.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from tremplin.core import audit
from tremplin.core.bulk import insert_rows
from tremplin.core.enums import AuditAction

from .enums import EvidenceSource
from .merge import Observation, merge

# --- What jobs require ------------------------------------------------------------------

FIELD_BASE = {"2.1": 1, "4.1": 1, "5.1": 1}
OFFICE_BASE = {
    "1.1": 3,
    "1.2": 3,
    "1.3": 2,
    "2.1": 3,
    "2.3": 2,
    "2.4": 2,
    "3.1": 3,
    "4.1": 2,
    "4.2": 3,
    "5.1": 2,
}
# Per job family, on top of the base of the job's work kind (a higher level wins).
FAMILY_EXTRA = {
    "Soins et accompagnement": {"2.1": 2, "4.2": 2, "1.2": 1},
    "Hôtellerie et restauration": {"1.2": 1},
    "Éducation et animation": {"2.1": 2, "4.2": 1, "4.3": 1},
    "Petite enfance": {"2.1": 2, "4.2": 2, "3.2": 1},
    "Voirie et réseaux": {"2.1": 2},
    "Patrimoine bâti": {"2.1": 2, "1.1": 1, "5.1": 2},
    "Logistique et mécanique": {"1.2": 2, "1.3": 1, "5.1": 2},
    "Sports": {"2.1": 2, "4.2": 1},
    "Culture": {"2.1": 2, "2.2": 1},
    "Sécurité et prévention": {"2.1": 2, "4.2": 2},
    "Encadrement de proximité": {
        "2.1": 3,
        "1.3": 2,
        "3.1": 2,
        "2.3": 2,
        "4.1": 2,
        "4.2": 2,
        "5.1": 2,
    },
    "Direction et encadrement": {"1.3": 3, "2.3": 3, "3.3": 3},
    "Ressources humaines": {"1.3": 3, "4.2": 4},
    "Finances": {"1.3": 4},
    "Affaires juridiques": {"1.1": 4, "3.1": 4, "3.3": 3},
    "Systèmes d'information": {"1.2": 4, "4.1": 5, "5.1": 5, "5.2": 5, "3.4": 3},
    "Accueil et population": {"2.4": 3},
    "Administration générale": {"3.3": 3},
    "Communication": {"2.2": 4, "3.2": 4, "3.3": 4},
    "Environnement": {"4.3": 4, "2.2": 3},
    "Action sociale": {"2.4": 3, "4.2": 4},
}
# Per job title, replacing what the base and the family give for these competences.
JOB_OVERRIDE = {
    "Infirmier(ère)": {"2.1": 3, "1.2": 3, "3.1": 2, "4.2": 3},
    "Agent(e) de courrier": {"1.1": 2, "1.2": 2, "1.3": 1, "3.1": 2, "4.2": 2},
    "Graphiste": {"3.2": 5, "3.3": 5},
    "Conseiller(ère) numérique": {"2.4": 5, "2.3": 4, "3.1": 4, "4.1": 4, "5.1": 5, "5.2": 4},
    "Administrateur(trice) systèmes et réseaux": {"3.4": 4, "5.2": 6, "4.1": 6},
    "Responsable de la sécurité informatique": {"4.1": 7, "4.2": 5},
    "Géomaticien(ne)": {"1.3": 5, "3.4": 3},
    "Contrôleur(se) de gestion": {"1.3": 5},
}


def requirements_for(title: str, family: str, work_kind: str) -> dict[str, int]:
    levels = dict(FIELD_BASE if work_kind == "field" else OFFICE_BASE)
    for code, level in FAMILY_EXTRA.get(family, {}).items():
        levels[code] = max(levels.get(code, 0), level)
    levels.update(JOB_OVERRIDE.get(title, {}))
    return levels


# --- Evidence ---------------------------------------------------------------------------

PIX_SHARE_OFFICE = 0.7
FOLLOW_UP_SHARE = 0.15  # of Pix takers, seen again later by an advisor or a training
DIAGNOSTIC_SHARE_FIELD = 0.45
OBSERVED_SHARE_FAR = 0.12
CATEGORY_EASE = {"A": 3.8, "B": 3.3, "C": 2.6}
# How each competence compares with a person's overall ease (Pix national results
# show programming and multimedia far behind searching and exchanging).
COMPETENCE_OFFSET = {
    "1.1": 0.6,
    "1.2": 0.0,
    "1.3": -0.3,
    "2.1": 0.7,
    "2.2": 0.1,
    "2.3": -0.1,
    "2.4": 0.3,
    "3.1": 0.2,
    "3.2": -0.8,
    "3.3": -0.4,
    "3.4": -2.0,
    "4.1": -0.2,
    "4.2": 0.0,
    "4.3": -0.5,
    "5.1": -0.3,
    "5.2": -0.6,
}
PIX_CAMPAIGNS = ["BEAUMONT-PROFILS-2024", "BEAUMONT-PROFILS-2025"]
BATCH = 2000


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _requirements(jobs) -> list[tuple[int, str, int]]:
    return [
        (job_id, code, level)
        for job_id, title, family, work_kind in jobs
        for code, level in requirements_for(title, family, work_kind).items()
    ]


def practised(title: str, family: str) -> dict[str, float]:
    """What holders of a job are better at than their overall ease: the competences their
    job asks more of than the base does (a payroll clerk handles spreadsheets daily)."""
    bonus = dict.fromkeys(FAMILY_EXTRA.get(family, {}), 1.0)
    bonus.update((code, 1.5) for code in JOB_OVERRIDE.get(title, {}))
    return bonus


def _draw_evidence(rng, agents, required_codes, practice, codes, today, advisor_ids, demo_agent_id):
    """[(agent id, code, source, level, sd, date, author id, origin label)]"""
    evidence = []

    def day(max_days_ago: int, min_days_ago: int = 1) -> dt.date:
        return today - dt.timedelta(days=rng.randint(min_days_ago, max_days_ago))

    def advisor():
        return rng.choice(advisor_ids) if advisor_ids else None

    for agent_id, job_id, work_kind, category, active in agents:
        ease = rng.gauss(CATEGORY_EASE.get(category, 2.7), 0.9)
        required = required_codes.get(job_id, [])
        bonus = practice.get(job_id, {})
        if work_kind == "office":
            if rng.random() >= PIX_SHARE_OFFICE:
                continue
            taken = day(700, 60)
            campaign = PIX_CAMPAIGNS[0] if taken.year < today.year else PIX_CAMPAIGNS[-1]
            for code in codes:
                skill = ease + COMPETENCE_OFFSET[code] + bonus.get(code, 0.0)
                level = int(_clamp(round(skill + rng.gauss(0, 0.7)), 0, 7))
                evidence.append(
                    (agent_id, code, EvidenceSource.PIX, level, None, taken, None, campaign)
                )
            if rng.random() < FOLLOW_UP_SHARE and required:
                # Coached or trained since: one level up on a competence the job needs.
                code = rng.choice(required)
                later = min(taken + dt.timedelta(days=rng.randint(20, 400)), today)
                skill = ease + COMPETENCE_OFFSET[code] + bonus.get(code, 0.0)
                level = int(_clamp(round(skill) + 1, 1, 7))
                if rng.random() < 0.5:
                    evidence.append(
                        (agent_id, code, EvidenceSource.ADVISOR, level, None, later, advisor(), "")
                    )
                else:
                    training = "Formation bureautique des conseillers numériques"
                    evidence.append(
                        (
                            agent_id,
                            code,
                            EvidenceSource.TRAINING,
                            level,
                            None,
                            later,
                            None,
                            training,
                        )
                    )
        elif active:
            if rng.random() >= DIAGNOSTIC_SHARE_FIELD or not required:
                continue
            taken = day(180)
            base = _clamp(rng.gauss(2.0, 0.9), 0, 5)
            for code in required:
                level = round(_clamp(base + rng.gauss(0, 0.6), 0, 6), 1)
                sd = round(rng.uniform(0.45, 0.9), 2)
                evidence.append(
                    (agent_id, code, EvidenceSource.DIAGNOSTIC, level, sd, taken, None, "")
                )
        elif required and (agent_id == demo_agent_id or rng.random() < OBSERVED_SHARE_FAR):
            seen = day(120)
            for code in rng.sample(required, min(len(required), rng.randint(2, 3))):
                level = rng.choice((0, 1, 1, 1, 2))
                evidence.append(
                    (agent_id, code, EvidenceSource.ADVISOR, level, None, seen, advisor(), "")
                )
    return evidence


def _delete_all_rows(*models) -> None:
    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's own table name)


def wipe() -> None:
    """Empties the competences data that points at agents and jobs, so that seed_demo's
    --reset keeps its fast path. The framework itself stays."""
    from .models import Evidence, JobRequirement, ProfileEntry, ProfileHistory

    counts = {"observations": Evidence.objects.count(), "profils": ProfileEntry.objects.count()}
    _delete_all_rows(ProfileHistory, ProfileEntry, Evidence, JobRequirement)
    audit.record(
        AuditAction.DELETE,
        target_type="competences.evidence",
        summary="effacement des compétences avant un jeu de démonstration",
        changes=counts,
    )


EVIDENCE_COLUMNS = [
    "agent",
    "competence",
    "source",
    "level",
    "sd",
    "observed_on",
    "recorded_at",
    "author",
    "origin_id",
    "origin_label",
    "note",
]
PROFILE_COLUMNS = [
    "agent",
    "competence",
    "level",
    "sd",
    "measured_on",
    "evidence_count",
    "main_source",
    "computed_at",
]
NOON = dt.time(12)


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def seed(
    *,
    seed: int = 1,
    today: dt.date | None = None,
    progress: Callable[[int, str], object] | None = None,
) -> dict[str, int]:
    """Writes job requirements for every job and evidence, profiles and history for part
    of the agents present. Call inside a transaction, after the workforce is written;
    seed_demo's single audit entry for the demo counts what this writes."""
    from tremplin.accounts.enums import Role
    from tremplin.accounts.models import User
    from tremplin.organisation.enums import IdentityStatus
    from tremplin.organisation.models import Agent, Job

    from .models import Competence, Evidence, JobRequirement, ProfileEntry, ProfileHistory

    rng = random.Random(f"competences-{seed}")
    today = today or timezone.localdate()
    now = timezone.now()
    competences = dict(Competence.objects.crcn().values_list("code", "pk"))
    codes = list(competences)

    jobs = list(Job.objects.order_by("pk").values_list("pk", "title", "family", "work_kind"))
    requirements = _requirements(jobs)
    insert_rows(
        JobRequirement,
        ["job", "competence", "level"],
        [(job_id, competences[code], level) for job_id, code, level in requirements],
    )
    required_codes = defaultdict(list)
    for job_id, code, _level in requirements:
        required_codes[job_id].append(code)

    agents = list(
        Agent.objects.present(today)
        .order_by("pk")
        .values_list("pk", "job_id", "job__work_kind", "category", "identity__status")
    )
    agents = [
        (pk, job_id, kind, category, status == IdentityStatus.ACTIVE)
        for pk, job_id, kind, category, status in agents
    ]
    advisor_ids = list(
        User.objects.filter(role_assignments__role=Role.ADVISOR)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    demo_agent_id = User.objects.filter(username="agent").values_list("agent_id", flat=True).first()
    practice = {job_id: practised(title, family) for job_id, title, family, _kind in jobs}
    drawn = _draw_evidence(
        rng, agents, required_codes, practice, codes, today, advisor_ids, demo_agent_id
    )

    bar = (progress or (lambda total, desc: _NoProgress()))(len(drawn), "Compétences")
    evidence_rows = []
    observations = defaultdict(list)
    for agent_id, code, source, level, sd, observed_on, author_id, origin in drawn:
        level, sd = Decimal(str(level)), None if sd is None else Decimal(str(sd))
        competence_id = competences[code]
        evidence_rows.append(
            (
                agent_id,
                competence_id,
                source,
                level,
                sd,
                observed_on,
                now,
                author_id,
                "",
                origin,
                "",
            )
        )
        observations[(agent_id, competence_id)].append(
            Observation(level=float(level), source=source, observed_on=observed_on, sd=sd)
        )
    insert_rows(Evidence, EVIDENCE_COLUMNS, evidence_rows, progress=bar.update)
    bar.close()

    def values(estimate):
        return (
            Decimal(str(estimate.level)),
            Decimal(str(estimate.sd)),
            estimate.as_of,
            estimate.count,
            estimate.main_source,
        )

    entries, history = [], []
    for (agent_id, competence_id), items in observations.items():
        items.sort(key=lambda o: o.observed_on)
        entries.append((agent_id, competence_id, *values(merge(items)), now))
        # What the profile said before the newest evidence arrived.
        newest = items[-1].observed_on
        earlier = [o for o in items if o.observed_on < newest]
        if earlier:
            computed = timezone.make_aware(dt.datetime.combine(earlier[-1].observed_on, NOON))
            replaced = timezone.make_aware(dt.datetime.combine(newest, NOON))
            history.append((agent_id, competence_id, *values(merge(earlier)), computed, replaced))
    insert_rows(ProfileEntry, PROFILE_COLUMNS, entries)
    insert_rows(ProfileHistory, [*PROFILE_COLUMNS, "replaced_at"], history)
    summary = {
        "requirements": len(requirements),
        "evidence": len(evidence_rows),
        "profiles": len(entries),
        "history": len(history),
        "agents_measured": len({agent_id for agent_id, _ in observations}),
    }
    return summary
