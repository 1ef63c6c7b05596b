"""What every app shares: the change log (who changed what, when, with a field-level diff)."""

import json

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from .bulk import instance_builder


class TextAsIsEncoder(json.JSONEncoder):
    """JSON with text written as it is (UTF-8) rather than as \\u escapes: a history entry of Chinese labels and
    values takes a third less room, and is encoded faster (an import writes tens of thousands of them)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**kwargs, "ensure_ascii": False})


class ChangeAction(models.TextChoices):
    CREATE = "create", _("新建")
    SAVE = "save", _("保存")
    SUBMIT = "submit", _("提交")
    APPROVE = "approve", _("审核通过")
    RETURN = "return", _("退回")
    REVISE = "revise", _("发起修订")
    VERIFY = "verify", _("核对")
    PROPOSE = "propose", _("修改建议")
    REJECT = "reject", _("驳回")
    SUSPEND = "suspend", _("停用")
    REACTIVATE = "reactivate", _("恢复")
    REVEAL = "reveal", _("查看敏感信息")
    ID_CHECK = "id_check", _("跨单位查重")
    MERGE = "merge", _("合并")
    DELETE = "delete", _("删除")
    DISCARD = "discard", _("删除草稿")
    PUBLISH = "publish", _("发布")
    WITHDRAW = "withdraw", _("撤回")
    ACKNOWLEDGE = "acknowledge", _("签收")


# What anyone who may open a record may read of its history: the states the record was approved in.
# Everything else (drafts, submissions, returns, 核对, change proposals and their rejection) is between the
# unit it was logged for and the platform admin.
PUBLIC_HISTORY_ACTIONS = (ChangeAction.APPROVE, ChangeAction.MERGE)


class ChangeLogQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ChangeLogQuerySet":
        """Entries `user` may read: all for the platform admin; its own unit's and the approvals for a unit."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_platform_admin:
            return self
        own = models.Q(unit_id=user.unit_id) if user.unit_id else models.Q(pk__in=[])
        return self.filter(own | models.Q(action__in=PUBLIC_HISTORY_ACTIONS))

    def editable_by(self, user) -> "ChangeLogQuerySet":
        """Nobody: the log is append-only, written by the services beside each change."""
        return self.none()


def label_actors(entries, user) -> list:
    """Set `actor_label` on each entry: a username only for the reader's own unit and the platform admin."""
    entries = list(entries)
    for entry in entries:
        actor = entry.actor
        if actor is None:
            entry.actor_label = _("系统")
        elif user.is_platform_admin or actor.unit_id == user.unit_id and actor.unit_id is not None:
            entry.actor_label = actor.get_username()
        elif actor.is_platform_admin:
            entry.actor_label = _("平台管理员")
        else:
            entry.actor_label = _("其他单位")
    return entries


class ChangeLog(models.Model):
    """One event in a record's life: the actor, the time, and before/after values of each changed field."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("对象"), max_length=300)
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=16, choices=ChangeAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    version = models.PositiveIntegerField(_("版本"), null=True, blank=True)
    #: [{"field", "label", "before", "after"}]; none stored for the creation of a record with a `snapshot`: its
    #: changes are every value of the snapshot (`shown_changes`), written once rather than twice
    changes = models.JSONField(_("变更内容"), default=list, blank=True, encoder=TextAsIsEncoder)
    snapshot = models.JSONField(default=dict, blank=True, encoder=TextAsIsEncoder)
    comment = models.TextField(_("说明"), blank=True)

    objects = ChangeLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("修改记录")
        verbose_name_plural = _("修改记录")
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="changelog_object_idx"),
            # a unit's last activity (填报进度)
            models.Index(fields=["unit", "-at"], name="changelog_unit_at_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    def shown_changes(self) -> list[dict]:
        """`changes`, or for the creation of a record (which stores none, see `changes`) its snapshot's values."""
        if not self.changes and self.action == ChangeAction.CREATE and self.snapshot:
            return created_changes(self.snapshot)
        return self.changes or []

    def localized_changes(self) -> list[dict]:
        """`changes` with each field's label in the current language (the stored label is the one of the day
        it was written, in Chinese); the values stay as they were recorded."""
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        changes = []
        for change in self.shown_changes():
            label = change.get("label", "")
            try:
                field = model._meta.get_field(change.get("field", "")) if model else None
            except FieldDoesNotExist:
                field = None
            if field is not None:
                label = str(getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name_plural)
            changes.append({**change, "label": label})
        return changes


def created_changes(snapshot: dict) -> list[dict]:
    """The changes of a new record whose values are `snapshot`: every value it has, from nothing."""
    return [{"field": name, "label": entry["label"], "before": "", "after": value}
            for name, entry in snapshot.items() if (value := entry.get("value", "")) != ""]


def log_change(*, obj, action: str, actor=None, unit=None, changes=None, snapshot=None, version=None,
               comment: str = "", object_id=None) -> ChangeLog:
    """Write one change-log entry for `obj` (object_id overrides whose history it joins, e.g. a revision's)."""
    entry = change_entry(obj=obj, action=action, actor=actor, unit=unit, changes=changes, snapshot=snapshot,
                         version=version, comment=comment, object_id=object_id)
    entry.save()
    return entry


def change_entry(*, obj, action: str, actor=None, unit=None, changes=None, snapshot=None, version=None,
                 comment: str = "", object_id=None) -> ChangeLog:
    """The unsaved change-log entry `log_change` writes (a batch writes many with one bulk_create)."""
    # The related rows by their keys: no descriptor nor save-time check of a cached instance per entry, and the
    # fields set as `ChangeLog(...)` sets them, without its lookup per field (an import writes two entries per
    # expert).
    return instance_builder(ChangeLog)({
        "content_type_id": ContentType.objects.get_for_model(type(obj)).pk,
        "object_id": object_id or obj.pk,
        "object_repr": str(obj)[:300],
        "unit_id": unit.pk if unit is not None else None,
        "action": action,
        "actor_id": actor.pk if actor is not None and actor.is_authenticated else None,
        "changes": changes or [],
        "snapshot": snapshot or {},
        "version": version,
        "comment": comment,
    })


def history_for(obj):
    """The change log of one record, newest first."""
    return ChangeLog.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).select_related("actor")
