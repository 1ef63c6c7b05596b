"""View guards. Anonymous users are sent to login; a unit user asking for an admin page gets 404."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
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


def run_reported(request, action, success) -> bool:
    """Run a service call of a POST and tell the user how it went: `PermissionDenied` becomes 404 (another
    unit's record is not known to exist), a `ValidationError` its messages, success the `success` message
    (or `success()` when it needs the outcome). True when it went through."""
    try:
        action()
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success() if callable(success) else success)
    return True
