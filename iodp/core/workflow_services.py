"""Lifecycle services of every workflow record: save, submit, approve, return, start a revision.

Views, imports, commands and the API call these; each runs in one transaction, checks who may do what,
and writes a change-log entry with a field-level diff. They raise `ValidationError` (bad data or an
illegal transition), `PermissionDenied` (wrong person) or `RecordConflict` (someone saved first).
Saving or submitting a stored record requires the version it was loaded at (`iodp.core.versioning`).
"""

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from . import scoping
from .bulk import batch_cleaner, insert_rows
from .models import ChangeAction, ChangeLog, change_entry, log_change
from .versioning import ANY_VERSION, ExpectedVersion, MissingVersion, RecordConflict, check_version, version_conflict  # noqa: F401 (callers import them from here)
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
    _save_or_refuse(record)
    if save_related is not None:
        save_related(record)
    record.refresh_derived()
    after = record.snapshot()
    if while_submitted:
        # Compared as stored (the caller's in-memory values may be spelled differently, e.g. 100 vs 100.00).
        _refuse_locked_changes(record, snapshot_diff(before, type(record).objects.get(pk=record.pk).snapshot()))
    # (a creation's changes are its snapshot's values: not stored twice, see `ChangeLog.changes`)
    log_change(obj=record, object_id=record.history_id, action=ChangeAction.CREATE if creating else action,
               actor=by, unit=record.unit, changes=[] if creating else snapshot_diff(before, after), snapshot=after,
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
            self.restore()
        return False

    def restore(self):
        r = self.record
        r.pk, r.version, r.status, r.submitted_at, r._state.adding = self.saved


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
        _save_or_refuse(current, update_fields=["status", "approved_at", "return_reason", "version", "updated_at"])
        log_change(obj=current, action=ChangeAction.APPROVE, actor=by, unit=current.unit, comment=comment,
                   changes=snapshot_diff(before, current.snapshot()) or [_status_change(RecordStatus.SUBMITTED,
                                                                                        RecordStatus.APPROVED)],
                   snapshot=current.snapshot(), version=current.version)
        return current
    return _merge_revision(current, by=by, when=now, comment=comment)


def _save_or_refuse(record, **kwargs) -> None:
    """`record.save()` after its checks. Two saves or approvals made at the same moment (two approvals of
    duplicates, a unit's two sessions registering one membership) each pass `validate_constraints` (neither sees
    the other's uncommitted row); the database then makes the second wait for the first and refuses it: that
    refusal is the rule's own message (`validate_constraints` again, which now sees the committed row), not an
    IntegrityError page."""
    try:
        with transaction.atomic():
            record.save(**kwargs)
    except IntegrityError:
        record.validate_constraints()
        raise


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
    _save_or_refuse(official)
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


# --- many records at once (imports, the API's bulk calls) ----------------------------------------------------

@dataclass
class BatchItem:
    """One record of `records_save_batch`: a new record (no pk) or a stored one with the caller's changes applied
    (`expected_version`: the version it was loaded at), with the values of its many-to-many fields (pks, they
    replace the stored ones) and its child rows (unsaved instances, they replace the stored list) where given."""

    record: WorkflowRecord
    expected_version: ExpectedVersion = None
    many: dict[str, list[int]] = dataclass_field(default_factory=dict)
    children: dict[str, list] = dataclass_field(default_factory=dict)


class BatchRefused(ValidationError):
    """Some records of a batch were refused; nothing of the batch was written. `errors`: {index: ValidationError}."""

    def __init__(self, errors: dict[int, ValidationError]):
        super().__init__(_("部分记录未通过校验，本批次未写入任何内容。"), code="batch_refused")
        self.errors = errors


def records_save_batch(items: list[BatchItem], *, by, submit: bool = False,
                       check_only: bool = False) -> list[WorkflowRecord]:
    """保存 (or 提交) many records of one model in one transaction: the rules of `record_save` / `record_submit`
    for each record (who may edit it, its version, its state, `access_errors`, `draft_errors`, the model's
    `full_clean`, `submit_errors` after its child rows are written, history with a field-level diff), paid with
    a few queries per batch instead of a dozen per record: what an import of thousands of rows calls.

    All or nothing: any refused record raises `BatchRefused` with every record's errors, and nothing is written.
    A record awaiting review is refused (its 审核前补充 goes through `record_save`); an approved one is changed
    through its revision (`record_start_revision`), as on its page.

    `check_only` (a preview of drafts): every check that precedes the writing, then nothing is written and the
    records are left as they came. Submitting is checked by writing (its rules read the written child rows), so
    a preview of a submit passes check_only=False inside a transaction it rolls back."""
    if not items:
        return []
    if check_only and submit:
        raise ValueError("check_only previews saving drafts; preview a submit by writing and rolling back")
    model = type(items[0].record)
    records = [item.record for item in items]
    with ExitStack() as undo, transaction.atomic():
        restorers = []
        for record in records:
            if type(record) is not model:
                raise TypeError("records_save_batch takes records of one model")
            _require_editor(by, record)
            restorers.append(undo.enter_context(_restore_on_failure(record)))
        stored = model.objects.select_for_update().in_bulk([r.pk for r in records if r.pk])
        errors: dict[int, list[ValidationError]] = {}
        foreign_keys = _checked_foreign_keys(model)
        cleaner = record_cleaner(model)
        for index, item in enumerate(items):
            record = item.record
            try:
                if record.pk:
                    current = stored.get(record.pk)
                    if current is None:
                        raise ValidationError(_("该记录已被删除。"), code="deleted")
                    version_conflict(current, item.expected_version, history_id=record.history_id)
                    if current.status == RecordStatus.SUBMITTED:
                        raise ValidationError(_("该记录正在审核中，审核完成前不能修改。"), code="pending_review")
                    _require_editable(current)
                _raise_if(record.access_errors(by))
                _raise_if(record.draft_errors())
                stamped_for_batch(record, by=by, submit=submit)
                # The model's own rules (`full_clean`); the foreign keys' existence is checked below, one query
                # per key.
                cleaner.full_clean(record)
            except ValidationError as error:
                errors.setdefault(index, []).append(error)
        for field, indexes in _missing_references(records, foreign_keys).items():
            for index in indexes:
                errors.setdefault(index, []).append(ValidationError(
                    {field.name: field.error_messages["invalid"] % {
                        "model": field.related_model._meta.verbose_name, "pk": getattr(records[index], field.attname),
                        "field": field.remote_field.field_name, "value": getattr(records[index], field.attname)}}))
        if errors:
            raise BatchRefused({index: _merged(found) for index, found in errors.items()})
        if check_only:
            for restorer in restorers:
                restorer.restore()
            return records

        relations = _snapshot_relations(model)
        prefetch_related_objects(list(stored.values()), *relations)
        before = {pk: current.snapshot() for pk, current in stored.items()}
        now = timezone.now()
        for record in records:
            record.fill_derived_fields()
            record.version = (record.version or 0) + 1
            record.updated_at = now
            if submit:
                record.submitted_at = now
        new = [r for r in records if r.pk is None]
        insert_rows(model, new, returning=True)
        changed = [r for r in records if r.pk in stored]
        if changed:
            names = [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name != "created_at"]
            model.objects.bulk_update(changed, names, batch_size=200)
        _replace_related(model, items, replaced={r.pk for r in changed})
        model.refresh_derived_batch(records)
        related = _related_rows(model, items, relations, stored=stored, cache=submit)
        if submit:
            refused = {index: ValidationError(found) for index, item in enumerate(items)
                       if (found := item.record.submit_errors())}
            if refused:
                raise BatchRefused(refused)
        entries = []
        for record, rows in zip(records, related, strict=True):
            after = record.snapshot(related=rows)
            creating = record.pk not in stored
            action = ChangeAction.CREATE if creating else (ChangeAction.SUBMIT if submit else ChangeAction.SAVE)
            # (a creation's changes are its snapshot's values: not stored twice, see `ChangeLog.changes`)
            changes = [] if creating else snapshot_diff(before[record.pk], after)
            entries.append(change_entry(obj=record, object_id=record.history_id, action=action, actor=by,
                                        unit=record.unit, changes=changes, snapshot=after, version=record.version))
        insert_rows(ChangeLog, entries)
    return records


def stamped_for_batch(record, *, by, submit: bool) -> None:
    """What `records_save_batch` sets on a record before it checks it: who creates and changes it, a new
    record's version, and its state (submitted, or a draft unless it was returned)."""
    if record.pk is None:
        record.created_by = by
        if record.revision_of_id is None:
            record.version = 0
    record.updated_by = by
    if submit:
        record.status = RecordStatus.SUBMITTED
    elif record.status != RecordStatus.RETURNED:
        record.status = RecordStatus.DRAFT


def _checked_foreign_keys(model) -> list:
    """The foreign keys `records_save_batch` checks with one query each (not in the `full_clean` of each record)."""
    return [f for f in model._meta.concrete_fields if f.is_relation and f.editable]


def record_cleaner(model):
    """The `core.bulk.RowCleaner` that `records_save_batch` checks each record of `model` with: `full_clean`
    but for the foreign keys it checks itself (`_checked_foreign_keys`)."""
    return batch_cleaner(model, frozenset(f.name for f in _checked_foreign_keys(model)))


def _merged(errors: list[ValidationError]) -> ValidationError:
    combined: dict[str, list[str]] = {}
    for error in errors:
        for name, messages in (error.message_dict.items() if hasattr(error, "error_dict")
                               else [(NON_FIELD_ERRORS, error.messages)]):
            combined.setdefault(name, []).extend(messages)
    return ValidationError(combined)


def _missing_references(records, foreign_keys) -> dict:
    """{field: [index]} of records whose foreign key names no row (what `full_clean` checks one query per key)."""
    missing = {}
    for field in foreign_keys:
        wanted = {getattr(r, field.attname) for r in records} - {None}
        if not wanted:
            continue
        target = field.remote_field.field_name
        found = set(field.related_model._base_manager.filter(**{f"{target}__in": wanted})
                    .values_list(target, flat=True))
        indexes = [i for i, r in enumerate(records) if getattr(r, field.attname) not in found | {None}]
        if indexes:
            missing[field] = indexes
    return missing


def _snapshot_relations(model) -> list[str]:
    """What a snapshot reads besides the row: its foreign keys, many-to-many fields and child lists."""
    foreign = [f.name for f in model._meta.concrete_fields
               if f.is_relation and f.editable and f.name not in BOOKKEEPING_FIELDS]
    return [*foreign, "unit", *(f.name for f in model._meta.many_to_many), *model.workflow_children]


def _related_rows(model, items: list[BatchItem], relations: list[str], *, stored: dict,
                  cache: bool) -> list[dict]:
    """For each written record, {name: rows} of its many-to-many fields and child lists, what its snapshot
    shows: those the batch wrote from memory (the related rows in one query per field), the others from the
    database (nothing for a new record); its foreign keys are fetched too, one query each. With `cache`, the
    rows are also put where `record.<name>.all()` finds them (`prefetch_related`'s cache), for `submit_errors`."""
    many = {f.name for f in model._meta.many_to_many}
    found = [{} for _item in items]
    for name in relations:
        field = model._meta.get_field(name)
        if not (field.many_to_many or field.one_to_many):
            prefetch_related_objects([item.record for item in items], name)
            continue
        objects = {}
        if name in many:
            wanted = {pk for item in items for pk in item.many.get(name, ())}
            objects = field.related_model._base_manager.in_bulk(wanted) if wanted else {}
        unread = []
        for index, item in enumerate(items):
            if name in item.many:
                found[index][name] = [objects[pk] for pk in dict.fromkeys(item.many[name]) if pk in objects]
            elif name in item.children:
                found[index][name] = list(item.children[name])
            elif item.record.pk not in stored:
                found[index][name] = []
            else:
                unread.append(index)
        if unread:
            records = [items[index].record for index in unread]
            for record in records:
                getattr(record, "_prefetched_objects_cache", {}).pop(name, None)
            prefetch_related_objects(records, name)
            for index, record in zip(unread, records, strict=True):
                found[index][name] = list(getattr(record, name).all())
        if cache:
            for index, item in enumerate(items):
                queryset = getattr(item.record, name).all()
                queryset._result_cache, queryset._prefetch_done = found[index][name], True
                item.record.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset
    return found


def _replace_related(model, items: list[BatchItem], *, replaced: set[int]) -> None:
    """Write each record's many-to-many values and child rows, replacing the stored ones."""
    for field in model._meta.many_to_many:
        given = [item for item in items if field.name in item.many]
        if not given:
            continue
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        through.objects.filter(**{f"{source}__in": [i.record.pk for i in given if i.record.pk in replaced]}).delete()
        insert_rows(through, [through(**{f"{source}_id": item.record.pk, f"{target}_id": pk})
                              for item in given for pk in dict.fromkeys(item.many[field.name])])
    for name in model.workflow_children:
        given = [item for item in items if name in item.children]
        if not given:
            continue
        relation = model._meta.get_field(name)
        child_model, fk_name = relation.related_model, relation.field.name
        child_model.objects.filter(**{f"{fk_name}__in": [i.record.pk for i in given if i.record.pk in replaced]}
                                   ).delete()
        rows, fk = [], relation.field
        key = fk.target_field.attname
        for item in given:
            for row in item.children[name]:
                # `row.<fk> = record` without the descriptor's per-row checks (the record is this model's, of
                # this database): its key, and the record where `row.<fk>` finds it
                setattr(row, fk.attname, getattr(item.record, key))
                fk.set_cached_value(row, item.record)
                rows.append(row)
        insert_rows(child_model, rows, returning=True)
        # What the rows' __str__ (the snapshot's lines) may read: their other foreign keys, one query each.
        for field in child_model._meta.concrete_fields:
            if field.is_relation and field.name != fk_name:
                _cache_related(rows, field)


def _cache_related(rows: list, field) -> None:
    """Put each row's object of foreign key `field` where `row.<field>` finds it (what `prefetch_related_objects`
    does, without its per-row bookkeeping): one query for all the rows."""
    target = field.target_field.attname
    wanted = {value for row in rows if (value := getattr(row, field.attname)) is not None}
    objects = ({getattr(o, target): o for o in field.related_model._base_manager.filter(**{f"{target}__in": wanted})}
               if wanted else {})
    for row in rows:
        value = getattr(row, field.attname)
        field.set_cached_value(row, None if value is None else objects.get(value))
