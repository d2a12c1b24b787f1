"""Demo data for training: a believable catalogue, fragility segments and coverage
goals, templates and pathways for the demo workforce. Called by seed_demo after the
competences and the diagnostic; reproducible for a given seed."""

from . import demo_catalogue, demo_goals, demo_pathways


def seed(*, seed: int = 1, today=None) -> dict:
    summary = {}
    summary.update(demo_catalogue.seed(seed=seed))
    summary.update(demo_goals.seed(seed=seed, today=today))
    summary.update(demo_pathways.seed(seed=seed, today=today))
    return summary


def wipe() -> None:
    """Empties the training tables before seed_demo --reset deletes the agents."""
    from django.db import connection

    from .models import (
        CoverageGoal,
        FragilitySegment,
        Module,
        ModuleOutcome,
        ModulePrerequisite,
        Pathway,
        PathwayStep,
        PathwayTemplate,
        PathwayTemplateStep,
    )

    tables = (
        PathwayStep,
        Pathway,
        PathwayTemplateStep,
        PathwayTemplate,
        CoverageGoal,
        FragilitySegment,
        ModulePrerequisite,
        ModuleOutcome,
        Module,
    )
    with connection.cursor() as cursor:
        for model in tables:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's own table name)
