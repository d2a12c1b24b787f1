"""Takes the screenshots of the README and the user guide from a running demo.

Usage: `make demo` in one terminal, then
`.venv/bin/python scripts/docs_screenshots.py [http://127.0.0.1:8000] [name …]`: only the
named screenshots when names are given.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
ONLY = set(sys.argv[2:])
OUT = Path(__file__).resolve().parent.parent / "docs" / "img"
PASSWORD = "tremplin-demo"  # noqa: S105 (the demo's published password)
SHOTS = [
    ("rh", "/", "accueil-rh", 1280),
    ("rh", "/organisation/", "organisation", 1280),
    ("rh", "/agents/", "agents", 1280),
    ("rh", "/identites/", "identites", 1280),
    ("rh", "/imports/agents/", "import", 1280),
    ("direction", "/identites/", "direction-identites", 1280),
    ("rh", "/competences/", "competences-carte", 1280),
    ("rh", "/diagnostic/campagnes/", "diagnostic-campagnes", 1280),
    ("agent", "/", "agent-telephone", 360),
    # A page reached by a link whose id is not known in advance: (…, link text to follow).
    ("rh", "/diagnostic/pix/", "pix-campagne", 1280, "DEMOPROF26"),
    ("rh", "/formation/objectifs/", "formation-objectifs", 1280),
    ("agent", "/formation/parcours/mon-parcours/", "agent-parcours-telephone", 360),
    ("direction", "/pilotage/", "pilotage-tableau-de-bord", 1100),
]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for username, path, name, width, *follow in SHOTS:
            if ONLY and name not in ONLY:
                continue
            context = browser.new_context(viewport={"width": width, "height": 800}, locale="fr-FR")
            page = context.new_page()
            page.goto(f"{BASE}/compte/connexion/")
            page.get_by_label("Identifiant ou matricule").fill(username)
            page.get_by_label("Mot de passe ou code personnel").fill(PASSWORD)
            page.get_by_role("button", name="Se connecter").click()
            page.goto(f"{BASE}{path}")
            if follow:
                page.get_by_role("link", name=follow[0]).click()
                page.wait_for_load_state()
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=width < 400)
            context.close()
            print(OUT / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
