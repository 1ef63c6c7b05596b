from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from iodp.accounts.models import Unit, UnitStatus

from .dashboard import home_counts
from .workflow_views import returned_for


@login_required
def home(request):
    user = request.user
    context = {"counts": home_counts(user), "returned": returned_for(user)}
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
