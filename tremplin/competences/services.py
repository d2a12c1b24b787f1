"""Recording evidence and keeping the profile in step with it.

Other apps call `record_evidence` (the diagnostic, an advisor's observation) or
`record_evidence_bulk` (the Pix Orga import): the evidence is stored and the agent's
profile entry recomputed in the same transaction, so that a profile never disagrees
with its evidence. A recomputation that changes an estimate keeps the old one in
ProfileHistory.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from tremplin.core import audit
from tremplin.core.bulk import chunks, insert_rows, insert_rows_returning_pks, update_rows
from tremplin.core.enums import AuditAction

from .enums import EvidenceSource
from .merge import MAX_LEVEL, MIN_LEVEL, Observation, merge
from .models import Competence, Evidence, ProfileEntry, ProfileHistory

CENT = Decimal("0.01")
PROFILE_FIELDS = ["level", "sd", "measured_on", "evidence_count", "main_source", "computed_at"]
EVIDENCE_TYPE = "competences.evidence"
AGENTS_PER_BATCH = 500
HISTORY_COLUMNS = ["agent", "competence", *PROFILE_FIELDS, "replaced_at"]


class EvidenceError(ValueError):
    """Evidence that cannot be stored; the message is French."""


@dataclass(frozen=True)
class EvidenceInput:
    """One observation for record_evidence_bulk; `competence` is a Competence or its code."""

    agent_id: int
    competence: Competence | str
    level: Decimal | float | int | str
    source: str
    observed_on: dt.date | None = None
    sd: Decimal | float | None = None
    origin: models.Model | None = None  # the object that produced it, as in record_evidence
    origin_label: str = ""
    note: str = ""


def _decimal(value, what: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise EvidenceError(f"{what} : « {value} » n'est pas un nombre.") from exc
    if not number.is_finite():
        raise EvidenceError(f"{what} : « {value} » n'est pas un nombre.")
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def _checked_level(value) -> Decimal:
    level = _decimal(value, "Niveau")
    if not MIN_LEVEL <= level <= MAX_LEVEL:
        raise EvidenceError(f"Niveau {value} : un niveau va de 0 à 8.")
    return level


def _checked_sd(value) -> Decimal | None:
    if value is None:
        return None
    sd = _decimal(value, "Incertitude")
    if sd < 0:
        raise EvidenceError("L'incertitude ne peut pas être négative.")
    return sd


_SOURCES = frozenset(EvidenceSource.values)  # .values builds a new list at every access


def _checked_source(value) -> str:
    if value not in _SOURCES:
        raise EvidenceError(f"Source inconnue : « {value} ».")
    return value


def _competences_by_code(codes: Iterable[str]) -> dict[str, Competence]:
    codes = set(codes)
    found = {c.code: c for c in Competence.objects.filter(code__in=codes)}
    missing = codes - found.keys()
    if missing:
        raise EvidenceError(f"Compétence inconnue : {', '.join(sorted(missing))}.")
    return found


def record_evidence(
    *,
    agent,
    competence: Competence | str,
    level,
    source: str,
    observed_on: dt.date | None = None,
    sd=None,
    author=None,
    origin=None,
    origin_label: str = "",
    note: str = "",
) -> Evidence:
    """Stores one observation and recomputes that agent's profile entry, atomically.

    `competence` is a Competence or its code ("4.1"); `level` 0–8 (decimals allowed);
    `sd` the uncertainty in levels when the source knows it; `origin` the object that
    produced the evidence (a diagnostic attempt…) or `origin_label` a text reference
    (a Pix campaign code). The author defaults to the user the audit log is acting as.
    """
    if isinstance(competence, str):
        competence = _competences_by_code([competence])[competence]
    evidence = Evidence(
        agent=agent,
        competence=competence,
        source=_checked_source(source),
        level=_checked_level(level),
        sd=_checked_sd(sd),
        observed_on=observed_on or timezone.localdate(),
        author=author if author is not None else audit.current_actor().user,
        origin_label=origin_label[:200],
        note=note,
    )
    if origin is not None:
        evidence.origin_type = ContentType.objects.get_for_model(origin)
        evidence.origin_id = str(origin.pk)
    with transaction.atomic():
        evidence.save()
        recompute_profiles([(agent.pk, competence.pk)])
    return evidence


def record_evidence_bulk(items: Iterable[EvidenceInput], *, author=None) -> dict[str, int]:
    """Stores many observations (an import) with bulk inserts, one audit entry each, and
    recomputes every profile entry they touch; all or nothing. Checks every item before
    writing anything.

    Rows are plain tuples rather than Evidence instances: for the 80,000 observations of
    a Pix import, building instances, bulk_create's per-value compilation and one
    snapshot() per row took 25 s of a 28 s import."""
    items = list(items)
    competences = _competences_by_code(
        item.competence for item in items if isinstance(item.competence, str)
    )
    author = author if author is not None else audit.current_actor().user
    author_id = getattr(author, "pk", None)
    today = timezone.localdate()
    rows = []
    for item in items:
        competence = (
            competences[item.competence] if isinstance(item.competence, str) else item.competence
        )
        origin_type_id, origin_id = None, ""
        if item.origin is not None:
            # get_for_model caches: one query per kind of origin, not per row.
            origin_type_id = ContentType.objects.get_for_model(item.origin).pk
            origin_id = str(item.origin.pk)
        rows.append(
            (
                item.agent_id,
                competence.pk,
                _checked_source(item.source),
                _checked_level(item.level),
                _checked_sd(item.sd),
                item.observed_on or today,
                author_id,
                origin_type_id,
                origin_id,
                item.origin_label[:200],
                item.note,
                competence.code,
            )
        )
    labels = {value: str(label) for value, label in EvidenceSource.choices}
    with transaction.atomic():
        pks = _insert_evidence([row[:-1] for row in rows])
        audit.record_many(
            (
                AuditAction.CREATE,
                EVIDENCE_TYPE,
                pk,
                # Evidence.__str__, without loading the competence per row.
                f"{row[11]} niveau {row[3]} ({labels.get(row[2], row[2])}, {row[5]:%d/%m/%Y})"[
                    :255
                ],
                _creation_changes(pk, row),
            )
            for pk, row in zip(pks, rows, strict=True)
        )
        changed = recompute_profiles({(row[0], row[1]) for row in rows})
    return {"evidence": len(rows), "profiles_changed": changed}


# Evidence columns written by record_evidence_bulk, in the order of its row tuples;
# recorded_at is added last (auto_now_add is not applied outside save()).
EVIDENCE_COLUMNS = [
    "agent",
    "competence",
    "source",
    "level",
    "sd",
    "observed_on",
    "author",
    "origin_type",
    "origin_id",
    "origin_label",
    "note",
]
# The keys audit.snapshot() gives an Evidence (recorded_at is left out, auto_now_add).
_SNAPSHOT_KEYS = [
    "agent_id",
    "competence_id",
    "source",
    "level",
    "sd",
    "observed_on",
    "author_id",
    "origin_type_id",
    "origin_id",
    "origin_label",
    "note",
]


def _creation_changes(pk, row) -> dict:
    """audit.diff(None, audit.snapshot(evidence)) computed from the row: values as
    _plain() gives them, and None values left out as diff() leaves out what is unchanged."""
    changes = {"id": [None, pk]}
    for key, value in zip(_SNAPSHOT_KEYS, row, strict=False):
        if value is None:
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        changes[key] = [None, value]
    return changes


def _insert_evidence(rows: list[tuple]) -> list[int]:
    """The new evidence rows, all stamped with the same recording time; their pks in order."""
    now = timezone.now()
    return insert_rows_returning_pks(
        Evidence, [*EVIDENCE_COLUMNS, "recorded_at"], [(*row, now) for row in rows]
    )


def _same(entry: ProfileEntry, values: dict) -> bool:
    return all(getattr(entry, name) == values[name] for name in PROFILE_FIELDS[:-1])


def _history_of(entry: ProfileEntry, replaced_at) -> tuple:
    return (
        entry.agent_id,
        entry.competence_id,
        *(getattr(entry, name) for name in PROFILE_FIELDS),
        replaced_at,
    )


def recompute_profiles(pairs: Iterable[tuple[int, int]]) -> int:
    """Recomputes the profile entries of these (agent id, competence id) pairs from all
    their evidence; returns how many entries changed. Call inside a transaction."""
    pairs = set(pairs)
    if not pairs:
        return 0
    now = timezone.now()
    by_agent: dict[int, set[int]] = defaultdict(set)
    for agent_id, competence_id in pairs:
        by_agent[agent_id].add(competence_id)
    changed = 0
    for agent_ids in chunks(sorted(by_agent), AGENTS_PER_BATCH):
        competence_ids = set().union(*(by_agent[a] for a in agent_ids))
        observations: dict[tuple[int, int], list[Observation]] = defaultdict(list)
        for pk, agent_id, competence_id, source, level, sd, observed_on in Evidence.objects.filter(
            agent_id__in=agent_ids, competence_id__in=competence_ids
        ).values_list("pk", "agent_id", "competence_id", "source", "level", "sd", "observed_on"):
            if (agent_id, competence_id) in pairs:
                observations[(agent_id, competence_id)].append(
                    Observation(
                        level=float(level),
                        source=source,
                        observed_on=observed_on,
                        sd=None if sd is None else float(sd),
                        key=pk,
                    )
                )
        existing = {
            (e.agent_id, e.competence_id): e
            for e in ProfileEntry.objects.select_for_update().filter(
                agent_id__in=agent_ids, competence_id__in=competence_ids
            )
        }
        to_create, to_update, history, to_delete = [], [], [], []
        for agent_id in agent_ids:
            for competence_id in by_agent[agent_id]:
                pair = (agent_id, competence_id)
                estimate = merge(observations.get(pair, []))
                entry = existing.get(pair)
                if estimate is None:
                    if entry is not None:  # its evidence was deleted
                        history.append(_history_of(entry, now))
                        to_delete.append(entry.pk)
                    continue
                values = {
                    "level": Decimal(str(estimate.level)).quantize(CENT),
                    "sd": Decimal(str(estimate.sd)).quantize(CENT),
                    "measured_on": estimate.as_of,
                    "evidence_count": estimate.count,
                    "main_source": estimate.main_source,
                    "computed_at": now,
                }
                if entry is None:
                    to_create.append((agent_id, competence_id, *values.values()))
                elif not _same(entry, values):
                    history.append(_history_of(entry, now))
                    for name, value in values.items():
                        setattr(entry, name, value)
                    to_update.append(entry)
        # Plain inserts: nothing reads these pks back, and bulk_create's per-value
        # compilation cost seconds on an import's 80,000 entries.
        insert_rows(ProfileHistory, HISTORY_COLUMNS, history)
        insert_rows(ProfileEntry, ["agent", "competence", *PROFILE_FIELDS], to_create)
        update_rows(to_update, PROFILE_FIELDS)
        if to_delete:
            ProfileEntry.objects.filter(pk__in=to_delete).delete()
        changed += len(to_create) + len(to_update) + len(to_delete)
    return changed
