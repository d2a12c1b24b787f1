"""Background work of the diagnostic app, run by the django-tasks worker."""

import logging

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from tremplin.core import audit, uploads
from tremplin.core.enums import JobStatus
from tremplin.core.models import BackgroundJob

from . import pix_import
from .models import PixCampaign
from .pix_campaigns import allowed_agents

logger = logging.getLogger(__name__)
PIX_IMPORT_JOB_KIND = "import_pix"
UNEXPECTED = (
    "Erreur inattendue pendant l'import : rien n'a été écrit. Réessayez, et si l'erreur "
    "revient, prévenez l'administrateur."
)


@task()
def run_pix_import(*, job_id: int, token: str, filename: str, campaign_code: str) -> dict:
    """Reads the stored export again against today's agents and the scope its author
    holds now, then applies it in one transaction. The file is deleted whatever happens."""
    job = BackgroundJob.objects.select_related("created_by").get(pk=job_id)
    user = job.created_by
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
        if user is None:  # the account was deleted since: it may change nothing
            job.finish(JobStatus.FAILED, "Le compte qui a lancé l'import n'existe plus.", {})
            return {}
        job.report(10, 100, "Lecture du fichier…")
        with audit.acting_as(user):
            plan = pix_import.parse(data, filename, campaign_code)
            del data
            job.report(40, 100, "Rapprochement des participants et des agents…")
            pix_import.preview(plan, allowed_agents(user))
            if not plan.ok:
                errors = [
                    {"line": e.line, "column": e.column, "message": e.message} for e in plan.errors
                ]
                job.finish(
                    JobStatus.FAILED,
                    f"Le fichier contient {plan.error_total} erreur(s) : rien n'a été écrit.",
                    {"errors": errors, "error_total": plan.error_total},
                )
                return {}
            job.report(60, 100, "Enregistrement des résultats et des profils…")
            known = PixCampaign.objects.filter(code=plan.code).exists()
            result = pix_import.apply(plan)
            campaign = PixCampaign.objects.get(code=plan.code)
            if not known:
                campaign.created_by = user
            campaign.last_import_at = timezone.now()
            campaign.save(update_fields=["created_by", "last_import_at"])
    except pix_import.PixImportError as exc:
        job.finish(JobStatus.FAILED, str(exc), {})
        return {}
    except Exception as exc:
        # The exception text may quote personal data (a name in a constraint error).
        logger.error("Pix import job %s failed: %s", job_id, type(exc).__name__)
        job.finish(JobStatus.FAILED, UNEXPECTED, {})
        return {}
    finally:
        uploads.delete_upload(token)
    counts = {**plan.counts, **result}
    to_review = campaign.participations.to_review().count()
    summary = (
        f"{counts['rows']} ligne(s) lue(s) : {counts['participations_created']} nouvelle(s), "
        f"{counts['participations_changed']} mise(s) à jour ; {counts['evidence']} "
        f"observation(s) ajoutée(s) aux profils ; {to_review} ligne(s) à vérifier."
    )
    job.finish(
        JobStatus.DONE,
        "Import terminé.",
        {
            "summary": summary,
            "counts": counts,
            "campaign_id": campaign.pk,
            "to_review": to_review,
            "next_url": reverse("diagnostic:pix_detail", args=[campaign.pk]),
            "next_label": "Voir la campagne",
        },
    )
    return counts
