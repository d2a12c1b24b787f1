"""Inventory import: French errors with line and column, a bad file changes nothing, the
same file twice changes nothing the second time; the pages' preview and apply."""

import datetime as dt
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.equipment.factories import DeviceFactory, imei_with_check_digit
from tremplin.accounts.enums import Role
from tremplin.core.tabular import xlsx_bytes
from tremplin.equipment.enums import DeviceKind, DeviceState
from tremplin.equipment.inventory_import import apply_inventory_import, plan_inventory_import
from tremplin.equipment.models import Allocation, Device

TODAY = timezone.localdate()
IMEI_1 = imei_with_check_digit("35000000000001")
IMEI_2 = imei_with_check_digit("35000000000002")
HEADER = "Type;Modèle;Numéro de série;IMEI;Date d'achat;Prix;État;Site;Matricule du détenteur"


def csv_bytes(*lines: str) -> bytes:
    return ("\ufeff" + "\r\n".join([HEADER, *lines]) + "\r\n").encode("utf-8")


@pytest.fixture
def good_file(world):
    agent = world.agents[("Service A2", "ville")]
    return csv_bytes(
        f"Smartphone;Galaxy A54;SN-1;{IMEI_1};12/03/2024;329,00;Bon état;{world.site.code};"
        f"{agent.matricule}",
        f"Téléphone;Fairphone 5;SN-2;{IMEI_2};01/09/2025;599;Neuf;;",
        "Tablette;Galaxy Tab;SN-3;;02/01/2025;;;;",
    )


def snapshot():
    return (
        list(Device.objects.order_by("pk").values()),
        list(Allocation.objects.order_by("pk").values()),
    )


@pytest.mark.django_db
def test_good_file_is_imported_then_reimport_changes_nothing(world, good_file):
    hr = world.users[Role.HR]
    plan = plan_inventory_import(good_file, "inventaire.csv", user=hr)
    assert plan.errors == []
    assert (plan.to_create, plan.allocations) == (3, 1)
    counts = apply_inventory_import(plan, user=hr)
    assert counts["created"] == 3 and counts["allocated"] == 1
    phone = Device.objects.get(imei=IMEI_1)
    assert phone.state == DeviceState.ALLOCATED and phone.holder.matricule
    assert str(phone.purchase_price) == "329.00"
    assert Device.objects.get(serial_number="SN-3").kind == DeviceKind.TABLET
    before = snapshot()
    again = plan_inventory_import(good_file, "inventaire.csv", user=hr)
    assert again.errors == [] and not again.changes_anything
    assert again.unchanged == 3
    apply_inventory_import(again, user=hr)
    assert snapshot() == before


@pytest.mark.django_db
def test_xlsx_file_is_read_too(world):
    hr = world.users[Role.HR]
    data = xlsx_bytes(
        ["Type", "Modèle", "IMEI", "Date d'achat"],
        [["Smartphone", "Crosscall", IMEI_1, dt.date(2024, 5, 2)]],
    )
    plan = plan_inventory_import(data, "inventaire.xlsx", user=hr)
    assert plan.errors == [] and plan.to_create == 1
    assert plan.rows[0].values["purchase_date"] == dt.date(2024, 5, 2)


@pytest.mark.django_db
def test_bad_rows_name_line_and_column(world):
    hr = world.users[Role.HR]
    existing = DeviceFactory()
    DeviceFactory(imei=IMEI_2)
    outside = world.agents[("Direction B", "ville")]
    data = csv_bytes(
        f"Smartphone;A;SN-1;{IMEI_1};12/03/2024;;;;",
        f"Smartphone;B;SN-2;{IMEI_1};12/03/2024;;;;",  # same IMEI as line 2
        "Frigo;C;SN-3;;12/03/2024;;;;",
        "Smartphone;D;SN-4;123;31/02/2024;abc;Cassé;NOPE;",
        f"Smartphone;E;SN-5;;{(TODAY + dt.timedelta(days=3)):%d/%m/%Y};;;;{outside.matricule}",
        f"Smartphone;F;{existing.serial_number};{IMEI_2};12/03/2024;;;;",
        "Smartphone;G;;;12/03/2024;;;;",
    )
    plan = plan_inventory_import(data, "inventaire.csv", user=hr)
    found = {(e.line, e.column): e.message for e in plan.errors}
    assert found[(3, "IMEI")] == "cet IMEI figure déjà à la ligne 2."
    assert found[(4, "Type")].startswith("type inconnu : « Frigo »")
    assert "IMEI mal formé" in found[(5, "IMEI")]
    assert (
        found[(5, "Date d'achat")]
        == "date illisible : « 31/02/2024 ». Écrivez-la comme 31/01/2025."
    )
    assert found[(5, "Prix")].startswith("prix illisible")
    assert found[(5, "État")].startswith("état inconnu")
    assert found[(5, "Site")].startswith("site inconnu")
    assert found[(6, "Date d'achat")] == "la date d'achat est dans le futur."
    assert "aucun agent présent de votre périmètre" in found[(6, "Matricule du détenteur")]
    assert found[(7, "Numéro de série")] == (
        "cet IMEI et ce numéro de série sont ceux de deux appareils différents."
    )
    assert "il faut un IMEI ou un numéro de série" in found[(8, "IMEI")]


@pytest.mark.django_db
def test_missing_columns_are_named(world):
    plan = plan_inventory_import(
        "Modèle;Prix\r\nA;3\r\n".encode(), "inventaire.csv", user=world.users[Role.HR]
    )
    messages = [e.message for e in plan.errors]
    assert any("la colonne « Type » manque" in m for m in messages)
    assert any("la colonne « Date d'achat » manque" in m for m in messages)
    assert any("Numéro de série" in m and "IMEI" in m for m in messages)


@pytest.mark.django_db
def test_holder_conflict_with_tremplin(world):
    hr = world.users[Role.HR]
    device = DeviceFactory(imei=IMEI_1)
    device.allocate(
        agent=world.agents[("Service A2", "metropole")], on=TODAY, by=hr, charter_accepted=True
    )
    other = world.agents[("Service A2", "ville")]
    data = csv_bytes(
        f"Smartphone;{device.model_name};{device.serial_number};{IMEI_1};"
        f"{device.purchase_date:%d/%m/%Y};399;;;{other.matricule}"
    )
    plan = plan_inventory_import(data, "inventaire.csv", user=hr)
    assert len(plan.errors) == 1
    assert plan.errors[0].column == "Matricule du détenteur"
    assert "reprenez-le d'abord" in plan.errors[0].message


# --- Pages ---------------------------------------------------------------------------------


def _upload(client, data, name="inventaire.csv"):
    return client.post(
        reverse("equipment:import"), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


@pytest.mark.django_db
def test_bad_file_through_the_page_changes_nothing(world, client):
    client.force_login(world.users[Role.HR])
    response = _upload(
        client, csv_bytes("Smartphone;A;SN-1;;12/03/2024;;;;", "Frigo;B;SN-2;;x;;;;")
    )
    page = html.unescape(response.content.decode())
    assert "Le fichier contient 2 erreurs : rien n'a été enregistré." in page
    assert "Type inconnu : « Frigo »" in page  # the table capitalises the message
    assert not Device.objects.exists()


@pytest.mark.django_db
def test_preview_then_apply(world, client, good_file):
    client.force_login(world.users[Role.HR])
    response = _upload(client, good_file)
    page = html.unescape(response.content.decode())
    assert "3 appareils à ajouter" in page
    assert "la charte sera à faire signer" in page
    assert not Device.objects.exists()  # nothing before the confirmation
    digest = response.context["digest"]
    response = client.post(reverse("equipment:import_apply"), {"digest": digest})
    assert response.status_code == 302
    assert Device.objects.count() == 3
    # The same file again: nothing to apply.
    response = _upload(client, good_file)
    assert "Ce fichier ne change rien" in html.unescape(response.content.decode())
    response = client.post(reverse("equipment:import_apply"), {"digest": digest}, follow=True)
    assert "n'est plus en attente" in html.unescape(response.content.decode())
    assert Device.objects.count() == 3


@pytest.mark.django_db
def test_command_is_a_dry_run_unless_told(world, good_file, tmp_path):
    import io

    from django.core.management import CommandError, call_command

    path = tmp_path / "inventaire.csv"
    path.write_bytes(good_file)
    out = io.StringIO()
    call_command("import_inventory", str(path), stdout=out)
    assert "Essai : 3 appareil(s) à ajouter" in out.getvalue()
    assert not Device.objects.exists()
    call_command("import_inventory", str(path), "--wet-run", stdout=out)
    assert Device.objects.count() == 3
    bad = tmp_path / "mauvais.csv"
    bad.write_bytes(csv_bytes("Frigo;A;SN-9;;12/03/2024;;;;"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        call_command("import_inventory", str(bad), "--wet-run", stdout=out, stderr=err)
    assert "Ligne 2, colonne « Type » : type inconnu" in err.getvalue()
    assert Device.objects.count() == 3
