"""Generic pages of workflow records: edit (保存 / 提交), detail with history, review actions, draft box,
review queue. A module's views only declare the model, form, child formsets and templates."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from . import workflow_services as services
from .access import platform_admin_required, safe_next
from .filters import DraftFilter, ReviewQueueFilter, workflow_kinds
from .models import label_actors
from .pagination import MergedQuerysets, paginate
from .scoping import editable_or_404, visible_or_404
from .versioning import posted_version
from .workflow import RecordStatus, WorkflowRecord, workflow_models


def apply_errors(error: ValidationError, form, formsets: dict) -> None:
    """Put a service's errors next to the fields they concern (child-list errors above that list)."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            if field in form.fields:
                form.add_error(field, field_errors)
            elif field in formsets:
                formsets[field]._non_form_errors = formsets[field].error_class(
                    list(formsets[field].non_form_errors()) + list(field_errors)
                )
            else:
                form.add_error(None, [f"{msg}" for msg in field_errors])
    else:
        form.add_error(None, error.messages)


class RecordEditView(LoginRequiredMixin, View):
    """Create or edit a record; the 保存 button keeps a draft, 提交 validates fully and sends it for review."""

    model: type[WorkflowRecord]
    form_class = None
    formsets: dict = {}
    template_name = "generic/record_edit.html"
    title = ""

    # --- hooks ---
    def get_queryset(self):
        return self.model.objects.editable_by(self.request.user)

    def new_object(self):
        user = self.request.user
        if user.unit_id is None and not user.is_platform_admin:
            raise Http404
        return self.model(unit=user.unit)

    def get_object(self):
        if "pk" in self.kwargs:
            return visible_or_404(self.get_queryset(), self.request.user, pk=self.kwargs["pk"])
        return self.new_object()

    def get_form_kwargs(self):
        return {}

    def get_initial(self, obj):
        return {}

    def get_title(self, obj):
        return self.title or (_("编辑%(kind)s") % {"kind": obj.kind_label()} if obj.pk else
                              _("新增%(kind)s") % {"kind": obj.kind_label()})

    def after_success(self, record, action):
        """Where to go after 保存 or 提交 (default: the record's page)."""
        return redirect(record.get_absolute_url())

    def get_context_data(self, **context):
        return context

    def record_warnings(self, record) -> list[str]:
        """Warnings shown after 保存 or 提交 (or a refused 提交) that block nothing, e.g. likely duplicates."""
        return []

    # --- handlers ---
    def build(self, obj, data=None, files=None):
        form = self.form_class(data, files, instance=obj, initial=None if data else self.get_initial(obj),
                               **self.get_form_kwargs())
        formsets = {name: cls(data, files, instance=obj, prefix=name) for name, cls in self.formsets.items()}
        return form, formsets

    def render_page(self, obj, form, formsets, *, version, conflict=None):
        context = self.get_context_data(
            object=obj, form=form, formsets=formsets, version=version, conflict=conflict,
            title=self.get_title(obj), cancel_url=obj.get_absolute_url() if obj.pk else "/",
            awaiting_review=obj.pk is not None and obj.status == RecordStatus.SUBMITTED,
            required_fields=set(self.model.draft_required_fields) | set(self.model.submit_required_fields),
        )
        return render(self.request, self.template_name, context)

    def fills_in_while_submitted(self, obj) -> bool:
        """This page edits only what the record's unit may still fill in while it awaits review."""
        edited = set(self.form_class.base_fields) | set(self.formsets)
        return obj.is_partly_editable_while_submitted and edited <= set(obj.editable_while_submitted_fields)

    def refuse_if_locked(self, obj):
        if obj.pk and not obj.is_editable and not self.fills_in_while_submitted(obj):
            if obj.status == RecordStatus.SUBMITTED:
                messages.warning(self.request, _("该记录正在审核中，审核完成前不能修改。"))
            else:
                messages.info(self.request, _("该记录已审核通过。如需修改，请点击“修改”发起修订。"))
            return redirect(obj.get_absolute_url())
        return None

    def add_missing_required(self, form):
        """On a failed submit, flag every empty required field at once (not one round per kind of error)."""
        for name in self.model.submit_required_fields:
            if name in form.fields and name not in form.errors and form.fields[name].to_python(
                    form.data.get(form.add_prefix(name))) in (None, "", [], ()):
                form.add_error(name, _("提交前请填写此项。"))

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        locked = self.refuse_if_locked(obj)
        if locked:
            return locked
        form, formsets = self.build(obj)
        return self.render_page(obj, form, formsets, version=obj.version)

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        locked = self.refuse_if_locked(obj)
        if locked:
            return locked
        action = "submit" if request.POST.get("action") == "submit" else "save"
        awaiting_review = obj.status == RecordStatus.SUBMITTED
        if awaiting_review:
            action = "save"  # already submitted: what is filled in now goes with that submission
        expected_version = posted_version(request, obj)
        form, formsets = self.build(obj, request.POST, request.FILES)
        conflict = None
        if form.is_valid() & all([fs.is_valid() for fs in formsets.values()]):
            record = form.save(commit=False)

            def save_related(saved):
                form.save_m2m()
                for formset in formsets.values():
                    formset.instance = saved
                    formset.save()

            service = services.record_submit if action == "submit" else services.record_save
            try:
                service(record=record, by=request.user, expected_version=expected_version,
                        save_related=save_related)
            except services.RecordConflict as error:
                conflict = error
                form.add_error(None, error.messages)
            except PermissionDenied as error:
                raise Http404 from error
            except ValidationError as error:
                apply_errors(error, form, formsets)
                for warning in self.record_warnings(record):
                    messages.warning(request, warning)
            else:
                if action == "submit":
                    messages.success(request, _("已提交，等待平台管理员审核。"))
                elif awaiting_review:
                    messages.success(request, _("已保存。补充的内容将随本次提交一并由平台管理员审核。"))
                else:
                    messages.success(request, _("已保存到草稿箱，可随时继续编辑。"))
                for warning in self.record_warnings(record):
                    messages.warning(request, warning)
                return self.after_success(record, action)
        if action == "submit" and not conflict:
            self.add_missing_required(form)
            messages.error(request, _("提交未成功：请根据提示修改标红的内容。已填写的内容均已保留。"))
        return self.render_page(obj, form, formsets, version=expected_version, conflict=conflict)


class RecordDetailView(LoginRequiredMixin, View):
    """A record's page: its values, its review state and actions, and its history."""

    model: type[WorkflowRecord]
    template_name = "generic/record_detail.html"

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_object(self):
        return visible_or_404(self.get_queryset(), self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **context):
        return context

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        user = request.user
        editable = services.can_edit(user, obj)
        open_revision = obj.revisions.first() if obj.status == RecordStatus.APPROVED and editable else None
        context = self.get_context_data(
            object=obj,
            snapshot=obj.snapshot(),
            history=label_actors(services.record_history(obj, user).select_related("actor")[:100], user),
            can_edit=editable and obj.is_editable,
            can_fill_in_while_submitted=editable and obj.is_partly_editable_while_submitted,
            can_revise=(editable and obj.status == RecordStatus.APPROVED and not obj.is_revision
                        and obj.allows_revision_by(user)),
            can_review=user.is_platform_admin and obj.status == RecordStatus.SUBMITTED,
            open_revision=open_revision,
            model_label=obj._meta.label_lower,
        )
        return render(request, self.template_name, context)


def _model_from_label(label: str):
    for model in workflow_models():
        if model._meta.label_lower == label:
            return model
    raise Http404


def record_action(request, label: str, pk: int, action: str):
    """POST-only review and revision actions shared by every module: revise, approve, return."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if request.method != "POST":
        raise Http404
    model = _model_from_label(label)
    record = editable_or_404(model.objects.all(), request.user, pk=pk)
    try:
        if action == "revise":
            revision = services.record_start_revision(record=record, by=request.user)
            messages.info(request, _("已创建修订版本。修订审核通过前，原记录保持不变。"))
            return redirect(revision.get_edit_url())
        if action == "approve":
            seen = posted_version(request, record) if "version" in request.POST else None
            record = services.record_approve(record=record, by=request.user, comment=request.POST.get("comment", ""),
                                             expected_version=seen)
            messages.success(request, _("已审核通过。"))
            return redirect(safe_next(request, record.get_absolute_url()))
        if action == "return":
            services.record_return(record=record, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("已退回，填报单位将看到退回原因。"))
            return redirect(safe_next(request, record.get_absolute_url()))
    except PermissionDenied:
        raise Http404 from None
    except services.RecordConflict:
        messages.error(request, _("未审核：您打开此页面后，填报单位又补充了内容。请查看最新内容后再审核。"))
        return redirect(record.get_absolute_url())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(record.get_absolute_url())
    raise Http404


def _related(queryset):
    return queryset.select_related("unit", "updated_by")


def open_work_for(user, *, status: str = "") -> MergedQuerysets:
    """The unit's drafts and returned records across every module, newest first."""
    querysets = []
    for model in workflow_models():
        qs = model.objects.open_work()
        if status in (RecordStatus.DRAFT, RecordStatus.RETURNED):
            qs = qs.filter(status=status)
        qs = qs.owned_by(user.unit) if user.unit_id else qs.filter(unit__isnull=True, created_by=user)
        querysets.append(_related(qs))
    return MergedQuerysets(querysets, order_field="updated_at", descending=True)


def drafts(request):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    filterset = DraftFilter(request.GET, queryset=open_work_for(request.user))
    page = paginate(request, filterset.qs)
    return render(request, "generic/drafts.html", {"filter": filterset, "page": page,
                                                   "status": filterset.value("status")})


@platform_admin_required
def review_queue(request):
    """Submissions from every unit and module, oldest first (first come, first reviewed)."""
    rows = MergedQuerysets([_related(m.objects.awaiting_review()) for m in workflow_models()],
                           order_field="submitted_at")
    filterset = ReviewQueueFilter(request.GET, queryset=rows)
    return render(request, "generic/review_queue.html", {
        "filter": filterset, "page": paginate(request, filterset.qs),
        "kinds": workflow_kinds(), "kind": filterset.value("kind")})


def returned_for(user, limit=10):
    """Returned records of the user's unit, for the home page."""
    if not user.unit_id:
        return []
    return open_work_for(user, status=RecordStatus.RETURNED)[:limit]
