"""Background work of the training app, run by the django-tasks worker."""

import logging

from django.utils import timezone
from django_tasks import task

from tremplin.accounts import perms
from tremplin.core.enums import JobStatus
from tremplin.core.models import BackgroundJob

from . import pathways

logger = logging.getLogger(__name__)
GENERATION_JOB_KIND = "generate_pathways"
UNEXPECTED = (
    "Erreur inattendue pendant le calcul. Les parcours des agents déjà traités sont "
    "enregistrés ; relancez le calcul pour les autres, et si l'erreur revient, prévenez "
    "l'administrateur."
)


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def _finish(job: BackgroundJob, status: str, message: str, result: dict) -> None:
    job.status = status
    job.message = message[:500]
    job.result = result
    job.finished_at = timezone.now()
    if status == JobStatus.DONE:
        job.done = job.total
    job.save(update_fields=["status", "message", "result", "finished_at", "done"])


@task()
def run_generation(*, job_id: int, population: dict) -> dict:
    """Computes the pathways of a population (see pathways.population_agents) as its
    author may see it now, batch by batch: each batch is committed, so the progress bar
    moves and an error keeps what was done."""
    job = BackgroundJob.objects.select_related("created_by").get(pk=job_id)
    user = job.created_by
    if user is None or not perms.can_generate_pathways(user):
        _finish(job, JobStatus.FAILED, "Le compte qui a lancé le calcul n'en a plus le droit.", {})
        return {}

    def progress(done: int, total: int) -> None:
        job.report(done, total, f"{_number(done)} agent(s) sur {_number(total)}")

    try:
        agents = pathways.population_agents(user, **population)
        agent_ids = list(agents.order_by("pk").values_list("pk", flat=True))
        job.report(0, len(agent_ids), "Calcul des parcours…")
        ctx = pathways.Context()
        report = pathways.generate_for(agent_ids, by=user, progress=progress, ctx=ctx)
    except Exception as exc:
        # The exception text may quote personal data (a name in a constraint error).
        logger.error("pathway generation job %s failed: %s", job_id, type(exc).__name__)
        _finish(job, JobStatus.FAILED, UNEXPECTED, {})
        return {}
    result = report.as_dict(ctx.words)
    _finish(job, JobStatus.DONE, "Calcul terminé.", {"summary": report.summary(), **result})
    return result


@task()
def refresh_pathways(*, agent_ids: list[int]) -> dict:
    """Updates the pathways of agents whose evidence changed (competences signal)."""
    from .pathways import refresh_for_agents

    report = refresh_for_agents(agent_ids)
    return {"summary": report.summary()}
