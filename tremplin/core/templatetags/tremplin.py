from django import template

from tremplin.core.navigation import menu_for

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    return menu_for(context["request"])


@register.filter
def french_number(value):
    """12345 -> '12 345' (narrow no-break space, as French typography wants)."""
    try:
        return f"{int(value):,}".replace(",", "\u202f")
    except (TypeError, ValueError):
        return value


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (pagination, sorting)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
