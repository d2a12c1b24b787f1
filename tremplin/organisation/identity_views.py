from django.core.exceptions import PermissionDenied


def identities(request):
    raise PermissionDenied
