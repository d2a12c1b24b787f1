from .audit import Actor, _actor


class AuditActorMiddleware:
    """Makes the signed-in user the author of every write made while serving the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            token = _actor.set(Actor(user, user.get_username()))
        else:
            token = _actor.set(None)
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)
