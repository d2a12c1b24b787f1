from django import template

from tremplin.equipment.footprint import french_kg

register = template.Library()


@register.filter
def kg(value):
    """A mass of CO₂e in French: « 5 667 », « 28,3 »."""
    return french_kg(value)


@register.filter
def years(value):
    """A life in years with one decimal: « 3,5 »."""
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",").removesuffix(",0")
