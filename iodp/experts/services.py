"""Writes of the experts module. Saving and submitting go through the shared workflow services; what is
particular to experts lives here: 核对, the audited reveal of personal data and the platform admin's merge."""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iodp.core import workflow_services as wf
from iodp.core.bulk import insert_rows
from iodp.core.caching import shared_cache
from iodp.core.models import ChangeAction, ChangeLog, change_entry, log_change
from iodp.core.versioning import ExpectedVersion, check_version
from iodp.core.workflow import RecordStatus

from .models import Expert
from .selectors import Duplicate, duplicate_report, expert_duplicates, expert_duplicates_many, recorded_elsewhere


@dataclass(frozen=True)
class DuplicateCheck:
    """What a duplicate check may tell: the own unit's duplicates in full (all for the platform admin), for other
    units only the reason ("证件号码相同"), or why other units were not consulted this time (`refused`)."""

    duplicates: list[Duplicate]
    refused: str = ""


def expert_save(*, expert: Expert, by, expected_version: int | None = None,
                save_related: Callable | None = None) -> tuple[Expert, DuplicateCheck]:
    """保存 a draft; returns the expert and its duplicate check (reported, never blocking)."""
    expert = wf.record_save(record=expert, by=by, expected_version=expected_version, save_related=save_related)
    return expert, expert_duplicate_check(expert=expert, by=by)


def expert_duplicate_check(*, expert: Expert, by, batch: bool = False) -> DuplicateCheck:
    """Has anyone else recorded this person (same ID number, or same name and birth date)? Run after a save.

    Asked of other units' records the check is an oracle: "exists" for any number typed into a draft. So it
    answers only the reason, never who, which unit or how many; and every check that consults other units is
    written to the expert's history (ChangeAction.ID_CHECK, the number masked as the reveal's page shows it).

    Interactive checks (batch=False, the pages) are limited to IODP_ID_CHECK_LIMIT different people per user per
    IODP_ID_CHECK_WINDOW_MINUTES; checking the same person again tells nothing new and does not count. Past the
    limit other units are not consulted (and nothing is logged, as nothing was looked up): the save itself
    stands and `refused` says why. A trusted batch caller (the Excel import, whose file is one accountable upload
    of thousands of rows) passes batch=True: not throttled, but each row's check is audited all the same, marked
    as a batch, so the volume stays visible. The platform admin sees every record anyway and is not throttled.
    """
    if batch:
        return expert_duplicate_checks(experts=[expert], by=by)[0]
    visible = duplicate_report(expert, by)
    subject = _check_subject(expert)
    if not subject:
        return DuplicateCheck(visible)
    if not by.is_platform_admin and not _within_check_limit(by, subject):
        return DuplicateCheck(visible, refused=_(
            "每 %(minutes)s 分钟最多核对 %(limit)s 位专家是否已由其他单位录入，您已达上限，本次保存未作核对。"
            "请稍后再保存一次以核对。") % {"minutes": settings.IODP_ID_CHECK_WINDOW_MINUTES,
                                  "limit": settings.IODP_ID_CHECK_LIMIT})
    elsewhere = recorded_elsewhere(expert, by)
    outcome = (_("其他单位已录入（%(reasons)s）") % {"reasons": "、".join(elsewhere)} if elsewhere
               else _("其他单位未录入"))
    log_change(obj=expert, object_id=expert.history_id, action=ChangeAction.ID_CHECK, actor=by, unit=expert.unit,
               comment=_("%(how)s：证件号码 %(number)s，%(outcome)s") % {
                   "how": _("批量导入查重") if batch else _("保存时查重"),
                   "number": expert.masked_id_number or "—", "outcome": outcome})
    return DuplicateCheck(visible + [Duplicate(reason, None, "") for reason in elsewhere])


def expert_duplicate_checks(*, experts: list[Expert], by, audit: bool = True) -> list[DuplicateCheck]:
    """The batch check (`expert_duplicate_check(batch=True)`) of many experts, one query for all of them: each
    one's check, in order. Each check that consulted other units is written to the expert's history all the
    same; `audit=False` only for a preview whose transaction is rolled back (and whose experts may be unsaved)."""
    checks, entries = [], []
    # the history's wording, translated once for the batch
    found_elsewhere, not_found, comment, how = (
        _("其他单位已录入（%(reasons)s）"), _("其他单位未录入"), _("%(how)s：证件号码 %(number)s，%(outcome)s"),
        _("批量导入查重"))
    for expert, found in zip(experts, expert_duplicates_many(experts), strict=True):
        visible = duplicate_report(expert, by, found=found)
        if not _check_subject(expert):
            checks.append(DuplicateCheck(visible))
            continue
        elsewhere = recorded_elsewhere(expert, by, found=found)
        if audit:
            outcome = found_elsewhere % {"reasons": "、".join(elsewhere)} if elsewhere else not_found
            entries.append(change_entry(
                obj=expert, object_id=expert.history_id, action=ChangeAction.ID_CHECK, actor=by, unit=expert.unit,
                comment=comment % {"how": how, "number": expert.masked_id_number or "—", "outcome": outcome}))
        checks.append(DuplicateCheck(visible + [Duplicate(reason, None, "") for reason in elsewhere]))
    insert_rows(ChangeLog, entries)
    return checks


def _check_subject(expert: Expert) -> str:
    """What a check looks up, as one opaque key: the ID key and the name with the birth date."""
    if not expert.id_key and not (expert.name_zh and expert.birth_date):
        return ""
    looked_up = f"{expert.id_key}|{expert.name_zh}|{expert.birth_date or ''}"
    return hashlib.sha256(looked_up.encode()).hexdigest()[:32]


def _within_check_limit(user, subject: str) -> bool:
    """Count `subject` against the user's checks in the current fixed window (the shared cache); False past it."""
    window = settings.IODP_ID_CHECK_WINDOW_MINUTES * 60
    cache = shared_cache()  # one count for every web process (a per-process count would multiply the limit)
    prefix = f"iodp:id-check:{user.pk}:{int(time.time() // window)}"
    if cache.get(f"{prefix}:{subject}"):
        return True
    cache.add(f"{prefix}:count", 0, timeout=window)
    if cache.get(f"{prefix}:count", 0) >= settings.IODP_ID_CHECK_LIMIT:
        return False
    try:
        cache.incr(f"{prefix}:count")
    except ValueError:  # expired in between: this check opens the count
        cache.set(f"{prefix}:count", 1, timeout=window)
    cache.set(f"{prefix}:{subject}", 1, timeout=window)
    return True


@transaction.atomic
def expert_verify(*, expert: Expert, by, comment: str = "") -> Expert:
    """核对无误: the owning unit (or the platform admin) confirms an approved record is still accurate as it stands.

    Nothing of the record changes (not its values, not its version, so an open revision stays valid): the date
    and the person are marked on it and the check is written to its history. A draft or returned record is
    checked by submitting it; a submitted one is being checked by the review."""
    if not wf.can_edit(by, expert):
        raise PermissionDenied(_("您无权核对其他单位的专家。"))
    current = Expert.objects.select_for_update().get(pk=expert.pk)
    if current.status != RecordStatus.APPROVED or current.is_revision:
        raise ValidationError(_("只能核对审核通过的专家信息。草稿或已退回的记录请核对后提交，提交即表示信息准确；"
                                "待审核的记录由平台管理员审核。"), code="not_official")
    now = timezone.now()
    Expert.objects.filter(pk=current.pk).update(last_verified_at=now, last_verified_by=by)
    comment = (comment or "").strip()[:500]
    log_change(obj=current, action=ChangeAction.VERIFY, actor=by, unit=current.unit, version=current.version,
               comment=_("核对无误") + (f"：{comment}" if comment else ""))
    expert.last_verified_at, expert.last_verified_by = now, by
    return expert


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
