"""`manage.py plan_training --from DATE --to DATE [--time-limit S] [--module CODE…]
[--wet-run]`: computes the training calendar from the pathways, as HR does from the
planning page, prints its figures (goals met or missed, what is impossible) and, with
--wet-run, creates the sessions and registrations (convocations
follow). Without --wet-run nothing is written but the run itself (kept for review)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tremplin.core import audit
from tremplin.training.models import Module

from ... import planner
from ...models import PlanningRun


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Date illisible « {value} » : écrivez-la AAAA-MM-JJ.") from exc


class Command(BaseCommand):
    help = "Calcule le planning des formations sur une période ; --wet-run crée les séances."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="Début, AAAA-MM-JJ.")
        parser.add_argument("--to", dest="end", required=True, help="Fin, AAAA-MM-JJ.")
        parser.add_argument("--time-limit", type=int, default=120, help="Secondes au plus.")
        parser.add_argument(
            "--include-proposed",
            action="store_true",
            help="Compter aussi les étapes proposées, pas encore validées.",
        )
        parser.add_argument(
            "--module",
            dest="modules",
            action="append",
            default=[],
            metavar="CODE",
            help="Ne planifier que ce module (code du catalogue) ; répétable.",
        )
        parser.add_argument("--wet-run", action="store_true", help="Crée vraiment les séances.")

    def handle(self, *args, start, end, time_limit, include_proposed, modules, wet_run, **options):
        start, end = _date(start), _date(end)
        if end <= start:
            raise CommandError("La fin doit venir après le début.")
        if not 5 <= time_limit <= 3600:
            raise CommandError("--time-limit : entre 5 et 3600 secondes.")
        chosen = list(Module.objects.filter(code__in=modules))
        unknown = sorted(set(modules) - {module.code for module in chosen})
        if unknown:
            raise CommandError(f"Module inconnu : {', '.join(unknown)}.")
        with audit.acting_as(label="commande plan_training"):
            run = PlanningRun.objects.create(
                starts_on=start,
                ends_on=end,
                include_proposed=include_proposed,
                time_limit_seconds=time_limit,
            )
            run.modules.set(chosen)
            last = [-1]

            def progress(fraction, message):
                percent = int(fraction * 100)
                if percent >= last[0] + 10 or fraction >= 1:
                    last[0] = percent
                    self.stdout.write(f"{percent:3d} % {message}")

            planner.solve(run, progress=progress)
            figures = run.figures
            self.stdout.write(
                f"{figures['agents']} agent(s), {figures['steps']} étape(s) à placer ; "
                f"{figures['new_sessions']} séance(s) proposée(s), {figures['seats']} place(s) "
                f"données. Demande servie (pondérée) : {figures['served']} ; premier arrivé "
                f"premier servi : {figures['served_greedy']} ; borne : {figures['bound']} ; "
                f"écart : {figures['gap_pct']} %."
            )
            for label, count in figures["unplaced"].items():
                self.stdout.write(f"  sans place : {count} — {label}")
            for sentence in figures["infeasible"]:
                self.stdout.write(f"  impossible : {sentence}")
            for goal in figures["goals"]:
                if goal["met"]:
                    verdict = "atteint"
                elif goal["pending"]:
                    verdict = f"à suivre, il en reste {goal['missing']} après cette période"
                else:
                    verdict = f"manqué, il manque {goal['missing']}"
                self.stdout.write(
                    f"  objectif « {goal['name']} » ({goal['deadline']}) : {goal['share']} %, "
                    f"{verdict}. {' ; '.join(goal['reasons'])}".rstrip()
                )
            if not wet_run:
                self.stdout.write(
                    f"Simulation : aucune séance créée (calcul n° {run.pk} gardé pour revue). "
                    "Ajoutez --wet-run pour créer les séances et les inscriptions."
                )
                return
            with transaction.atomic():
                report = planner.accept(run, by=None)
            self.stdout.write(
                f"Créé : {report.sessions} séance(s), {report.registered} inscription(s), "
                f"{report.waiting} en liste d'attente, {report.refused} refusée(s)."
            )
