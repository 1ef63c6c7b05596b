from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from iodp.core.access import platform_admin_required
from iodp.core.models import history_for
from iodp.core.pagination import paginate

from . import services
from .filters import UnitFilter
from .forms import LoginForm, ReasonForm, RegistrationForm
from .models import Unit, UnitStatus, UnitType


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        form.user.must_change_password = False  # saved with the new password by the form
        messages.success(self.request, _("密码已修改。"))
        return super().form_valid(form)


def register(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.unit_register(
                unit_name=data["unit_name"], unit_type=data["unit_type"], province=data["province"],
                admin_name=data["admin_name"], admin_phone=data["admin_phone"], admin_email=data["admin_email"],
                username=data["username"], password=data["password1"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("accounts:register_done")
    return render(request, "accounts/register.html", {"form": form})


def register_done(request):
    return render(request, "accounts/register_done.html")


@platform_admin_required
def unit_list(request):
    filterset = UnitFilter(request.GET, queryset=Unit.objects.select_related("province").annotate(
        user_count=Count("users")))
    counts = dict(Unit.objects.values_list("status").annotate(n=Count("id")))
    return render(request, "accounts/unit_list.html", {
        "filter": filterset, "page": paginate(request, filterset.qs), "status": filterset.value("status"),
        "unit_type": filterset.value("unit_type"), "q": filterset.value("q"),
        "statuses": UnitStatus.choices, "unit_types": UnitType.choices, "counts": counts,
    })


@platform_admin_required
def unit_review(request, pk):
    unit = get_object_or_404(Unit.objects.select_related("province", "reviewed_by"), pk=pk)
    return render(request, "accounts/unit_review.html", {
        "unit": unit, "reason_form": ReasonForm(), "history": history_for(unit)[:50],
        "users": unit.users.all(),
    })


@platform_admin_required
@require_POST
def unit_password_reset(request, pk):
    """重置密码: the temporary password is shown in this response only (never in a message or a log)."""
    unit = get_object_or_404(Unit, pk=pk)
    account = get_object_or_404(unit.users.all(), pk=request.POST.get("user") or 0)
    try:
        password = services.unit_password_reset(user=account, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("accounts:unit_review", pk=pk)
    response = render(request, "accounts/password_reset_done.html",
                      {"unit": unit, "account": account, "password": password})
    response["Cache-Control"] = "no-store"
    return response


ACTIONS = {
    "approve": (services.unit_approve, False, gettext_lazy("已批准 %(unit)s 的注册。")),
    "reject": (services.unit_reject, True, gettext_lazy("已驳回 %(unit)s 的注册。")),
    "suspend": (services.unit_suspend, True, gettext_lazy("已停用 %(unit)s 的账号。")),
    "reactivate": (services.unit_reactivate, False, gettext_lazy("已恢复 %(unit)s 的账号。")),
}


@platform_admin_required
@require_POST
def unit_action(request, pk, action):
    unit = get_object_or_404(Unit, pk=pk)
    if action not in ACTIONS:
        return redirect("accounts:unit_review", pk=pk)
    service, needs_reason, done = ACTIONS[action]
    kwargs = {"unit": unit, "by": request.user}
    if needs_reason:
        kwargs["reason"] = request.POST.get("reason", "")
    try:
        service(**kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("accounts:unit_review", pk=pk)
    messages.success(request, str(done) % {"unit": unit.name})
    return redirect("accounts:unit_list")
