"""View guards. Anonymous users are sent to login; a unit user asking for an admin page gets 404."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404


def platform_admin_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_platform_admin:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class PlatformAdminRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_platform_admin:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class UnitUserRequiredMixin(LoginRequiredMixin):
    """Pages that only make sense for a unit's user (its own profile, its drafts): 404 for others."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.unit_id is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)
