"""填报进度 and 填报管理: thin views over `progress`."""


from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from iodp.accounts.models import UnitType
from iodp.core import clock
from iodp.exchange.views import sheets_download
from iodp.exchange.xlsx import Column, Sheet

from . import progress
from .models import ReportingCampaign


class CampaignForm(forms.ModelForm):
    class Meta:
        model = ReportingCampaign
        fields = ["name", "starts_on", "deadline", "notes"]
        widgets = {"name": forms.TextInput(attrs={"class": "form-control"}),
                   "starts_on": forms.DateInput(attrs={"type": "date", "class": "form-control"}),
                   "deadline": forms.DateInput(attrs={"type": "date", "class": "form-control"}),
                   "notes": forms.Textarea(attrs={"class": "form-control", "rows": 3})}


class ProgressFilterForm(forms.Form):
    nothing_submitted = forms.BooleanField(label=gettext_lazy("未提交任何数据"), required=False)
    unit_type = forms.ChoiceField(label=gettext_lazy("单位类型"), required=False,
                                  choices=[("", gettext_lazy("全部"))] + list(UnitType.choices))
    overdue = forms.BooleanField(label=gettext_lazy("已逾期"), required=False)


def _require_admin(request):
    if not request.user.is_platform_admin:
        raise PermissionDenied


def _progress(request):
    """The active campaign and the rows the reader may see: every unit for the platform admin, its own for a
    unit (?unit= and the filters never widen a unit's view)."""
    user = request.user
    if not user.is_platform_admin and not user.unit_id:
        raise PermissionDenied
    campaign = progress.active_campaign()
    form = ProgressFilterForm(request.GET or None)
    if campaign is None:
        return campaign, form, []
    if user.is_platform_admin:
        rows = progress.unit_progress_cached(campaign)
        if form.is_valid():
            rows = progress.filter_rows(rows, **form.cleaned_data)
    else:
        rows = progress.unit_progress(campaign, units=[user.unit_id])
    return campaign, form, rows


@login_required
@require_GET
def progress_page(request):
    campaign, form, rows = _progress(request)
    return render(request, "insights/progress.html", {
        "campaign": campaign, "form": form, "rows": rows, "modules": progress.MODULES,
        "query": request.GET.urlencode(), "today": clock.today(),
    })


@login_required
@require_GET
def progress_export(request):
    campaign, _form, rows = _progress(request)
    if campaign is None:
        raise Http404
    columns = [Column(_("填报单位"), lambda r: r.unit.name, width=36),
               Column(_("单位类型"), lambda r: r.unit.get_unit_type_display(), width=16),
               Column(_("最近活动"), lambda r: r.last_activity.strftime("%Y-%m-%d %H:%M") if r.last_activity else "",
                      width=18),
               Column(_("完整度"), lambda r: f"{r.completeness}%")]
    for key, label, _model in progress.MODULES:
        for status in progress.STATUSES:
            columns.append(Column(f"{label}·{status.label}", lambda r, k=key, s=status.value: r.counts[k][s]))
    columns += [Column(_("已提交数据"), lambda r: _("是") if r.submitted_anything else _("否")),
                Column(_("已逾期"), lambda r: _("是") if r.overdue else _("否"))]
    return sheets_download([Sheet(_("填报进度"), columns, rows, notes=[campaign.name])],
                           f"{_('填报进度')}-{clock.today():%Y%m%d}.xlsx")


@login_required
@require_GET
def campaigns(request):
    _require_admin(request)
    return render(request, "insights/campaigns.html", {
        "campaigns": ReportingCampaign.objects.visible_to(request.user), "active": progress.active_campaign(),
    })


def _apply_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, *, create=False):
    _require_admin(request)
    campaign = None if create else progress.active_campaign()
    if not create and campaign is None:
        raise Http404
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in progress.CAMPAIGN_FIELDS}
        try:
            if create:
                progress.campaign_create(by=request.user, **values)
            else:
                progress.campaign_update(campaign=ReportingCampaign.objects.get(pk=campaign.pk), by=request.user,
                                         **values)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("填报已保存。"))
            return redirect("insights:campaigns")
    return render(request, "insights/campaign_form.html", {"form": form, "create": create})


@login_required
@require_POST
def campaign_close(request):
    _require_admin(request)
    campaign = progress.active_campaign()
    if campaign is None:
        raise Http404
    progress.campaign_close(campaign=campaign, by=request.user)
    messages.success(request, _("填报已结束。"))
    return redirect("insights:campaigns")
