"""Fragility segments: each rule and how they combine (any / all), their counts overall
and per unit in the user's scope, the rules in plain French, and the pages (per role,
bad inputs refused on their field, history)."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from tests.factories import AgentFactory, IdentityFactory, JobFactory, OrgUnitFactory
from tests.training.test_goals import make_module, profile, step
from tremplin.accounts.enums import Role
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry
from tremplin.organisation.enums import IdentityStatus, WorkKind
from tremplin.organisation.models import Agent
from tremplin.training import goals, segments
from tremplin.training.enums import GoalPopulation, SegmentMatch, StepStatus
from tremplin.training.models import CoverageGoal, FragilitySegment

VIEWERS = {Role.HR, Role.ADMIN, Role.ADVISOR, Role.DIRECTION}
EDITORS = {Role.HR, Role.ADMIN}
TODAY = dt.date(2025, 1, 1)


@pytest.fixture
def people(db):
    """Six agents, each standing out by one thing (besides `settled`, who has an active
    identity, an office job, a good level and a training done):
    no_identity (none), disabled (identity disabled), low (mean level 1.5 over 2 and 1),
    unmeasured (no profile), field (field job), untrained (no training done)."""
    unit = OrgUnitFactory(name="Mairie")
    office = JobFactory(work_kind=WorkKind.OFFICE)
    field_job = JobFactory(work_kind=WorkKind.FIELD)
    module = make_module()
    names = ["settled", "no_identity", "disabled", "low", "unmeasured", "field", "untrained"]
    agents = {name: AgentFactory(unit=unit, job=office, last_name=name) for name in names}
    agents["field"].job = field_job
    agents["field"].save()
    for name, agent in agents.items():
        if name != "no_identity":
            status = IdentityStatus.DISABLED if name == "disabled" else IdentityStatus.ACTIVE
            IdentityFactory(agent=agent, status=status)
        if name == "low":
            profile(agent, "1.1", 2, TODAY)
            profile(agent, "1.2", 1, TODAY)
        elif name != "unmeasured":
            profile(agent, "1.1", 4, TODAY)
        if name == "untrained":
            step(agent, module, status=StepStatus.VALIDATED)
        else:
            step(agent, module, done_on=TODAY)
    gone = AgentFactory(unit=unit, job=field_job, departure_date=dt.date(2020, 1, 1))
    return {**agents, "gone": gone}


def flagged(**rules):
    segment = FragilitySegment(name="Test", **rules)
    return set(segments.agents_in(segment).values_list("last_name", flat=True))


@pytest.mark.django_db
def test_each_rule_flags_its_agents(people):
    assert flagged(no_active_identity=True) == {"no_identity", "disabled"}
    assert flagged(low_level=2) == {"low"}
    assert flagged(low_level=1.5) == {"low"}  # the mean is 1.5: at most 1.5
    assert flagged(low_level=1) == set()
    assert flagged(never_measured=True) == {"unmeasured"}
    assert flagged(field_job=True) == {"field"}  # the field agent who left is not counted
    assert flagged(never_trained=True) == {"untrained"}
    assert flagged() == set()  # no rule: nobody


@pytest.mark.django_db
def test_any_or_all_rules(people):
    people["field"].identity.delete()
    assert flagged(match=SegmentMatch.ANY, field_job=True, no_active_identity=True) == {
        "field",
        "no_identity",
        "disabled",
    }
    assert flagged(match=SegmentMatch.ALL, field_job=True, no_active_identity=True) == {"field"}


@pytest.mark.django_db
def test_rules_in_plain_french(db):
    segment = FragilitySegment(
        name="Éloignés", match=SegmentMatch.ANY, no_active_identity=True, low_level=1.5
    )
    assert segments.rules_intro(segment) == (
        "Les agents présents qui remplissent au moins une de ces conditions :"
    )
    assert segments.rule_sentences(segment) == [
        "n'ont pas d'identité numérique active (compte, messagerie)",
        "ont un niveau moyen mesuré de 1,5 ou moins",
    ]
    segment.match = SegmentMatch.ALL
    segment.low_level = 2
    assert segments.rules_summary(segment) == (
        "Les agents qui n'ont pas d'identité numérique active (compte, messagerie) et ont un "
        "niveau moyen mesuré de 2 ou moins."
    )


@pytest.mark.django_db
def test_counts_of_many_segments_in_one_query(people, django_assert_num_queries):
    many = [
        FragilitySegment.objects.create(name="Sans compte", no_active_identity=True),
        FragilitySegment.objects.create(name="Jamais mesurés", never_measured=True),
        FragilitySegment.objects.create(name="Niveau faible", low_level=2),
    ]
    with django_assert_num_queries(1):
        everybody, counts = segments.counts_of(many, Agent.objects.present(on=TODAY))
    assert everybody == 7
    assert [counts[s.pk] for s in many] == [2, 1, 1]


@pytest.mark.django_db
def test_a_segment_is_the_population_of_a_goal(people):
    segment = FragilitySegment.objects.create(name="Sans compte", no_active_identity=True)
    goal = CoverageGoal.objects.create(
        name="Tous les agents sans compte à la Fresque",
        module=make_module("fresque-bis", "Fresque bis"),
        population=GoalPopulation.SEGMENT,
        segment=segment,
        starts_on=TODAY,
        deadline=dt.date(2026, 1, 1),
    )
    assert set(goals.population(goal, TODAY)) == {people["no_identity"], people["disabled"]}


# --- Pages ----------------------------------------------------------------------------------


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.fixture
def far(world):
    """Every world agent but one without an active identity: 5 of 6, 3 of 4 in Direction A."""
    IdentityFactory(agent=world.agents[("Équipe A1a", "ville")], status=IdentityStatus.ACTIVE)
    return FragilitySegment.objects.create(name="Sans compte", no_active_identity=True)


@pytest.mark.django_db
def test_every_segment_page_for_every_role(world, far, client):
    pages = [
        (reverse("training:segment_list"), VIEWERS),
        (reverse("training:segment_detail", args=[far.pk]), VIEWERS),
        (reverse("training:segment_create"), EDITORS),
        (reverse("training:segment_edit", args=[far.pk]), EDITORS),
    ]
    failures = []
    for url, allowed in pages:
        for role, user in world.users.items():
            client.force_login(user)
            status = client.get(url).status_code
            if (role in allowed) != (status == 200) or status not in (200, 403):
                failures.append(f"{url} as {role}: {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_others_cannot_create_or_edit_a_segment(world, far, client):
    for role in set(Role) - EDITORS:
        client.force_login(world.users[role])
        data = {"name": "Autre", "match": "any", "field_job": "on"}
        assert client.post(reverse("training:segment_create"), data).status_code == 403
        assert client.post(reverse("training:segment_edit", args=[far.pk]), data).status_code == 403
    assert list(FragilitySegment.objects.values_list("name", flat=True)) == ["Sans compte"]


@pytest.mark.django_db
def test_scoped_viewers_count_their_subtree_only_and_see_no_names(world, far, client):
    for role in (Role.DIRECTION, Role.HR):
        client.force_login(world.users[role])
        listing = page(client, reverse("training:segment_list"))
        assert "les 4 agents de votre périmètre" in listing
        assert '<td class="text-end">3</td>' in listing
        detail = page(client, reverse("training:segment_detail", args=[far.pk]))
        assert "Direction A" in detail and "Direction B" not in detail
        for agent in world.agents.values():
            assert agent.first_name not in detail and agent.first_name not in listing


@pytest.mark.django_db
def test_segment_detail_counts_per_unit(world, far, client):
    client.force_login(world.users[Role.ADVISOR])
    detail = page(client, reverse("training:segment_detail", args=[far.pk]))
    assert "Les agents présents qui :</p> <ul> <li>n'ont pas d'identité numérique active" in detail
    table = detail[detail.index("<table") :]
    # Équipe A1a: one of its two agents has an account.
    assert 'Service A1<span class="visually-hidden"> : voir le détail</span></a> </th>' in table
    rows = table.split("<tr")
    a1 = next(r for r in rows if "Service A1<" in r)
    assert '<td class="text-end">1</td>' in a1 and "50 %" in a1
    total = next(r for r in rows if "Total de votre périmètre" in r)
    assert '<td class="text-end">5</td>' in total and "83 %" in total


@pytest.mark.django_db
def test_create_then_edit_a_segment_with_its_history(world, client):
    client.force_login(world.users[Role.HR])
    response = client.post(
        reverse("training:segment_create"),
        {"name": "Terrain jamais formé", "match": "all", "field_job": "on", "never_trained": "on"},
    )
    segment = FragilitySegment.objects.get()
    assert response["Location"] == reverse("training:segment_detail", args=[segment.pk])
    assert segment.field_job and segment.never_trained and segment.match == "all"
    response = client.post(
        reverse("training:segment_edit", args=[segment.pk]),
        {"name": "Terrain jamais formé", "match": "all", "field_job": "on", "low_level": "1,5"},
    )
    assert response.status_code == 302
    segment.refresh_from_db()
    assert str(segment.low_level) == "1.5" and not segment.never_trained
    assert {
        e.action
        for e in AuditEntry.objects.filter(
            target_type="training.fragilitysegment", target_id=str(segment.pk)
        )
    } == {AuditAction.CREATE, AuditAction.UPDATE}
    detail = page(client, reverse("training:segment_detail", args=[segment.pk]))
    assert "Aucune formation numérique suivie : oui → non" in detail
    assert "Niveau moyen mesuré au plus : — → 1,5" in detail


BAD_SEGMENTS = [
    ("no rule", {"name": "Vide"}, "Choisissez au moins une règle : cochez une case"),
    ("level too high", {"name": "Haut", "low_level": "9"}, "Indiquez un niveau de 0 à 8"),
    ("level negative", {"name": "Bas", "low_level": "-1"}, "Indiquez un niveau de 0 à 8"),
    ("level not a number", {"name": "Texte", "low_level": "deux"}, "Indiquez un niveau de 0 à 8"),
    ("no name", {"name": "", "field_job": "on"}, "Donnez un nom au groupe."),
    ("same name", {"name": "Sans compte", "field_job": "on"}, "Un groupe porte déjà ce nom"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "data", "message"), BAD_SEGMENTS, ids=[b[0] for b in BAD_SEGMENTS]
)
def test_bad_segment_is_refused(world, far, client, case, data, message):
    client.force_login(world.users[Role.ADMIN])
    response = client.post(reverse("training:segment_create"), {"match": "any", **data})
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert message in content, case
    if "low_level" in data:
        assert 'id="id_low_level-erreur"' in content
    assert list(FragilitySegment.objects.values_list("name", flat=True)) == ["Sans compte"]


@pytest.mark.django_db
def test_segment_list_query_count_does_not_grow(world, client, django_assert_max_num_queries):
    client.force_login(world.users[Role.DIRECTION])
    FragilitySegment.objects.create(name="Sans compte", no_active_identity=True)
    with django_assert_max_num_queries(9):
        page(client, reverse("training:segment_list"))
    for i in range(10):
        FragilitySegment.objects.create(name=f"Groupe {i}", low_level=i % 8, never_trained=True)
    for _ in range(15):
        AgentFactory(unit=world.serv_a2)
    with django_assert_max_num_queries(9):
        listing = page(client, reverse("training:segment_list"))
    assert "Groupe 9" in listing
