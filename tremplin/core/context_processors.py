from django.core.cache import cache

from tremplin.organisation.models import Collectivite, contrast_with_white

DEFAULT_BRANDING = {
    "name": "Tremplin",
    "short_name": "Tremplin",
    "logo_url": "",
    "primary": "#0b5a78",
}


def _branding() -> dict:
    collectivite = Collectivite.current()
    if collectivite is None:
        return DEFAULT_BRANDING
    primary = collectivite.primary_color
    if contrast_with_white(primary) < 4.5:  # never let a theme break contrast
        primary = DEFAULT_BRANDING["primary"]
    return {
        "name": collectivite.name,
        "short_name": collectivite.short_name or collectivite.name,
        "logo_url": collectivite.logo.url if collectivite.logo else "",
        "primary": primary,
    }


def branding(request):
    data = cache.get("tremplin-branding")
    if data is None:
        data = _branding()
        cache.set("tremplin-branding", data, 60)
    return {"branding": data}
