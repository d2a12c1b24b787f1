"""SIRH import pages, as HR would use them, and refused to everybody else."""

import os
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import user_with_role
from tests.organisation.test_import import HEADER, ROWS, csv_bytes, with_cell
from tremplin.accounts.enums import Role
from tremplin.core import uploads
from tremplin.core.enums import JobStatus
from tremplin.core.models import AuditEntry, BackgroundJob
from tremplin.organisation import import_views, sirh_import
from tremplin.organisation.models import Agent, Employer

UPLOAD = reverse("organisation:import_agents")
MAPPING = reverse("organisation:import_agents_mapping")
PREVIEW = reverse("organisation:import_agents_preview")
CANCEL = reverse("organisation:import_agents_cancel")


def upload(client, data: bytes, name="agents.csv", **fields):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data), **fields})


def stored_files(settings) -> list:
    folder = settings.MEDIA_ROOT / uploads.UPLOAD_FOLDER
    return sorted(folder.glob("*")) if folder.exists() else []


@pytest.fixture
def hr(world, client):
    """The collectivité's training office: HR for every employer and every unit."""
    user = user_with_role(Role.HR, username="rh-collectivite")
    client.force_login(user)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.AGENT, Role.MANAGER, Role.DIRECTION, Role.ADVISOR, Role.MOBILITY]
)
def test_other_roles_are_refused(world, client, role):
    client.force_login(world.users[role])
    for url in (UPLOAD, MAPPING, PREVIEW):
        assert client.get(url).status_code == 403, url
    assert client.post(CANCEL).status_code == 403
    data = csv_bytes(ROWS)
    assert upload(client, data, employer=world.city.pk).status_code == 403
    assert not Agent.objects.filter(matricule="1001").exists()


@pytest.mark.django_db
def test_upload_page_explains_the_full_import(hr, client):
    page = client.get(UPLOAD).content.decode()
    assert "Import complet" in page
    assert "seront notés comme partis aujourd&#x27;hui" in page
    assert 'name="employer"' in page and 'name="new_employer"' in page


@pytest.mark.django_db
def test_hr_end_to_end(world, hr, client, settings):
    response = upload(client, csv_bytes(ROWS), employer=world.city.pk, full="on")
    assert response.status_code == 302 and response.url == PREVIEW
    assert len(stored_files(settings)) == 1
    assert not Agent.objects.filter(matricule="1001").exists()  # nothing written yet

    page = client.get(PREVIEW).content.decode()
    assert "3 agents à créer" in page
    # The world's three "ville" agents are not in the file: a full import marks them departed.
    assert "3 agents absents du fichier" in page
    assert "DURAND Hélène" in page
    assert "Direction des solidarités › Service EHPAD › Équipe de nuit" in page

    response = client.post(PREVIEW)
    job = BackgroundJob.objects.get(kind="import_agents")
    assert response.status_code == 302
    assert response.url == reverse("organisation:import_agents_job", args=[job.pk])
    assert job.status == JobStatus.DONE and job.created_by == hr
    assert job.result["counts"]["created"] == 3 and job.result["counts"]["departed"] == 3

    page = client.get(response.url).content.decode()
    assert "Import terminé" in page and "3 agents créés" in page
    helene = Agent.objects.get(matricule="1001", employer=world.city)
    assert helene.manager.matricule == "1003"
    assert Agent.objects.filter(employer=world.city).present().count() == 3
    # Attributed to the HR user; the file with personal data is gone.
    entry = AuditEntry.objects.get(
        action="create", target_type="organisation.agent", target_id=str(helene.pk)
    )
    assert entry.actor == hr
    assert AuditEntry.objects.get(action="import").actor == hr
    assert stored_files(settings) == []
    # The draft is over: the preview page now sends back to the upload page.
    assert client.get(PREVIEW).url == UPLOAD


@pytest.mark.django_db
def test_job_status_polling_partial_for_the_import(world, hr, client):
    upload(client, csv_bytes(ROWS), employer=world.city.pk)
    client.post(PREVIEW)
    job = BackgroundJob.objects.get(kind="import_agents")
    partial = client.get(reverse("core:job_status", args=[job.pk])).content.decode()
    assert "Terminé" in partial and "3 agent(s) créé(s)" in partial


@pytest.mark.django_db
def test_running_job_page_polls_the_status(world, hr, client):
    job = BackgroundJob.objects.create(kind="import_agents", created_by=hr, total=100, done=30)
    page = client.get(reverse("organisation:import_agents_job", args=[job.pk])).content.decode()
    assert reverse("core:job_status", args=[job.pk]) in page
    assert 'hx-trigger="every 1s"' in page
    assert 'aria-valuenow="30"' in page


@pytest.mark.django_db
def test_someone_elses_job_is_not_shown(world, hr, client):
    admin = world.users[Role.ADMIN]
    job = BackgroundJob.objects.create(kind="import_agents", created_by=admin)
    assert client.get(reverse("organisation:import_agents_job", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_new_employer_created_with_the_import(world, hr, client):
    upload(client, csv_bytes(ROWS), new_employer="CCAS de Test")
    client.post(PREVIEW)
    employer = Employer.objects.get(code="ccas-de-test")
    assert employer.name == "CCAS de Test" and employer.agents.count() == 3


@pytest.mark.django_db
def test_new_employer_that_already_exists(world, hr, client):
    response = upload(client, csv_bytes(ROWS), new_employer="métropole")
    page = response.content.decode()
    assert "Cet employeur existe déjà : choisissez-le dans la liste." in page
    assert 'aria-invalid="true"' in page


@pytest.mark.django_db
def test_errors_are_listed_with_line_and_column_and_nothing_is_written(world, hr, client, settings):
    before = (Agent.objects.count(), AuditEntry.objects.count())
    rows = with_cell(1, "Catégorie", "D")
    rows = with_cell(2, "Responsable", "9999", rows)
    response = upload(client, csv_bytes(rows), employer=world.city.pk)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Le fichier contient 2 erreurs : rien n&#x27;a été enregistré." in page
    assert "<td>3</td>" in page and "<td>Catégorie</td>" in page
    assert "« D » n&#x27;est pas une catégorie (A, B ou C)." in page
    assert "<td>4</td>" in page and "<td>Responsable</td>" in page
    # The file field points at the list of errors, for screen readers.
    assert 'aria-describedby="id_file-erreur erreurs-import id_file_helptext"' in page
    assert 'id="erreurs-import"' in page
    assert (Agent.objects.count(), AuditEntry.objects.count()) == before
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_unreadable_file_message(world, hr, client):
    response = upload(client, b"", employer=world.city.pk)
    assert "Le fichier soumis est vide." in response.content.decode()
    response = upload(client, b"a|b\n1|2\n", employer=world.city.pk)
    assert "Séparateur non reconnu à la ligne 1" in response.content.decode()


@pytest.mark.django_db
def test_mapping_step_for_unknown_columns(world, hr, client):
    header = [*HEADER, "Code affectation", "Grade"]
    rows = [[*r, f"AFF{n}", "C"] for n, r in enumerate(ROWS)]
    response = upload(client, csv_bytes(rows, header=header), employer=world.city.pk)
    assert response.url == MAPPING
    page = client.get(MAPPING).content.decode()
    assert "Colonne « Code affectation »" in page and "Colonne « Grade »" in page
    assert "Exemples dans le fichier : « AFF0 », « AFF1 », « AFF2 »" in page
    # Every column needs an answer.
    response = client.post(MAPPING, {"col_0": "ignore"})
    assert "Choisissez ce que contient cette colonne." in response.content.decode()
    # "Grade" duplicates Catégorie: the file is then refused, with the reason.
    response = client.post(MAPPING, {"col_0": "ignore", "col_1": "category"})
    page = response.content.decode()
    assert "<td>1</td>" in page and "<td>Grade</td>" in page
    assert "Cette colonne est en double : la colonne « Catégorie » (n° 8)" in page


@pytest.mark.django_db
def test_mapping_then_preview_and_apply(world, hr, client):
    header = ["Agent ID", "Nom", "Prénom", "Code affectation"]
    rows = [["77", "Roux", "Ana", "X1"]]
    upload(client, csv_bytes(rows, header=header), employer=world.city.pk)
    response = client.post(MAPPING, {"col_0": "matricule", "col_1": "ignore"})
    assert response.url == PREVIEW
    page = client.get(PREVIEW).content.decode()
    assert "1 agent à créer" in page and "Colonnes non importées : Code affectation" in page
    client.post(PREVIEW)
    assert Agent.objects.get(matricule="77", employer=world.city).first_name == "Ana"


@pytest.mark.django_db
def test_reimport_says_nothing_changes(world, hr, client):
    upload(client, csv_bytes(ROWS), employer=world.city.pk)
    client.post(PREVIEW)
    upload(client, csv_bytes(ROWS), employer=world.city.pk)
    page = client.get(PREVIEW).content.decode()
    assert "Ce fichier ne change rien : tout est déjà à jour." in page
    assert "Enregistrer ces changements" not in page


@pytest.mark.django_db
def test_cancel_deletes_the_uploaded_file(world, hr, client, settings):
    upload(client, csv_bytes(ROWS), employer=world.city.pk)
    assert len(stored_files(settings)) == 1
    response = client.post(CANCEL)
    assert response.url == UPLOAD
    assert stored_files(settings) == []
    assert client.get(PREVIEW).url == UPLOAD


@pytest.mark.django_db
def test_files_older_than_a_day_are_purged(world, hr, client, settings):
    upload(client, csv_bytes(ROWS), employer=world.city.pk)
    (path,) = stored_files(settings)
    old = time.time() - 25 * 3600
    os.utime(path, (old, old))
    client.get(UPLOAD)
    assert stored_files(settings) == []
    response = client.get(PREVIEW)
    assert response.url == UPLOAD


@pytest.mark.django_db
def test_job_fails_when_the_data_changed_since_the_check(world, hr, client, settings):
    boss = Agent.objects.create(
        employer=world.city, matricule="9000", last_name="Chef", first_name="Camille"
    )
    header = ["Matricule", "Nom", "Prénom", "Responsable"]
    upload(client, csv_bytes([["5001", "Neuf", "Léa", "9000"]], header=header), employer=world.city.pk)  # fmt: skip
    boss.delete()  # before HR confirms
    before = (Agent.objects.count(), AuditEntry.objects.count())
    response = client.post(PREVIEW)
    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.FAILED
    page = client.get(response.url).content.decode()
    assert "Échec de l'import" in page
    assert "Aucun agent de matricule « 9000 » chez cet employeur" in page
    assert "<td>2</td>" in page and "<td>Responsable</td>" in page
    assert (Agent.objects.count(), AuditEntry.objects.count()) == before
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_employer_scoped_hr_sees_only_their_employer(world, client):
    hr_city = user_with_role(Role.HR, employer=world.city, username="rh-ville")
    client.force_login(hr_city)
    page = client.get(UPLOAD).content.decode()
    assert "Ville" in page and "Métropole" not in page
    assert 'name="new_employer"' not in page
    header = ["Employeur", "Matricule", "Nom", "Prénom"]
    response = upload(client, csv_bytes([["metropole", "1", "A", "b"]], header=header))
    assert "hors de votre périmètre" in response.content.decode()
    assert not Agent.objects.filter(matricule="1", last_name="A").exists()


# --- Size limit ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_file_over_the_limit_is_refused_without_being_read(world, hr, settings):
    """A 50 MB upload is refused on its announced size: the view never reads the body."""
    big = SimpleUploadedFile("enorme.csv", b"x" * (50 * 1024 * 1024))
    request = RequestFactory().post(UPLOAD, {"file": big})
    request.user = hr
    request.session = {}
    request._dont_enforce_csrf_checks = True
    tracemalloc.start()
    try:
        response = import_views.import_agents(request)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 413
    page = response.content.decode()
    assert "Le fichier pèse 50 Mo : c&#x27;est plus que la limite de 30 Mo." in page
    assert 'aria-invalid="true"' in page
    assert not request._read_started  # the body was left unread
    assert peak < 5 * 1024 * 1024
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_file_over_a_small_limit_is_refused_on_its_size(world, hr, client, settings):
    settings.TREMPLIN_IMPORT_MAX_BYTES = 200
    response = upload(client, csv_bytes(ROWS), employer=world.city.pk)
    assert "c&#x27;est plus que la limite" in response.content.decode()
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_unexpected_failure_is_reported_without_personal_data(
    world, hr, client, settings, monkeypatch, caplog
):
    def boom(plan, **kwargs):
        raise RuntimeError("DURAND Hélène 1001")

    monkeypatch.setattr(sirh_import, "apply_plan", boom)
    upload(client, csv_bytes(ROWS), employer=world.city.pk)
    client.post(PREVIEW)
    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.message.startswith("Erreur inattendue pendant l'import : rien n'a été écrit.")
    assert "Hélène" not in caplog.text and "1001" not in caplog.text
    assert f"agent import job {job.pk} failed: RuntimeError" in caplog.text
    assert stored_files(settings) == []
    assert not Agent.objects.filter(matricule="1001").exists()


# --- HR limited to some units -------------------------------------------------------------


@pytest.mark.django_db
def test_hr_of_a_direction_cannot_change_agents_elsewhere(world, client, settings):
    client.force_login(world.users[Role.HR])  # HR of Direction A
    page = client.get(UPLOAD).content.decode()
    assert 'name="new_employer"' not in page  # creating employers is for unlimited HR
    outsider = world.agents[("Direction B", "ville")]
    header = ["Matricule", "Nom", "Prénom", "Catégorie"]
    state = sorted(Agent.objects.values_list("pk", "last_name", "category", "departure_date"))
    response = upload(
        client,
        csv_bytes([[outsider.matricule, "Changé", "X", "A"]], header=header),
        employer=world.city.pk,
        full="on",
    )
    page = response.content.decode()
    assert "Le fichier contient 1 erreur" in page
    assert f"L&#x27;agent de matricule « {outsider.matricule} » est hors de votre périmètre" in page
    assert client.post(PREVIEW).url == UPLOAD  # nothing to confirm
    assert (
        sorted(Agent.objects.values_list("pk", "last_name", "category", "departure_date")) == state
    )
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_full_import_by_hr_of_a_direction_departs_only_their_agents(world, client):
    client.force_login(world.users[Role.HR])
    kept = world.agents[("Service A2", "ville")]
    header = ["Matricule", "Nom", "Prénom"]
    upload(client, csv_bytes([[kept.matricule, kept.last_name, kept.first_name]], header=header), employer=world.city.pk, full="on")  # fmt: skip
    assert "1 agent absent du fichier" in client.get(PREVIEW).content.decode()
    client.post(PREVIEW)
    departed = set(Agent.objects.exclude(departure_date=None).values_list("pk", flat=True))
    assert departed == {world.agents[("Équipe A1a", "ville")].pk}


@pytest.mark.django_db
def test_job_checks_the_rights_again_when_it_runs(world, client):
    hr = world.users[Role.HR]
    client.force_login(hr)
    kept = world.agents[("Service A2", "ville")]
    header = ["Matricule", "Nom", "Prénom"]
    upload(client, csv_bytes([[kept.matricule, "Renommé", kept.first_name]], header=header), employer=world.city.pk)  # fmt: skip
    hr.role_assignments.update(org_unit=world.dir_b)  # moved to Direction B meanwhile
    client.post(PREVIEW)
    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert "hors de votre périmètre" in job.result["errors"][0]["message"]
    kept.refresh_from_db()
    assert kept.last_name != "Renommé"


@pytest.mark.django_db
def test_a_full_import_departing_many_agents_asks_for_confirmation(world, hr, client):
    from tests.factories import AgentFactory

    for _ in range(12):  # twelve more city agents the short file does not list
        AgentFactory(employer=world.city, unit=world.serv_a2)
    upload(client, csv_bytes(ROWS), employer=world.city.pk, full="on")
    page = client.get(PREVIEW).content.decode()
    assert "noterait 15 agents partis sur 15" in page
    response = client.post(PREVIEW)
    assert "Cochez la case pour confirmer ces départs" in response.content.decode()
    assert not BackgroundJob.objects.exists()
    assert Agent.objects.filter(employer=world.city).present().count() == 15
    client.post(PREVIEW, {"confirm_departures": "on"})
    assert Agent.objects.filter(employer=world.city).present().count() == 3
