"""Optimistic locking for every editable record: an update names the version it was loaded at.

Every update service takes `expected_version`. A record not stored yet needs none (`None`); updating a
stored record without one is a programming error (`MissingVersion`), so no caller (view, import, command,
API) can skip the check by forgetting it. A caller that truly has no version (a data migration, a bulk
command that has just read the row itself) says so explicitly with `ANY_VERSION`.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from .models import ChangeLog
from .workflow import _display, snapshot_diff


class _AnyVersion:
    """The explicit "I have no version to check" of a trusted caller."""

    def __repr__(self):
        return "ANY_VERSION"


ANY_VERSION = _AnyVersion()
ExpectedVersion = int | _AnyVersion | None


class MissingVersion(TypeError):
    """An update of a stored record was called without `expected_version`."""


class RecordConflict(ValidationError):
    """Someone else saved the record after this user loaded it. `changes` says what they changed."""

    def __init__(self, changes: list[dict], current_version: int):
        super().__init__(_("保存失败：您打开此页面后，该记录已被他人修改。为避免覆盖对方的修改，本次保存未生效。"
                           "请查看下方变更，刷新页面后重新填写。"), code="conflict")
        self.changes = changes
        self.current_version = current_version


def field_snapshot(obj: models.Model, *, exclude: set[str] = frozenset()) -> dict[str, dict]:
    """The user-visible values of a plain (non-workflow) record, as text: {name: {"label", "value"}}."""
    skip = {"id", "version", "created_by", "created_at", "updated_at"} | set(exclude)
    return {f.name: {"label": str(f.verbose_name), "value": _display(obj, f)}
            for f in obj._meta.concrete_fields if f.editable and f.name not in skip}


def check_version(instance: models.Model, expected_version: ExpectedVersion, *,
                  snapshot: Callable[[models.Model], dict] | None = None, history_id: int | None = None):
    """The stored row of `instance`, locked for update (None for a new record).

    Raises `MissingVersion` when a stored record comes without `expected_version`, and `RecordConflict`
    (with what changed since, from the change log) when its version moved on."""
    if instance.pk is None:
        return None
    if expected_version is None:
        raise MissingVersion(
            f"{type(instance).__name__} #{instance.pk}: pass expected_version (or ANY_VERSION) to update it")
    current = type(instance).objects.select_for_update().get(pk=instance.pk)
    version_conflict(current, expected_version, snapshot=snapshot, history_id=history_id)
    return current


def version_conflict(current: models.Model, expected_version: ExpectedVersion, *,
                     snapshot: Callable[[models.Model], dict] | None = None, history_id: int | None = None) -> None:
    """Raise `MissingVersion` or `RecordConflict` unless the stored (locked) row `current` is at
    `expected_version`: the check of `check_version` on a row its caller has already locked (a batch)."""
    if expected_version is None:
        raise MissingVersion(
            f"{type(current).__name__} #{current.pk}: pass expected_version (or ANY_VERSION) to update it")
    if expected_version is ANY_VERSION or current.version == expected_version:
        return
    snapshot = snapshot or (lambda obj: obj.snapshot())
    loaded = ChangeLog.objects.filter(
        content_type__app_label=current._meta.app_label, content_type__model=current._meta.model_name,
        object_id=history_id or current.pk, version=expected_version,
    ).first()
    raise RecordConflict(snapshot_diff(loaded.snapshot if loaded else {}, snapshot(current)), current.version)


def posted_version(request, instance: models.Model, name: str = "version") -> int | None:
    """The version a submitted form was loaded at (None for a new record; -1, a conflict, when missing or
    garbled: a form that lost its version must not overwrite anything)."""
    if instance.pk is None:
        return None
    value = (request.POST.get(name) or "").strip()
    return int(value) if value.isascii() and value.isdigit() else -1
