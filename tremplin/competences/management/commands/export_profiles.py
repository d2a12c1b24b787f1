"""`manage.py export_profiles OUT.csv`: every agent's profile, one row per agent and
competence, streamed to a CSV file as French Excel opens it (BOM, `;`, CRLF).

Columns: matricule;competence;level;source;date — the competence as its code ("1.1"),
the estimated level with a decimal comma, its main source (diagnostic, pix, advisor,
training, self) and the date of its newest evidence (YYYY-MM-DD). It only reads the
database, so it needs no --wet-run.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tremplin.competences.models import ProfileEntry
from tremplin.competences.profile import french_decimal
from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.core.tabular import csv_lines

HEADERS = ["matricule", "competence", "level", "source", "date"]
CHUNK = 2000


def profile_rows():
    entries = (
        ProfileEntry.objects.order_by(
            "agent__employer__code",
            "agent__matricule",
            "agent_id",
            "competence__position",
            "competence__code",
        )
        .values_list("agent__matricule", "competence__code", "level", "main_source", "measured_on")
        .iterator(chunk_size=CHUNK)
    )
    for matricule, code, level, source, measured_on in entries:
        yield [matricule, code, french_decimal(level), source, measured_on.isoformat()]


class Command(BaseCommand):
    help = (
        "Exporte le profil de compétences de tous les agents dans un fichier CSV "
        "(colonnes matricule;competence;level;source;date)."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="Fichier CSV à écrire (« - » pour la sortie standard).")

    def handle(self, *args, out, verbosity, **options):
        total = ProfileEntry.objects.count()
        bar = tqdm(
            total=total, desc="Profils", unit=" lignes", file=sys.stderr, disable=not verbosity
        )
        try:
            handle = self.stdout if out == "-" else open(out, "w", encoding="utf-8", newline="")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"Impossible d'écrire « {out} » : {exc.strerror}.") from exc
        try:
            for line_number, line in enumerate(csv_lines(HEADERS, profile_rows())):
                handle.write(line)
                if line_number:
                    bar.update(1)
        finally:
            bar.close()
            if handle is not self.stdout:
                handle.close()
        with audit.acting_as(label="commande export_profiles"):
            audit.record(
                AuditAction.EXPORT,
                target_type="competences.profileentry",
                summary=f"export des profils de compétences ({total} lignes)",
                changes={"lines": total},
            )
        if verbosity and out != "-":
            self.stderr.write(f"{total} lignes écrites dans {out}.")
