from django import template

from ..models import Participation

register = template.Library()


def participation_to_show(agent) -> Participation | None:
    """The participation the agent's home page talks about: one to resume, else one to
    start, in an open campaign; else the latest result."""
    participations = list(
        Participation.objects.filter(agent=agent)
        .select_related("campaign", "attempt")
        .order_by("-invited_at", "-pk")
    )
    open_ones = [p for p in participations if not p.finished_at and p.campaign.is_open]
    for wanted in ("started", "invited"):
        for participation in open_ones:
            if participation.status == wanted:
                return participation
    finished = [p for p in participations if p.finished_at]
    return max(finished, key=lambda p: p.finished_at) if finished else None


@register.inclusion_tag("diagnostic/agent_home_card.html")
def diagnostic_card(agent):
    participation = participation_to_show(agent) if agent is not None else None
    attempt = getattr(participation, "attempt", None) if participation else None
    return {"participation": participation, "answered": attempt.position if attempt else 0}
