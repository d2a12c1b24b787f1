"""Background work of the training app, run by the django-tasks worker."""

import logging

from django_tasks import task

from tremplin.accounts import perms
from tremplin.core.enums import JobStatus
from tremplin.core.models import BackgroundJob
from tremplin.core.templatetags.tremplin import french_number

from . import pathways

logger = logging.getLogger(__name__)
GENERATION_JOB_KIND = "generate_pathways"
UNEXPECTED = (
    "Erreur inattendue pendant le calcul. Les parcours des agents déjà traités sont "
    "enregistrés ; relancez le calcul pour les autres, et si l'erreur revient, prévenez "
    "l'administrateur."
)


@task()
def run_generation(*, job_id: int, population: dict) -> dict:
    """Computes the pathways of a population (see pathways.population_agents) as its
    author may see it now, batch by batch: each batch is committed, so the progress bar
    moves and an error keeps what was done."""
    job = BackgroundJob.objects.select_related("created_by").get(pk=job_id)
    user = job.created_by
    if user is None or not perms.can_generate_pathways(user):
        job.finish(JobStatus.FAILED, "Le compte qui a lancé le calcul n'en a plus le droit.", {})
        return {}

    def progress(done: int, total: int) -> None:
        job.report(done, total, f"{french_number(done)} agent(s) sur {french_number(total)}")

    try:
        agents = pathways.population_agents(user, **population)
        agent_ids = list(agents.order_by("pk").values_list("pk", flat=True))
        job.report(0, len(agent_ids), "Calcul des parcours…")
        ctx = pathways.Context()
        report = pathways.generate_for(agent_ids, by=user, progress=progress, ctx=ctx)
    except Exception as exc:
        # The exception text may quote personal data (a name in a constraint error).
        logger.error("pathway generation job %s failed: %s", job_id, type(exc).__name__)
        job.finish(JobStatus.FAILED, UNEXPECTED, {})
        return {}
    result = report.as_dict(ctx.words)
    job.finish(JobStatus.DONE, "Calcul terminé.", {"summary": report.summary(), **result})
    return result


@task()
def refresh_pathways(*, agent_ids: list[int]) -> dict:
    """Updates the pathways of agents whose evidence changed (competences signal)."""
    from .pathways import refresh_for_agents

    report = refresh_for_agents(agent_ids)
    return {"summary": report.summary()}
