"""`manage.py import_agents FILE`: the SIRH import from the command line.

Dry run by default: it reads and checks the whole file, prints what would change and
writes nothing. With --wet-run it writes everything in one transaction.
"""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tremplin.core import audit, uploads
from tremplin.organisation import sirh_import
from tremplin.organisation.sirh_import import ImportFailed

ACTOR_LABEL = "commande import_agents"


class TqdmProgress:
    """One progress bar per phase (reading, writing), on stderr."""

    def __init__(self, stream, disable: bool):
        self.stream, self.disable = stream, disable
        self.bar = None
        self.phase = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase != self.phase:
            self.close()
            self.phase = phase
            self.bar = tqdm(
                total=total,
                desc=phase,
                unit=" lignes",
                file=self.stream,
                disable=self.disable,
                leave=True,
            )
        self.bar.total = max(total, done)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
            self.phase = None


def parse_mapping(items: list[str]) -> dict[str, str]:
    mapping = {}
    for item in items:
        header, sep, target = item.rpartition("=")
        if not sep or not header.strip():
            raise CommandError(
                f"--map « {item} » : écrivez « Nom de la colonne=champ », par exemple "
                '--map "Code affectation=ignorer".'
            )
        key = sirh_import.field_from_text(target.strip())
        if key is None:
            raise CommandError(
                f"--map « {item} » : champ « {target.strip()} » inconnu. Champs possibles : "
                f"{sirh_import.known_fields_text()}."
            )
        mapping[header.strip()] = key
    return mapping


class Command(BaseCommand):
    help = (
        "Importe les agents depuis un export du SIRH (CSV ou XLSX). Sans --wet-run, montre "
        "ce qui changerait et n'écrit rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier CSV (; ou ,) ou XLSX exporté du SIRH.")
        parser.add_argument(
            "--confirm-departures",
            action="store_true",
            help="Avec --full : confirme un import qui noterait partis plus de 10 %% des agents.",
        )
        parser.add_argument(
            "--employer",
            metavar="CODE",
            help="Code de l'employeur des agents du fichier ; créé s'il n'existe pas encore.",
        )
        parser.add_argument(
            "--employer-name",
            metavar="NOM",
            default="",
            help="Nom de l'employeur quand --employer le crée (par défaut : son code).",
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="Import complet : les agents de l'employeur absents du fichier sont notés "
            "partis aujourd'hui (jamais supprimés).",
        )
        parser.add_argument(
            "--wet-run", action="store_true", help="Enregistre les changements (sinon : aperçu)."
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLONNE=CHAMP",
            help='Indique le champ d\'une colonne inconnue, ou "ignorer". Répétable.',
        )
        parser.add_argument(
            "--show", type=int, default=20, help="Lignes d'exemple montrées par type de changement."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        size = path.stat().st_size
        limit = settings.TREMPLIN_IMPORT_MAX_BYTES
        if size > limit:
            raise CommandError(uploads.too_big_message(size, limit, sirh_import.SPLIT_HINT))
        mapping = parse_mapping(options["map"])
        progress = TqdmProgress(
            getattr(self.stderr, "_out", sys.stderr), disable=options["verbosity"] < 1
        )
        with audit.acting_as(label=ACTOR_LABEL):
            plan = sirh_import.build_plan(
                path.read_bytes(),
                path.name,
                employer_code=options["employer"],
                employer_name=options["employer_name"],
                full=options["full"],
                mapping=mapping,
                progress=progress,
            )
            progress.close()
            if plan.unknown_columns:
                raise CommandError(self.unknown_columns_message(plan.unknown_columns))
            if plan.issues:
                raise CommandError(self.errors_message(plan))
            self.print_preview(plan, options["show"])
            if plan.mass_departure:
                self.stdout.write(self.style.WARNING(plan.mass_departure))
            if not options["wet_run"]:
                self.stdout.write(
                    "Rien n'a été écrit : relancez avec --wet-run pour enregistrer ces changements."
                )
                return
            if plan.mass_departure and not options["confirm_departures"]:
                raise CommandError(
                    f"{plan.mass_departure} Rien n'a été écrit. Si le fichier est complet, "
                    "relancez avec --confirm-departures."
                )
            try:
                counts = sirh_import.apply_plan(plan, progress=progress)
            except ImportFailed as exc:
                raise CommandError(str(exc)) from exc
            finally:
                progress.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"Import terminé : {counts['created']} agent(s) créé(s), {counts['updated']} "
                f"modifié(s), {counts['departed']} noté(s) parti(s), {counts['unchanged']} "
                "sans changement."
            )
        )

    @staticmethod
    def unknown_columns_message(columns: list[str]) -> str:
        listed = ", ".join(f"« {c} »" for c in columns)
        return (
            f"Colonnes inconnues : {listed}.\n"
            "Indiquez ce que contient chacune avec --map, par exemple "
            f'--map "{columns[0]}=ignorer".\n'
            f"Champs possibles : {sirh_import.known_fields_text()}."
        )

    @staticmethod
    def errors_message(plan) -> str:
        shown = plan.issues.shown()
        lines = [str(issue) for issue in shown]
        if plan.issues.total > len(shown):
            lines.append(f"… et {plan.issues.total - len(shown)} autre(s) erreur(s).")
        total = plan.issues.total
        lines.append(
            f"{total} erreur{'s' if total > 1 else ''} dans le fichier : rien n'a été écrit. "
            "Corrigez le fichier puis relancez."
        )
        return "\n".join(lines)

    def print_preview(self, plan, show: int) -> None:
        preview = plan.preview()
        counts = preview["counts"]
        out = self.stdout.write
        out(f"Fichier « {plan.filename} » : {counts['rows']} ligne(s) d'agents.")
        out(f"Employeur(s) : {', '.join(preview['employers'])}.")
        ignored = [c["header"] for c in preview["columns"] if not c["field"]]
        if ignored:
            out(f"Colonnes ignorées : {', '.join(ignored)}.")
        for label, key, names in (
            ("Employeur(s) à créer", "employers", preview["new_employers"]),
            ("Unité(s) à créer", "units", preview["new_units"]),
            ("Métier(s) à créer", "jobs", preview["new_jobs"]),
            ("Site(s) à créer", "sites", preview["new_sites"]),
        ):
            if counts[key]:
                more = f" … (+{counts[key] - show})" if counts[key] > show else ""
                out(f"{label} : {counts[key]} — {', '.join(names[:show])}{more}")
        out(self.style.MIGRATE_HEADING(f"Agents à créer : {counts['created']}"))
        for row in preview["samples"]["create"][:show]:
            out(
                f"  ligne {row['line']} : {row['matricule']} {row['name']} — {row['unit']} — "
                f"{row['job']} — catégorie {row['category']}"
            )
        self._more(counts["created"], show)
        out(self.style.MIGRATE_HEADING(f"Agents à modifier : {counts['updated']}"))
        for row in preview["samples"]["update"][:show]:
            changes = " ; ".join(
                f"{c['field']} : {c['before']} → {c['after']}" for c in row["changes"]
            )
            out(f"  ligne {row['line']} : {row['matricule']} {row['name']} — {changes}")
        self._more(counts["updated"], show)
        if plan.full:
            out(self.style.MIGRATE_HEADING(f"Agents à noter comme partis : {counts['departed']}"))
            for row in preview["samples"]["depart"][:show]:
                out(f"  {row['matricule']} {row['name']} — {row['unit']}")
            self._more(counts["departed"], show)
        out(f"Agents sans changement : {counts['unchanged']}")

    def _more(self, count: int, show: int) -> None:
        if count > show:
            self.stdout.write(f"  … et {count - show} autre(s)")
