from django.core.exceptions import PermissionDenied


def import_agents(request):
    raise PermissionDenied
