from django import template

from ..enums import OPEN_STEP_STATUSES
from ..models import PathwayStep

register = template.Library()


@register.inclusion_tag("training/agent_home_card.html")
def pathway_card(agent):
    """The agent's next step on their home page, and how many follow."""
    steps = (
        list(
            PathwayStep.objects.filter(
                pathway__agent=agent,
                pathway__target_job__isnull=True,
                status__in=OPEN_STEP_STATUSES,
            )
            .select_related("module")
            .order_by("position")[:20]
        )
        if agent is not None
        else []
    )
    return {"next_step": steps[0] if steps else None, "more": max(len(steps) - 1, 0)}
