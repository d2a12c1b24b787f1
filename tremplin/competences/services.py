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
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from operator import attrgetter, itemgetter
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from tremplin.core import audit
from tremplin.core.bulk import (
    chunks,
    copy_rows,
    cyclic_gc_paused,
    insert_rows,
    insert_rows_returning_pks,
    update_values,
)
from tremplin.core.enums import AuditAction

from .enums import EvidenceSource
from .merge import MAX_LEVEL, MIN_LEVEL, Observation, merge
from .models import Competence, Evidence, ProfileEntry, ProfileHistory
from .signals import evidence_recorded

CENT = Decimal("0.01")
PROFILE_FIELDS = ["level", "sd", "measured_on", "evidence_count", "main_source", "computed_at"]
EVIDENCE_TYPE = "competences.evidence"
AGENTS_PER_BATCH = 500
HISTORY_FIELDS = ["agent", "competence", *PROFILE_FIELDS]  # and replaced_at


class EvidenceError(ValueError):
    """Evidence that cannot be stored; the message is French."""


class EvidenceInput(NamedTuple):
    """One observation for record_evidence_bulk; `competence` is a Competence or its code.
    A NamedTuple, like merge.Observation: an import builds 80,000 of them."""

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
        evidence_recorded.send(sender=Evidence, agent_ids=[agent.pk])
    return evidence


def record_evidence_bulk(items: Iterable[EvidenceInput], *, author=None) -> dict[str, int]:
    """Stores many observations (an import) with bulk inserts, audited by batches of
    observations of one agent from one origin (see _audit_entries), and recomputes every
    profile entry they touch; all or nothing. Checks every item before writing anything.

    Rows are plain tuples rather than Evidence instances: for the 80,000 observations of
    a Pix import, building instances, bulk_create's per-value compilation and one
    snapshot() per row took 25 s of a 28 s import. The profiles are computed from these
    rows plus one read of the evidence the touched pairs already had, rather than by
    reading everything back."""
    with cyclic_gc_paused():
        return _record_evidence_bulk(list(items), author)


def _record_evidence_bulk(items: list[EvidenceInput], author) -> dict[str, int]:
    competences = _competences_by_code(
        item.competence for item in items if isinstance(item.competence, str)
    )
    author = author if author is not None else audit.current_actor().user
    author_id = getattr(author, "pk", None)
    today = timezone.localdate()
    # Imports repeat a few levels, uncertainties and kinds of origin over thousands of
    # rows: each distinct one is checked once.
    levels: dict[str, Decimal] = {}
    sds: dict[str, Decimal | None] = {None: None}
    origin_types: dict[type, int] = {}
    rows, codes, pairs = [], [], []
    origin, origin_type_id, origin_id = None, None, ""
    for item in items:
        competence = (
            competences[item.competence] if isinstance(item.competence, str) else item.competence
        )
        if item.origin is not origin:  # an import's items come by origin
            origin, origin_type_id, origin_id = item.origin, None, ""
            if origin is not None:
                kind = type(origin)
                if kind not in origin_types:
                    origin_types[kind] = ContentType.objects.get_for_model(origin).pk
                origin_type_id, origin_id = origin_types[kind], str(origin.pk)
        level_text = str(item.level)
        if level_text not in levels:
            levels[level_text] = _checked_level(item.level)
        sd_text = None if item.sd is None else str(item.sd)
        if sd_text not in sds:
            sds[sd_text] = _checked_sd(item.sd)
        rows.append(
            (
                item.agent_id,
                competence.pk,
                _checked_source(item.source),
                levels[level_text],
                sds[sd_text],
                item.observed_on or today,
                author_id,
                origin_type_id,
                origin_id,
                item.origin_label[:200],
                item.note,
            )
        )
        codes.append(competence.code)
        pairs.append((item.agent_id, competence.pk))
    if not rows:
        return {"evidence": 0, "profiles_changed": 0}
    batches = _agent_batches(set(pairs))
    with transaction.atomic():
        # Read before inserting: what the pairs had, to which the new rows are added.
        observations = _observations_from_database(batches)
        pks = _insert_evidence(rows)
        audit.record_many(_audit_entries(pks, rows, codes))
        for pk, pair, row in zip(pks, pairs, rows, strict=True):
            observations[pair].append(
                Observation(
                    level=float(row[3]),
                    source=row[2],
                    observed_on=row[5],
                    sd=None if row[4] is None else float(row[4]),
                    key=pk,
                )
            )
        changed = _write_profiles(batches, observations)
        evidence_recorded.send(sender=Evidence, agent_ids=sorted({a for a, _c in pairs}))
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


AUDIT_SUMMARY_LENGTH = 255
# What the observations of one audit entry share: agent, source, date, author, origin
# type and id, origin label, note (positions in the evidence row tuples).
_AUDIT_BATCH = itemgetter(0, 2, 5, 6, 7, 8, 9, 10)


def _audit_entries(pks: list[int], rows: list[tuple], codes: list[str]) -> list[tuple]:
    """Audit entries for new evidence rows: one per batch of observations that share
    their agent, source, date, author, origin and note (for a Pix import, the 14 or so
    observations a participation gives), rather than one per observation.

    Why: one entry per observation cost a Pix import of 6,000 agents 82,000 entries, a
    third of its time and as many rows as the evidence itself, which already keeps its
    author, its recording time and its origin, and is never edited. The batch entry still
    says everything that was written: its `changes` has the keys an observation's entry
    would have ({field: [None, value]}, see audit.diff), where `id`, `competence_id`,
    `level` and `sd` hold one value per observation, in the same order; the common fields
    hold one value. Its target_id gives the ids as ranges ("812-825"), its summary the
    levels by competence. A single observation saved through record_evidence() keeps its
    own entry, written by the model's audit signal."""
    labels = {value: str(label) for value, label in EvidenceSource.choices}
    batches: dict[tuple, list[int]] = {}
    for index, key in enumerate(map(_AUDIT_BATCH, rows)):
        batches.setdefault(key, []).append(index)
    entries = []
    for key, indexes in batches.items():
        agent, source, observed_on, author, origin_type, origin_id, origin_label, note = key
        batch = [rows[i] for i in indexes]
        ids = [pks[i] for i in indexes]
        changes = {
            "id": [None, ids],
            "agent_id": [None, agent],
            "competence_id": [None, [row[1] for row in batch]],
            "source": [None, source],
            "level": [None, [str(row[3]) for row in batch]],
        }
        if any(row[4] is not None for row in batch):
            changes["sd"] = [None, [None if row[4] is None else str(row[4]) for row in batch]]
        changes["observed_on"] = [None, observed_on.isoformat()]
        if author is not None:
            changes["author_id"] = [None, author]
        if origin_type is not None:
            changes["origin_type_id"] = [None, origin_type]
        changes["origin_id"] = [None, origin_id]
        changes["origin_label"] = [None, origin_label]
        changes["note"] = [None, note]
        # Evidence.__str__ for the batch, without loading the competences.
        tail = f" ({labels.get(source, source)}, {observed_on:%d/%m/%Y})"
        levels = ", ".join(f"{codes[i]} niveau {rows[i][3]}" for i in indexes)
        if len(levels) + len(tail) > AUDIT_SUMMARY_LENGTH:
            levels = levels[: AUDIT_SUMMARY_LENGTH - len(tail) - 1].rsplit(", ", 1)[0] + "…"
        entries.append((AuditAction.CREATE, EVIDENCE_TYPE, _id_ranges(ids), levels + tail, changes))
    return entries


def _id_ranges(ids: list[int], length: int = 64) -> str:
    """The ids as ranges ("812-825, 830"), cut with "…" to fit in `length` characters."""
    ranges: list[list[int]] = []
    for pk in sorted(ids):
        if ranges and pk == ranges[-1][1] + 1:
            ranges[-1][1] = pk
        else:
            ranges.append([pk, pk])
    parts = [str(first) if first == last else f"{first}-{last}" for first, last in ranges]
    text = ", ".join(parts)
    while len(text) > length and len(parts) > 1:
        parts.pop()
        text = ", ".join(parts) + ", …"
    return text


def _insert_evidence(rows: list[tuple]) -> list[int]:
    """The new evidence rows, all stamped with the same recording time; their pks in order."""
    now = timezone.now()
    return insert_rows_returning_pks(
        Evidence, [*EVIDENCE_COLUMNS, "recorded_at"], [(*row, now) for row in rows]
    )


def recompute_profiles(pairs: Iterable[tuple[int, int]]) -> int:
    """Recomputes the profile entries of these (agent id, competence id) pairs from all
    their evidence; returns how many entries changed. Call inside a transaction."""
    batches = _agent_batches(set(pairs))
    return _write_profiles(batches, _observations_from_database(batches))


def _agent_batches(pairs: set[tuple[int, int]]) -> list[dict[int, set[int]]]:
    """The pairs by batches of AGENTS_PER_BATCH agents: {agent id: competence ids}."""
    by_agent: dict[int, set[int]] = defaultdict(set)
    for agent_id, competence_id in pairs:
        by_agent[agent_id].add(competence_id)
    return [
        {agent_id: by_agent[agent_id] for agent_id in agent_ids}
        for agent_ids in chunks(sorted(by_agent), AGENTS_PER_BATCH)
    ]


def _observations_from_database(batches: list[dict[int, set[int]]]) -> defaultdict:
    """{(agent id, competence id): stored evidence as Observations, newest first (the
    order of Evidence's Meta: the merge's sums add up in that order)}."""
    observations: defaultdict[tuple[int, int], list[Observation]] = defaultdict(list)
    for batch in batches:
        for pk, agent_id, competence_id, source, level, sd, observed_on in Evidence.objects.filter(
            agent_id__in=list(batch), competence_id__in=set().union(*batch.values())
        ).values_list("pk", "agent_id", "competence_id", "source", "level", "sd", "observed_on"):
            if competence_id in batch[agent_id]:
                observations[(agent_id, competence_id)].append(
                    Observation(
                        level=float(level),
                        source=source,
                        observed_on=observed_on,
                        sd=None if sd is None else float(sd),
                        key=pk,
                    )
                )
    return observations


_NEWEST_FIRST = attrgetter("observed_on", "key")  # sorted in reverse: Evidence's Meta order


def _write_profiles(batches: list[dict[int, set[int]]], observations: dict) -> int:
    """Merges each pair's observations (keys: evidence pks) and writes the profile
    entries that changed, keeping the replaced estimates in ProfileHistory; returns how
    many entries changed."""
    now = timezone.now()
    # Identical observations give identical estimates, and an import's thousands of
    # single Pix observations repeat a few hundred (level, date) values: each distinct
    # list is merged once. The key leaves out the evidence ids (Observation.key), which
    # only name the weights.
    estimates: dict[tuple, tuple] = {}

    def profile_values(observations: list[Observation]) -> tuple:
        content = tuple(o[:4] for o in observations)
        if content not in estimates:
            estimate = merge(observations)
            estimates[content] = (
                Decimal(str(estimate.level)).quantize(CENT),
                Decimal(str(estimate.sd)).quantize(CENT),
                estimate.as_of,
                estimate.count,
                estimate.main_source,
            )
        return estimates[content]

    changed = 0
    for batch in batches:
        existing = {
            (row[1], row[2]): row
            for row in ProfileEntry.objects.select_for_update()
            .filter(agent_id__in=list(batch), competence_id__in=set().union(*batch.values()))
            .values_list("pk", "agent_id", "competence_id", *PROFILE_FIELDS[:-1])
        }
        to_create, to_update, replaced, to_delete = [], [], [], []
        for agent_id, competence_ids in batch.items():
            for competence_id in competence_ids:
                pair = (agent_id, competence_id)
                found = observations.get(pair)
                entry = existing.get(pair)
                if not found:  # "not measured" is not level 0
                    if entry is not None:  # its evidence was deleted
                        replaced.append(entry[0])
                        to_delete.append(entry[0])
                    continue
                if len(found) > 1:
                    # Same order as a read from the database, whatever the caller gave.
                    found = sorted(found, key=_NEWEST_FIRST, reverse=True)
                values = profile_values(found)
                if entry is None:
                    to_create.append((agent_id, competence_id, *values, now))
                elif entry[3:] != values:
                    replaced.append(entry[0])
                    to_update.append((*values, now, entry[0]))
        # The estimates about to change, kept as they are in the database.
        copy_rows(ProfileEntry, ProfileHistory, HISTORY_FIELDS, replaced, replaced_at=now)
        # Plain inserts: nothing reads these pks back, and bulk_create's per-value
        # compilation cost seconds on an import's 80,000 entries.
        insert_rows(ProfileEntry, ["agent", "competence", *PROFILE_FIELDS], to_create)
        update_values(ProfileEntry, PROFILE_FIELDS, to_update)
        if to_delete:
            ProfileEntry.objects.filter(pk__in=to_delete).delete()
        changed += len(to_create) + len(to_update) + len(to_delete)
    return changed
