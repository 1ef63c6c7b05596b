from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from iodp.accounts.models import Unit, UnitStatus

from .dashboard import home_counts, home_panels
from .sessions import session_touch
from .workflow_views import returned_for


@login_required
def home(request):
    user = request.user
    context = {"counts": home_counts(user), "returned": returned_for(user), "panels": home_panels(request)}
    if user.is_platform_admin:
        context["pending_units"] = Unit.objects.filter(status=UnitStatus.PENDING).count()
    return render(request, "core/home.html", context)


def placeholder(title, description, module=""):
    """A page for a shortcut whose module is still being built: it says what will be there."""

    @login_required
    def view(request):
        return render(request, "core/placeholder.html",
                      {"title": title, "description": description, "module": module})

    return view


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form's security token no longer matches (the page stayed open across a new login
    or an expired cookie). Nothing is saved; what was typed comes back in a form with a fresh token, so one click
    sends it again. Passwords are never written back into a page, and files must be chosen again."""
    kept, dropped_password = [], False
    if request.method == "POST":
        for name, values in request.POST.lists():
            if name == "csrfmiddlewaretoken":
                continue
            if "password" in name.lower():
                dropped_password = True
                continue
            kept.extend((name, value) for value in values)
    return render(request, "errors/csrf_failure.html", {
        "kept": kept, "dropped_password": dropped_password, "dropped_files": bool(request.FILES),
        "action": request.get_full_path(), "can_resubmit": bool(kept) and not dropped_password,
    }, status=403)


@login_required  # an ended session is sent to the login page like every page (the script does not follow it)
@require_POST
def session_keepalive(request):
    """保持登录: a page with unsaved input asks for more time before the session ends."""
    return JsonResponse({"authenticated": True, "expires_in": session_touch(request.session)})
