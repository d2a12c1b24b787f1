"""The agent's diagnostic on a phone, from the letter's code to the result: answer,
say "je ne sais pas", close the page, come back with the same link, finish."""

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from tests.diagnostic.test_adapter import invite, open_campaign
from tests.e2e.conftest import new_phone
from tremplin.competences.models import Competence, Evidence
from tremplin.diagnostic.bank_loader import load_bank
from tremplin.diagnostic.enums import ItemKind
from tremplin.diagnostic.models import Attempt, Item, Response

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def participation(world):
    # Transactional tests empty the tables between tests, the CRCN framework included.
    if not Competence.objects.filter(is_crcn=True).exists():
        importlib.import_module("tremplin.competences.migrations.0002_crcn_framework").load(
            apps, None
        )
    load_bank()
    # 1.2 asks only "order" questions and 4.1 only "zone" ones, so that the journey
    # meets both interactive kinds; 2.1 keeps all its questions.
    Item.objects.filter(competence__code="1.2").exclude(kind=ItemKind.ORDER).update(retired=True)
    Item.objects.filter(competence__code="4.1").exclude(kind=ItemKind.ZONE).update(retired=True)
    campaign = open_campaign(("1.2", "2.1", "4.1"), max_items=6, name="Diagnostic de printemps")
    return invite(campaign, world.agents[("Direction B", "ville")])


def question_number(page) -> int:
    return int(re.search(r"\d+", page.locator("#avancement").inner_text()).group())


def answer(page, check_page, seen_kinds: set):
    """Answers the question on screen the way a person would, with touch."""
    form = page.locator("form.tp-question")
    kind = form.get_attribute("data-kind")
    if kind == ItemKind.ORDER:
        buttons = page.locator(".tp-order-button")
        expect(buttons.first).to_be_visible()
        for button in buttons.all():
            button.click()
        expect(buttons.last).to_have_attribute("aria-pressed", "true")
        expect(buttons.last.locator(".tp-rank-number")).to_have_text(str(buttons.count()))
    elif kind == ItemKind.ZONE:
        zone = page.locator(".tp-illustration .tp-zone-target").first
        zone.dispatch_event("click")
        zone_id = zone.get_attribute("id")
        expect(page.locator(f'input[name="reponse"][value="{zone_id}"]')).to_be_checked()
    else:
        page.locator(".tp-choice").first.click()
    if kind not in seen_kinds:
        seen_kinds.add(kind)
        check_page(page, f"diagnostic-question-{kind}")
    page.get_by_role("button", name="Valider ma réponse").click()
    expect(page.get_by_text("La bonne réponse était")).to_be_visible()


def test_an_agent_takes_the_diagnostic_on_a_phone_and_resumes_it(
    live_server, browser, phone, participation, check_page
):
    link = f"{live_server.url}/diagnostic/code/{participation.code}/"
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mon diagnostic numérique")
    expect(phone.get_by_text("Cela prend 10 à 15 minutes.")).to_be_visible()
    check_page(phone, "diagnostic-accueil")
    phone.get_by_role("button", name="Commencer").click()

    seen_kinds = set()
    expect(phone.locator("#avancement")).to_have_text("Question 1")
    answer(phone, check_page, seen_kinds)
    check_page(phone, "diagnostic-reponse")
    phone.get_by_role("link", name="Question suivante").click()

    expect(phone.locator("#avancement")).to_have_text("Question 2")
    # The engine draws among equally useful questions: this one counts as met too.
    seen_kinds.add(phone.locator("form.tp-question").get_attribute("data-kind"))
    phone.get_by_role("button", name="Je ne sais pas").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Pas de souci, voici la réponse.")
    phone.get_by_role("link", name="Question suivante").click()
    expect(phone.locator("#avancement")).to_have_text("Question 3")
    answer(phone, check_page, seen_kinds)
    phone.get_by_role("link", name="Question suivante").click()
    expect(phone.locator("#avancement")).to_have_text("Question 4")
    stem = phone.locator("legend.tp-stem").inner_text()

    # The phone rings: the page is closed. Later, the same link from the letter.
    phone.context.close()
    assert Response.objects.filter(attempt__participation=participation).count() == 3
    later = new_phone(browser)
    later.goto(link)
    expect(later.get_by_text("Vous avez déjà répondu à 3 questions.")).to_be_visible()
    later.get_by_role("button", name="Reprendre mon diagnostic").click()
    expect(later.locator("#avancement")).to_have_text("Question 4")
    expect(later.locator("legend.tp-stem")).to_have_text(stem)

    while True:
        answer(later, check_page, seen_kinds)
        result_link = later.get_by_role("link", name="Voir mon résultat")
        if result_link.count():
            break
        later.get_by_role("link", name="Question suivante").click()
        assert question_number(later) <= 6
    result_link.click()
    expect(later.get_by_role("heading", level=1)).to_have_text("Mon résultat")
    expect(later.get_by_text("Un conseiller numérique peut vous aider.")).to_be_visible()
    check_page(later, "diagnostic-resultat")

    attempt = Attempt.objects.get(participation=participation)
    assert attempt.finished_at and attempt.responses.count() == 6
    assert {ItemKind.ORDER, ItemKind.ZONE} <= seen_kinds
    assert Evidence.objects.filter(agent=participation.agent).count() == 3
    later.context.close()


# A French voice that records what it says: headless Chromium has no voice at all.
FAKE_FRENCH_VOICE = """
window.__spoken = [];
const voice = {lang: "fr-FR", name: "Voix de test", voiceURI: "test", localService: true, default: true};
Object.defineProperty(window, "speechSynthesis", {value: {
    speaking: false, getVoices: () => [voice], cancel() {}, addEventListener() {},
    speak(utterance) { window.__spoken.push(utterance.text); },
}});
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""


def test_read_aloud_needs_a_french_voice_and_reads_the_question(
    live_server, browser, phone, participation
):
    phone.goto(f"{live_server.url}/diagnostic/code/{participation.code}/")
    phone.get_by_role("button", name="Commencer").click()
    expect(phone.locator("#avancement")).to_have_text("Question 1")
    expect(phone.get_by_role("button", name="Écouter la question")).to_be_hidden()

    with_voice = new_phone(browser)
    with_voice.add_init_script(FAKE_FRENCH_VOICE)
    with_voice.goto(f"{live_server.url}/diagnostic/code/{participation.code}/")
    with_voice.get_by_role("button", name="Commencer").click()
    expect(with_voice.locator("#avancement")).to_have_text("Question 1")
    stem = with_voice.locator("legend.tp-stem").inner_text()
    with_voice.get_by_role("button", name="Écouter la question").click()
    spoken = with_voice.evaluate("window.__spoken")
    assert len(spoken) == 1 and spoken[0].startswith(stem)
    with_voice.context.close()


def test_every_kind_of_question_works_without_javascript(live_server, browser, participation):
    context = browser.new_context(
        viewport={"width": 360, "height": 780}, java_script_enabled=False, locale="fr-FR"
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/diagnostic/code/{participation.code}/")
    page.get_by_role("button", name="Commencer").click()
    kinds = set()
    for number in range(1, 7):
        expect(page.locator("#avancement")).to_have_text(f"Question {number}")
        kind = page.locator("form.tp-question").get_attribute("data-kind")
        kinds.add(kind)
        if kind == ItemKind.ORDER:
            selects = page.locator("select.tp-order-select")
            for rank, select in enumerate(selects.all(), start=1):
                select.select_option(str(rank))
        else:
            # Zones are named in the list: the same big labels as other choices.
            page.locator(".tp-choice").first.click()
        page.get_by_role("button", name="Valider ma réponse").click()
        expect(page.get_by_text("La bonne réponse était")).to_be_visible()
        next_link = page.get_by_role("link", name=re.compile("Question suivante|Voir mon résultat"))
        next_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon résultat")
    assert {ItemKind.ORDER, ItemKind.ZONE} <= kinds
    assert Response.objects.filter(attempt__participation=participation).count() == 6
    context.close()
