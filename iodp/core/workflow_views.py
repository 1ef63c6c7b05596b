"""Generic pages of workflow records: edit (保存 / 提交), detail with history, review actions, draft box,
review queue. A module's views only declare the model, form, child formsets and templates."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
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


#: The query parameter (and hidden field) of the edit page's revision mode: 修改 on an approved record shows
#: its values without writing anything; the first 保存 or 提交 creates the revision (`record_revise`).
REVISE_PARAM = "revise"


class RecordEditView(LoginRequiredMixin, View):
    """Create or edit a record; the 保存 button keeps a draft, 提交 validates fully and sends it for review.
    On an approved record in revision mode (?revise=1), 保存 / 提交 create its revision with the posted values."""

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

    def render_page(self, obj, form, formsets, *, version, conflict=None, revision_mode=False):
        context = self.get_context_data(
            object=obj, form=form, formsets=formsets, version=version, conflict=conflict,
            revision_mode=revision_mode,
            title=_("修改%(kind)s：%(name)s") % {"kind": obj.kind_label(), "name": obj} if revision_mode
            else self.get_title(obj), cancel_url=obj.get_absolute_url() if obj.pk else "/",
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

    def in_revision_mode(self, obj) -> bool:
        wanted = REVISE_PARAM in self.request.GET or REVISE_PARAM in self.request.POST
        return wanted and obj.pk is not None and obj.status == RecordStatus.APPROVED and not obj.is_revision

    def open_revision_mode(self, obj):
        """None when `obj` may be revised from this page; else where to go (its open revision)."""
        try:
            revision = services.record_open_revision(record=obj, by=self.request.user)
        except PermissionDenied as error:
            raise Http404 from error
        return redirect(revision.get_edit_url()) if revision is not None else None

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        if self.in_revision_mode(obj):
            elsewhere = self.open_revision_mode(obj)
            if elsewhere:
                return elsewhere
            form, formsets = self.build(obj)
            return self.render_page(obj, form, formsets, version=obj.version, revision_mode=True)
        locked = self.refuse_if_locked(obj)
        if locked:
            return locked
        form, formsets = self.build(obj)
        return self.render_page(obj, form, formsets, version=obj.version)

    def post_revision(self, request, obj):
        """The first 保存 / 提交 of 修改: the form shows the official record; its posted values become a
        revision, created by the service in one transaction (nothing is written when it is refused)."""
        elsewhere = self.open_revision_mode(obj)
        if elsewhere:
            messages.warning(request, _("该记录已有一个未完成的修订版本，请在其中继续修改。"))
            return elsewhere
        action = "submit" if request.POST.get("action") == "submit" else "save"
        expected_version = posted_version(request, obj)
        form, formsets = self.build(obj, request.POST, request.FILES)
        conflict = None
        if form.is_valid() & all([fs.is_valid() for fs in formsets.values()]):
            edited = form.save(commit=False)  # the posted values, in memory only: the official row is not saved

            def save_related(revision):
                copy_posted_children(form, formsets, revision)

            try:
                revision = services.record_revise(record=obj, by=request.user, expected_version=expected_version,
                                                  submit=action == "submit", edited=edited,
                                                  save_related=save_related)
            except services.RecordConflict as error:
                conflict = error
                form.add_error(None, error.messages)
            except PermissionDenied as error:
                raise Http404 from error
            except ValidationError as error:
                apply_errors(error, form, formsets)
            else:
                if action == "submit":
                    messages.success(request, _("修订已提交，等待平台管理员审核；审核通过前，原记录保持不变。"))
                else:
                    messages.success(request, _("修订已保存到草稿箱；提交并审核通过前，原记录保持不变。"))
                return self.succeeded(revision, action)
        return self.failed(obj, form, formsets, action=action, version=expected_version, conflict=conflict,
                           revision_mode=True)

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        if self.in_revision_mode(obj):
            return self.post_revision(request, obj)
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
                return self.succeeded(record, action)
        return self.failed(obj, form, formsets, action=action, version=expected_version, conflict=conflict)

    def succeeded(self, record, action):
        """After a 保存 / 提交 went through: the record's warnings (likely duplicates...), then its next page."""
        for warning in self.record_warnings(record):
            messages.warning(self.request, warning)
        return self.after_success(record, action)

    def failed(self, obj, form, formsets, *, action, version, conflict, **extra):
        """The page again, with everything typed, after a refused 保存 / 提交."""
        if action == "submit" and not conflict:
            self.add_missing_required(form)
            messages.error(self.request, _("提交未成功：请根据提示修改标红的内容。已填写的内容均已保留。"))
        return self.render_page(obj, form, formsets, version=version, conflict=conflict, **extra)


def copy_posted_children(form, formsets: dict, revision) -> None:
    """Write what the revision-mode page posted onto the new `revision`: its many-to-many values and, for
    each child list on the page, the rows as posted (kept, changed and added ones; deleted ones left out).
    The forms are bound to the official record, whose rows are never touched."""
    for field in type(revision)._meta.many_to_many:
        if field.name in form.cleaned_data:
            getattr(revision, field.name).set(form.cleaned_data[field.name])
    for formset in formsets.values():
        fk_name = formset.fk.name
        formset.model.objects.filter(**{fk_name: revision}).delete()  # the service's unchanged copies
        for child_form in formset.forms:
            if formset.can_delete and formset._should_delete_form(child_form):
                continue
            if child_form.instance.pk is None and not child_form.has_changed():
                continue
            child = child_form.save(commit=False)
            child.pk = child.id = None
            child._state.adding = True
            setattr(child, fk_name, revision)
            child.save()
            child_form.save_m2m()


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
    """POST-only actions shared by every module: revise (opens the edit page in revision mode), discard,
    approve, return."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if request.method != "POST":
        raise Http404
    model = _model_from_label(label)
    record = editable_or_404(model.objects.all(), request.user, pk=pk)
    try:
        if action == "revise":
            # Nothing is written yet: the revision is created on the edit page's first 保存 or 提交.
            revision = services.record_open_revision(record=record, by=request.user)
            if revision is not None:
                return redirect(revision.get_edit_url())
            return redirect(f"{record.get_edit_url()}?{REVISE_PARAM}=1")
        if action == "discard":
            was_revision, official = record.is_revision, record.revision_of
            services.record_discard(record=record, by=request.user,
                                    expected_version=posted_version(request, record))
            if was_revision:
                messages.success(request, _("已放弃修订，原记录保持不变。"))
                return redirect(safe_next(request, official.get_absolute_url()))
            messages.success(request, _("已删除草稿“%(name)s”。") % {"name": record})
            return redirect(safe_next(request, reverse("core:drafts")))
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
        messages.error(request, _("操作未执行：您打开此页面后，该记录已被他人修改。请查看最新内容后再决定。"))
        return redirect(record.get_absolute_url())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(safe_next(request, record.get_absolute_url()))
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
    unit = filterset.form.cleaned_data.get("unit") if filterset.value("unit") else None
    return render(request, "generic/review_queue.html", {
        "filter": filterset, "page": paginate(request, filterset.qs),
        "kinds": workflow_kinds(), "kind": filterset.value("kind"), "unit": unit})


def returned_for(user, limit=10):
    """Returned records of the user's unit, for the home page."""
    if not user.unit_id:
        return []
    return open_work_for(user, status=RecordStatus.RETURNED)[:limit]
