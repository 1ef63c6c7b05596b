"""Pages of the experts module. Views declare; the workflow services and this app's services decide."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from iodp.accounts.models import Unit
from iodp.core.access import platform_admin_required, posted_id, run_reported
from iodp.core.pagination import paginate
from iodp.core.scoping import editable_or_404, visible_or_404
from iodp.core.versioning import RecordConflict, posted_version
from iodp.core.workflow import RecordStatus
from iodp.core.workflow_views import RecordDetailView, RecordEditView
from iodp.exchange import services as exchange_services
from iodp.exchange.views import xlsx_download
from iodp.exchange.xlsx import write_form, write_workbook
from iodp.reference.models import Region

from . import selectors, services
from .eligibility import expert_flags, is_eligible, max_age, min_foreign_years
from .exports import registration_form
from .filters import ExpertFilter
from .forms import FORMSETS, ExpertForm
from .imports import expert_template
from .models import Expert, ExpertKind
from .pinyin import suggest_name_en


@login_required
def expert_list(request):
    """专家信息: the unit's experts (every expert for the platform admin), filtered and sorted by pinyin."""
    filterset = ExpertFilter(request.GET, queryset=selectors.expert_list(user=request.user), user=request.user)
    page = paginate(request, filterset.qs.values_list("pk", flat=True), count_from=filterset.counted())
    page.object_list = selectors.expert_list_rows(user=request.user, pks=list(page.object_list))
    rows = [{"expert": e, "flags": expert_flags(e) if e.kind == ExpertKind.RESERVE else None} for e in page]
    for row in rows:
        row["eligible"] = is_eligible(row["flags"]) if row["flags"] is not None else None
    return render(request, "experts/list.html", {
        "filter": filterset, "form": filterset.form, "page": page, "rows": rows,
        "units": Unit.objects.values_list("pk", "name") if request.user.is_platform_admin else None,
        "provinces": Region.choices(Region.objects.all(), key="code"), "max_age": max_age(), "min_years": min_foreign_years(),
    })


class ExpertEditView(RecordEditView):
    """新增专家 / 新增后备专家 / edit: the record with its languages, education, employment and positions."""

    model = Expert
    form_class = ExpertForm
    formsets = FORMSETS
    template_name = "experts/edit.html"
    kind = ExpertKind.SERVING

    def new_object(self):
        expert = super().new_object()
        expert.kind = self.kind
        return expert

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def get_title(self, obj):
        if obj.pk:
            return _("编辑专家信息：%(name)s") % {"name": obj.name_zh}
        return _("新增后备专家") if obj.kind == ExpertKind.RESERVE else _("新增专家")

    def build(self, obj, data=None, files=None):
        form = self.form_class(data, files, instance=obj, **self.get_form_kwargs())
        formsets = {name: cls(data, files, instance=obj, prefix=name, form_kwargs={"user": self.request.user})
                    for name, cls in self.formsets.items()}
        return form, formsets

    def after_success(self, record, action):
        check = services.expert_duplicate_check(expert=record, by=self.request.user)
        if check.refused:
            messages.warning(self.request, check.refused)
        for duplicate in check.duplicates:
            if duplicate.expert is None:
                messages.warning(self.request, _("提示：该专家（%(reason)s）已由其他单位录入。")
                                 % {"reason": duplicate.reason})
            else:
                messages.warning(self.request, _("提示：可能与已录入的专家重复（%(reason)s）：%(name)s，%(unit)s。")
                                 % {"reason": duplicate.reason, "name": duplicate.expert.name_zh,
                                    "unit": duplicate.unit_name})
        for warning in selectors.timeline_warnings(record):
            messages.warning(self.request, warning)
        return super().after_success(record, action)


class ReserveExpertEditView(ExpertEditView):
    kind = ExpertKind.RESERVE


class ExpertDetailView(RecordDetailView):
    """The expert's page: the whole record (personal data masked), positions on a timeline, flags, history."""

    model = Expert
    template_name = "experts/detail.html"
    revealed = None

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "nationality", "last_verified_by")

    def get_object(self):
        return selectors.page_rows_loaded(super().get_object())

    def get_context_data(self, **context):
        expert = context["object"]
        user = self.request.user
        context.update(selectors.expert_page(expert))
        flags = expert_flags(expert)
        context.update(
            flags=flags, eligible=is_eligible(flags), revealed=self.revealed,
            duplicates=selectors.duplicate_report(expert, user),
            timeline_warnings=selectors.timeline_warnings(expert),
            can_reveal=services.wf.can_edit(user, expert),
            can_verify=(services.wf.can_edit(user, expert) and expert.status == RecordStatus.APPROVED
                        and not expert.is_revision),
        )
        return context


@login_required
@require_POST
def expert_verify(request, pk):
    """核对无误 (POST): the unit confirms the approved record is still accurate; nothing of it changes."""
    expert = editable_or_404(Expert.objects.all(), request.user, pk=pk)
    run_reported(request, lambda: services.expert_verify(expert=expert, by=request.user,
                                                         comment=request.POST.get("comment", "")),
                 lambda: _("已核对：已记录该专家信息于 %(date)s 核对无误。")
                 % {"date": timezone.localdate(expert.last_verified_at).isoformat()})
    return redirect(expert.get_absolute_url())


class ExpertRevealView(ExpertDetailView):
    """POST: show the unmasked ID number and birth date once, and log it (查看敏感信息)."""

    def get(self, request, *args, **kwargs):
        return redirect("experts:detail", pk=kwargs["pk"])

    def post(self, request, *args, **kwargs):
        expert = editable_or_404(Expert.objects.all(), request.user, pk=kwargs["pk"])
        try:
            self.revealed = services.expert_reveal(expert=expert, by=request.user)
        except PermissionDenied:
            raise Http404 from None
        return super().get(request, *args, **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def pinyin_suggestion(request):
    """The suggested pinyin name for a Chinese name (the edit page fills 姓名拼音 with it while it is empty).
    The page posts the name, so no name is too long for a URL; either way only what a record holds is read."""
    data = request.POST if request.method == "POST" else request.GET
    limit = Expert._meta.get_field("name_zh").max_length
    return JsonResponse({"name_en": suggest_name_en(data.get("name", "")[:limit])})


@platform_admin_required
def duplicates(request):
    """Platform admin: experts recorded more than once (same ID, or same name and birth date), to merge."""
    return render(request, "experts/duplicates.html", {"groups": selectors.duplicate_groups()})


@platform_admin_required
@require_POST
def merge(request):
    keep = get_object_or_404(Expert, pk=posted_id(request, "keep"))
    duplicate = get_object_or_404(Expert, pk=posted_id(request, "duplicate"))
    try:
        services.expert_merge(keep=keep, duplicate=duplicate, by=request.user,
                              keep_version=posted_version(request, keep, "keep_version"),
                              duplicate_version=posted_version(request, duplicate, "duplicate_version"))
    except RecordConflict:
        messages.error(request, _("未合并：您打开此页面后，其中一条记录已被修改。请核对最新内容后再合并。"))
        return redirect("experts:duplicates")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("experts:duplicates")
    messages.success(request, _("已合并重复的专家记录。"))
    return redirect(keep.get_absolute_url())


def _reveal_ids(request) -> bool:
    """Full ID numbers in a download: only for the platform admin, and only when asked (reveal_ids=1; logged)."""
    return request.user.is_platform_admin and request.GET.get("reveal_ids") == "1"


@login_required
@require_GET
def expert_registration_form(request, pk):
    """导出登记表: the expert's 专家信息登记表, pre-filled, to send to the expert for checking."""
    expert = visible_or_404(Expert.objects.select_related("nationality"), request.user, pk=pk)
    reveal = _reveal_ids(request)
    target = tempfile.TemporaryFile()
    exchange_services.export_file_to(
        target, write=lambda t: write_form(t, registration_form(expert, reveal_ids=reveal)),
        list_name="experts:registration_form", params=f"pk={expert.pk}", user=request.user, reveal_ids=reveal)
    return xlsx_download(target, f"专家信息登记表-{expert.name_zh}.xlsx")


#: how many experts one selection may name (a page of the list is far fewer)
SELECTION_MAX = 1000


@login_required
@require_GET
def export_selected(request):
    """导出所选专家（模板）: the experts template pre-filled with the experts ticked on the list. Only those the
    user may see are written: a number of another unit's expert is ignored."""
    pks = [int(value) for value in request.GET.getlist("expert") if value.isdigit()][:SELECTION_MAX]
    if not pks:
        messages.warning(request, _("请先在列表中勾选要导出的专家。"))
        return redirect("experts:list")
    experts = selectors.visible_experts(request.user).filter(pk__in=pks).order_by(*selectors.LIST_ORDER)
    reveal = _reveal_ids(request)
    target = tempfile.TemporaryFile()
    exchange_services.export_file_to(
        target, write=lambda t: write_workbook(t, expert_template(experts, reveal_ids=reveal))[1],
        list_name="experts:export_selected", params="&".join(f"expert={pk}" for pk in pks), user=request.user,
        reveal_ids=reveal)
    return xlsx_download(target, f"专家信息（所选）-{timezone.localdate():%Y%m%d}.xlsx")
