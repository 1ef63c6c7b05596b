from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect


class AccountStatusMiddleware:
    """End the session of a user whose unit was suspended (or never approved) since logging in."""

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
        return self.get_response(request)
