"""The item bank in the Django admin: reword a question and its answers (checked),
retire and bring back questions, each change audited."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tremplin.competences.models import Competence
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry
from tremplin.diagnostic.enums import ItemKind
from tremplin.diagnostic.models import Item

CHOICES = [
    {"key": "a", "text": "Un lien inconnu", "correct": False},
    {"key": "b", "text": "Le site officiel", "correct": True},
    {"key": "c", "text": "Une publicité", "correct": False},
]


def make_item(code="4.1-2-1", kind=ItemKind.SINGLE, choices=CHOICES, **fields):
    return Item.objects.create(
        code=code,
        competence=Competence.objects.get(code="4.1"),
        level=2,
        kind=kind,
        stem="Où cliquez-vous ?",
        choices=choices,
        explanation="Le site officiel est sûr.",
        a=1.7,
        b=1.5,
        **fields,
    )


@pytest.fixture
def staff(client, db):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def form_data(item, **changes):
    data = {"stem": item.stem, "explanation": item.explanation, "tags": "[]"}
    for choice in item.choices:
        data[f"choice_{choice['key']}_text"] = choice["text"]
        if choice["correct"]:
            data[f"choice_{choice['key']}_correct"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def change_url(item):
    return reverse("admin:diagnostic_item_change", args=[item.pk])


@pytest.mark.django_db
def test_change_page_shows_each_answer_as_a_field(staff, client):
    item = make_item()
    page = client.get(change_url(item)).content.decode()
    assert 'name="choice_b_text"' in page and 'value="Le site officiel"' in page
    assert 'name="choice_b_correct"' in page
    order = make_item("3.1-2-1", ItemKind.ORDER, [{**c, "correct": False} for c in CHOICES])
    page = client.get(change_url(order)).content.decode()
    assert 'name="choice_a_text"' in page and "choice_a_correct" not in page
    assert client.get(reverse("admin:diagnostic_item_changelist")).status_code == 200


@pytest.mark.django_db
def test_editing_text_and_right_answer_is_saved_and_audited(staff, client):
    item = make_item()
    data = form_data(
        item,
        stem="Où cliquez-vous pour payer ?",
        choice_a_text="Le lien du SMS",
        choice_b_correct=None,
        choice_c_correct="on",
    )
    response = client.post(change_url(item), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.stem == "Où cliquez-vous pour payer ?"
    assert item.choices == [
        {"key": "a", "text": "Le lien du SMS", "correct": False},
        {"key": "b", "text": "Le site officiel", "correct": False},
        {"key": "c", "text": "Une publicité", "correct": True},
    ]
    entry = AuditEntry.objects.filter(
        target_type="diagnostic.item", action=AuditAction.UPDATE
    ).get()
    assert set(entry.changes) == {"stem", "choices"}
    assert entry.actor == staff


@pytest.mark.django_db
def test_a_single_choice_question_needs_exactly_one_right_answer(staff, client):
    item = make_item()
    for changes in ({"choice_a_correct": "on"}, {"choice_b_correct": None}):
        response = client.post(change_url(item), form_data(item, **changes))
        assert response.status_code == 200
        assert "une seule bonne réponse" in response.content.decode()
    item.refresh_from_db()
    assert item.choices == CHOICES


@pytest.mark.django_db
def test_a_multiple_choice_question_needs_two_right_answers(staff, client):
    item = make_item("4.1-2-2", ItemKind.MULTIPLE)
    response = client.post(change_url(item), form_data(item))  # only b is right
    assert "au moins deux bonnes réponses" in response.content.decode()
    response = client.post(change_url(item), form_data(item, choice_a_correct="on"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert [c["correct"] for c in item.choices] == [True, True, False]


@pytest.mark.django_db
def test_a_long_stem_is_refused(staff, client):
    item = make_item()
    response = client.post(change_url(item), form_data(item, stem="Trop long. " * 30))
    assert "280 caractères au plus" in response.content.decode()


@pytest.mark.django_db
def test_retire_and_unretire_actions_are_audited(staff, client):
    first, second = make_item(), make_item("4.1-2-2")
    url = reverse("admin:diagnostic_item_changelist")
    client.post(url, {"action": "retire", "_selected_action": [first.pk, second.pk]})
    assert set(Item.objects.values_list("retired", flat=True)) == {True}
    assert Item.objects.active().count() == 0
    client.post(url, {"action": "unretire", "_selected_action": [second.pk]})
    second.refresh_from_db()
    assert not second.retired
    changes = [
        e.changes["retired"]
        for e in AuditEntry.objects.filter(
            target_type="diagnostic.item", action=AuditAction.UPDATE
        ).order_by("pk")
    ]
    assert changes == [[False, True], [False, True], [True, False]]


@pytest.mark.django_db
def test_items_are_neither_added_nor_deleted_here(staff, client):
    item = make_item()
    assert client.get(reverse("admin:diagnostic_item_add")).status_code == 403
    assert client.get(reverse("admin:diagnostic_item_delete", args=[item.pk])).status_code == 403


@pytest.mark.django_db
def test_participation_codes_are_not_shown_in_the_admin(staff, client, world):
    from tests.diagnostic.test_hr_views import make_campaign, participate

    participation = participate(make_campaign(), world.agents[("Service A2", "ville")])
    page = client.get(
        reverse("admin:diagnostic_participation_change", args=[participation.pk])
    ).content.decode()
    assert participation.code not in page


@pytest.mark.django_db
def test_pix_data_is_shown_read_only_in_the_admin(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    for name in ("pixcampaign", "pixparticipation", "pixmatch"):
        assert client.get(f"/admin/diagnostic/{name}/").status_code == 200
        assert client.get(f"/admin/diagnostic/{name}/add/").status_code == 403
