from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

#: pages an account with a temporary password may still open: where it sets its own, and leaving
PASSWORD_CHANGE_EXEMPT = {"accounts:password_change", "accounts:logout", "set_language", "manual:index",
                          "core:session_keepalive"}


class AccountStatusMiddleware:
    """End the session of a user whose unit was suspended (or never approved) since logging in, and send an
    account holding a temporary password to set its own before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            refusal = user.login_refusal()
            if refusal:
                logout(request)
                messages.error(request, refusal)
                return redirect("accounts:login")
            if user.must_change_password and not self._exempt(request):
                messages.warning(request, _("您的密码是平台管理员设置的临时密码，请先设置新密码。"))
                return redirect("accounts:password_change")
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        try:
            return resolve(request.path_info).view_name in PASSWORD_CHANGE_EXEMPT
        except Resolver404:
            return False
