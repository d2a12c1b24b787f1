"""Catalogue pages: who sees and edits them, the module form's rules (French errors on
the field, nothing saved), retiring and deleting, the history from the audit log."""

import html
import re
from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse

from tremplin.accounts.enums import Role
from tremplin.competences.models import Competence
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry
from tremplin.training.enums import (
    Audience,
    ModuleFormat,
    StepOrigin,
    TrainerKind,
)
from tremplin.training.models import (
    Module,
    ModuleOutcome,
    ModulePrerequisite,
    Pathway,
    PathwayStep,
)

VIEWERS = {Role.HR, Role.ADMIN, Role.MANAGER, Role.ADVISOR, Role.MOBILITY, Role.DIRECTION}
EDITORS = {Role.HR, Role.ADMIN}


def competence(code):
    return Competence.objects.get(code=code)


def make_module(code, title=None, *, outcomes=(), requires=(), **fields):
    values = {
        "title": title or code.capitalize(),
        "objective": "Savoir faire quelque chose.",
        "format": ModuleFormat.GROUP,
        "duration_minutes": 90,
        "group_min": 4,
        "group_max": 8,
        "trainer_kind": TrainerKind.ADVISOR,
    }
    values.update(fields)
    module = Module.objects.create(code=code, **values)
    for code_, level_from, level_to in outcomes:
        ModuleOutcome.objects.create(
            module=module, competence=competence(code_), level_from=level_from, level_to=level_to
        )
    for other in requires:
        ModulePrerequisite.objects.create(module=module, required_module=other)
    return module


def form_data(response) -> dict:
    """What the browser would send back for the page's form, as rendered."""
    context = response.context
    data = {}
    shown = [context["form"]]
    for formset in (context["outcomes"], context["prerequisites"]):
        shown.append(formset.management_form)
        shown.extend(formset.forms)
    for form in shown:
        for bound in form:
            value = bound.value()
            if isinstance(bound.field.widget, forms.CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif value is None:
                data[bound.html_name] = ""
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = str(value)
    return data


def new_module_data(client, **changes) -> dict:
    data = form_data(client.get(reverse("training:catalogue_create")))
    data.update(
        {
            "title": "Ma messagerie",
            "code": "messagerie",
            "objective": "Lire et envoyer un courriel.",
            "format": ModuleFormat.GROUP,
            "duration_minutes": "120",
            "group_min": "4",
            "group_max": "8",
            "trainer_kind": TrainerKind.ADVISOR,
            "audience": Audience.ALL,
            "place_need": "computers",
            "cost_per_agent": "0",
            "position": "30",
        }
    )
    data.update(changes)
    return data


def page_text(response) -> str:
    """The page's words: tags removed, entities decoded, spaces collapsed."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words)).replace(" :", " :").replace("( ", "(")


def assert_field_error(response, form, name, text):
    """The French error is on the field (its message tied to it) and on the page."""
    assert response.status_code == 200
    assert any(text in error for error in form.errors.get(name, [])), form.errors
    assert f'id="{form[name].auto_id}-erreur"' in response.content.decode()
    assert text in page_text(response)


# --- Who may open what -------------------------------------------------------------------------


def pages(module):
    return [
        (reverse("training:catalogue_list"), VIEWERS),
        (reverse("training:catalogue_detail", args=[module.pk]), VIEWERS),
        (reverse("training:catalogue_create"), EDITORS),
        (reverse("training:catalogue_edit", args=[module.pk]), EDITORS),
        (reverse("training:catalogue_retire", args=[module.pk]), EDITORS),
    ]


@pytest.mark.django_db
def test_every_catalogue_page_for_every_role(world, client):
    module = make_module("messagerie", "Ma messagerie", outcomes=[("2.1", 0, 2)])
    failures = []
    for url, allowed in pages(module):
        for role, user in world.users.items():
            client.force_login(user)
            status = client.get(url).status_code
            if (role in allowed) != (status == 200) or status not in (200, 403):
                failures.append(f"{url} as {role}: {status}")
    assert failures == []


@pytest.mark.django_db
def test_only_editors_may_retire_restore_or_delete(world, client):
    module = make_module("messagerie")
    for role, user in world.users.items():
        if role in EDITORS:
            continue
        client.force_login(user)
        for name in ("catalogue_retire", "catalogue_restore", "catalogue_delete"):
            assert client.post(reverse(f"training:{name}", args=[module.pk])).status_code == 403
        assert client.post(reverse("training:catalogue_create"), {}).status_code == 403
    module.refresh_from_db()
    assert module.active


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("training:catalogue_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# --- The list ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_duration_group_cost_and_competences(world, client):
    make_module(
        "cnfpt",
        "Manager à l'heure du numérique",
        outcomes=[("2.3", 2, 4)],
        duration_minutes=720,
        group_min=8,
        group_max=15,
        trainer_kind=TrainerKind.EXTERNAL,
        provider="CNFPT",
        cost_per_agent=Decimal("240"),
    )
    client.force_login(world.users[Role.MANAGER])
    text = page_text(client.get(reverse("training:catalogue_list")))
    assert "Manager à l'heure du numérique" in text
    assert "12 h" in text
    assert "8 à 15 personnes" in text
    assert "240,00 €" in text
    assert "2.3 : 2 → 4" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"format": ModuleFormat.COACHING}, {"Accompagnement"}),
        ({"audience": Audience.FIELD}, {"Smartphone", "Fresque"}),
        ({"trainer_kind": TrainerKind.FRESQUE}, {"Fresque"}),
        ({"competence": "2.1"}, {"Messagerie", "Accompagnement"}),
        ({}, {"Smartphone", "Messagerie", "Accompagnement", "Fresque"}),
        ({"retired": "on"}, {"Smartphone", "Messagerie", "Accompagnement", "Fresque", "Ancien"}),
    ],
)
def test_list_filters(world, client, query, shown):
    make_module("smartphone", audience=Audience.FIELD, outcomes=[("5.2", 0, 1)])
    make_module("messagerie", audience=Audience.OFFICE, outcomes=[("2.1", 0, 2)])
    make_module(
        "accompagnement",
        format=ModuleFormat.COACHING,
        group_min=1,
        group_max=1,
        audience=Audience.OFFICE,
        outcomes=[("2.1", 1, 2), ("5.2", 1, 2)],
    )
    make_module("fresque", trainer_kind=TrainerKind.FRESQUE, group_max=16)
    make_module("ancien", active=False)
    if "competence" in query:
        query = {"competence": competence(query["competence"]).pk}
    client.force_login(world.users[Role.ADVISOR])
    response = client.get(reverse("training:catalogue_list"), query)
    assert {m.title for m in response.context["page"]} == shown


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_the_catalogue(
    world, client, django_assert_max_num_queries
):
    for i in range(25):
        make_module(f"module-{i}", outcomes=[("1.1", 0, 2), ("2.1", 1, 3), ("4.1", 0, 1)])
    client.force_login(world.users[Role.HR])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("training:catalogue_list"))
    assert len(response.context["page"]) == 25


# --- Create and edit ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_hr_creates_a_module_with_outcomes_prerequisites_and_families(world, client):
    smartphone = make_module("smartphone", "Premiers pas avec un smartphone")
    client.force_login(world.users[Role.HR])
    data = new_module_data(client)
    assert ("Propreté", "Propreté") in client.get(reverse("training:catalogue_create")).context[
        "form"
    ].fields["job_families"].choices
    data.update(
        {
            "job_families": ["Propreté"],
            "competences-0-competence": str(competence("2.1").pk),
            "competences-0-level_from": "0",
            "competences-0-level_to": "2",
            "prerequis-0-required_module": str(smartphone.pk),
            "prerequis-1-competence": str(competence("5.2").pk),
            "prerequis-1-min_level": "1",
        }
    )
    response = client.post(reverse("training:catalogue_create"), data)
    module = Module.objects.get(code="messagerie")
    assert response.status_code == 302
    assert response["Location"] == reverse("training:catalogue_detail", args=[module.pk])
    assert module.job_families == ["Propreté"]
    assert [(o.competence.code, o.level_from, o.level_to) for o in module.outcomes.all()] == [
        ("2.1", 0, 2)
    ]
    assert {
        (p.required_module_id, p.competence_id, p.min_level) for p in module.prerequisites.all()
    } == {
        (smartphone.pk, None, None),
        (None, competence("5.2").pk, 1),
    }
    assert AuditEntry.objects.filter(
        target_type="training.module", target_id=str(module.pk), action=AuditAction.CREATE
    ).exists()
    text = page_text(client.get(response["Location"]))
    assert "niveau 0 → 2" in text
    assert "Premiers pas avec un smartphone" in text
    assert "niveau 1 en" in text


@pytest.mark.django_db
def test_edit_keeps_saved_rows_and_records_them_in_the_history(world, client):
    module = make_module("messagerie", "Messagerie", outcomes=[("2.1", 0, 2)])
    url = reverse("training:catalogue_edit", args=[module.pk])
    client.force_login(world.users[Role.ADMIN])
    data = form_data(client.get(url))
    data.update({"title": "Ma messagerie", "competences-1-competence": str(competence("2.2").pk)})
    data.update({"competences-1-level_from": "1", "competences-1-level_to": "2"})
    assert client.post(url, data).status_code == 302
    module.refresh_from_db()
    assert module.title == "Ma messagerie"
    assert sorted(module.outcomes.values_list("competence__code", flat=True)) == ["2.1", "2.2"]
    text = page_text(client.get(reverse("training:catalogue_detail", args=[module.pk])))
    assert "Intitulé : Messagerie → Ma messagerie" in text
    assert "2.1 : niveau 0 → 2 ; 2.2 : niveau 1 → 2" in text


@pytest.mark.django_db
def test_removing_an_outcome(world, client):
    module = make_module("messagerie", outcomes=[("2.1", 0, 2), ("2.2", 0, 1)])
    url = reverse("training:catalogue_edit", args=[module.pk])
    client.force_login(world.users[Role.HR])
    data = form_data(client.get(url))
    data["competences-1-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    assert list(module.outcomes.values_list("competence__code", flat=True)) == ["2.1"]


# --- Bad input: French error on the field, nothing saved ---------------------------------------


@pytest.mark.django_db
def test_group_min_above_max_is_refused(world, client):
    client.force_login(world.users[Role.HR])
    response = client.post(
        reverse("training:catalogue_create"), new_module_data(client, group_min="10", group_max="8")
    )
    assert_field_error(
        response,
        response.context["form"],
        "group_min",
        "Le minimum (10) ne peut pas dépasser le maximum (8).",
    )
    assert not Module.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("level_from", "level_to"), [("3", "2"), ("2", "2")])
def test_an_outcome_whose_level_goes_down_or_stays_is_refused(world, client, level_from, level_to):
    client.force_login(world.users[Role.HR])
    data = new_module_data(client)
    data.update(
        {
            "competences-0-competence": str(competence("2.1").pk),
            "competences-0-level_from": level_from,
            "competences-0-level_to": level_to,
        }
    )
    response = client.post(reverse("training:catalogue_create"), data)
    assert_field_error(
        response,
        response.context["outcomes"].forms[0],
        "level_to",
        f"Le niveau atteint ({level_to}) doit être plus haut que le niveau de départ ({level_from})",
    )
    assert not Module.objects.exists()
    assert not ModuleOutcome.objects.exists()


@pytest.mark.django_db
def test_the_same_competence_twice_is_refused(world, client):
    client.force_login(world.users[Role.HR])
    data = new_module_data(client)
    for i, (level_from, level_to) in enumerate([(0, 2), (1, 3)]):
        data.update(
            {
                f"competences-{i}-competence": str(competence("2.1").pk),
                f"competences-{i}-level_from": str(level_from),
                f"competences-{i}-level_to": str(level_to),
            }
        )
    response = client.post(reverse("training:catalogue_create"), data)
    assert_field_error(
        response,
        response.context["outcomes"].forms[1],
        "competence",
        "La compétence 2.1 figure déjà plus haut",
    )
    assert not Module.objects.exists()


@pytest.mark.django_db
def test_a_prerequisite_both_module_and_level_is_refused(world, client):
    other = make_module("smartphone")
    client.force_login(world.users[Role.HR])
    data = new_module_data(client)
    data.update(
        {
            "prerequis-0-required_module": str(other.pk),
            "prerequis-0-competence": str(competence("5.2").pk),
            "prerequis-0-min_level": "1",
        }
    )
    response = client.post(reverse("training:catalogue_create"), data)
    assert_field_error(
        response,
        response.context["prerequisites"].forms[0],
        "required_module",
        "Choisissez soit un module, soit une compétence avec son niveau, pas les deux",
    )
    assert Module.objects.count() == 1
    assert not ModulePrerequisite.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filled", "field", "text"),
    [
        ({"competence": "5.2"}, "min_level", "Indiquez le niveau demandé"),
        ({"min_level": "2"}, "competence", "Choisissez la compétence de ce niveau"),
    ],
)
def test_a_prerequisite_level_without_its_other_half_is_refused(world, client, filled, field, text):
    client.force_login(world.users[Role.HR])
    data = new_module_data(client)
    for name, value in filled.items():
        data[f"prerequis-0-{name}"] = str(competence(value).pk) if name == "competence" else value
    response = client.post(reverse("training:catalogue_create"), data)
    assert_field_error(response, response.context["prerequisites"].forms[0], field, text)
    assert not Module.objects.exists()


@pytest.mark.django_db
def test_a_prerequisite_emptied_without_removing_it_is_refused(world, client):
    smartphone = make_module("smartphone")
    module = make_module("messagerie", requires=[smartphone])
    url = reverse("training:catalogue_edit", args=[module.pk])
    client.force_login(world.users[Role.HR])
    data = form_data(client.get(url))
    data["prerequis-0-required_module"] = ""
    response = client.post(url, data)
    assert_field_error(
        response,
        response.context["prerequisites"].forms[0],
        "required_module",
        "Choisissez un module, ou une compétence avec un niveau",
    )
    assert list(module.prerequisites.values_list("required_module", flat=True)) == [smartphone.pk]


@pytest.mark.django_db
def test_a_module_requiring_itself_is_refused(world, client):
    module = make_module("messagerie", "Messagerie")
    url = reverse("training:catalogue_edit", args=[module.pk])
    client.force_login(world.users[Role.HR])
    data = form_data(client.get(url))
    data["prerequis-0-required_module"] = str(module.pk)
    response = client.post(url, data)
    assert_field_error(
        response,
        response.context["prerequisites"].forms[0],
        "required_module",
        "Un module ne peut pas être son propre prérequis.",
    )
    assert not ModulePrerequisite.objects.exists()


@pytest.mark.django_db
def test_a_two_module_cycle_is_refused_and_named(world, client):
    messagerie = make_module("messagerie", "Messagerie")
    make_module("tableur", "Tableur", requires=[messagerie])
    tableur = Module.objects.get(code="tableur")
    url = reverse("training:catalogue_edit", args=[messagerie.pk])
    client.force_login(world.users[Role.HR])
    data = form_data(client.get(url))
    data["prerequis-0-required_module"] = str(tableur.pk)
    response = client.post(url, data)
    assert_field_error(
        response,
        response.context["prerequisites"].forms[0],
        "required_module",
        "« Messagerie » → « Tableur » → « Messagerie »",
    )
    assert list(ModulePrerequisite.objects.values_list("module", "required_module")) == [
        (tableur.pk, messagerie.pk)
    ]


@pytest.mark.django_db
def test_a_longer_cycle_is_refused_and_named_whole(world, client):
    document = make_module("document", "Écrire un document")
    tableur = make_module("tableur", "Un premier tableur", requires=[document])
    partage = make_module("partage", "Fichiers et partage", requires=[tableur])
    url = reverse("training:catalogue_edit", args=[document.pk])
    client.force_login(world.users[Role.HR])
    data = form_data(client.get(url))
    data["title"] = "Écrire un courrier"
    data["prerequis-0-required_module"] = str(partage.pk)
    response = client.post(url, data)
    assert_field_error(
        response,
        response.context["prerequisites"].forms[0],
        "required_module",
        "« Écrire un courrier » → « Fichiers et partage » → « Un premier tableur » → « Écrire un courrier »",
    )
    document.refresh_from_db()
    assert document.title == "Écrire un document"
    assert not document.prerequisites.exists()


@pytest.mark.django_db
def test_an_external_trainer_needs_the_provider(world, client):
    client.force_login(world.users[Role.HR])
    response = client.post(
        reverse("training:catalogue_create"),
        new_module_data(client, trainer_kind=TrainerKind.EXTERNAL, provider=""),
    )
    assert_field_error(
        response,
        response.context["form"],
        "provider",
        "Indiquez l'organisme qui donne la formation.",
    )
    assert not Module.objects.exists()


@pytest.mark.django_db
def test_a_code_already_taken_is_refused(world, client):
    make_module("messagerie")
    client.force_login(world.users[Role.HR])
    response = client.post(reverse("training:catalogue_create"), new_module_data(client))
    assert_field_error(
        response, response.context["form"], "code", "Ce code est déjà pris par un autre module."
    )
    assert Module.objects.count() == 1


# --- Retire, restore, delete -------------------------------------------------------------------


def put_in_a_pathway(module, agent):
    pathway = Pathway.objects.create(agent=agent)
    PathwayStep.objects.create(
        pathway=pathway,
        module=module,
        position=1,
        origin=StepOrigin.GAP,
        reason="Votre métier le demande.",
    )


@pytest.mark.django_db
def test_retiring_and_restoring_a_module(world, client):
    module = make_module("messagerie", "Messagerie")
    client.force_login(world.users[Role.HR])
    response = client.post(reverse("training:catalogue_retire", args=[module.pk]))
    assert response.status_code == 302
    module.refresh_from_db()
    assert not module.active
    detail = reverse("training:catalogue_detail", args=[module.pk])
    text = page_text(client.get(detail))
    assert "Retiré du catalogue" in text
    assert "Proposé : oui → non" in text
    assert "Messagerie" not in {
        m.title for m in client.get(reverse("training:catalogue_list")).context["page"]
    }
    client.post(reverse("training:catalogue_restore", args=[module.pk]))
    module.refresh_from_db()
    assert module.active


@pytest.mark.django_db
def test_a_module_in_a_pathway_is_never_deleted(world, client):
    module = make_module("messagerie")
    put_in_a_pathway(module, world.agents[("Équipe A1a", "ville")])
    client.force_login(world.users[Role.HR])
    page = page_text(client.get(reverse("training:catalogue_retire", args=[module.pk])))
    assert "Ce module ne peut pas être supprimé" in page
    response = client.post(reverse("training:catalogue_delete", args=[module.pk]), follow=True)
    assert "Ce module ne peut pas être supprimé" in page_text(response)
    assert Module.objects.filter(pk=module.pk).exists()


@pytest.mark.django_db
def test_a_module_required_by_another_is_not_deleted(world, client):
    module = make_module("messagerie")
    make_module("visio", requires=[module])
    client.force_login(world.users[Role.HR])
    client.post(reverse("training:catalogue_delete", args=[module.pk]))
    assert Module.objects.filter(pk=module.pk).exists()


@pytest.mark.django_db
def test_an_unused_module_can_be_deleted(world, client):
    module = make_module("erreur", outcomes=[("2.1", 0, 1)])
    client.force_login(world.users[Role.ADMIN])
    response = client.post(reverse("training:catalogue_delete", args=[module.pk]))
    assert response["Location"] == reverse("training:catalogue_list")
    assert not Module.objects.filter(pk=module.pk).exists()
    assert AuditEntry.objects.filter(
        target_type="training.module", target_id=str(module.pk), action=AuditAction.DELETE
    ).exists()


# --- Detail ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_shows_outcomes_prerequisites_and_the_modules_that_require_it(world, client):
    messagerie = make_module("messagerie", "Ma messagerie", outcomes=[("2.1", 0, 2)])
    visio = make_module(
        "visio", "Les réunions en visio", outcomes=[("2.1", 2, 3)], requires=[messagerie]
    )
    ModulePrerequisite.objects.create(module=visio, competence=competence("5.2"), min_level=1)
    put_in_a_pathway(visio, world.agents[("Équipe A1a", "ville")])
    client.force_login(world.users[Role.DIRECTION])
    text = page_text(client.get(reverse("training:catalogue_detail", args=[visio.pk])))
    assert "2.1 Interagir : niveau 2 → 3" in text
    assert "Ma messagerie" in text
    assert "Avoir au moins le niveau 1 en" in text
    assert "Dans 1 parcours d'agents, dont 1 pas encore terminé." in text
    response = client.get(reverse("training:catalogue_detail", args=[messagerie.pk]))
    assert "Les réunions en visio" in page_text(response)
    assert reverse("training:catalogue_edit", args=[messagerie.pk]) not in response.content.decode()
