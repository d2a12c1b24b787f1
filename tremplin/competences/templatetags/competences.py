from django import template

from tremplin.accounts import perms

from .. import models
from ..profile import french_decimal as _french_decimal
from ..profile import summary_for

register = template.Library()


@register.filter
def french_decimal(value):
    """Decimal('2.50') -> '2,5'."""
    return _french_decimal(value)


@register.filter
def plain_level(value):
    """3 -> 'autonome (3 sur 8)'."""
    return "" if value in (None, "") else models.plain_level(int(value))


@register.inclusion_tag("competences/_agent_section.html", takes_context=True)
def competence_section(context, agent):
    """The "Compétences" block of the agent page: in plain words for the agent, a
    summary and a link for the staff who may see the profile, nothing for others."""
    user = context["request"].user
    if not perms.can_view_competence_profile(user, agent):
        return {"visible": False}
    return {
        "visible": True,
        "agent": agent,
        "is_self": user.agent_id == agent.pk,
        "summary": summary_for(agent),
    }
