"""Writes of the experts module. Saving and submitting go through the shared workflow services; what is
particular to experts lives here: the audited reveal of personal data and the platform admin's merge."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from iodp.core import workflow_services as wf
from iodp.core.models import ChangeAction, log_change
from iodp.core.versioning import ExpectedVersion, check_version

from .models import Expert
from .selectors import Duplicate, duplicate_report, expert_duplicates


def expert_save(*, expert: Expert, by, expected_version: int | None = None,
                save_related: Callable | None = None) -> tuple[Expert, list[Duplicate]]:
    """保存 a draft; returns the expert and the duplicates found (reported, never blocking)."""
    expert = wf.record_save(record=expert, by=by, expected_version=expected_version, save_related=save_related)
    return expert, duplicate_report(expert, by)


def expert_submit(*, expert: Expert, by, expected_version: int | None = None,
                  save_related: Callable | None = None) -> tuple[Expert, list[Duplicate]]:
    """提交 for review (full validation); returns the expert and the duplicates found."""
    expert = wf.record_submit(record=expert, by=by, expected_version=expected_version, save_related=save_related)
    return expert, duplicate_report(expert, by)


def expert_reveal(*, expert: Expert, by) -> dict[str, str]:
    """The unmasked ID number and birth date, for the owning unit or the platform admin; every reveal is logged."""
    if not wf.can_edit(by, expert):
        raise PermissionDenied(_("您无权查看其他单位专家的敏感信息。"))
    log_change(obj=expert, object_id=expert.history_id, action=ChangeAction.REVEAL, actor=by, unit=expert.unit,
               comment=_("查看完整证件号码和出生日期"))
    return {
        "id_number": expert.id_number,
        "birth_date": expert.birth_date.isoformat() if expert.birth_date else "",
    }


def _same_position(a, b) -> bool:
    return (a.organization_id, a.role, a.level, a.term_start) == (b.organization_id, b.role, b.level, b.term_start)


@transaction.atomic
def expert_merge(*, keep: Expert, duplicate: Expert, by, keep_version: ExpectedVersion,
                 duplicate_version: ExpectedVersion) -> Expert:
    """合并 (platform admin): the duplicate's positions, languages, education, employment and disciplines that
    `keep` lacks move onto `keep`; the duplicate is deleted; both histories record the merge. Both versions
    are those the reviewer saw: a record changed since is not merged (`RecordConflict`)."""
    if not getattr(by, "is_platform_admin", False):
        raise PermissionDenied(_("只有平台管理员可以合并重复的专家记录。"))
    keep = check_version(keep, keep_version, history_id=keep.history_id)
    duplicate = check_version(duplicate, duplicate_version, history_id=duplicate.history_id)
    if keep.pk == duplicate.pk:
        raise ValidationError(_("不能把记录与自身合并。"))
    if keep.is_revision or duplicate.is_revision or keep.revisions.exists() or duplicate.revisions.exists():
        raise ValidationError(_("记录有未完成的修订版本，请先处理修订后再合并。"))
    if duplicate not in expert_duplicates(keep):
        raise ValidationError(_("这两条记录的证件号码、姓名和出生日期均不相同，不能合并。"))
    before = keep.snapshot()
    kept_positions = list(keep.positions.all())
    for position in duplicate.positions.all():
        if not any(_same_position(position, existing) for existing in kept_positions):
            position.expert = keep
            position.save(update_fields=["expert"])
    kept_languages = set(keep.languages.values_list("language", flat=True))
    duplicate.languages.exclude(language__in=kept_languages).update(expert=keep)
    kept_schools = set(keep.education.values_list("institution", "start"))
    for row in duplicate.education.all():
        if (row.institution, row.start) not in kept_schools:
            row.expert = keep
            row.save(update_fields=["expert"])
    kept_jobs = set(keep.employment.values_list("institution", "start"))
    for row in duplicate.employment.all():
        if (row.institution, row.start) not in kept_jobs:
            row.expert = keep
            row.save(update_fields=["expert"])
    keep.disciplines.add(*duplicate.disciplines.all())
    for field in ("phone", "email", "employer", "department", "job_title", "professional_title", "name_en",
                  "foreign_affairs_description"):
        if not getattr(keep, field) and getattr(duplicate, field):
            setattr(keep, field, getattr(duplicate, field))
    if keep.foreign_affairs_years is None:
        keep.foreign_affairs_years = duplicate.foreign_affairs_years
    keep.has_intl_org_experience = keep.has_intl_org_experience or duplicate.has_intl_org_experience
    keep.version += 1
    keep.updated_by = by
    keep.save()
    keep.refresh_derived()
    comment = _("合并重复记录：%(name)s（%(unit)s，编号 %(id)s）") % {
        "name": duplicate.name_zh, "unit": duplicate.unit or "", "id": duplicate.pk}
    from iodp.core.workflow import snapshot_diff

    after = keep.snapshot()
    log_change(obj=keep, action=ChangeAction.MERGE, actor=by, unit=keep.unit, changes=snapshot_diff(before, after),
               snapshot=after, version=keep.version, comment=comment)
    log_change(obj=duplicate, action=ChangeAction.MERGE, actor=by, unit=duplicate.unit, snapshot=duplicate.snapshot(),
               version=duplicate.version + 1,
               comment=_("已合并到 %(name)s（编号 %(id)s）") % {"name": keep.name_zh, "id": keep.pk})
    duplicate.delete()
    return keep
