"""Lifecycle services of every workflow record: save, submit, approve, return, start a revision.

Views, imports, commands and the API call these; each runs in one transaction, checks who may do what,
and writes a change-log entry with a field-level diff. They raise `ValidationError` (bad data or an
illegal transition), `PermissionDenied` (wrong person) or `RecordConflict` (someone saved first).
Saving or submitting a stored record requires the version it was loaded at (`iodp.core.versioning`).
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import scoping
from .models import ChangeAction, ChangeLog, log_change
from .versioning import ANY_VERSION, ExpectedVersion, MissingVersion, RecordConflict, check_version  # noqa: F401 (callers import them from here)
from .workflow import BOOKKEEPING_FIELDS, RecordStatus, WorkflowRecord, snapshot_diff

# --- who may do what ------------------------------------------------------------------------------------

def can_edit(user, record: WorkflowRecord) -> bool:
    """The owning unit's user edits its records; the platform admin may edit any."""
    return scoping.can_edit(user, record)


def _require_editor(user, record) -> None:
    if not can_edit(user, record):
        raise PermissionDenied(_("您无权修改其他单位的记录。"))


def _require_reviewer(user) -> None:
    if not getattr(user, "is_platform_admin", False):
        raise PermissionDenied(_("只有平台管理员可以审核记录。"))


def _require_editable(record, *, saving: bool = False) -> None:
    """The stored `record` may be changed. Saving (not submitting again) a record that awaits review is allowed
    when it has fields open until the review decides; `_refuse_locked_changes` then checks what changed."""
    if saving and record.is_partly_editable_while_submitted:
        return
    if record.status == RecordStatus.SUBMITTED:
        raise ValidationError(_("该记录正在审核中，审核完成前不能修改。"), code="pending_review")
    if record.status == RecordStatus.APPROVED:
        raise ValidationError(_("该记录已审核通过，请点击“修改”发起修订，修订审核通过前原记录保持不变。"),
                              code="approved")


# --- save / submit --------------------------------------------------------------------------------------

def _locked_current(record):
    return type(record).objects.select_for_update().get(pk=record.pk)


def _check_version(record, expected_version: ExpectedVersion):
    """The stored record, locked; refused when its version moved on since `expected_version` was loaded."""
    return check_version(record, expected_version, history_id=record.history_id)


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _refuse_locked_changes(record, changes: list[dict]) -> None:
    """While a record awaits review only `editable_while_submitted_fields` may change: refuse the rest."""
    allowed = set(record.editable_while_submitted_fields)
    locked = [change for change in changes if change["field"] not in allowed]
    if locked:
        raise ValidationError({
            change["field"]: [_("该记录正在审核中，审核完成前不能修改“%(field)s”。") % {"field": change["label"]}]
            for change in locked
        }, code="pending_review")


def _write(record, *, by, save_related, action, comment="", status=None,
           while_submitted: bool = False) -> WorkflowRecord:
    """Save the record (and its child rows via save_related), bump its version, log the diff. A record that
    awaits review keeps its status, and only its `editable_while_submitted_fields` may change."""
    before = type(record).objects.get(pk=record.pk).snapshot() if record.pk else {}
    creating = record.pk is None
    if creating:
        record.created_by = by
        if record.revision_of_id is None:
            record.version = 0
    if status is not None:
        record.status = status
    record.updated_by = by
    record.full_clean()
    record.version = (record.version or 0) + 1
    record.save()
    if save_related is not None:
        save_related(record)
    record.refresh_derived()
    after = record.snapshot()
    if while_submitted:
        # Compared as stored (the caller's in-memory values may be spelled differently, e.g. 100 vs 100.00).
        _refuse_locked_changes(record, snapshot_diff(before, type(record).objects.get(pk=record.pk).snapshot()))
    log_change(obj=record, object_id=record.history_id, action=ChangeAction.CREATE if creating else action,
               actor=by, unit=record.unit, changes=snapshot_diff(before, after), snapshot=after,
               version=record.version, comment=comment)
    return record


class _restore_on_failure:
    """Undo in-memory changes (new pk, bumped version, status) when the transaction rolls back."""

    def __init__(self, record):
        self.record = record
        self.saved = (record.pk, record.version, record.status, record.submitted_at, record._state.adding)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            r = self.record
            r.pk, r.version, r.status, r.submitted_at, r._state.adding = self.saved
        return False


def record_save(*, record: WorkflowRecord, by, expected_version: ExpectedVersion = None,
                save_related: Callable | None = None) -> WorkflowRecord:
    """保存: keep a draft. Only the identifying fields are required. A returned record stays returned."""
    with _restore_on_failure(record), transaction.atomic():
        return _save(record=record, by=by, expected_version=expected_version, save_related=save_related)


def record_submit(*, record: WorkflowRecord, by, expected_version: ExpectedVersion = None,
                  save_related: Callable | None = None) -> WorkflowRecord:
    """提交: full validation, then the record waits for the platform admin (待审核)."""
    with _restore_on_failure(record), transaction.atomic():
        return _submit(record=record, by=by, expected_version=expected_version, save_related=save_related)


def _save(*, record: WorkflowRecord, by, expected_version: ExpectedVersion = None,
          save_related: Callable | None = None) -> WorkflowRecord:
    _require_editor(by, record)
    if record.pk:
        stored = _check_version(record, expected_version)
        _require_editable(stored, saving=True)
    _raise_if(record.access_errors(by))
    _raise_if(record.draft_errors())
    if record.pk and stored.status == RecordStatus.SUBMITTED:
        # Filling in what may still be added before the review decides (`editable_while_submitted_fields`).
        return _write(record, by=by, save_related=save_related, action=ChangeAction.SAVE,
                      status=RecordStatus.SUBMITTED, while_submitted=True,
                      comment=_("审核前补充，随本次提交一并审核"))
    status = record.status if record.status == RecordStatus.RETURNED else RecordStatus.DRAFT
    return _write(record, by=by, save_related=save_related, action=ChangeAction.SAVE, status=status)


def _submit(*, record: WorkflowRecord, by, expected_version: ExpectedVersion = None,
            save_related: Callable | None = None) -> WorkflowRecord:
    _require_editor(by, record)
    if record.pk:
        stored = _check_version(record, expected_version)
        _require_editable(stored)
    _raise_if(record.access_errors(by))
    _raise_if(record.draft_errors())
    record.submitted_at = timezone.now()
    # Save first (child rows may be checked by submit_errors), then validate; failure rolls everything back.
    _write(record, by=by, save_related=save_related, action=ChangeAction.SUBMIT, status=RecordStatus.SUBMITTED)
    _raise_if(record.submit_errors())
    return record


# --- review -----------------------------------------------------------------------------------------------

def _locked_for_review(record, by):
    _require_reviewer(by)
    current = _locked_current(record)
    if current.status != RecordStatus.SUBMITTED:
        raise ValidationError(_("只能审核“待审核”状态的记录，该记录当前为“%(status)s”。")
                              % {"status": current.get_status_display()}, code="not_submitted")
    return current


@transaction.atomic
def record_approve(*, record: WorkflowRecord, by, comment: str = "",
                   expected_version: ExpectedVersion = None) -> WorkflowRecord:
    """审核通过. An approved revision replaces the official record's values; the official id stays.

    `expected_version`, when given, is the version the reviewer saw: a record its unit filled in further since
    (`editable_while_submitted_fields`) is not approved unseen (`RecordConflict`)."""
    current = _locked_for_review(record, by)
    if expected_version is not None:
        _check_version(current, expected_version)
    _raise_if(current.approve_errors())
    now = timezone.now()
    if current.revision_of_id is None:
        before = current.snapshot()
        current.status = RecordStatus.APPROVED
        current.approved_at = now
        current.return_reason = ""
        current.validate_constraints()  # the database's rules among approved rows, as a message
        current.version += 1
        current.save(update_fields=["status", "approved_at", "return_reason", "version", "updated_at"])
        log_change(obj=current, action=ChangeAction.APPROVE, actor=by, unit=current.unit, comment=comment,
                   changes=snapshot_diff(before, current.snapshot()) or [_status_change(RecordStatus.SUBMITTED,
                                                                                        RecordStatus.APPROVED)],
                   snapshot=current.snapshot(), version=current.version)
        return current
    return _merge_revision(current, by=by, when=now, comment=comment)


def _status_change(before, after) -> dict:
    return {"field": "status", "label": str(_("审核状态")), "before": str(RecordStatus(before).label),
            "after": str(RecordStatus(after).label)}


def _merge_revision(revision, *, by, when, comment) -> WorkflowRecord:
    model = type(revision)
    official = model.objects.select_for_update().get(pk=revision.revision_of_id)
    before = official.snapshot()
    for field in model._meta.concrete_fields:
        if field.name not in BOOKKEEPING_FIELDS and field.editable:
            setattr(official, field.attname, getattr(revision, field.attname))
    official.updated_by = revision.updated_by
    official.approved_at = when
    official.validate_constraints()
    official.version = revision.version + 1
    official.save()
    for field in model._meta.many_to_many:
        getattr(official, field.name).set(getattr(revision, field.name).all())
    for name in model.workflow_children:
        manager = getattr(official, name)
        manager.all().delete()
        fk_name = manager.field.name
        getattr(revision, name).all().update(**{fk_name: official})
    revision.delete()
    official.refresh_derived()
    after = official.snapshot()
    log_change(obj=official, action=ChangeAction.APPROVE, actor=by, unit=official.unit,
               changes=snapshot_diff(before, after), snapshot=after, version=official.version,
               comment=comment or _("修订审核通过，已替换原记录"))
    return official


@transaction.atomic
def record_return(*, record: WorkflowRecord, by, reason: str) -> WorkflowRecord:
    """退回 with a reason the unit sees on the record and on its home page."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写退回原因，填报单位将看到该原因。")})
    current = _locked_for_review(record, by)
    current.status = RecordStatus.RETURNED
    current.return_reason = reason.strip()
    current.version += 1
    current.save(update_fields=["status", "return_reason", "version", "updated_at"])
    log_change(obj=current, object_id=current.history_id, action=ChangeAction.RETURN, actor=by,
               unit=current.unit, comment=current.return_reason,
               changes=[_status_change(RecordStatus.SUBMITTED, RecordStatus.RETURNED)],
               snapshot=current.snapshot(), version=current.version)
    return current


# --- revisions --------------------------------------------------------------------------------------------

def _require_revisable(official, by) -> None:
    _require_editor(by, official)
    if not official.allows_revision_by(by):
        raise PermissionDenied(_("该记录不能由您直接修订，请提交修改建议。"))
    if official.status != RecordStatus.APPROVED or official.revision_of_id is not None:
        raise ValidationError(_("只有审核通过的记录才需要发起修订，请直接编辑。"), code="not_approved")


def record_open_revision(*, record: WorkflowRecord, by) -> WorkflowRecord | None:
    """修改 an approved record, before anything is saved: checks that `by` may revise it and returns its open
    revision (None when there is none yet). Writes nothing: the revision is created by `record_revise` on
    the first 保存 or 提交, so opening the edit page and leaving leaves nothing behind."""
    _require_revisable(record, by)
    return record.revisions.first()


def _copy_as_revision(official, by) -> WorkflowRecord:
    """A saved draft copy of the approved `official` (with its many-to-many values and child rows)."""
    model = type(official)
    revision = model.objects.get(pk=official.pk)
    revision.pk = revision.id = None
    revision._state.adding = True
    revision.revision_of = official
    revision.unit = official.revision_unit(by)
    revision.status = RecordStatus.DRAFT
    revision.return_reason = ""
    revision.submitted_at = None
    revision.approved_at = None
    revision.created_by = revision.updated_by = by
    revision.version = official.version + 1
    revision.save()
    for field in model._meta.many_to_many:
        getattr(revision, field.name).set(getattr(official, field.name).all())
    for name in model.workflow_children:
        manager = getattr(official, name)
        fk_name = manager.field.name
        for child in manager.all():
            child.pk = child.id = None
            child._state.adding = True
            setattr(child, fk_name, revision)
            child.save()
    log_change(obj=revision, object_id=official.pk, action=ChangeAction.REVISE, actor=by, unit=revision.unit,
               snapshot=revision.snapshot(), version=revision.version,
               comment=_("发起修订；修订审核通过前，原记录保持不变"))
    return revision


@transaction.atomic
def record_start_revision(*, record: WorkflowRecord, by) -> WorkflowRecord:
    """An approved record's open revision, creating an unchanged copy (with child rows) when none exists
    (for imports and commands; the 修改 page uses `record_open_revision` and `record_revise`)."""
    official = _locked_current(record)
    existing = record_open_revision(record=official, by=by)
    return existing if existing is not None else _copy_as_revision(official, by)


def record_revise(*, record: WorkflowRecord, by, expected_version: ExpectedVersion, submit: bool = False,
                  edited: WorkflowRecord | None = None, save_related: Callable | None = None) -> WorkflowRecord:
    """The first 保存 (or 提交) of 修改 on the approved `record`: in one transaction, checks the version the
    page was loaded at against the official record, creates its revision, applies the posted values (`edited`:
    an unsaved instance of the same model carrying them; `save_related` writes the posted child rows onto the
    revision) and saves or submits it. On any refusal nothing is written; the official record never changes."""
    with transaction.atomic():
        official = check_version(record, expected_version, history_id=record.pk)
        _require_revisable(official, by)
        if official.revisions.exists():
            raise ValidationError(_("该记录已有一个未完成的修订版本，请在草稿箱中继续编辑它。"), code="open_revision")
        revision = _copy_as_revision(official, by)
        if edited is not None:
            for field in type(official)._meta.concrete_fields:
                if field.name not in BOOKKEEPING_FIELDS and field.editable:
                    setattr(revision, field.attname, getattr(edited, field.attname))
            for name in official.form_state_attributes:
                setattr(revision, name, getattr(edited, name))
        inner = _submit if submit else _save
        return inner(record=revision, by=by, expected_version=revision.version, save_related=save_related)


# --- discard ----------------------------------------------------------------------------------------------

def _describe_uses(uses, limit: int = 10) -> str:
    uses = [use if isinstance(use, str) else f"{type(use)._meta.verbose_name}“{use}”" for use in uses]
    described = "、".join(uses[:limit])
    if len(uses) > limit:
        described += _("等 %(count)s 项") % {"count": len(uses)}
    return described


@transaction.atomic
def record_discard(*, record: WorkflowRecord, by, expected_version: ExpectedVersion) -> None:
    """删除草稿: the owner throws away a draft, a returned record or an open revision (with its child rows).

    Never a submitted or an approved record. A revision's discard joins the official record's history (which
    stays untouched); a never-approved draft's log entries stay in the change log. Refused, naming them, when
    other records still use the draft (e.g. an expert's position in a draft organization)."""
    _require_editor(by, record)
    stored = _check_version(record, expected_version)
    if stored.status == RecordStatus.SUBMITTED:
        raise ValidationError(_("该记录正在审核中，不能删除。如需修改，请等待审核结果。"), code="pending_review")
    if stored.status == RecordStatus.APPROVED:
        raise ValidationError(_("已审核通过的记录不能删除；如需修改，请点击“修改”发起修订。"), code="approved")
    uses = stored.discard_blockers()
    if uses:
        raise ValidationError(_("“%(name)s”仍被以下记录使用，不能删除：%(uses)s。请先修改或删除这些记录。")
                              % {"name": stored, "uses": _describe_uses(uses)}, code="in_use")
    snapshot, history_id, was_revision = stored.snapshot(), stored.history_id, stored.is_revision
    try:
        stored.delete()
    except ProtectedError as error:
        raise ValidationError(_("“%(name)s”仍被以下记录使用，不能删除：%(uses)s。请先修改或删除这些记录。")
                              % {"name": stored, "uses": _describe_uses(error.protected_objects)},
                              code="in_use") from None
    except RestrictedError as error:
        raise ValidationError(_("“%(name)s”仍被以下记录使用，不能删除：%(uses)s。请先修改或删除这些记录。")
                              % {"name": stored, "uses": _describe_uses(error.restricted_objects)},
                              code="in_use") from None
    log_change(obj=stored, object_id=history_id, action=ChangeAction.DISCARD, actor=by, unit=stored.unit,
               snapshot=snapshot, comment=_("放弃修订，原记录保持不变") if was_revision else _("删除草稿"))


def record_history(record: WorkflowRecord, user=None):
    """The change log of a record and all its revisions, newest first (only what `user` may read, if given)."""
    entries = ChangeLog.objects.all() if user is None else ChangeLog.objects.visible_to(user)
    return entries.filter(
        content_type__app_label=record._meta.app_label, content_type__model=record._meta.model_name,
        object_id=record.history_id,
    ).select_related("actor")
