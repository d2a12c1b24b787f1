"""Background work of the organisation app, run by the django-tasks worker."""

import logging

from django_tasks import task

from tremplin.core import audit, uploads
from tremplin.core.enums import JobStatus
from tremplin.core.models import BackgroundJob
from tremplin.core.templatetags.tremplin import french_number

from . import sirh_import

logger = logging.getLogger(__name__)
IMPORT_JOB_KIND = "import_agents"
UNEXPECTED = (
    "Erreur inattendue pendant l'import : rien n'a été écrit. Réessayez, et si l'erreur "
    "revient, prévenez l'administrateur."
)


def _scope_of(user) -> sirh_import.Scope | None:
    if user is None:  # the account was deleted since: it may change nothing
        return sirh_import.Scope(())
    return sirh_import.scope_of(user)


@task()
def run_agent_import(
    *,
    job_id: int,
    token: str,
    filename: str,
    employer_code: str | None,
    employer_name: str,
    full: bool,
    mapping: dict,
) -> dict:
    """Checks the stored file again against today's data and the rights its author holds
    now, then applies it in one transaction. The uploaded file is deleted whatever
    happens."""
    job = BackgroundJob.objects.select_related("created_by").get(pk=job_id)

    # Reading fills the first half of the bar, writing the second. On SQLite the writes'
    # progress only shows at commit: the bar then jumps from half to full.
    def progress(phase: str, done: int, total: int) -> None:
        share = done / total if total else 1
        percent = int(50 * share) + (50 if phase == sirh_import.PHASE_WRITE else 0)
        job.report(
            min(percent, 99),
            100,
            f"{phase} : {french_number(done)} / {french_number(total)} lignes",
        )

    try:
        data = uploads.read_upload(token)
        if data is None:
            job.finish(
                JobStatus.FAILED,
                "Le fichier n'est plus disponible (envoyé il y a plus de 24 h, ou déjà "
                "importé). Envoyez-le à nouveau.",
                {},
            )
            return {}
        job.report(0, 100, "Lecture du fichier…")
        with audit.acting_as(job.created_by):
            plan = sirh_import.build_plan(
                data,
                filename,
                employer_code=employer_code,
                employer_name=employer_name,
                full=full,
                mapping=mapping,
                scope=_scope_of(job.created_by),
                progress=progress,
            )
            del data
            if not plan.ok:
                preview = plan.preview()
                job.finish(
                    JobStatus.FAILED,
                    f"Le fichier contient maintenant {plan.issues.total} erreur(s) (les données "
                    "ont changé depuis la vérification) : rien n'a été écrit.",
                    {"errors": preview["errors"], "error_total": preview["error_total"]},
                )
                return {}
            job.report(50, 100, "Enregistrement des changements…")
            counts = sirh_import.apply_plan(plan, progress=progress)
    except sirh_import.ImportFailed as exc:
        job.finish(JobStatus.FAILED, str(exc), {})
        return {}
    except Exception as exc:
        # The exception text may quote personal data (a matricule in a constraint error).
        logger.error("agent import job %s failed: %s", job_id, type(exc).__name__)
        job.finish(JobStatus.FAILED, UNEXPECTED, {})
        return {}
    finally:
        uploads.delete_upload(token)
    summary = (
        f"{counts['created']} agent(s) créé(s), {counts['updated']} modifié(s), "
        f"{counts['departed']} noté(s) parti(s), {counts['unchanged']} sans changement."
    )
    job.finish(JobStatus.DONE, "Import terminé.", {"summary": summary, "counts": counts})
    return counts
