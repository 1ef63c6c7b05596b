"""View guards. Anonymous users are sent to login; a unit user asking for an admin page gets 404."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def platform_admin_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_platform_admin:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
