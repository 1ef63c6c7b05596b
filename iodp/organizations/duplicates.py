"""Duplicates in the registry: find them (exact and likely), and resolve a submitted duplicate at review by
merging it into the existing organization or returning it as a duplicate.

Exact duplicates (`Organization.exact_duplicates`) are refused on 提交, at approval and by the database;
likely duplicates (similar names, the same acronym elsewhere) are only shown, on 保存 and to the reviewer.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from iodp.core.models import ChangeAction, log_change
from iodp.core.workflow import RecordStatus, snapshot_diff
from iodp.core.workflow_services import record_return

from .models import Conference, Membership, Organization
from .selectors import similar_official_organizations

#: the record's own description (not a unit's use of it): stays with the returned duplicate.
OWN_CONTENT = {"awards", "governing_bodies"}


@dataclass(frozen=True)
class DuplicateMatch:
    """An official organization `organization` may duplicate: `exact` ones cannot be approved."""

    organization: Organization
    exact: bool
    reason: str


def _exact_reason(organization: Organization, other: Organization) -> str:
    if organization.name_zh and organization.name_zh == other.name_zh:
        return _("中文名称相同")
    if organization.name_en and organization.name_en.lower() == other.name_en.lower():
        return _("英文名称相同")
    return _("英文缩写和总部所在国家或地区相同")


def organization_duplicates(*, organization: Organization) -> list[DuplicateMatch]:
    """Approved official organizations `organization` may duplicate, exact ones first, then likely ones.

    Works on an unsaved record too (the values typed so far). Never lists the record itself nor the record
    it revises."""
    matches = [DuplicateMatch(other, True, _exact_reason(organization, other))
               for other in organization.exact_duplicates().select_related("hq_country")]
    seen = {m.organization.pk for m in matches} | {organization.pk, organization.revision_of_id}
    names = [n for n in (organization.name_zh, organization.name_en, organization.acronym) if n]
    for other in similar_official_organizations(names=names, exclude=seen):
        matches.append(DuplicateMatch(other, False, _("名称或缩写相似")))
    return matches


# --- resolving a submitted duplicate (platform admin) -----------------------------------------------------------

def _require_reviewer(by) -> None:
    if not getattr(by, "is_platform_admin", False):
        raise PermissionDenied(_("只有平台管理员可以处理重复的组织。"))


def _official_target(target: Organization, duplicate: Organization) -> Organization:
    target = Organization.objects.select_for_update().get(pk=target.pk)
    if target.pk == duplicate.pk:
        raise ValidationError(_("不能把组织合并到其自身。"), code="same_record")
    if target.status != RecordStatus.APPROVED or target.revision_of_id is not None:
        raise ValidationError(_("只能合并到名录中已审核通过的组织。"), code="target_not_official")
    return target


def _move_references(duplicate: Organization, target: Organization) -> dict[str, int]:
    """Point every row that refers to `duplicate` (memberships, conferences, experts' positions and target
    organizations, any future relation) at `target`; {label: rows moved}. Done through the model's relations,
    so this module needs to know no other app. A unit's existing membership of the target wins over the copy."""
    moved = {}
    for rel in Organization._meta.related_objects:
        if rel.related_model is Organization or rel.get_accessor_name() in OWN_CONTENT:
            continue
        if rel.many_to_many:
            field = rel.field
            through = field.remote_field.through
            source, dest = field.m2m_field_name(), field.m2m_reverse_field_name()
            rows = through._base_manager.filter(**{dest: duplicate})
            already = through._base_manager.filter(**{dest: target}).values(source)
            rows.filter(**{f"{source}__in": already}).delete()
            count = rows.update(**{dest: target})
            label = field.verbose_name
        else:
            model, fk = rel.related_model, rel.field.name
            rows = model._base_manager.filter(**{fk: duplicate})
            if model is Membership:
                rows.filter(unit__in=target.memberships.values("unit")).delete()
            elif model is Conference:
                for conference in rows:
                    if target.conferences.filter(year=conference.year, name__iexact=conference.name).exists():
                        conference.delete()
            count = rows.update(**{fk: target})
            label = model._meta.verbose_name_plural
        if count:
            moved[str(label)] = moved.get(str(label), 0) + count
    return moved


@transaction.atomic
def organization_merge_into(*, duplicate: Organization, target: Organization, by) -> Organization:
    """合并到已有记录: a submitted organization that duplicates `target` is closed. Everything that points at it
    moves to `target`; the submission is returned with the reason (the unit sees it on its home page and the
    record keeps its history); both histories record the merge."""
    _require_reviewer(by)
    duplicate = Organization.objects.select_for_update().get(pk=duplicate.pk)
    if duplicate.is_revision:
        raise ValidationError(_("修订版本不能合并；如修订有误，请退回。"), code="revision")
    if duplicate.status != RecordStatus.SUBMITTED:
        raise ValidationError(_("只能合并“待审核”的组织。"), code="not_submitted")
    target = _official_target(target, duplicate)
    before = target.snapshot()
    moved = _move_references(duplicate, target)
    record_return(record=duplicate, by=by, reason=_(
        "与已有组织重复，已合并到 %(org)s（编号 %(id)s）。本单位与该组织相关的会员关系、任职等已转到该组织，"
        "此记录无需再提交；如已有组织的信息需要更正，请对其提出修改建议。") % {"org": target, "id": target.pk})
    after = target.snapshot()
    changes = snapshot_diff(before, after)
    if changes:  # conferences joined the shared record
        target.version += 1
        target.save(update_fields=["version", "updated_at"])
    summary = "、".join(_("%(label)s %(n)s 条") % {"label": label, "n": n} for label, n in moved.items())
    log_change(obj=target, action=ChangeAction.MERGE, actor=by, unit=duplicate.unit, version=target.version,
               changes=changes, snapshot=after if changes else {},
               comment=_("合并 %(unit)s 提交的重复记录 %(org)s（编号 %(id)s）；转入：%(moved)s。") % {
                   "unit": duplicate.unit or _("平台管理员"), "org": duplicate, "id": duplicate.pk,
                   "moved": summary or _("无")})
    return target


@transaction.atomic
def organization_reject_as_duplicate(*, duplicate: Organization, target: Organization, by) -> Organization:
    """作为重复驳回: the submission is returned, its reason naming the existing organization."""
    _require_reviewer(by)
    target = _official_target(target, duplicate)
    return record_return(record=duplicate, by=by, reason=_(
        "与已有组织重复：%(org)s（编号 %(id)s）。请在名录中打开该组织进行核对或提出修改建议，不要重复新增。") % {
        "org": target, "id": target.pk})
