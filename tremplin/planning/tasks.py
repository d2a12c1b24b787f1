"""Background work of the planning app, run by the django-tasks worker."""

import logging

from django.urls import reverse
from django_tasks import task

from tremplin.core.enums import JobStatus

from . import planner
from .models import PlanningRun, PlanningRunStatus

logger = logging.getLogger(__name__)
PLANNING_JOB_KIND = "plan_training"
UNEXPECTED = (
    "Erreur inattendue pendant le calcul du planning : rien n'a été créé. Relancez le calcul ; "
    "si l'erreur revient, prévenez l'administrateur."
)


@task()
def run_planning(*, run_id: int) -> dict:
    """Computes a planning run; the progress bar follows the solver, and HR may stop it
    (the run marked cancelled: the next progress report stops the computation)."""
    run = PlanningRun.objects.select_related("job").get(pk=run_id)
    job = run.job

    def progress(fraction: float, message: str) -> None:
        if PlanningRun.objects.filter(pk=run.pk, status=PlanningRunStatus.CANCELLED).exists():
            raise planner.Cancelled
        if job is not None:
            job.report(int(fraction * 100), 100, message[:500])

    try:
        planner.solve(run, progress=progress)
    except planner.Cancelled:
        if job is not None:
            job.finish(JobStatus.DONE, "Calcul arrêté : rien n'a été proposé.", {})
        return {}
    except Exception as exc:
        logger.error("planning run %s failed: %s", run_id, type(exc).__name__)
        PlanningRun.objects.filter(pk=run.pk).update(status=PlanningRunStatus.FAILED)
        if job is not None:
            job.finish(JobStatus.FAILED, UNEXPECTED, {})
        return {}
    if job is not None:
        job.finish(
            JobStatus.DONE,
            "Calcul terminé.",
            {
                "run": run.pk,
                "summary": f"{run.figures.get('new_sessions', 0)} séance(s) proposée(s).",
                "next_url": reverse("planning:plan_detail", args=[run.pk]),
                "next_label": "Voir le planning proposé",
            },
        )
    return {"run": run.pk}
