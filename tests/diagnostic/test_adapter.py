"""The adapter between the adaptive engine and the database: an attempt survives
requests, pauses, double submissions and retired questions, and its end becomes
evidence on the agent's competence profile."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tests.factories import AgentFactory
from tremplin.competences.enums import EvidenceSource
from tremplin.competences.models import Competence, Evidence, ProfileEntry
from tremplin.diagnostic import adapter, engine
from tremplin.diagnostic.bank_loader import load_bank
from tremplin.diagnostic.enums import CampaignStatus, InviteChannel, ItemKind
from tremplin.diagnostic.models import Attempt, Campaign, Item, Participation, Response

# --- helpers shared with test_agent_views.py and e2e/test_diagnostic.py -----------------


def make_items(codes=("1.1", "4.1"), levels=range(1, 6), per_cell=2) -> list[Item]:
    """Single-choice questions, `per_cell` per competence and level, right answer "a"."""
    competences = Competence.objects.in_bulk(list(codes), field_name="code")
    items = []
    for code in codes:
        for level in levels:
            for n in range(1, per_cell + 1):
                a, b = engine.initial_parameters(level)
                items.append(
                    Item.objects.create(
                        code=f"{code}-{level}-{n}",
                        competence=competences[code],
                        level=level,
                        kind=ItemKind.SINGLE,
                        stem=f"Question {code} de niveau {level}, numéro {n} ?",
                        choices=[
                            {"key": "a", "text": f"Bonne réponse {n}", "correct": True},
                            {"key": "b", "text": f"Mauvaise réponse {n}", "correct": False},
                            {"key": "c", "text": f"Autre réponse {n}", "correct": False},
                        ],
                        explanation=f"Explication {code}-{level}-{n}.",
                        a=a,
                        b=b,
                    )
                )
    return items


def open_campaign(codes=("1.1", "4.1"), *, max_items=6, precision=0.3, name="Diagnostic test"):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name=name,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=30),
        status=CampaignStatus.OPEN,
        max_items=max_items,
        precision=precision,
    )
    campaign.competences.set(Competence.objects.filter(code__in=codes))
    return campaign


def invite(campaign, agent, channel=InviteChannel.PAPER) -> Participation:
    return Participation.objects.create(campaign=campaign, agent=agent, channel=channel)


def right_answer(item: Item) -> list[str]:
    return item.correct_keys


def wrong_answer(item: Item) -> list[str]:
    wrong = [c["key"] for c in item.choices if c["key"] not in item.correct_keys]
    if item.kind == ItemKind.ORDER:
        return list(reversed(item.correct_keys))
    return wrong[:1]


def answer_until_the_end(attempt, choose) -> int:
    """Answers every question with choose(item) -> answer; returns how many."""
    count = 0
    while (item := adapter.current_item(attempt)) is not None:
        assert adapter.submit(
            attempt, position=attempt.position, item_code=item.code, answer=choose(item)
        )
        count += 1
        assert count <= 100, "the attempt never ends"
    return count


# --- tests --------------------------------------------------------------------------------


@pytest.fixture
def participation(db):
    make_items()
    return invite(open_campaign(), AgentFactory())


def test_start_creates_the_attempt_with_its_first_question(participation):
    attempt = adapter.start_or_resume(participation)
    assert participation.started_at is not None and participation.status == "started"
    assert attempt.state["config"]["targets"] == [
        engine.competence_index("1.1"),
        engine.competence_index("4.1"),
    ]
    assert attempt.state["config"]["max_items"] == 6
    assert attempt.position == 0 and attempt.current_item.competence.code in {"1.1", "4.1"}


def test_resuming_in_a_new_request_shows_the_same_question(participation):
    first = adapter.start_or_resume(participation)
    shown = adapter.current_item(first)
    # A new request (or a new day): everything is read again from the database.
    again = adapter.start_or_resume(Participation.objects.get(pk=participation.pk))
    assert again.pk == first.pk and Attempt.objects.count() == 1
    assert adapter.current_item(Attempt.objects.get(pk=first.pk)) == shown
    assert adapter.current_item(again) == shown


def test_an_answer_is_kept_and_the_next_question_chosen(participation):
    attempt = adapter.start_or_resume(participation)
    item = adapter.current_item(attempt)
    assert adapter.submit(attempt, position=0, item_code=item.code, answer=right_answer(item))
    response = Response.objects.get()
    assert (response.position, response.item, response.correct) == (0, item, True)
    stored = Attempt.objects.get(pk=attempt.pk)
    assert stored.position == 1 and stored.state["asked"] == [item.code]
    assert stored.current_item is not None and stored.current_item != item


def test_a_double_submit_or_a_stale_screen_changes_nothing(participation):
    attempt = adapter.start_or_resume(participation)
    item = adapter.current_item(attempt)
    assert adapter.submit(attempt, position=0, item_code=item.code, answer=right_answer(item))
    state = Attempt.objects.get(pk=attempt.pk).state
    # The same form sent twice (double tap), then the back button's older screen.
    assert not adapter.submit(attempt, position=0, item_code=item.code, answer=wrong_answer(item))
    current = adapter.current_item(attempt)
    assert not adapter.submit(attempt, position=0, item_code=current.code, answer=["a"])
    # The right position with another question (a second tab showing an older one).
    assert not adapter.submit(attempt, position=1, item_code=item.code, answer=["a"])
    assert Response.objects.count() == 1
    stored = Attempt.objects.get(pk=attempt.pk)
    assert stored.position == 1 and stored.state == state and stored.current_item == current


def test_je_ne_sais_pas_is_stored_as_no_answer(participation):
    attempt = adapter.start_or_resume(participation)
    item = adapter.current_item(attempt)
    assert adapter.submit(attempt, position=0, item_code=item.code, answer=None)
    response = Response.objects.get()
    assert response.answer is None and response.correct is None
    assert Attempt.objects.get(pk=attempt.pk).state["answers"] == [None]


def test_an_answer_the_screen_cannot_produce_is_refused(participation):
    attempt = adapter.start_or_resume(participation)
    item = adapter.current_item(attempt)
    for bad in (["z"], [], ["a", "a"], ["a", "b"]):
        with pytest.raises(ValueError):
            adapter.submit(attempt, position=0, item_code=item.code, answer=bad)
    assert not Response.objects.exists() and Attempt.objects.get(pk=attempt.pk).position == 0


def test_a_full_run_finishes_and_becomes_evidence(participation):
    attempt = adapter.start_or_resume(participation)
    # An agent who knows levels 1 and 2 and nothing above.
    count = answer_until_the_end(
        attempt, lambda item: right_answer(item) if item.level <= 2 else wrong_answer(item)
    )
    assert count == 6 == attempt.position
    participation.refresh_from_db()
    assert attempt.finished_at and participation.finished_at and participation.status == "finished"
    assert attempt.current_item is None and attempt.result["n_items"] == 6
    assert not adapter.submit(attempt, position=6, item_code="1.1-1-1", answer=["a"])

    evidence = Evidence.objects.filter(agent=participation.agent).select_related("competence")
    assert sorted(e.competence.code for e in evidence) == ["1.1", "4.1"]
    for e in evidence:
        t = engine.competence_index(e.competence.code)
        mean, sd = attempt.result["means"][t], attempt.result["sds"][t]
        assert e.source == EvidenceSource.DIAGNOSTIC
        assert float(e.level) == pytest.approx(min(max(mean - 0.5, 0), 8), abs=0.006)
        assert float(e.sd) == pytest.approx(sd, abs=0.006)
        assert e.origin_type == ContentType.objects.get_for_model(Attempt)
        assert e.origin_id == str(attempt.pk) and "Diagnostic test" in e.origin_text
    profile = ProfileEntry.objects.filter(agent=participation.agent)
    assert {p.competence.code: p.main_source for p in profile} == {
        "1.1": EvidenceSource.DIAGNOSTIC,
        "4.1": EvidenceSource.DIAGNOSTIC,
    }
    # The profile shows the level the engine found (the middle of level L is L + 0.5).
    levels = adapter.result_levels(attempt)
    assert {p.competence.code: p.whole_level for p in profile} == levels


def test_finishing_early_keeps_what_was_answered(participation):
    attempt = adapter.start_or_resume(participation)
    item = adapter.current_item(attempt)
    adapter.submit(attempt, position=0, item_code=item.code, answer=right_answer(item))
    adapter.finish(attempt)
    assert attempt.finished_at and attempt.result["n_items"] == 1
    assert Evidence.objects.filter(agent=participation.agent).count() == 2
    assert adapter.current_item(attempt) is None


@pytest.mark.django_db
def test_answers_move_the_level_the_right_way():
    load_bank()
    campaign = open_campaign(("1.1", "2.1", "4.1"), max_items=15)
    strong, weak = invite(campaign, AgentFactory()), invite(campaign, AgentFactory())
    answer_until_the_end(adapter.start_or_resume(strong), right_answer)
    answer_until_the_end(adapter.start_or_resume(weak), lambda item: None)
    for code in ("1.1", "2.1", "4.1"):
        high = Evidence.objects.get(agent=strong.agent, competence__code=code).level
        low = Evidence.objects.get(agent=weak.agent, competence__code=code).level
        assert high >= 4 and low <= 1, (code, high, low)


@pytest.mark.django_db
def test_a_retired_question_is_never_shown():
    items = make_items()
    retired = {item.code for item in items[::2]}
    Item.objects.filter(code__in=retired).update(retired=True)
    participation = invite(open_campaign(max_items=10), AgentFactory())
    attempt = adapter.start_or_resume(participation)
    shown = []

    def choose(item):
        shown.append(item.code)
        return wrong_answer(item)

    answer_until_the_end(attempt, choose)
    assert shown and not set(shown) & retired


def test_a_question_retired_while_on_screen_is_replaced(participation):
    attempt = adapter.start_or_resume(participation)
    item = adapter.current_item(attempt)
    Item.objects.filter(pk=item.pk).update(retired=True)
    # The answer to the old screen is not counted: the question no longer exists.
    assert not adapter.submit(attempt, position=0, item_code=item.code, answer=["a"])
    replacement = adapter.current_item(attempt)
    assert replacement is not None and replacement != item and not replacement.retired
    assert adapter.submit(attempt, position=0, item_code=replacement.code, answer=["a"])


def test_a_campaign_without_crcn_competence_cannot_start(db):
    make_items()
    local = Competence.objects.create(code="L1", name="Logiciel métier")
    campaign = open_campaign(())
    campaign.competences.set([local])
    with pytest.raises(adapter.NoTargets):
        adapter.start_or_resume(invite(campaign, AgentFactory()))
    assert not Attempt.objects.exists()
