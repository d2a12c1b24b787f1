"""Bulk generation and pathway template pages: who opens what, the population counted in
the user's scope, the background task with its report, templates created, edited,
applied (idempotent) and deleted, and every bad input refused on its field."""

import html
import re

import pytest
from django.urls import reverse

from tests.factories import AgentFactory
from tests.training.test_pathways import make_catalogue
from tremplin.accounts.enums import Role
from tremplin.core.enums import AuditAction, JobStatus
from tremplin.core.models import AuditEntry, BackgroundJob
from tremplin.training.enums import StepOrigin
from tremplin.training.models import (
    FragilitySegment,
    Module,
    Pathway,
    PathwayStep,
    PathwayTemplate,
    PathwayTemplateStep,
)
from tremplin.training.tasks import GENERATION_JOB_KIND

GENERATORS = {Role.HR, Role.ADMIN}


@pytest.fixture
def setting(gaps_world):
    gaps_world.modules = make_catalogue()
    return gaps_world


def text(response) -> str:
    """What the page says: tags removed, entities decoded, white space collapsed."""
    assert response.status_code == 200
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def make_template(modules, family="Propreté", name="Bien démarrer"):
    template = PathwayTemplate.objects.create(name=name, job_family=family)
    for position, module in enumerate(modules, start=1):
        PathwayTemplateStep.objects.create(template=template, module=module, position=position)
    return template


# --- Access -------------------------------------------------------------------------------


def test_every_page_for_every_role(setting, client):
    template = make_template([setting.modules.smartphone])
    job = BackgroundJob.objects.create(kind=GENERATION_JOB_KIND)
    pages = [
        reverse("training:generation"),
        reverse("training:generation") + "?kind=all",
        reverse("training:template_list"),
        reverse("training:template_create"),
        reverse("training:template_edit", args=[template.pk]),
        reverse("training:template_apply", args=[template.pk]),
    ]
    failures = []
    for url in pages:
        for role, user in setting.users.items():
            client.force_login(user)
            status = client.get(url).status_code
            if (role in GENERATORS) != (status == 200) or status not in (200, 403):
                failures.append(f"{url} as {role}: {status}")
    for role, user in setting.users.items():
        job.created_by = user
        job.save()
        client.force_login(user)
        status = client.get(reverse("training:generation_job", args=[job.pk])).status_code
        if (role in GENERATORS) != (status == 200):
            failures.append(f"job page as {role}: {status}")
    assert not failures, "\n".join(failures)


def test_others_cannot_launch_apply_or_delete(setting, client):
    template = make_template([setting.modules.smartphone])
    for role, user in setting.users.items():
        if role in GENERATORS:
            continue
        client.force_login(user)
        assert client.post(reverse("training:generation"), {"kind": "all"}).status_code == 403
        apply_url = reverse("training:template_apply", args=[template.pk])
        assert client.post(apply_url).status_code == 403
        delete_url = reverse("training:template_delete", args=[template.pk])
        assert client.post(delete_url).status_code == 403
    assert not BackgroundJob.objects.exists()
    assert not Pathway.objects.exists()
    assert PathwayTemplate.objects.exists()


def test_a_job_page_is_only_for_whoever_launched_it(setting, client):
    job = BackgroundJob.objects.create(kind=GENERATION_JOB_KIND, created_by=setting.users["admin"])
    client.force_login(setting.users["hr"])
    assert client.get(reverse("training:generation_job", args=[job.pk])).status_code == 404


# --- Bulk generation ------------------------------------------------------------------------


def test_the_population_is_counted_in_the_users_scope(setting, client):
    client.force_login(setting.users["hr"])  # HR of direction A: 4 agents
    page = text(client.get(reverse("training:generation"), {"kind": "all"}))
    assert "4 agents : tous les agents de votre périmètre." in page
    page = text(
        client.get(
            reverse("training:generation"), {"kind": "unit", "unit": setting.world.serv_a2.pk}
        )
    )
    assert "2 agents : les agents de « Service A2 » et de ses sous-unités." in page
    page = text(
        client.get(reverse("training:generation"), {"kind": "family", "family": "Propreté"})
    )
    assert "2 agents : les agents de la famille de métiers « Propreté »." in page


def test_a_fragility_segment_is_a_population(setting, client):
    segment = FragilitySegment.objects.create(name="Terrain", field_job=True)
    client.force_login(setting.users["admin"])
    page = text(
        client.get(reverse("training:generation"), {"kind": "segment", "segment": segment.pk})
    )
    assert "3 agents : les agents du groupe « Terrain »." in page


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"kind": "unit"}, "unit", "Choisissez l'unité."),
        ({"kind": "family"}, "family", "Choisissez la famille de métiers."),
        ({"kind": "segment"}, "segment", "Choisissez le groupe d'agents."),
        ({"kind": "family", "family": "Inconnue"}, "family", "Sélectionnez un choix valide."),
    ],
)
def test_a_population_without_its_choice_is_refused_on_the_field(
    setting, client, params, field, message
):
    client.force_login(setting.users["hr"])
    response = client.post(reverse("training:generation"), params)
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert f'id="id_{field}-erreur"' in response.content.decode()
    assert not BackgroundJob.objects.exists()


def test_an_empty_population_launches_nothing(setting, client):
    client.force_login(setting.users["hr"])
    response = client.post(
        reverse("training:generation"), {"kind": "unit", "unit": setting.world.dir_b.pk}
    )
    # Direction B is outside this HR's scope: not even a choice.
    assert "Sélectionnez un choix valide" in html.unescape(response.content.decode())
    client.force_login(setting.users["admin"])
    empty = FragilitySegment.objects.create(name="Personne", never_trained=False)
    response = client.post(reverse("training:generation"), {"kind": "segment", "segment": empty.pk})
    assert "Aucun agent dans ce groupe" in html.unescape(response.content.decode())
    assert not BackgroundJob.objects.exists()


def test_launching_runs_the_task_and_shows_its_report(setting, client):
    client.force_login(setting.users["hr"])
    response = client.post(reverse("training:generation"), {"kind": "all"})
    job = BackgroundJob.objects.get(kind=GENERATION_JOB_KIND)
    assert response.url == reverse("training:generation_job", args=[job.pk])
    assert job.status == JobStatus.DONE
    assert job.result["agents"] == 4  # direction A only
    # a1a0 (2.1), a20 (4.1), a21 (1.2 then 1.3); a1a1 meets its measured needs.
    assert job.result["pathways_created"] == 3
    assert set(Pathway.objects.values_list("agent__unit__name", flat=True)) <= {
        "Équipe A1a",
        "Service A2",
    }
    page = text(client.get(response.url))
    assert "Calcul terminé." in page
    assert "4 agents traités" in page
    assert "3 parcours créés" in page
    step = PathwayStep.objects.filter(pathway__agent=setting.a20).get()
    entry = AuditEntry.objects.get(target_type="training.pathwaystep", target_id=str(step.pk))
    assert entry.actor == setting.users["hr"]
    # The form page lists the run.
    assert "Vos derniers calculs" in text(client.get(reverse("training:generation")))


def test_the_report_names_the_gaps_no_module_closes(setting, client):
    setting.modules.security.delete()
    client.force_login(setting.users["admin"])
    client.post(reverse("training:generation"), {"kind": "all"})
    job = BackgroundJob.objects.get()
    assert job.result["unclosed"] == [
        {"code": "4.1", "words": "Se protéger des virus et des arnaques", "agents": 1}
    ]
    page = text(client.get(reverse("training:generation_job", args=[job.pk])))
    assert "4.1 Se protéger des virus et des arnaques" in page


# --- Templates ------------------------------------------------------------------------------


def template_data(modules_order, name="Bien démarrer", family="Propreté"):
    data = {"name": name, "job_family": family}
    for module, order in modules_order:
        data[f"module_{module.pk}"] = order
    return data


def test_create_a_template_with_its_modules_in_order(setting, client):
    m = setting.modules
    client.force_login(setting.users["hr"])
    response = client.post(
        reverse("training:template_create"), template_data([(m.mail, 2), (m.smartphone, 1)])
    )
    assert response.status_code == 302
    template = PathwayTemplate.objects.get()
    assert list(template.steps.values_list("module__code", flat=True)) == [
        "smartphone",
        "messagerie",
    ]
    assert (
        AuditEntry.objects.filter(
            target_type="training.pathwaytemplatestep", action=AuditAction.CREATE
        ).count()
        == 2
    )
    page = text(client.get(reverse("training:template_list")))
    assert "Bien démarrer" in page


def test_edit_a_template_reorders_adds_and_removes(setting, client):
    m = setting.modules
    template = make_template([m.smartphone, m.mail])
    client.force_login(setting.users["admin"])
    edit = reverse("training:template_edit", args=[template.pk])
    form = client.get(edit).content.decode()
    assert f'name="module_{m.smartphone.pk}" value="1"' in form
    assert f'name="module_{m.mail.pk}" value="2"' in form
    client.post(edit, template_data([(m.security, 1), (m.mail, 2)], name="Renommé"))
    template.refresh_from_db()
    assert template.name == "Renommé"
    assert list(template.steps.values_list("module__code", "position")) == [
        ("securite", 1),
        ("messagerie", 2),
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Ce champ est obligatoire."),
        ({"job_family": "Inconnue"}, "job_family", "Sélectionnez un choix valide."),
        ({"order": "0"}, "module", "Assurez-vous que cette valeur est supérieure ou égale à 1."),
        ({"order": "abc"}, "module", "Saisissez un nombre entier."),
        ({"duplicate": True}, "module", "Le numéro 1 est déjà donné à « Ma messagerie »."),
        ({"none": True}, "first", "Numérotez au moins un module (1 pour le premier)."),
    ],
)
def test_bad_template_input_is_refused_on_the_field(setting, client, data, field, message):
    m = setting.modules
    order = data.get("order", "1")
    rows = [] if data.get("none") else [(m.smartphone, order)]
    if data.get("duplicate"):
        rows.append((m.mail, "1"))
    posted = template_data(rows)
    posted.update({k: v for k, v in data.items() if k in ("name", "job_family")})
    client.force_login(setting.users["hr"])
    response = client.post(reverse("training:template_create"), posted)
    content = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert message in content
    field_id = {
        "module": f"module_{m.smartphone.pk}",  # after « Ma messagerie » in catalogue order
        "first": f"module_{Module.objects.active().first().pk}",
    }.get(field, field)
    assert f'id="id_{field_id}-erreur"' in content
    assert not PathwayTemplate.objects.exists()


def test_apply_a_template_to_its_family_in_scope_twice(setting, client):
    m = setting.modules
    template = make_template([m.smartphone, m.security])
    client.force_login(setting.users["hr"])
    url = reverse("training:template_apply", args=[template.pk])
    page = text(client.get(url))
    assert "2 agents de la famille « Propreté » dans votre périmètre" in page
    response = client.post(url, follow=True)
    assert "2 agent(s) : 4 étape(s) ajoutée(s), 2 parcours créé(s)." in text(response)
    steps = PathwayStep.objects.filter(pathway__agent=setting.a1a0).order_by("position")
    assert [(s.module.code, s.origin) for s in steps] == [
        ("smartphone", StepOrigin.TEMPLATE),
        ("securite", StepOrigin.TEMPLATE),
    ]
    assert not Pathway.objects.filter(agent=setting.b0).exists()  # direction B: out of scope
    again = client.post(url, follow=True)
    assert "0 étape(s) ajoutée(s)" in text(again)
    assert PathwayStep.objects.count() == 4


def test_delete_a_template_keeps_the_steps_it_added(setting, client):
    template = make_template([setting.modules.smartphone])
    client.force_login(setting.users["admin"])
    client.post(reverse("training:template_apply", args=[template.pk]))
    steps = PathwayStep.objects.count()
    response = client.post(reverse("training:template_delete", args=[template.pk]))
    assert response.status_code == 302
    assert not PathwayTemplate.objects.exists()
    assert PathwayStep.objects.count() == steps
    assert AuditEntry.objects.filter(
        target_type="training.pathwaytemplate", action=AuditAction.DELETE
    ).exists()


def test_template_list_queries_do_not_grow(setting, client, django_assert_max_num_queries):
    m = setting.modules
    for i in range(8):
        make_template([m.smartphone, m.mail], name=f"Parcours {i}")
        AgentFactory(job=setting.field_job, unit=setting.world.serv_a2)
    client.force_login(setting.users["hr"])
    with django_assert_max_num_queries(8):
        assert client.get(reverse("training:template_list")).status_code == 200
