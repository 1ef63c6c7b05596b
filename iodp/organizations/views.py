"""Pages of the organizations module. Views declare; services decide; selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from iodp.core.access import platform_admin_required, posted_id, run_reported, safe_next
from iodp.core.filters import parse_id
from iodp.core.pagination import paginate
from iodp.core.scoping import visible_or_404
from iodp.core.versioning import RecordConflict, posted_version
from iodp.core.workflow import RecordStatus
from iodp.core.workflow_views import RecordDetailView, RecordEditView, apply_errors
from iodp.experts.selectors import positions_for_organization

from . import duplicates, selectors, services
from .filters import MembershipFilter, OrganizationFilter, ProposalFilter
from .forms import (
    LIST_FORMSETS,
    AwardFormSet,
    ConferenceFormSet,
    GoverningBodyFormSet,
    MembershipEditForm,
    OrganizationDirectoryForm,
    OrganizationForm,
    OrganizationSearchForm,
    ProposalForm,
    StandaloneConferenceForm,
    proposed_list_rows,
)
from .models import (
    ChangeProposal,
    Conference,
    Decision,
    Membership,
    MembershipRelation,
    Organization,
    ProposalStatus,
)


def _organization_or_404(user, pk) -> Organization:
    """An organization the user may see (approved ones, or its unit's own drafts), else 404."""
    return visible_or_404(Organization.objects.all(), user, pk=pk)


# --- list and search -------------------------------------------------------------------------------------

@login_required
def organization_list(request):
    filterset = OrganizationFilter(request.GET or None, queryset=selectors.registry_for(request.user),
                                   user=request.user)
    page = paginate(request, filterset.qs.values_list("pk", flat=True))
    page.object_list = selectors.organization_list_rows(user=request.user, pks=list(page.object_list))
    return render(request, "organizations/list.html", {
        "filter": filterset, "page": page,
        "pending_proposals": selectors.pending_proposal_count() if request.user.is_platform_admin else 0,
    })


@login_required
@require_GET
def search_json(request):
    """Typeahead: organizations visible to the user matching ?q= (best first)."""
    params = OrganizationSearchForm(request.GET)
    params.is_valid()
    results = selectors.organization_search(query=params.cleaned_data.get("q") or "", user=request.user,
                                            limit=params.cleaned_data.get("limit") or 20)
    return JsonResponse({"results": [
        {"id": org.pk, "label": str(org), "name_en": org.name_en, "acronym": org.acronym, "status": org.status,
         "url": org.get_absolute_url()} for org in results
    ]}, json_dumps_params={"ensure_ascii": False})


# --- the record: create, edit (basic info / directory profile), detail --------------------------------------

def duplicate_warning(record: Organization) -> str:
    """The 保存 / 提交 warning naming the registry entries `record` may duplicate, with links; "" if none."""
    matches = duplicates.organization_duplicates(organization=record)
    if not matches:
        return ""
    items = format_html_join("", '<li><a href="{}">{}</a>（{}）</li>', (
        (m.organization.get_absolute_url(), str(m.organization), m.reason) for m in matches))
    return format_html(
        '<div data-testid="duplicate-warning"><strong>{}</strong><ul class="mb-1">{}</ul>{}</div>',
        _("全国名录中已有相同或相似的组织，请确认是否重复："), items,
        _("如是同一组织，请打开该组织进行核对或提出修改建议，不要重复新增；相同名称的组织不能提交。"))


class DuplicateWarningMixin:
    """After 保存 or 提交, name the registry entries the record may duplicate (a warning, not a block)."""

    def record_warnings(self, record):
        warning = duplicate_warning(record)
        return [warning] if warning else []


class OrganizationEditView(DuplicateWarningMixin, RecordEditView):
    """新增国际组织 / 编辑基本信息: the basic information and the awards."""

    model = Organization
    form_class = OrganizationForm
    formsets = {"awards": AwardFormSet}
    template_name = "organizations/edit.html"

    def get_title(self, obj):
        if not obj.pk:
            return _("新增国际组织")
        return _("编辑基本信息") + f" · {obj}"

    def get_context_data(self, **context):
        context["section"] = "basic"
        context["next"] = self.request.GET.get("next", "")
        return context

    def after_success(self, record, action):
        if "plan" in self.request.GET or "plan" in self.request.POST:
            return redirect(reverse("organizations:plan_create") + f"?organization={record.pk}")
        return redirect(record.get_absolute_url())


class OrganizationDirectoryEditView(DuplicateWarningMixin, RecordEditView):
    """编辑组织名录: the directory profile, governing bodies and conferences."""

    model = Organization
    form_class = OrganizationDirectoryForm
    formsets = {"governing_bodies": GoverningBodyFormSet, "conferences": ConferenceFormSet}
    template_name = "organizations/edit.html"

    def get_title(self, obj):
        return _("编辑组织名录") + f" · {obj}"

    def get_context_data(self, **context):
        context["section"] = "directory"
        return context


class OrganizationDetailView(RecordDetailView):
    model = Organization
    template_name = "organizations/detail.html"

    def get_queryset(self):
        return Organization.objects.visible_to(self.request.user)

    def get_object(self):
        try:
            return selectors.organization_page(user=self.request.user, pk=self.kwargs["pk"])
        except (Organization.DoesNotExist, ValueError, OverflowError):
            raise Http404 from None

    def get_context_data(self, **context):
        obj = context["object"]
        user = self.request.user
        official = obj.status == RecordStatus.APPROVED and not obj.is_revision
        # Units never change the shared record directly (Organization.allows_revision_by): they verify it or
        # propose changes.
        context["can_verify"] = official and user.unit_id is not None
        context["can_propose"] = official and user.unit_id is not None
        context["official"] = official
        # Prefetched with the record (selectors.organization_page): .all() reads no more rows.
        context["disciplines"] = obj.disciplines.all()
        context["awards"] = obj.awards.all()
        context["governing_bodies"] = obj.governing_bodies.all()
        context["conferences"] = obj.conferences.all()
        memberships = list(selectors.memberships_for(user=user, organization=obj))
        context["memberships"] = memberships
        context["member_unit_count"] = obj.member_unit_total
        mine = [m for m in memberships if user.unit_id and m.unit_id == user.unit_id]
        context["my_membership"] = min(mine, key=lambda m: m.pk) if mine else None
        context["last_verification"] = ({"unit": obj.last_verified_unit, "verified_at": obj.last_verified_at}
                                         if obj.last_verified_at else None)
        context["my_verification"] = {"verified_at": obj.my_verified_at} if obj.my_verified_at else None
        context["proposals"] = selectors.proposals_for(user=user, organization=obj)[:20] if obj.has_proposals else []
        context["positions"] = positions_for_organization(organization=obj, user=user)
        if user.is_platform_admin and obj.status == RecordStatus.SUBMITTED:
            context["review_duplicates"] = duplicates.organization_duplicates(organization=obj)
        return context


# --- a submitted duplicate, at review (platform admin) ----------------------------------------------------------

def _decide_duplicate(request, pk, *, service, done: str, then):
    """Apply a reviewer's decision on a submitted duplicate (`service`), then go to `then(duplicate, target)`."""
    duplicate = _organization_or_404(request.user, pk)
    target = visible_or_404(Organization.objects.official(), request.user, pk=posted_id(request, "target"))
    try:
        service(duplicate=duplicate, target=target, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(duplicate.get_absolute_url())
    messages.success(request, done % {"org": target})
    return redirect(then(duplicate, target))


@platform_admin_required
@require_POST
def organization_merge_into(request, pk):
    """合并到已有记录."""
    return _decide_duplicate(request, pk, service=duplicates.organization_merge_into,
                             done=_("已合并到 %(org)s，填报单位将看到合并说明。"),
                             then=lambda duplicate, target: target.get_absolute_url())


@platform_admin_required
@require_POST
def organization_reject_duplicate(request, pk):
    """作为重复驳回."""
    return _decide_duplicate(request, pk, service=duplicates.organization_reject_as_duplicate,
                             done=_("已作为重复驳回，填报单位将看到驳回原因。"),
                             then=lambda duplicate, target: safe_next(request, reverse("core:review_queue")))




@login_required
@require_POST
def organization_verify(request, pk):
    organization = _organization_or_404(request.user, pk)
    run_reported(request, lambda: services.organization_verify(organization=organization, by=request.user,
                                                               comment=request.POST.get("comment", "")),
                 _("已核对：已记录本单位确认该组织信息准确。"))
    return redirect(organization.get_absolute_url())


# --- 修改建议 ---------------------------------------------------------------------------------------------

@login_required
def proposal_create(request, pk):
    organization = _organization_or_404(request.user, pk)
    if organization.status != RecordStatus.APPROVED or organization.is_revision or request.user.unit_id is None:
        raise Http404
    data = request.POST or None
    form = ProposalForm(data, instance=organization)
    # The lists, prefilled from the official rows; each is proposed as a whole (one item per changed list).
    formsets = {name: formset_class(data, instance=organization, prefix=name)
                for name, formset_class in LIST_FORMSETS.items()}
    if request.method == "POST" and form.is_valid() & all([fs.is_valid() for fs in formsets.values()]):
        changes = form.proposed_changes()
        changes.update({name: proposed_list_rows(fs) for name, fs in formsets.items()})
        try:
            services.proposal_create(organization=Organization.objects.get(pk=organization.pk), by=request.user,
                                     changes=changes, comment=form.cleaned_data.get("comment", ""))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("修改建议已提交，平台管理员逐项审核后生效；审核前组织信息保持不变。"))
            return redirect(organization.get_absolute_url())
    # The form validated against a copy: reload the official values for the page header.
    organization.refresh_from_db()
    return render(request, "organizations/proposal_form.html", {"form": form, "formsets": formsets,
                                                                "object": organization})


@platform_admin_required
def proposal_list(request):
    filterset = ProposalFilter(request.GET, queryset=selectors.proposals_for(user=request.user))
    return render(request, "organizations/proposal_list.html", {
        "filter": filterset, "page": paginate(request, filterset.qs), "status": filterset.chosen_status(),
        "statuses": ProposalStatus.choices})


@login_required
def proposal_detail(request, pk):
    proposal = visible_or_404(ChangeProposal.objects.select_related("organization", "unit", "proposed_by"),
                                   request.user, pk=pk)
    items = list(proposal.items.all())
    can_decide = request.user.is_platform_admin and proposal.status == ProposalStatus.PENDING
    errors = []
    if request.method == "POST":
        if not can_decide:
            raise Http404
        decisions = {item.field: request.POST.get(f"decision_{item.field}", "") for item in items}
        try:
            services.proposal_decide(proposal=proposal, decisions=decisions, by=request.user,
                                     comment=request.POST.get("comment", ""))
        except ValidationError as error:
            errors = error.messages
            for item in items:
                item.chosen = decisions.get(item.field, "")
        else:
            messages.success(request, _("修改建议已处理，采纳的内容已更新到组织信息。"))
            return redirect("organizations:proposal_list")
    proposal.organization.refresh_from_db()
    for item in items:
        item.now_display = proposal.organization.display_value(item.field)
        item.changed_since = item.now_display != item.current_display
    return render(request, "organizations/proposal_detail.html", {
        "proposal": proposal, "items": items, "can_decide": can_decide, "errors": errors,
        "decisions": Decision})


# --- 会员关系 ---------------------------------------------------------------------------------------------

def _unit_user_or_404(user):
    if user.unit_id is None:
        raise Http404


@login_required
def membership_list(request):
    """本单位的会员关系: the unit's memberships and plans in every review state (all units' for the platform admin)."""
    rows = selectors.memberships_for(user=request.user).select_related("organization__hq_country")
    filterset = MembershipFilter(request.GET, queryset=rows)
    return render(request, "organizations/membership_list.html", {
        "filter": filterset, "page": paginate(request, filterset.qs.order_by("organization__sort_key", "pk")),
        "relation": filterset.value("relation"), "relations": MembershipRelation.choices})


class MembershipEditView(RecordEditView):
    """登记本单位已加入 / 新增计划加入国际组织 / 编辑: 保存 keeps a draft, 提交 sends it for review."""

    model = Membership
    form_class = MembershipEditForm
    #: the 计划加入 page (set by its URL): relation fixed to planned, no fields of a joined member.
    planned = False

    def get_queryset(self):
        return Membership.objects.editable_by(self.request.user).select_related("organization")

    def new_object(self):
        if self.request.user.unit_id is None:
            raise Http404  # a unit's relation: the platform admin has none of its own
        relation = MembershipRelation.PLANNED if self.planned else MembershipRelation.MEMBER
        return Membership(unit=self.request.user.unit, relation=relation)

    def get_form_kwargs(self):
        return {"user": self.request.user, "planned": self.planned}

    def get_initial(self, obj):
        organization = parse_id(self.request.GET.get("organization", ""))
        return {"organization": organization} if obj.pk is None and organization is not None else {}

    def get_title(self, obj):
        if obj.pk:
            return _("编辑会员关系：%(name)s") % {"name": obj.organization}
        return _("新增计划加入国际组织") if self.planned else _("登记本单位已加入的国际组织")


class MembershipDetailView(RecordDetailView):
    model = Membership
    template_name = "organizations/membership_detail.html"

    def get_queryset(self):
        return Membership.objects.visible_to(self.request.user).select_related("organization", "unit")

    def get_context_data(self, **context):
        membership = context["object"]
        context["can_delete"] = (membership.status == RecordStatus.APPROVED and not membership.is_revision
                                 and services.can_edit(self.request.user, membership))
        return context


@login_required
@require_POST
def membership_delete(request, pk):
    """删除 an approved membership (left the organization, plan dropped); drafts are discarded the same way."""
    membership = visible_or_404(Membership.objects.select_related("organization"), request.user, pk=pk)
    organization = membership.organization
    try:
        services.membership_delete(membership=membership, by=request.user,
                                   expected_version=posted_version(request, membership))
    except PermissionDenied:
        raise Http404 from None
    except RecordConflict:
        messages.error(request, _("删除未执行：您打开此页面后，该记录已被他人修改。请查看最新内容后再决定。"))
        return redirect(membership.get_absolute_url())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(membership.get_absolute_url())
    messages.success(request, _("会员关系已删除。"))
    return redirect(organization.get_absolute_url())


# --- 国际会议 initiated by a unit without an organization ----------------------------------------------------

def _standalone_conferences(user):
    return Conference.objects.filter(organization__isnull=True).visible_to(user).select_related(
        "country", "unit")


@login_required
def conference_list(request):
    rows = _standalone_conferences(request.user)
    return render(request, "organizations/conference_list.html", {"page": paginate(request, rows)})


@login_required
def conference_edit(request, pk=None):
    if pk is None:
        _unit_user_or_404(request.user)
        conference = Conference(unit=request.user.unit)
    else:
        conference = visible_or_404(_standalone_conferences(request.user), request.user, pk=pk)
    form = StandaloneConferenceForm(request.POST or None, instance=conference)
    version = posted_version(request, conference) if request.method == "POST" else conference.version
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.conference_save(conference=form.save(commit=False), by=request.user, expected_version=version)
        except PermissionDenied:
            raise Http404 from None
        except RecordConflict as error:
            conflict = error
            form.add_error(None, error.messages)
        except ValidationError as error:
            apply_errors(error, form, {})
        else:
            messages.success(request, _("国际会议已保存。"))
            return redirect("organizations:conference_list")
    return render(request, "organizations/conference_form.html", {"form": form, "conference": conference,
                                                                  "version": version, "conflict": conflict})


@login_required
@require_POST
def conference_delete(request, pk):
    conference = visible_or_404(_standalone_conferences(request.user), request.user, pk=pk)
    try:
        services.conference_delete(conference=conference, by=request.user,
                                   expected_version=posted_version(request, conference))
    except PermissionDenied:
        raise Http404 from None
    except RecordConflict:
        messages.error(request, _("删除未执行：您打开此页面后，该记录已被他人修改。请查看最新内容后再决定。"))
        return redirect("organizations:conference_edit", conference.pk)
    messages.success(request, _("国际会议已删除。"))
    return redirect("organizations:conference_list")
