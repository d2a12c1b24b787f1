"""Browser tests: Debian's Chromium driven by Playwright (never `playwright install`),
axe-core on every page, a screenshot of each page in a folder printed at the end."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TREMPLIN_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
SCREENSHOTS = Path(
    os.environ.get("TREMPLIN_SCREENSHOTS", Path(__file__).resolve().parents[2] / "screenshots")
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        message = f"Chromium introuvable ({CHROMIUM}) : installez le paquet Debian `chromium`."
        if os.environ.get("TREMPLIN_REQUIRE_BROWSER"):
            pytest.fail(message)  # CI must run the browser tests
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
    print(f"\nCaptures d'écran : {SCREENSHOTS}")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def new_phone(browser):
    """A page in a new 360 px wide phone context (its own cookies: a new visitor)."""
    context = browser.new_context(
        viewport={"width": 360, "height": 780},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="fr-FR",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def phone(browser):
    page = new_phone(browser)
    yield page
    page.context.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def check_page(axe):
    """Runs axe on the page, asserts zero violations, writes a full-page screenshot."""

    def check(page, name: str):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        results = axe.run(page)
        assert results.violations_count == 0, f"{name}: {results.generate_report()}"
        width = page.evaluate("document.documentElement.scrollWidth")
        viewport = page.viewport_size["width"]
        assert width <= viewport, f"{name}: la page déborde ({width}px pour {viewport}px)"

    return check


@pytest.fixture
def login(live_server):
    def do_login(page, username, password):
        from tests.factories import PASSWORD

        page.goto(f"{live_server.url}/compte/connexion/")
        page.get_by_label("Identifiant ou matricule").fill(username)
        page.get_by_label("Mot de passe ou code personnel").fill(password or PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state()

    return do_login


@pytest.fixture(autouse=True)
def crcn_framework(transactional_db):
    """Browser tests end with a flush, which also empties the reference data that data
    migrations loaded (the CRCN framework): load it again when it is missing."""
    import importlib

    from django.apps import apps

    from tremplin.competences.models import Competence

    if not Competence.objects.exists():
        migration = importlib.import_module("tremplin.competences.migrations.0002_crcn_framework")
        migration.load(apps, None)
