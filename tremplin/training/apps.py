from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "tremplin.training"
    label = "training"
    verbose_name = "Formation"

    def ready(self):
        from tremplin.competences.signals import evidence_recorded

        evidence_recorded.connect(_refresh_pathways, dispatch_uid="training-refresh-pathways")


def _refresh_pathways(sender, agent_ids, **kwargs):
    """A new diagnostic, Pix import or observation updates the open pathways of those
    agents (never removing a validated step; see pathways.refresh_for_agents): in the
    background once the evidence is committed, so that an import of 6,000 rows does
    not also wait for 6,000 pathways."""
    from django.db import transaction

    from .tasks import refresh_pathways

    ids = sorted(set(agent_ids))
    if ids:
        transaction.on_commit(lambda: refresh_pathways.enqueue(agent_ids=ids))
