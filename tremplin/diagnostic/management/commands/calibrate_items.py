"""`manage.py calibrate_items`: re-estimates the questions' a and b from the answers agents
gave, by marginal maximum likelihood (engine.calibrate).

Dry run by default: prints the before/after table and writes nothing. With --wet-run the
items with enough answers get their new a, b and calibrated_at, in one transaction, each
save audited. Items with fewer than --min-responses answers keep their parameters (their
answers still inform the agents' abilities during the estimation).
"""

import time

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from tremplin.core import audit
from tremplin.diagnostic import engine
from tremplin.diagnostic.models import Item, Response

ACTOR_LABEL = "commande calibrate_items"


def response_matrix(items: list[Item]) -> np.ndarray:
    """Attempts × items: 1 right, 0 wrong ("je ne sais pas" is wrong, as the engine
    scores it), NaN not asked. One row per attempt: an agent who took two campaigns
    counts as two examinees, each answer read against their ability at the time."""
    column = {item.pk: j for j, item in enumerate(items)}
    rows = list(
        Response.objects.filter(item_id__in=column)
        .values_list("attempt_id", "item_id", "correct")
        .order_by()
        .iterator(chunk_size=10_000)
    )
    attempts = {attempt_id: i for i, attempt_id in enumerate(sorted({r[0] for r in rows}))}
    matrix = np.full((len(attempts), len(items)), np.nan)
    if rows:
        persons = np.fromiter((attempts[r[0]] for r in rows), dtype=np.int64, count=len(rows))
        cols = np.fromiter((column[r[1]] for r in rows), dtype=np.int64, count=len(rows))
        values = np.fromiter((1.0 if r[2] else 0.0 for r in rows), dtype=float, count=len(rows))
        matrix[persons, cols] = values
    return matrix


class Command(BaseCommand):
    help = (
        "Ré-estime la discrimination (a) et la difficulté (b) des questions à partir des "
        "réponses collectées. Sans --wet-run, montre le résultat et n'écrit rien."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-responses",
            type=int,
            default=200,
            help="Nombre de réponses en dessous duquel une question garde ses paramètres "
            "(200 par défaut).",
        )
        parser.add_argument(
            "--wet-run", action="store_true", help="Enregistre les nouveaux paramètres."
        )

    def handle(self, *args, min_responses, wet_run, **options):
        if min_responses < 1:
            raise CommandError("--min-responses doit valoir au moins 1.")
        items = list(
            Item.objects.select_related("competence").order_by(
                "competence__position", "competence__code", "level", "code"
            )
        )
        if not items:
            raise CommandError("La banque est vide : lancez d'abord load_item_bank.")
        started = time.perf_counter()
        self.stderr.write("Lecture des réponses…")
        matrix = response_matrix(items)
        self.stderr.write(
            f"Estimation sur {matrix.shape[0]} passage(s) : cela peut prendre quelques minutes…"
        )
        # Columns are grouped by competence; the engine links the groups through the same
        # correlated prior as the diagnostic (see engine.calibrate).
        groups = np.array([item.competence_id for item in items])
        a = np.array([item.a for item in items])
        b = np.array([item.b for item in items])
        result = engine.calibrate(matrix, groups, a, b, min_responses=min_responses)
        elapsed = time.perf_counter() - started

        self.print_table(items, result)
        n_updated = int(result.updated.sum())
        self.stdout.write(
            f"{matrix.shape[0]} passage(s), {int(result.n_responses.sum())} réponse(s) ; "
            f"{n_updated} question(s) recalibrée(s), "
            f"{len(items) - n_updated} gardent leurs paramètres (moins de {min_responses} "
            f"réponses) ; {result.iterations} itération(s), {elapsed:.1f} s."
        )
        if not result.converged:
            self.stderr.write(
                "Attention : l'estimation n'a pas convergé. Vérifiez les résultats avant de "
                "les enregistrer."
            )
        if not wet_run:
            self.stdout.write("Aperçu seulement : rien n'est enregistré. Ajoutez --wet-run.")
            return
        now = timezone.now()
        with transaction.atomic(), audit.acting_as(label=ACTOR_LABEL):
            for j in np.flatnonzero(result.updated):
                item = items[j]
                item.a = round(float(result.a[j]), 4)
                item.b = round(float(result.b[j]), 4)
                item.calibrated_at = now
                item.save(update_fields=["a", "b", "calibrated_at"])
        self.stdout.write(self.style.SUCCESS(f"{n_updated} question(s) enregistrée(s)."))

    def print_table(self, items, result):
        """Before → after for every item that has answers; unchanged ones say so."""
        self.stdout.write(f"{'code':<12} {'n':>6}   {'a':>5} {'b':>6}  →  {'a′':>5} {'b′':>6}")
        for j, item in enumerate(items):
            n = int(result.n_responses[j])
            if not n:
                continue
            if result.updated[j]:
                after = f"{result.a[j]:>5.2f} {result.b[j]:>6.2f}"
            else:
                after = "(inchangée : trop peu de réponses)"
            self.stdout.write(f"{item.code:<12} {n:>6}   {item.a:>5.2f} {item.b:>6.2f}  →  {after}")
