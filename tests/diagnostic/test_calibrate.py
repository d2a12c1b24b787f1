"""`manage.py calibrate_items` on responses simulated from known item parameters."""

import io

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories import EmployerFactory, OrgUnitFactory
from tremplin.competences.models import Competence
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry
from tremplin.diagnostic import engine
from tremplin.diagnostic.enums import CampaignStatus, InviteChannel, ItemKind
from tremplin.diagnostic.models import Attempt, Campaign, Item, Participation, Response
from tremplin.organisation.models import Agent

# (code, level, true a, true b): the bank's starting values are engine.initial_parameters.
TRUE_ITEMS = [
    ("1.1-1-1", 1, 1.2, 0.2),
    ("1.1-2-1", 2, 2.4, 2.0),
    ("1.1-3-1", 3, 1.4, 3.1),
    ("1.1-3-2", 3, 1.0, 1.9),
    ("4.1-2-1", 2, 1.9, 1.0),
]
RARE = ("4.1-4-1", 4, 1.7, 3.0)
PERSONS = 700
RARE_ANSWERS = 40


def make_item(code, level, competence):
    a, b = engine.initial_parameters(level)
    return Item.objects.create(
        code=code,
        competence=competence,
        level=level,
        kind=ItemKind.SINGLE,
        stem="?",
        choices=[{"key": "a", "text": "Oui", "correct": True}],
        explanation=".",
        a=a,
        b=b,
    )


@pytest.fixture
def simulated(db):
    """700 attempts drawn from the engine's population (mean level 2.5, SD 1.2, the two
    competences correlated 0.6), each answering every item but the rare one, which 40
    answer. A third of the wrong answers are "je ne sais pas"."""
    rng = np.random.default_rng(7)
    competences = {c.code: c for c in Competence.objects.filter(code__in=["1.1", "4.1"])}
    specs = [*TRUE_ITEMS, RARE]
    items = [make_item(code, level, competences[code[:3]]) for code, level, _a, _b in specs]
    employer = EmployerFactory(code="sim")
    unit = OrgUnitFactory(name="Simulation")
    agents = Agent.objects.bulk_create(
        Agent(
            employer=employer, unit=unit, matricule=f"S{i:05d}", last_name=f"N{i}", first_name="P"
        )
        for i in range(PERSONS)
    )
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="Simulation", opens_on=today, closes_on=today, status=CampaignStatus.OPEN
    )
    participations = Participation.objects.bulk_create(
        Participation(campaign=campaign, agent=a, channel=InviteChannel.PAPER) for a in agents
    )
    attempts = Attempt.objects.bulk_create(
        Attempt(participation=p, seed=i) for i, p in enumerate(participations)
    )
    cov = 1.2**2 * np.array([[1, 0.6], [0.6, 1]])
    theta = rng.multivariate_normal([2.5, 2.5], cov, size=PERSONS)
    responses = []
    for i, attempt in enumerate(attempts):
        for position, (item, (code, _level, a, b)) in enumerate(zip(items, specs, strict=True)):
            if item.code == RARE[0] and i >= RARE_ANSWERS:
                continue
            ability = theta[i, 0 if code.startswith("1.1") else 1]
            right = bool(rng.random() < engine.probability_correct(ability, a, b))
            dont_know = not right and rng.random() < 1 / 3
            responses.append(
                Response(
                    attempt=attempt,
                    position=position,
                    item=item,
                    answer=None if dont_know else (["a"] if right else ["b"]),
                    correct=None if dont_know else right,
                )
            )
    Response.objects.bulk_create(responses, batch_size=2000)
    return {item.code: item for item in items}


def run(*args):
    out = io.StringIO()
    call_command("calibrate_items", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def params():
    return {i.code: (i.a, i.b, i.calibrated_at) for i in Item.objects.all()}


@pytest.mark.django_db
def test_dry_run_prints_before_after_and_writes_nothing(simulated):
    before = params()
    audit_before = AuditEntry.objects.count()
    output = run("--min-responses", "100")
    assert params() == before
    assert AuditEntry.objects.count() == audit_before
    assert "Aperçu seulement" in output
    line = next(line for line in output.splitlines() if line.startswith("1.1-2-1"))
    assert line.split()[:4] == ["1.1-2-1", str(PERSONS), "1.70", "1.50"]
    rare = next(line for line in output.splitlines() if line.startswith(RARE[0]))
    assert str(RARE_ANSWERS) in rare and "trop peu de réponses" in rare


@pytest.mark.django_db
def test_wet_run_moves_items_with_enough_answers_towards_the_truth(simulated):
    start = params()
    output = run("--min-responses", "100", "--wet-run")
    after = params()
    assert "5 question(s) enregistrée(s)" in output
    errors_before, errors_after = [], []
    for code, _level, true_a, true_b in TRUE_ITEMS:
        a0, b0, _ = start[code]
        a1, b1, calibrated_at = after[code]
        assert calibrated_at is not None
        assert abs(b1 - true_b) < 0.3, code
        errors_before.append((abs(np.log(a0 / true_a)), abs(b0 - true_b)))
        errors_after.append((abs(np.log(a1 / true_a)), abs(b1 - true_b)))
    before_a, before_b = np.mean(errors_before, axis=0)
    after_a, after_b = np.mean(errors_after, axis=0)
    assert after_b < before_b / 2
    assert after_a < before_a
    assert after[RARE[0]] == start[RARE[0]]  # too few answers: untouched, not calibrated
    entries = AuditEntry.objects.filter(target_type="diagnostic.item", action=AuditAction.UPDATE)
    assert entries.count() == 5
    assert {"a", "b", "calibrated_at"} <= set(entries.first().changes)
    assert entries.first().actor_label == "commande calibrate_items"


@pytest.mark.django_db
def test_a_high_threshold_leaves_everything_alone(simulated):
    start = params()
    output = run("--min-responses", str(PERSONS + 1), "--wet-run")
    assert params() == start
    assert "0 question(s) recalibrée(s)" in output


@pytest.mark.django_db
def test_empty_bank_and_bad_threshold_are_refused():
    with pytest.raises(CommandError, match="banque est vide"):
        run()
    with pytest.raises(CommandError, match="au moins 1"):
        run("--min-responses", "0")
