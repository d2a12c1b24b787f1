import pytest
from django.core.exceptions import ValidationError

from tests.factories import AgentFactory, OrgUnitFactory
from tremplin.organisation.enums import ContactChannel
from tremplin.organisation.models import Collectivite, OrgUnit


@pytest.mark.django_db
def test_paths_follow_the_tree_and_a_move_carries_the_subtree():
    a = OrgUnitFactory(name="A")
    b = OrgUnitFactory(name="B")
    child = OrgUnitFactory(name="A1", parent=a)
    grandchild = OrgUnitFactory(name="A1x", parent=child)
    assert grandchild.path == f"/{a.pk}/{child.pk}/{grandchild.pk}/" and grandchild.depth == 2
    child.parent = b
    child.save()
    grandchild.refresh_from_db()
    assert grandchild.path == f"/{b.pk}/{child.pk}/{grandchild.pk}/"
    assert set(OrgUnit.objects.subtree(b)) == {b, child, grandchild}
    assert grandchild.breadcrumb() == "B › A1 › A1x"


@pytest.mark.django_db
def test_a_unit_cannot_move_under_its_own_subtree():
    top = OrgUnitFactory(name="Haut")
    low = OrgUnitFactory(name="Bas", parent=top)
    top.parent = low
    with pytest.raises(ValidationError) as error:
        top.full_clean()
    assert "sous-unités" in str(error.value)


@pytest.mark.django_db
def test_a_management_cycle_is_refused():
    boss = AgentFactory()
    deputy = AgentFactory(manager=boss, employer=boss.employer)
    boss.manager = deputy
    with pytest.raises(ValidationError) as error:
        boss.full_clean()
    assert "boucle hiérarchique" in str(error.value)


@pytest.mark.django_db
def test_contact_channel_needs_its_address():
    agent = AgentFactory(contact_channel=ContactChannel.EMAIL)
    with pytest.raises(ValidationError) as error:
        agent.full_clean()
    assert "Indiquez un courriel" in str(error.value)


@pytest.mark.django_db
def test_matricule_is_unique_per_employer_only():
    first = AgentFactory(matricule="42")
    AgentFactory(matricule="42")  # another employer
    with pytest.raises(ValidationError):
        AgentFactory.build(
            matricule="42", employer=first.employer, unit=first.unit, job=first.job
        ).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("colour, ok", [("#0b5a78", True), ("#ffd700", False), ("#777777", False)])
def test_theme_colour_must_keep_white_text_readable(colour, ok):
    collectivite = Collectivite(name="Ville", primary_color=colour)
    if ok:
        collectivite.full_clean()
    else:
        with pytest.raises(ValidationError, match="trop claire"):
            collectivite.full_clean()


@pytest.mark.django_db
def test_departed_agents_are_not_present():
    import datetime as dt

    gone = AgentFactory(departure_date=dt.date(2020, 1, 1))
    leaving = AgentFactory(departure_date=dt.date(2999, 1, 1))
    from tremplin.organisation.models import Agent

    assert set(Agent.objects.present()) == {leaving}
    assert not gone.is_present
