"""The thin layer between the adaptive engine (engine.py, pure) and the database.

An Attempt stores the engine's Session as plain data (`state`), the question on screen
(`current_item`) and the number of answers (`position`). Every step runs in one
transaction on the locked attempt, so that:
- the question on screen stays the same until it is answered (reloading, pausing,
  coming back tomorrow show the same one), unless HR retires it meanwhile;
- an answer is committed as soon as it is submitted, and a second submission of the
  same screen (double tap, back button, a second tab) changes nothing, because it
  carries a position and an item code that no longer match;
- the last answer, the result and the evidence it gives the agent's profile are
  written together or not at all.

Scale. The engine measures ability theta in levels where [L, L+1) is level L (its
middle is L + 0.5). The competence profile reads an evidence level x as the whole level
round(x) (merge.whole_level), as for a Pix level. The evidence therefore records
theta - 0.5, so that the profile shows the very level the engine found.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict

from django.db import transaction
from django.utils import timezone

from tremplin.competences.enums import EvidenceSource
from tremplin.competences.models import Competence
from tremplin.competences.services import record_evidence
from tremplin.core import audit
from tremplin.core.enums import AuditAction

from . import engine
from .enums import ItemKind
from .models import Attempt, Campaign, Item, Participation, Response

# The middle of level L is theta = L + 0.5 (engine); the profile's level L is x = L.
EVIDENCE_SHIFT = 0.5
SEED_BITS = 62


class NoTargets(ValueError):
    """The campaign targets no competence the engine knows (CRCN codes only)."""


def engine_bank() -> list[engine.Item]:
    """The active questions of CRCN competences, as the engine sees them. Ordered by
    code: the engine breaks ties by position, so the order must not depend on the
    database."""
    rows = (
        Item.objects.active()
        .filter(competence__code__in=engine.COMPETENCES)
        .order_by("code")
        .values_list("code", "competence__code", "a", "b")
    )
    return [
        engine.Item(id=code, competence=engine.competence_index(competence), a=a, b=b)
        for code, competence, a, b in rows
    ]


def targets_of(campaign: Campaign) -> tuple[int, ...]:
    codes = campaign.competences.filter(code__in=engine.COMPETENCES).values_list("code", flat=True)
    return tuple(sorted(engine.competence_index(code) for code in codes))


def config_for(campaign: Campaign) -> engine.Config:
    targets = targets_of(campaign)
    if not targets:
        raise NoTargets(f"campaign {campaign.pk} has no CRCN competence")
    return engine.Config(
        targets=targets, precision=campaign.precision, max_items=campaign.max_items
    )


def _session(attempt: Attempt) -> engine.Session:
    return engine.Session.from_dict(attempt.state, engine_bank())


def _locked(attempt: Attempt) -> Attempt:
    return Attempt.objects.select_for_update().get(pk=attempt.pk)


def start_or_resume(participation: Participation, *, seed: int | None = None) -> Attempt:
    """The participation's attempt, created on first call with a random seed (or the
    given one: the demo data is reproducible) and the campaign's rules, its first
    question already chosen."""
    with transaction.atomic():
        locked = Participation.objects.select_for_update().get(pk=participation.pk)
        attempt = Attempt.objects.filter(participation=locked).first()
        if attempt is not None:
            return attempt
        config = config_for(locked.campaign)
        seed = secrets.randbits(SEED_BITS) if seed is None else seed
        session = engine.Session(engine_bank(), config, seed)
        attempt = Attempt.objects.create(participation=locked, seed=seed, state=session.to_dict())
        now = timezone.now()
        Participation.objects.filter(pk=locked.pk).update(started_at=locked.started_at or now)
        audit.record(AuditAction.UPDATE, obj=locked, summary="diagnostic commencé")
        _advance(attempt, session)
    participation.refresh_from_db(fields=["started_at", "finished_at"])
    return attempt


def current_item(attempt: Attempt) -> Item | None:
    """The question to show: the same one until it is answered; None once finished.
    A question retired since it was chosen is replaced by another."""
    if attempt.finished_at:
        return None
    item = attempt.current_item
    if item is not None and not item.retired:
        return item
    with transaction.atomic():
        locked = _locked(attempt)
        current = locked.current_item
        if not locked.finished_at and (current is None or current.retired):
            _advance(locked, _session(locked))
    attempt.refresh_from_db()
    return attempt.current_item


def check_answer(item: Item, answer: list[str] | None) -> None:
    """Raises ValueError for an answer the screen of this item cannot produce."""
    if answer is None:
        return
    keys = [choice["key"] for choice in item.choices]
    if not answer or len(set(answer)) != len(answer) or not set(answer) <= set(keys):
        raise ValueError("answer keys must be distinct keys of the item")
    if item.kind == ItemKind.ORDER and len(answer) != len(keys):
        raise ValueError("an order answer ranks every step")
    if item.kind == ItemKind.SINGLE and len(answer) != 1:
        raise ValueError("a single-choice answer has one key")


def submit(attempt: Attempt, *, position: int, item_code: str, answer: list[str] | None) -> bool:
    """Records the answer to the question on screen and chooses the next one (or
    finishes). False, and nothing written, when the submission is stale: not the
    question on screen, or already answered."""
    with transaction.atomic():
        locked = _locked(attempt)
        item = locked.current_item
        stale = (
            locked.finished_at is not None
            or item is None
            or item.retired
            or position != locked.position
            or item.code != item_code
        )
        if stale:
            attempt.refresh_from_db()
            return False
        check_answer(item, answer)
        correct = item.grade(answer)
        Response.objects.create(
            attempt=locked, position=locked.position, item=item, answer=answer, correct=correct
        )
        session = _session(locked)
        session.answer(item.code, correct)
        locked.state = session.to_dict()
        locked.position += 1
        _advance(locked, session)
    attempt.refresh_from_db()
    return True


def _advance(attempt: Attempt, session: engine.Session) -> None:
    """Puts the engine's next question on screen, or finishes. Saves the attempt."""
    chosen = session.next_item()
    if chosen is None:
        _finish(attempt, session)
        return
    attempt.current_item = Item.objects.get(code=chosen.id)
    attempt.save()


def finish(attempt: Attempt) -> None:
    """Ends the attempt now (e.g. the campaign closes): result, evidence, participation."""
    with transaction.atomic():
        locked = _locked(attempt)
        if not locked.finished_at:
            _finish(locked, _session(locked))
    attempt.refresh_from_db()


def _finish(attempt: Attempt, session: engine.Session) -> None:
    result = session.result()
    now = timezone.now()
    attempt.result = {**asdict(result), "competences": list(engine.COMPETENCES)}
    attempt.finished_at = now
    attempt.current_item = None
    attempt.save()
    participation = attempt.participation
    Participation.objects.filter(pk=participation.pk).update(finished_at=now)
    audit.record(
        AuditAction.UPDATE,
        obj=participation,
        summary=f"diagnostic terminé en {result.n_items} questions",
    )
    if not result.n_items:
        return  # nothing was asked (an empty bank): the prior is no evidence
    codes = [engine.COMPETENCES[t] for t in result.targets]
    competences = Competence.objects.in_bulk(codes, field_name="code")
    label = f"Diagnostic : {participation.campaign.name}"
    # One call per competence rather than record_evidence_bulk: only record_evidence
    # links each observation to the attempt that produced it (origin).
    for t, code in zip(result.targets, codes, strict=True):
        level = min(max(result.means[t] - EVIDENCE_SHIFT, 0.0), float(engine.MAX_LEVEL))
        record_evidence(
            agent=participation.agent,
            competence=competences[code],
            level=round(level, 2),
            sd=round(result.sds[t], 2),
            source=EvidenceSource.DIAGNOSTIC,
            origin=attempt,
            origin_label=label,
        )


def result_levels(attempt: Attempt) -> dict[str, int]:
    """{competence code: engine level 0..8} of the targeted competences of a finished
    attempt."""
    result = attempt.result
    codes = result.get("competences", engine.COMPETENCES)
    return {codes[t]: result["levels"][t] for t in result.get("targets", [])}
