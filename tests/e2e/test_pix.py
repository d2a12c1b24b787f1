"""HR follows a Pix campaign in Chromium: declare it, import a Pix Orga export through
the pages (upload, check, confirm, progress), read the figures per unit and the agents,
link a row two agents could own with the keyboard, remind and print the letters, see a
bad file refused on its field; and the agent reads their Pix tests on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.diagnostic.test_pix_views import export, row_of
from tests.factories import AgentFactory
from tremplin.accounts.enums import Role
from tremplin.competences.enums import EvidenceSource
from tremplin.competences.models import Evidence
from tremplin.diagnostic import pix_import
from tremplin.diagnostic.models import PixCampaign, PixCampaignKind, PixParticipation

# serialized_rollback: the CRCN framework comes from a data migration, which the flush
# between transactional tests would otherwise wipe.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def declare(world, code="PIXVILLE1"):
    campaign = PixCampaign.objects.create(
        code=code,
        name="Profils des agents",
        kind=PixCampaignKind.PROFILES_COLLECTION,
        external_id_label="Matricule",
    )
    campaign.units.set([world.dir_a])
    return campaign


def press(locator, key="Enter"):
    """Acts with the keyboard: focus the control, then press a key."""
    locator.focus()
    locator.press(key)


def assert_tables_fit(page, name):
    """On a phone, the figures are read without scrolling a table sideways."""
    wide = page.evaluate(
        """() => [...document.querySelectorAll('.table-responsive')]
            .filter(box => box.scrollWidth > box.clientWidth)
            .map(box => box.querySelector('caption')?.textContent.trim() || box.outerHTML.slice(0, 80))"""
    )
    assert not wide, f"{name}: tableaux plus larges que l'écran : {wide}"


def test_hr_declares_a_pix_campaign(live_server, page, phone, world, login, check_page):
    login(page, "admin", None)
    page.get_by_role("link", name="Pix", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Campagnes Pix")
    check_page(page, "rh-pix-campagnes")
    press(page.get_by_role("link", name="Déclarer une campagne"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Déclarer une campagne Pix")
    check_page(page, "rh-pix-formulaire")

    page.get_by_label("Code de la campagne").focus()
    page.keyboard.type("pixville1")
    page.get_by_label("Type").select_option(label="Collecte de profils")
    page.get_by_label("Nom", exact=True).focus()
    page.keyboard.type("Profils des agents")
    page.get_by_label("Identifiant demandé par Pix").focus()
    page.keyboard.type("Matricule")
    page.get_by_label("Unités (et sous-unités)").select_option(label="Direction A")
    press(page.get_by_role("button", name="Enregistrer"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Campagne Pix PIXVILLE1")
    expect(page.get_by_role("status")).to_contain_text("Campagne PIXVILLE1 enregistrée")
    expect(page.get_by_text("Unités : Direction A")).to_be_visible()
    expect(page.get_by_role("link", name="https://app.pix.fr/campagnes/PIXVILLE1")).to_be_visible()
    campaign = PixCampaign.objects.get()
    assert (campaign.code, campaign.kind) == ("PIXVILLE1", PixCampaignKind.PROFILES_COLLECTION)
    assert list(campaign.units.all()) == [world.dir_a]
    check_page(page, "rh-pix-campagne-declaree")

    # The same pages on a phone, with a code Pix cannot have: refused on its field.
    login(phone, "admin", None)
    phone.goto(f"{live_server.url}/diagnostic/pix/nouvelle/")
    code = phone.get_by_label("Code de la campagne")
    code.fill("AB-12")
    phone.get_by_label("Type").select_option(label="Campagne d'évaluation")
    press(phone.get_by_role("button", name="Enregistrer"))
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(phone.get_by_text("lettres et chiffres, sans espace")).to_be_visible()
    assert PixCampaign.objects.count() == 1
    check_page(phone, "rh-pix-formulaire-erreur-telephone")
    phone.goto(f"{live_server.url}/diagnostic/pix/")
    expect(phone.get_by_role("link", name="PIXVILLE1")).to_be_visible()
    check_page(phone, "rh-pix-campagnes-telephone")
    assert_tables_fit(phone, "rh-pix-campagnes-telephone")
    phone.get_by_role("link", name="PIXVILLE1").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Campagne Pix PIXVILLE1")
    check_page(phone, "rh-pix-campagne-telephone")
    assert_tables_fit(phone, "rh-pix-campagne-telephone")


def test_hr_imports_an_export_and_links_the_ambiguous_row(
    live_server, page, phone, world, login, check_page, tmp_path
):
    campaign = declare(world)
    alice = world.agents[("Équipe A1a", "ville")]
    bob = world.agents[("Service A2", "ville")]
    twin_a2 = AgentFactory(last_name="Homonyme", first_name="Jean", unit=world.serv_a2)
    twin_a1a = AgentFactory(last_name="Homonyme", first_name="Jean", unit=world.team_a1a)
    csv = tmp_path / "pix-orga-export.csv"
    csv.write_bytes(
        export(
            [
                row_of(alice, level=4),
                row_of(bob, shared=False),
                ("Homonyme", "Jean", "", True, 2),
                ("Inconnu", "Paul", "Z999", True, 2),
            ]
        )
    )

    # On a phone first: upload, read the check, then cancel. Nothing is written.
    login(phone, "admin", None)
    phone.goto(f"{live_server.url}/diagnostic/pix/importer/?campagne={campaign.pk}")
    phone.get_by_label("Export CSV de Pix Orga").set_input_files(str(csv))
    press(phone.get_by_role("button", name="Vérifier le fichier"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Vérification du fichier")
    check_page(phone, "rh-pix-import-verification-telephone")
    assert_tables_fit(phone, "rh-pix-import-verification-telephone")
    press(phone.get_by_role("button", name="Annuler l'import"))
    expect(phone.get_by_role("status")).to_contain_text("Import annulé")
    assert not PixParticipation.objects.exists()

    login(page, "admin", None)
    page.goto(f"{live_server.url}/diagnostic/pix/{campaign.pk}/")
    press(page.get_by_role("link", name="Importer des résultats"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer un export Pix Orga")
    check_page(page, "rh-pix-import")
    page.get_by_label("Export CSV de Pix Orga").set_input_files(str(csv))
    press(page.get_by_role("button", name="Vérifier le fichier"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérification du fichier")
    expect(page.get_by_text("pix-orga-export.csv")).to_be_visible()
    review = page.get_by_role("table", name=re.compile("Lignes à vérifier"))
    expect(review.get_by_role("row")).to_have_count(3)  # header + 2 rows
    expect(review).to_contain_text("plusieurs agents ont ce nom")
    expect(review).to_contain_text("aucun agent trouvé")
    assert not PixParticipation.objects.exists()  # the preview writes nothing
    check_page(page, "rh-pix-import-verification")
    press(page.get_by_role("button", name="Enregistrer ces résultats"))

    # The tests' ImmediateBackend (tests/conftest.py) also runs the task the live server
    # enqueues: the job is done before the redirect reaches the progress page.
    expect(page.get_by_role("heading", level=1)).to_have_text("Import des résultats Pix")
    expect(page.get_by_role("status")).to_have_text(re.compile("Import terminé"))
    expect(page.get_by_text("2 lignes à vérifier.")).to_be_visible()
    check_page(page, "rh-pix-import-termine")
    job_url = page.url
    assert Evidence.objects.get(agent=alice, source=EvidenceSource.PIX).level == 4

    press(page.get_by_role("link", name="Voir la campagne"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Campagne Pix PIXVILLE1")
    figures = page.get_by_role("table", name=re.compile("Agents concernés"))
    # Direction A: the four agents of the world and the two namesakes; Alice and Bob
    # started, Alice alone shared (the namesakes' row is not linked yet).
    direction_a = figures.get_by_role("row").filter(has_text="Direction A").first
    expect(direction_a.get_by_role("cell").nth(0)).to_have_text("6")
    expect(
        page.get_by_text(re.compile(r"6\s+agents\s+concernés,\s+2 ont commencé"))
    ).to_be_visible()
    expect(page.get_by_text("2 lignes des exports ne sont reliées à aucun agent")).to_be_visible()
    check_page(page, "rh-pix-campagne-apres-import")

    press(page.get_by_role("link", name="Voir les agents un par un et où ils en sont"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Agents de la campagne Pix PIXVILLE1")
    agents = page.get_by_role("table", name=re.compile("Agents concernés"))
    expect(agents.get_by_role("row").filter(has_text=str(alice))).to_contain_text(
        "Résultats envoyés"
    )
    expect(agents.get_by_role("row").filter(has_text=str(bob))).to_contain_text(
        "Commencé, résultats pas envoyés"
    )
    check_page(page, "rh-pix-agents")

    page.go_back()
    press(page.get_by_role("link", name="Les vérifier"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lignes à vérifier : Pix PIXVILLE1")
    expect(page.get_by_role("status")).to_contain_text("2 lignes à vérifier")
    check_page(page, "rh-pix-a-verifier")
    phone.goto(page.url)
    expect(phone.get_by_role("radio")).to_have_count(2)
    check_page(phone, "rh-pix-a-verifier-telephone")
    row = page.get_by_role("region", name=re.compile("HOMONYME Jean"))
    namesakes = row.get_by_role("group", name="Agents au même nom")
    expect(namesakes.get_by_role("radio")).to_have_count(2)
    chosen = namesakes.get_by_role("radio", name=re.compile(twin_a1a.matricule))
    # Keyboard only: Space checks the first namesake, the arrows move the choice until
    # the agent of team A1a is checked, then Enter on the link button.
    press(namesakes.get_by_role("radio").first, "Space")
    for _ in range(2):
        if chosen.is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(chosen).to_be_checked()
    press(row.get_by_role("button", name="Relier à cet agent"))

    expect(page.get_by_role("status").first).to_contain_text(
        re.compile(r"Ligne \d+ reliée à Jean Homonyme : 1 observation ajoutée au profil\.")
    )
    expect(page.get_by_role("region", name=re.compile("HOMONYME Jean"))).to_have_count(0)
    expect(page.get_by_role("region", name=re.compile("INCONNU Paul"))).to_be_visible()
    participation = PixParticipation.objects.get(last_name="Homonyme")
    assert participation.agent == twin_a1a
    assert Evidence.objects.get(agent=twin_a1a, source=EvidenceSource.PIX).level == 2
    assert not Evidence.objects.filter(agent=twin_a2).exists()
    check_page(page, "rh-pix-a-verifier-apres")

    for url, name in [
        (job_url, "rh-pix-import-termine-telephone"),
        (
            f"{live_server.url}/diagnostic/pix/{campaign.pk}/",
            "rh-pix-campagne-apres-import-telephone",
        ),
        (f"{live_server.url}/diagnostic/pix/{campaign.pk}/agents/", "rh-pix-agents-telephone"),
    ]:
        assert phone.goto(url).ok, url
        check_page(phone, name)
        assert_tables_fit(phone, name)


def test_hr_reminds_and_prints_the_letters(live_server, page, phone, world, login, check_page):
    campaign = declare(world)
    started = world.agents[("Équipe A1a", "ville")]
    pix_import.import_file(export([row_of(started)]), wet=True)

    login(page, "admin", None)
    page.goto(f"{live_server.url}/diagnostic/pix/{campaign.pk}/")
    press(page.get_by_role("link", name="Relancer (3)"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Relancer les agents : Pix PIXVILLE1")
    expect(page.get_by_text(re.compile(r"3\s+agents à relancer"))).to_be_visible()
    check_page(page, "rh-pix-relancer")
    press(page.get_by_role("button", name="Relancer 3 agents"))

    # The three agents read no email: three letters, each with the QR code of the link.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Courriers de relance : Pix PIXVILLE1"
    )
    expect(page.get_by_role("status").first).to_contain_text("3 courriers à imprimer")
    letters = page.locator("article.tp-letter")
    expect(letters).to_have_count(3)
    expect(letters.locator("svg")).to_have_count(3)
    expect(letters.first).to_contain_text("PIXVILLE1")
    expect(page.get_by_role("button", name="Imprimer")).to_be_visible()
    check_page(page, "rh-pix-courriers")

    login(phone, "admin", None)
    phone.goto(f"{live_server.url}/diagnostic/pix/{campaign.pk}/relancer/")
    expect(phone.get_by_text(re.compile(r"3\s+agents à relancer"))).to_be_visible()
    check_page(phone, "rh-pix-relancer-telephone")
    phone.goto(f"{live_server.url}/diagnostic/pix/{campaign.pk}/courriers/")
    expect(phone.locator("article.tp-letter")).to_have_count(3)
    check_page(phone, "rh-pix-courriers-telephone")


def bad_files(tmp_path, world):
    other_tool = tmp_path / "agents.csv"
    other_tool.write_bytes("Nom;Prénom\nMartin;Alice\n".encode())
    bad_cell = tmp_path / "pix-orga-export.csv"
    alice = world.agents[("Équipe A1a", "ville")]
    bad_cell.write_bytes(export([row_of(alice)]).replace(b'"Non";"0"', b'"Peut-etre";"0"'))
    return other_tool, bad_cell


def upload_through_the_page(page, url, path):
    page.goto(url)
    page.get_by_label("Export CSV de Pix Orga").set_input_files(str(path))
    press(page.get_by_role("button", name="Vérifier le fichier"))
    return page.get_by_label("Export CSV de Pix Orga")


def test_a_bad_file_is_refused_on_its_field(
    live_server, page, phone, world, login, check_page, tmp_path
):
    other_tool, bad_cell = bad_files(tmp_path, world)
    url = f"{live_server.url}/diagnostic/pix/importer/"
    login(page, "admin", None)
    field = upload_through_the_page(page, url, other_tool)
    expect(field).to_have_attribute("aria-invalid", "true")
    # The message sits under the file field, in the field's own block.
    block = page.locator("div.mb-3").filter(has=field)
    expect(block.locator(".invalid-feedback")).to_contain_text("ne vient pas de Pix Orga")
    check_page(page, "rh-pix-import-mauvais-fichier")

    login(phone, "admin", None)
    field = upload_through_the_page(phone, url, bad_cell)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(phone.locator("div.mb-3").filter(has=field)).to_contain_text("1 erreur")
    errors = phone.get_by_role("region", name="1 erreur à corriger dans le fichier")
    expect(errors.get_by_role("row").filter(has_text="Certifiable (O/N)")).to_contain_text(
        "attendu Oui ou Non"
    )
    check_page(phone, "rh-pix-import-erreurs-telephone")
    assert not PixCampaign.objects.exists()
    assert not PixParticipation.objects.exists()


def test_a_screen_reader_reads_the_file_error_with_the_field(
    live_server, page, world, login, tmp_path
):
    other_tool, _bad_cell = bad_files(tmp_path, world)
    login(page, "admin", None)
    field = upload_through_the_page(page, f"{live_server.url}/diagnostic/pix/importer/", other_tool)
    described = field.evaluate(
        "el => (el.getAttribute('aria-describedby') || '').split(/\\s+/)"
        ".map(id => document.getElementById(id)).filter(Boolean)"
        ".map(node => node.textContent).join(' ')"
    )
    assert "ne vient pas de Pix Orga" in described


def test_the_agent_reads_their_pix_tests_on_a_phone(live_server, phone, world, login, check_page):
    me = world.users[Role.AGENT].agent
    pix_import.import_file(export([row_of(me, level=3)]), wet=True)

    login(phone, "agent", None)
    phone.goto(f"{live_server.url}/agents/moi/")
    press(phone.get_by_role("link", name="Voir le détail de mes compétences"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mes compétences numériques")
    section = phone.get_by_role("region", name="Mes tests Pix")
    expect(section).to_be_visible()
    expect(section.get_by_role("heading", name="Profils des agents")).to_be_visible()
    expect(section).to_contain_text("Vous avez 24 pix.")
    expect(section).to_contain_text("Ce test a compté dans votre profil.")
    check_page(phone, "agent-pix-historique-telephone")
