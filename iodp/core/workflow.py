"""The record workflow every module shares: draft → submitted → approved / returned, revisions, snapshots.

A model takes part by inheriting `WorkflowRecord` (abstract). Its lifecycle changes go through the
services in `iodp.core.workflow_services`; its pages through the generic views in `iodp.core.workflow_views`.

Revisions (Frappe's amend): editing an approved record creates a *revision* row of the same model with
`revision_of` pointing at the approved one. The approved row stays the official data (what lists,
statistics and other units see) until the revision is approved; then the revision's values and child rows
are moved onto the official row (its id never changes, so everything that links to it stays linked) and the
revision row is deleted. Versions grow monotonically across a record and its revisions, so every change-log
entry of a record has a distinct version number and a snapshot to compare against.
"""

import datetime
import decimal
import functools

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .phones import format_phone, is_phone_field
from .scoping import UnitScopedQuerySet


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("审核通过")
    RETURNED = "returned", _("已退回")


# Fields the workflow itself manages: never copied by users, never shown in diffs.
BOOKKEEPING_FIELDS = {
    "id", "unit", "status", "version", "revision_of", "return_reason", "created_by", "updated_by", "created_at",
    "updated_at", "submitted_at", "approved_at", "approved_by",
}


class WorkflowQuerySet(UnitScopedQuerySet):
    def official(self):
        """Approved records: the data other units and statistics see."""
        return self.filter(status=RecordStatus.APPROVED, revision_of__isnull=True)

    def open_work(self):
        """Drafts and returned records: what a unit still has to finish (the draft box)."""
        return self.filter(status__in=[RecordStatus.DRAFT, RecordStatus.RETURNED])

    def awaiting_review(self):
        return self.filter(status=RecordStatus.SUBMITTED)


def revision_index(name: str) -> models.Index:
    """The index of a workflow model's `revision_of`, over the revision rows alone (see WorkflowRecord)."""
    return models.Index(fields=["revision_of"], condition=models.Q(revision_of__isnull=False), name=name)


def official_rows_index(name: str, *fields: str) -> models.Index:
    """An index of the official rows (no revision rows): `fields`, then the id. A list is counted from it without
    reading the rows: PostgreSQL counts a list filtered by `pk IN (…)` from it (index-only), and SQLite counts the
    official rows from it, its statistics showing every entry alike in `revision_of` (all NULL), so that it never
    takes `revision_of IS NULL` for a rare value (see `revision_index`)."""
    return models.Index(fields=["revision_of", *fields, "id"], condition=models.Q(revision_of__isnull=True),
                        name=name)


class WorkflowRecord(models.Model):
    """Abstract base of every record that is saved, submitted and reviewed."""

    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("填报单位"), on_delete=models.PROTECT, related_name="+", null=True,
        blank=True,
    )
    status = models.CharField(
        _("审核状态"), max_length=16, choices=RecordStatus.choices, default=RecordStatus.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=0)
    # Indexed by `revision_index` (the revision rows only), not by a plain index: nearly every row has no
    # revision_of, and SQLite's statistics then read "revision_of IS NULL" as a rare value, took that index for
    # every list of official rows and sorted all of them (bench/pages.py, SQLite, full scale: expert list 99 ms).
    revision_of = models.ForeignKey(
        "self", verbose_name=_("修订自"), null=True, blank=True, on_delete=models.CASCADE, related_name="revisions",
        db_index=False,
    )
    return_reason = models.TextField(_("退回原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("最后修改人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True, db_index=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)

    objects = WorkflowQuerySet.as_manager()

    # --- hooks a model sets or overrides -------------------------------------------------------------------
    #: related names of child rows that belong to the record (education, contacts...): copied into a
    #: revision and moved back onto the official record when the revision is approved.
    workflow_children: tuple[str, ...] = ()
    #: fields needed to save a draft (enough to identify it).
    draft_required_fields: tuple[str, ...] = ()
    #: fields required when submitting.
    submit_required_fields: tuple[str, ...] = ()
    #: attributes that are not fields but that a form sets for the model's validation (e.g. which values the
    #: page showed masked): carried from the edited values onto a new revision by `record_revise`.
    form_state_attributes: tuple[str, ...] = ()
    #: the URL namespace of the model's pages: "<ns>:detail" and "<ns>:edit" take the pk.
    url_namespace: str = ""
    #: fields and child lists (workflow_children) the owning unit may still fill in while the record awaits
    #: review (SUBMITTED): they go to the reviewer with the same submission. Every other field stays locked;
    #: `record_save` enforces it for every caller (pages, imports, the API).
    editable_while_submitted_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    # --- identity ---------------------------------------------------------------------------------------
    def get_absolute_url(self) -> str:
        return reverse(f"{self.url_namespace}:detail", args=[self.pk])

    @property
    def history_id(self) -> int:
        """The id whose history this row's changes join: the official record's for a revision."""
        return self.revision_of_id or self.pk

    @property
    def model_label(self) -> str:
        """How `core:record_action` names the model ("app.model")."""
        return self._meta.label_lower

    @property
    def is_revision(self) -> bool:
        return self.revision_of_id is not None

    @property
    def is_editable(self) -> bool:
        return self.status in (RecordStatus.DRAFT, RecordStatus.RETURNED)

    @property
    def is_partly_editable_while_submitted(self) -> bool:
        """Awaiting review, with fields its unit may still fill in (`editable_while_submitted_fields`)."""
        return self.status == RecordStatus.SUBMITTED and bool(self.editable_while_submitted_fields)

    def get_edit_url(self) -> str:
        return reverse(f"{self.url_namespace}:edit", args=[self.pk])

    @classmethod
    def kind_label(cls) -> str:
        return str(cls._meta.verbose_name)

    def allows_revision_by(self, user) -> bool:
        """Whether `user` may start a revision of this approved record (shared records may restrict it)."""
        return True

    def revision_unit(self, user):
        """The unit that owns a revision `user` opens: the record's unit (its own data), unless shared."""
        return self.unit

    def discard_blockers(self) -> list[str]:
        """What still uses this draft and blocks discarding it, described for the user (rows with a PROTECT
        foreign key block it anyway). Override for rows that would otherwise be deleted with it."""
        return []

    def fill_derived_fields(self) -> None:
        """Compute the values derived from the row itself (search keys, pinyin) before it is written: a model
        whose save() derives values calls this from save(); the batch writer, which does not call save(),
        calls it too."""

    def refresh_derived(self) -> None:
        """Recompute stored derived values (e.g. completeness) after the record and its children are saved."""

    @classmethod
    def refresh_derived_batch(cls, records: list) -> None:
        """`refresh_derived` for many saved records (the batch writer): override with a few queries in all."""
        for record in records:
            record.refresh_derived()

    # --- validation hooks -------------------------------------------------------------------------------
    def draft_errors(self) -> dict[str, list[str]]:
        """What blocks saving a draft: only the identifying fields are required."""
        return {
            name: [str(_("保存草稿前请填写此项。"))]
            for name in self.draft_required_fields
            if _is_empty(getattr(self, name))
        }

    def submit_errors(self) -> dict[str, list[str]]:
        """What blocks submitting. Override to add rules across fields and child rows (call super)."""
        errors = {
            name: [str(_("提交前请填写此项。"))]
            for name in self.submit_required_fields
            if _is_empty(self._field_value_for_check(name))
        }
        return errors

    def access_errors(self, user) -> dict[str, list[str]]:
        """What `user` may not link this record to (e.g. another unit's draft): checked by `record_save` and
        `record_submit` whoever calls them, after who may edit it. Override for records that link to rows
        with their own visibility."""
        return {}

    def approve_errors(self) -> dict[str, list[str]]:
        """What blocks approving the submitted record (e.g. it duplicates an approved one). Checked by
        `record_approve` whoever calls it (review page, import, API); override to add rules across rows."""
        return {}

    def _field_value_for_check(self, name):
        field = self._meta.get_field(name)
        if field.many_to_many:
            return list(getattr(self, name).all()) if self.pk else []
        return getattr(self, name)

    # --- snapshot for history and diffs -------------------------------------------------------------------
    def snapshot_many_to_many(self) -> list:
        """The many-to-many fields the snapshot shows (every one; a model leaves out those it does not apply)."""
        return list(self._meta.many_to_many)

    def snapshot(self, *, related: dict | None = None) -> dict[str, dict]:
        """Every user-visible value, as text, keyed by field name: {name: {"label", "value"}}. `related`: the
        rows of many-to-many fields and child lists the caller already holds ({name: rows}), read instead of
        the database (the batch writer, which has just written them)."""
        data = {}
        language = get_language()
        related = related or {}
        for field, name, kind, label in _labelled_plan(type(self), language):
            data[name] = {"label": label, "value": _display(self, field, kind, language)}
        for field in self.snapshot_many_to_many():
            rows = related[field.name] if field.name in related else (
                getattr(self, field.name).all() if self.pk else [])
            data[field.name] = {"label": _label(field, language), "value": "、".join(sorted(str(o) for o in rows))}
        for name in self.workflow_children:
            if name in related:
                rows = related[name]
            else:
                rows = getattr(self, name).all() if self.pk else []
            data[name] = {"label": _children_label(type(self), name, language),
                          "value": "\n".join(snapshot_line(child, language) for child in rows)}
        return data


@functools.lru_cache(maxsize=256)
def _children_label(model, name: str, language) -> str:
    """The verbose plural of a child list (`workflow_children`), translated once per language."""
    return str(model._meta.get_field(name).related_model._meta.verbose_name_plural)


@functools.lru_cache(maxsize=256)
def _display_plan(model) -> tuple:
    """(field, how it is shown) for each field a snapshot holds, worked out once per model."""
    plan = []
    for field in model._meta.concrete_fields:
        if field.name in BOOKKEEPING_FIELDS or not field.editable:
            continue
        plan.append((field, _display_plan_kind(field)))
    return tuple(plan)


@functools.lru_cache(maxsize=256)
def _labelled_plan(model, language) -> tuple:
    """(field, name, how it is shown, its label in `language`) for each field a snapshot holds."""
    return tuple((field, field.name, kind, _label(field, language)) for field, kind in _display_plan(model))


@functools.lru_cache(maxsize=4096)
def _label(field, language) -> str:
    """A field's verbose name in `language` (the active one): translated once, not once per snapshot."""
    return str(field.verbose_name)


@functools.lru_cache(maxsize=4096)
def _choice_labels(field, language) -> dict:
    return {value: str(label) for value, label in field.flatchoices}


def choice_label(obj, name: str, language: str | None = None) -> str:
    """`obj.get_<name>_display()` with the labels translated once per language (a history line or an import
    of thousands of rows asks for the same few labels over and over). `language`: the active one, when the
    caller holds it (a snapshot's lines)."""
    field = obj._meta.get_field(name)
    value = getattr(obj, field.attname)
    return "" if value in (None, "") else _choice_labels(field, language or get_language()).get(value, str(value))


def snapshot_line(row, language: str) -> str:
    """A child row's line in a snapshot: `str(row)`, or its `snapshot_line(language)` where its model has one
    (the same text, with the active language passed in rather than read again for each label of each row)."""
    line = getattr(row, "snapshot_line", None)
    return line(language) if line is not None else str(row)


@functools.lru_cache(maxsize=16)
def _yes_no(language) -> dict:
    return {True: str(_("是")), False: str(_("否"))}


def _display_plan_kind(field) -> str:
    if field.choices:
        return "choice"
    if isinstance(field, models.ForeignKey):
        return "related"
    return "phone" if is_phone_field(field) else "value"


def _is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _display(obj, field, kind: str | None = None, language: str | None = None) -> str:
    kind = kind or _display_plan_kind(field)
    if kind == "choice":
        value = getattr(obj, field.attname)
        if value in (None, ""):
            return ""
        return _choice_labels(field, language or get_language()).get(value, str(value))
    if kind == "related":
        value = getattr(obj, field.name)
        return "" if value is None else str(value)
    value = getattr(obj, field.attname)
    if value is None:
        return ""
    if kind == "phone":
        return format_phone(value)
    if type(value) is str:  # (most values: shown as they are)
        return value
    if isinstance(value, bool):
        return _yes_no(language or get_language())[value]
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, list | dict):
        import json

        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def snapshot_diff(before: dict, after: dict) -> list[dict]:
    """Field-level changes between two snapshots: [{"field", "label", "before", "after"}]."""
    if not before:  # a new record: every value it has is a change
        from .models import created_changes

        return created_changes(after)
    changes = []
    for name in list(after) + [n for n in before if n not in after]:
        old = before.get(name, {}).get("value", "")
        new = after.get(name, {}).get("value", "")
        if old != new:
            label = (after.get(name) or before.get(name))["label"]
            changes.append({"field": name, "label": label, "before": old, "after": new})
    return changes


def workflow_models() -> list[type[WorkflowRecord]]:
    """Every concrete model that takes part in the workflow (for the draft box and review queue)."""
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, WorkflowRecord)]
