"""The pages in a real browser: Debian's Chromium, headless, driven by Playwright, on the demo
served over HTTP at 127.0.0.1. A reader signs in through the form and opens every page; no
request leaves 127.0.0.1. A screenshot of each page is saved under build/pages-screenshots/.

Skipped, with the reason, where /usr/bin/chromium is missing, unless
FILIERES_REQUIRE_BROWSER=1 (as `.ci/run` sets), which makes that a failure.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from uuid import UUID

import pytest

from api.bootstrap import Services
from infrastructure.auth_store import Role
from tests.api.http import served as serving

CHROMIUM = Path(os.environ.get("FILIERES_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "pages-screenshots"


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    reason = f"no Chromium at {CHROMIUM}: apt-get install -y chromium chromium-driver"
    if os.environ.get("FILIERES_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " (FILIERES_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def served(services: Services) -> Iterator[str]:
    """The app on the demo, served by uvicorn in a thread of this process."""
    with serving(services) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield launched
        launched.close()


@pytest.fixture
def visit(browser, served: str) -> Iterator[tuple[object, list[str]]]:
    """A new browser context and page; every URL it requested is noted."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1100, "height": 900})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    yield page, requested
    context.close()
    hosts = {urlsplit(url).hostname for url in requested if not url.startswith("data:")}
    assert hosts <= {"127.0.0.1"}, f"requests left 127.0.0.1: {sorted(hosts)}"


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _sign_in(page, served: str, token: str) -> None:
    page.goto(served + "/")
    assert page.url.startswith(served + "/session"), "a signed-out visitor is sent to sign in"
    _shot(page, "connexion")
    page.get_by_label("Jeton d'accès").fill(token)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(served + "/")


def test_a_reader_opens_every_page(visit, served: str, tokens, viandes: UUID):
    page, requested = visit
    _sign_in(page, served, tokens[Role.READER])

    # The programme
    assert page.get_by_role("heading", level=1).inner_text() == "Le programme"
    assert page.locator("article.card").count() == 6
    assert page.locator("svg.chart").count() == 5
    _shot(page, "programme")

    # Viandes today, then as of 2011-12-31 picked with the day picker
    page.get_by_role("link", name="Viandes", exact=True).click()
    funnel = page.locator("#entonnoir tbody td")
    assert funnel.all_inner_texts() == ["7", "4", "3", "0"]
    page.get_by_label("Consulter à la date du").fill("2011-12-31")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url(re.compile(r"jour=2011-12-31"))
    assert funnel.all_inner_texts() == ["7", "0", "0", "0"]
    assert "31 décembre 2011" in page.locator("#etat").inner_text()
    _shot(page, "filiere-au-2011-12-31")

    # What changed between 2011-12-31 and 2012-12-31
    page.get_by_label("Ce qui a changé après le").fill("2011-12-31")
    page.get_by_label("et jusqu'au").fill("2012-12-31")
    page.get_by_role("button", name="Comparer").click()
    page.wait_for_url(re.compile(r"au=2012-12-31"))
    decided = page.locator("ul[aria-labelledby=changes-decided] li")
    assert decided.filter(has_text="Candidature retenue").count() == 4
    _shot(page, "filiere-changements")

    # The register, filtered on Viandes, then a decision and its provenance
    page.get_by_role("link", name="Le registre").click()
    page.get_by_label("Filière").select_option(label="Viandes")
    page.get_by_label("Décidée à partir du").fill("2012-01-01")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"/registre\?filiere="))
    rows = page.locator("table.register tbody tr")
    assert rows.count() == 12
    assert rows.filter(has_text="Numérique").count() == 0
    _shot(page, "registre-viandes")
    rows.filter(has_text="Candidature retenue").first.get_by_role("link").click()
    assert page.get_by_role("heading", name="Provenance").is_visible()
    assert re.fullmatch(r"[0-9a-f]{64}", page.locator("#hash").inner_text())
    _shot(page, "decision")

    # The bodies
    page.get_by_role("link", name="Les instances").click()
    assert page.locator("svg.chart").count() >= 1
    _shot(page, "instances")

    # Not the auditors' page
    answer = page.goto(served + "/auditeurs")
    assert answer is not None and answer.status == 403
    assert "Accès refusé" in page.locator("h1").inner_text()
    assert requested, "the browser's requests were noted"


def test_an_auditor_sees_the_integrity_chain(visit, served: str, tokens):
    page, _ = visit
    _sign_in(page, served, tokens[Role.AUDITOR])
    page.get_by_role("link", name="Auditeurs").click()
    assert "Intacte" in page.locator("#verdict").inner_text()
    _shot(page, "auditeurs")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(served + "/session")
    page.goto(served + "/auditeurs")
    assert page.url.startswith(served + "/session?suite=/auditeurs")


def test_the_programme_fits_a_phone_and_prints_on_a4(visit, served: str, tokens):
    page, _ = visit
    page.set_viewport_size({"width": 360, "height": 740})
    _sign_in(page, served, tokens[Role.READER])
    scroll = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        "[...document.querySelectorAll('main *')]"
        ".filter(e => e.getBoundingClientRect().right > 361).slice(0, 5)"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert scroll <= 360, f"the programme is {scroll} px wide at 360 px: {wide}"
    assert scroll <= 360, f"the programme is {scroll} px wide at 360 px"
    _shot(page, "programme-360px")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
