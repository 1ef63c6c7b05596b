from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from iodp.accounts.models import UnitStatus, UnitType
from iodp.core.dashboard import unit_figures
from iodp.core.pagination import paginate
from iodp.core.workflow import RecordStatus
from iodp.core.workflow_views import RecordDetailView, RecordEditView
from iodp.reference.models import Region

from .filters import DirectoryFilter
from .forms import ContactFormSet, InstitutionForm
from .models import Institution
from .selectors import directory_rows, profile_for_unit


@login_required
def home(request):
    """机构管理: the unit's own profile; for the platform admin, the directory of all units."""
    if request.user.is_platform_admin:
        return directory(request)
    profile = profile_for_unit(request.user.unit)
    if profile is None:
        return redirect("institutions:create")
    return redirect(profile.get_absolute_url())


def directory(request):
    filterset = DirectoryFilter(request.GET, queryset=directory_rows())
    return render(request, "institutions/directory.html", {
        "filter": filterset, "page": paginate(request, filterset.qs.order_by("name")), "params": filterset.params(), "unit_types": UnitType.choices,
        "provinces": Region.choices(Region.objects.all(), key="code"), "statuses": RecordStatus.choices, "unit_statuses": UnitStatus,
    })


class InstitutionEditView(RecordEditView):
    model = Institution
    form_class = InstitutionForm
    formsets = {"contacts": ContactFormSet}
    template_name = "institutions/edit.html"

    # One profile per unit: "create" leads to the existing one.
    def get(self, request, *args, **kwargs):
        if "pk" not in kwargs and request.user.unit_id and profile_for_unit(request.user.unit):
            return redirect("institutions:home")
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if "pk" not in kwargs and request.user.unit_id and profile_for_unit(request.user.unit):
            return redirect("institutions:home")
        return super().post(request, *args, **kwargs)

    def get_initial(self, obj):
        if obj.pk or obj.unit is None:
            return {}
        unit = obj.unit
        return {"name_zh": unit.name, "unit_type": unit.unit_type, "province": unit.province_id,
                "admin_name": unit.admin_name, "admin_phone": unit.admin_phone, "admin_email": unit.admin_email}


class InstitutionDetailView(RecordDetailView):
    model = Institution
    template_name = "institutions/detail.html"

    def get_context_data(self, **context):
        obj = context["object"]
        context["missing"] = obj.missing_recommended()
        context["figures"] = unit_figures(obj.unit) if obj.unit else []
        context["contacts"] = obj.contacts.all()
        return context
