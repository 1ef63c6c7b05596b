"""View guards. Anonymous users are sent to login; a unit user asking for an admin page gets 404."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from .filters import parse_id


def platform_admin_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_platform_admin:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def safe_next(request, default: str) -> str:
    """The `next` target from the request when it stays on this site (no open redirect), else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def posted_id(request, name: str) -> int | None:
    """A row id posted as `name`, or None when missing, not a number or out of the database's range."""
    return parse_id(request.POST.get(name) or "")
