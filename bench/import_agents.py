"""Benchmark of the SIRH import: `python bench/import_agents.py --rows 100000`.

Runs in a throw-away SQLite database in a temporary folder: migrates, writes a
realistic N-row CSV (as French Excel saves it: BOM, `;`), then times a first wet
import and a re-import of the same file through the `import_agents` command.
Peak memory is the process's resident set (VmHWM, reset before each import where
Linux allows it; else ru_maxrss). Last line, machine-readable, for the first import:
`rows=N seconds=S peak_mb=M`.
"""

import argparse
import csv
import io
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# fmt: off
LAST_NAMES = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
    "Muller", "Lefèvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
    "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
    "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval",
    "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun",
    "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud",
    "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal",
    "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix",
    "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland",
    "Le Gall",
]
FIRST_NAMES = [
    "Marie", "Jean", "Pierre", "Michel", "Nathalie", "Isabelle", "Sylvie", "Catherine",
    "Philippe", "Alain", "Nicolas", "Christophe", "Sandrine", "Stéphanie", "Céline", "Julien",
    "Sébastien", "Laurent", "David", "Frédéric", "Valérie", "Véronique", "Patrick", "Émilie",
    "Aurélie", "Thomas", "Camille", "Léa", "Manon", "Chloé", "Hugo", "Lucas", "Inès", "Yasmine",
    "Mohamed", "Karim", "Fatima", "Aïcha", "Nadia", "Sofiane", "Anaïs", "Élodie", "Jérôme",
    "Hélène", "Gaëlle", "Loïc", "Maëlle",
]
# fmt: on
DIRECTIONS = [
    "Direction des ressources humaines",
    "Direction des finances",
    "Direction de l'éducation",
    "Direction des espaces verts",
    "Direction de la voirie",
    "Direction des solidarités",
    "Direction de la culture",
    "Direction des sports",
    "Direction du numérique",
    "Direction de la propreté",
    "Direction des EHPAD",
    "Direction de la restauration",
]
SERVICES = ["Service administratif", "Service technique", "Service accueil", "Service secteur "]
JOBS = [
    ("ADM01", "Gestionnaire administratif", "Administration"),
    ("ADM02", "Assistant de direction", "Administration"),
    ("ADM03", "Chargé d'accueil", "Administration"),
    ("TEC01", "Agent d'entretien", "Propreté"),
    ("TEC02", "Jardinier", "Espaces verts"),
    ("TEC03", "Agent de voirie", "Voirie"),
    ("TEC04", "Électricien", "Bâtiment"),
    ("SOC01", "Aide-soignant", "Soin"),
    ("SOC02", "Agent de service hospitalier", "Soin"),
    ("SOC03", "Travailleur social", "Social"),
    ("EDU01", "ATSEM", "Éducation"),
    ("EDU02", "Animateur", "Éducation"),
    ("RES01", "Cuisinier", "Restauration"),
    ("RES02", "Agent de restauration", "Restauration"),
    ("NUM01", "Technicien informatique", "Numérique"),
    ("CUL01", "Bibliothécaire", "Culture"),
    ("SPO01", "Éducateur sportif", "Sports"),
    ("ENC01", "Chef d'équipe", "Encadrement"),
    ("ENC02", "Chef de service", "Encadrement"),
    ("ENC03", "Directeur", "Encadrement"),
]
PATTERNS = ["Bureau"] * 6 + ["Matin", "Après-midi", "Nuit", "Alterné"]
STATUSES = ["Titulaire"] * 7 + ["Contractuel", "Contractuel", "Stagiaire", "Apprenti"]
HEADERS = [
    "Matricule",
    "Nom",
    "Prénom",
    "Direction",
    "Service",
    "Équipe",
    "Code métier",
    "Métier",
    "Famille de métiers",
    "Catégorie",
    "Statut",
    "Site",
    "Responsable",
    "Courriel",
    "Téléphone mobile",
    "Date d'arrivée",
    "Quotité",
    "Horaires",
]


def ascii_only(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.replace(" ", "")


def generate(path: Path, rows: int, seed: int = 1) -> None:
    """Teams of about 12 agents, each with a chief; chiefs report to their service's head,
    heads to their direction's director. Rows are shuffled so managers often come later."""
    rng = random.Random(seed)
    teams_needed = max(1, rows // 12)
    teams = []
    for d, direction in enumerate(DIRECTIONS):
        for s, service in enumerate(SERVICES):
            for t in range(1, 100):
                teams.append((d, direction, s, f"{service}{d + 1}-{s + 1}", f"Équipe {t}"))
    teams = teams[:teams_needed] if teams_needed <= len(teams) else teams
    sites = [f"Site {n:03d}" for n in range(1, 121)]
    matricules = rng.sample(range(100000, 999999), rows)
    records = []
    heads: dict[tuple, str] = {}
    for n, matricule in enumerate(matricules):
        d, direction, s, service, team = teams[n % len(teams)]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        job = rng.choice(JOBS[:17])
        key_dir, key_service, key_team = (d,), (d, s), (d, s, team)
        if key_dir not in heads:
            heads[key_dir], manager, job = str(matricule), "", JOBS[19]
        elif key_service not in heads:
            heads[key_service], manager, job = str(matricule), heads[key_dir], JOBS[18]
        elif key_team not in heads:
            heads[key_team], manager, job = str(matricule), heads[key_service], JOBS[17]
        else:
            manager = heads[key_team]
        has_email = rng.random() < 0.6
        email = ascii_only(f"{first}.{last}.{matricule}@ville-exemple.fr".lower())
        phone = f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} 00"
        arrival = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1985, 2024)}"
        records.append(
            [
                str(matricule),
                last.upper(),
                first,
                direction,
                service,
                team,
                job[0],
                job[1],
                job[2],
                rng.choice("AABBCCCCCC"),
                rng.choice(STATUSES),
                rng.choice(sites),
                manager,
                email if has_email else "",
                phone if not has_email and rng.random() < 0.5 else "",
                arrival,
                rng.choice(["100", "100", "100", "80", "50 %", "90"]),
                rng.choice(PATTERNS),
            ]
        )
    rng.shuffle(records)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADERS)
        writer.writerows(records)


def reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="garder la base et le CSV")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="tremplin-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["TREMPLIN_MEDIA_ROOT"] = str(tmp / "media")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
    os.environ["DJANGO_DEBUG"] = "0"  # DEBUG keeps every query text in memory
    os.environ["TREMPLIN_IMPORT_MAX_BYTES"] = str(1 << 40)
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command

    from tremplin.core.models import AuditEntry
    from tremplin.organisation.models import Agent, OrgUnit

    call_command("migrate", verbosity=0)
    path = tmp / "agents.csv"
    started = time.perf_counter()
    generate(path, args.rows, args.seed)
    print(
        f"CSV de {args.rows} lignes écrit en {time.perf_counter() - started:.1f} s "
        f"({path.stat().st_size / 1e6:.1f} Mo), base : {tmp}"
    )

    figures = {}
    for run in ("first", "again"):
        reset_peak()
        started = time.perf_counter()
        out = io.StringIO()
        call_command(
            "import_agents", str(path), "--employer", "ville", "--wet-run", "--full",
            verbosity=0, stdout=out,
        )  # fmt: skip
        seconds = time.perf_counter() - started
        figures[run] = (seconds, peak_mb())
        print(f"{'Premier import' if run == 'first' else 'Réimport'} : {seconds:.1f} s, "
              f"pic mémoire {figures[run][1]:.0f} Mo — {out.getvalue().strip().splitlines()[-1]}")  # fmt: skip

    print(
        f"Agents : {Agent.objects.count()}, unités : {OrgUnit.objects.count()}, "
        f"entrées d'audit : {AuditEntry.objects.count()}"
    )
    if not args.keep:
        from django.db import connection

        connection.close()
        shutil.rmtree(tmp, ignore_errors=True)
    seconds, peak = figures["first"]
    print(f"rows={args.rows} seconds={seconds:.1f} peak_mb={peak:.0f}")


if __name__ == "__main__":
    main()
