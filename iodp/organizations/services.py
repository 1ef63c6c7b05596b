"""Business rules of the organizations module: verify, change proposals, memberships, standalone conferences.

The organization record itself is saved, submitted and reviewed through `iodp.core.workflow_services`.
Each service runs in one transaction, checks who may act, and writes the change log.
"""

import datetime
import decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, Model, QuerySet, TextField
from django.utils import timezone
from django.utils.translation import gettext as _

from iodp.core.models import ChangeAction, log_change
from iodp.core.scoping import can_edit
from iodp.core.versioning import ExpectedVersion, check_version, field_snapshot
from iodp.core.workflow import RecordStatus, snapshot_diff
from iodp.core.workflow_services import record_discard

from .forms import BASIC_FIELDS, DIRECTORY_FIELDS, LIST_FORMSETS
from .models import (
    ChangeProposal,
    Conference,
    Decision,
    Membership,
    Organization,
    ProposalItem,
    ProposalStatus,
    Verification,
)

#: fields a change proposal may touch, one value each.
PROPOSABLE_FIELDS = tuple(BASIC_FIELDS + DIRECTORY_FIELDS)
#: the record's lists (Organization.workflow_children) a proposal may replace as a whole: {relation: (fields, max)}.
PROPOSABLE_LISTS = {name: (tuple(f for f in formset.form._meta.fields if f != formset.fk.name), formset.max_num)
                    for name, formset in LIST_FORMSETS.items()}


def _require_unit_or_admin(user) -> None:
    if not getattr(user, "is_authenticated", False) or (user.unit_id is None and not user.is_platform_admin):
        raise PermissionDenied(_("请使用单位账号操作。"))


def _require_official(organization) -> None:
    if organization.status != RecordStatus.APPROVED or organization.revision_of_id is not None:
        raise ValidationError(_("只能对审核通过的组织进行核对或提出修改建议。"), code="not_official")


# --- 核对 -------------------------------------------------------------------------------------------------

@transaction.atomic
def organization_verify(*, organization: Organization, by, comment: str = "") -> Verification:
    """核对: the user's unit confirms the shared record is accurate as it stands (recorded with the date)."""
    _require_unit_or_admin(by)
    _require_official(organization)
    verification = Verification.objects.create(organization=organization, unit=by.unit, verified_by=by,
                                               version=organization.version, comment=(comment or "").strip()[:500])
    log_change(obj=organization, action=ChangeAction.VERIFY, actor=by, unit=by.unit,
               comment=_("%(unit)s 核对无误") % {"unit": by.unit or _("平台管理员")}, version=organization.version)
    return verification


# --- 修改建议 -------------------------------------------------------------------------------------------------

def _to_json(value):
    """A form's cleaned value as JSON (model instances by id)."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, QuerySet | list | tuple) and (not value or isinstance(next(iter(value)), Model)):
        return sorted(obj.pk for obj in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, list | tuple):
        return list(value)
    return value


def _apply_value(organization: Organization, name: str, value) -> None:
    """Set one field of `organization` from its JSON form (many-to-many fields need a saved row)."""
    field = organization._meta.get_field(name)
    if field.many_to_many:
        getattr(organization, name).set(value or [])
    elif field.is_relation:
        setattr(organization, field.attname, value)
    elif name == "membership_forms":
        setattr(organization, name, list(value or []))
    else:
        setattr(organization, name, field.to_python(value) if value not in (None, "") else (
            None if field.null else ""))


def _display_of(organization: Organization, name: str, value) -> str:
    """How `value` would show for field `name`, without touching the stored record."""
    field = organization._meta.get_field(name)
    if field.many_to_many:
        return "、".join(sorted(str(o) for o in field.related_model.objects.filter(pk__in=value or [])))
    copy = Organization(pk=None)
    for f in organization._meta.concrete_fields:
        setattr(copy, f.attname, getattr(organization, f.attname))
    _apply_value(copy, name, value)
    return copy.display_value(name)


# --- lists (奖项情况, 领导机构及人数, 国际会议): proposed as JSON rows, one item per list ------------------------------

def _list_label(organization: Organization, name: str) -> str:
    return str(getattr(organization, name).model._meta.verbose_name_plural)


def _row_json(child, fields) -> dict:
    """One child row as JSON: {field: value} (foreign keys by id)."""
    return {f: _to_json(getattr(child, child._meta.get_field(f).attname)) for f in fields}


def _is_blank_row(row: dict) -> bool:
    return all(v in (None, "", False, [], ()) for v in row.values())


def _ordered(children: list, model) -> list:
    """Rows in the model's own ordering (unsaved rows keep their given order where the ordering uses the id)."""
    for key in reversed(model._meta.ordering or []):
        name = key.lstrip("-")
        if name in ("id", "pk"):
            continue
        children = sorted(children, key=lambda c, n=name: (getattr(c, n) is not None, getattr(c, n)),
                          reverse=key.startswith("-"))
    return children


def _build_rows(organization: Organization, name: str, rows) -> list:
    """Unsaved, validated child rows of list `name` from plain data (dicts or model instances).

    Blank rows are skipped. Raises ValidationError naming the list and the row on any invalid value."""
    fields, max_rows = PROPOSABLE_LISTS[name]
    manager = getattr(organization, name)
    model, fk_name = manager.model, manager.field.name
    label = _list_label(organization, name)
    if not isinstance(rows, list | tuple | QuerySet):
        raise ValidationError(_("%(list)s须为多行数据。") % {"list": label}, code="invalid_list")
    children, errors = [], []
    for number, row in enumerate(rows, start=1):
        if isinstance(row, Model):
            row = {f: getattr(row, row._meta.get_field(f).attname) for f in fields}
        if not isinstance(row, dict):
            errors.append(_("%(list)s第 %(row)s 行：格式不正确。") % {"list": label, "row": number})
            continue
        unknown = sorted(set(row) - set(fields) - {"id", "DELETE"})
        if unknown:
            errors.append(_("%(list)s第 %(row)s 行：未知字段 %(fields)s。") % {
                "list": label, "row": number, "fields": "、".join(unknown)})
            continue
        values = {f: _to_json(row.get(f)) for f in fields}
        if _is_blank_row(values):
            continue
        child = model(**{fk_name: organization})
        row_errors = []
        for f in fields:
            field = model._meta.get_field(f)
            value = values[f]
            if value in (None, ""):
                value = (None if field.null else field.get_default() if field.has_default()
                         else "" if isinstance(field, CharField | TextField) else None)
            else:
                try:
                    value = field.to_python(value)
                except ValidationError as error:
                    row_errors.append(f"{field.verbose_name}：{' '.join(error.messages)}")
                    continue
            setattr(child, field.attname, value)
        if not row_errors:
            try:
                child.full_clean(exclude=[fk_name])  # the organization is given, not chosen
            except ValidationError as error:
                row_errors = [f"{model._meta.get_field(f).verbose_name}：{' '.join(m)}"
                              if f in fields else " ".join(m) for f, m in error.message_dict.items()]
        if row_errors:
            errors.append(_("%(list)s第 %(row)s 行：%(errors)s") % {
                "list": label, "row": number, "errors": "；".join(row_errors)})
        children.append(child)
    if max_rows and len(children) > max_rows:
        errors.append(_("%(list)s最多 %(max)s 行。") % {"list": label, "max": max_rows})
    if errors:
        raise ValidationError(errors, code="invalid_list")
    return _ordered(children, model)


def _list_display(children) -> str:
    """One line per row, the same text the record's snapshot uses."""
    return "\n".join(str(child) for child in children)


def _list_change(organization: Organization, name: str, rows):
    """(encoded rows, current display, proposed display) when the proposed list differs from the record's, else None."""
    fields = PROPOSABLE_LISTS[name][0]
    current = list(getattr(organization, name).all())
    proposed = _build_rows(organization, name, rows)
    encoded = [_row_json(child, fields) for child in proposed]
    if encoded == [_row_json(child, fields) for child in current]:
        return None
    return encoded, _list_display(current), _list_display(proposed)


def _replace_list(organization: Organization, name: str, children: list) -> None:
    manager = getattr(organization, name)
    manager.all().delete()
    manager.model.objects.bulk_create(children)


def _item_label(organization: Organization, name: str) -> str:
    if name in PROPOSABLE_LISTS:
        return _list_label(organization, name)
    return str(organization._meta.get_field(name).verbose_name)


@transaction.atomic
def proposal_create(*, organization: Organization, by, changes: dict, comment: str = "") -> ChangeProposal:
    """修改建议: propose new values for fields of an approved organization; nothing changes until accepted."""
    _require_unit_or_admin(by)
    _require_official(organization)
    items, errors = [], []
    for name, value in changes.items():
        if name in PROPOSABLE_LISTS:
            try:
                change = _list_change(organization, name, value)
            except ValidationError as error:
                errors.extend(error.messages)
                continue
            if change is not None:
                items.append((name, *change))
        elif name in PROPOSABLE_FIELDS:
            encoded = _to_json(value)
            current = organization.display_value(name)
            proposed = _display_of(organization, name, encoded)
            if current != proposed:
                items.append((name, encoded, current, proposed))
    if errors:
        raise ValidationError(errors, code="invalid_list")
    if not items:
        raise ValidationError(_("您没有修改任何内容。请修改需要更正的字段后再提交修改建议。"), code="no_changes")
    proposal = ChangeProposal.objects.create(organization=organization, unit=by.unit, proposed_by=by,
                                             base_version=organization.version, comment=(comment or "").strip())
    for name, encoded, current, proposed in items:
        ProposalItem.objects.create(
            proposal=proposal, field=name, label=_item_label(organization, name),
            current_display=current, proposed_value=encoded, proposed_display=proposed)
    log_change(obj=organization, action=ChangeAction.PROPOSE, actor=by, unit=by.unit,
               changes=[{"field": n, "label": _item_label(organization, n), "before": c,
                         "after": p} for n, _e, c, p in items],
               comment=_("修改建议待平台管理员审核，采纳前记录不变。"), version=organization.version)
    return proposal


@transaction.atomic
def proposal_decide(*, proposal: ChangeProposal, decisions: dict[str, str], by, comment: str = "") -> ChangeProposal:
    """The platform admin accepts or rejects each proposed field; accepted values go onto the official record."""
    if not getattr(by, "is_platform_admin", False):
        raise PermissionDenied(_("只有平台管理员可以处理修改建议。"))
    proposal = ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError(_("该修改建议已处理。"), code="decided")
    items = list(proposal.items.all())
    missing = [item.label for item in items if decisions.get(item.field) not in (Decision.ACCEPTED, Decision.REJECTED)]
    if missing:
        raise ValidationError(_("请逐项选择“采纳”或“不采纳”：%(fields)s") % {"fields": "、".join(missing)},
                              code="undecided")
    organization = Organization.objects.select_for_update().get(pk=proposal.organization_id)
    _require_official(organization)
    accepted = [item for item in items if decisions[item.field] == Decision.ACCEPTED]
    accepted_values = [item for item in accepted if item.field not in PROPOSABLE_LISTS]
    accepted_lists = [item for item in accepted if item.field in PROPOSABLE_LISTS]
    before = organization.snapshot()
    if accepted:
        for item in accepted_values:
            if not organization._meta.get_field(item.field).many_to_many:
                _apply_value(organization, item.field, item.proposed_value)
        try:
            organization.full_clean()
        except ValidationError as error:
            raise ValidationError(_("采纳后的记录未通过校验：%(errors)s") % {
                "errors": "；".join(f"{organization._meta.get_field(f).verbose_name}：{' '.join(m)}"
                                   if f in {x.field for x in items} else " ".join(m)
                                   for f, m in error.message_dict.items())}, code="invalid") from error
        new_lists = {}
        for item in accepted_lists:
            try:
                new_lists[item.field] = _build_rows(organization, item.field, item.proposed_value or [])
            except ValidationError as error:
                raise ValidationError(_("采纳后的记录未通过校验：%(errors)s") % {
                    "errors": "；".join(error.messages)}, code="invalid") from error
        for item in accepted_values:
            if organization._meta.get_field(item.field).many_to_many:
                _apply_value(organization, item.field, item.proposed_value)
        for name, children in new_lists.items():
            _replace_list(organization, name, children)
        organization.updated_by = by
        organization.version += 1
        organization.save()
        organization.refresh_derived()
    for item in items:
        item.decision = decisions[item.field]
        item.save(update_fields=["decision"])
    proposal.status = ProposalStatus.DECIDED
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.decision_comment = (comment or "").strip()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    # Logged for the proposing unit (whose entry it is) and worded without naming it: an approval is the
    # registry's public history.
    summary = _("处理修改建议：采纳 %(accepted)s 项，不采纳 %(rejected)s 项。") % {
        "accepted": len(accepted), "rejected": len(items) - len(accepted)}
    after = organization.snapshot()
    log_change(obj=organization, action=ChangeAction.APPROVE if accepted else ChangeAction.REJECT, actor=by,
               unit=proposal.unit, changes=snapshot_diff(before, after),
               snapshot=after if accepted else {}, version=organization.version,
               comment=" ".join(p for p in [summary, proposal.decision_comment] if p))
    return proposal


# --- 会员关系 ---------------------------------------------------------------------------------------------
# A membership or plan is a workflow record: 保存 / 提交 / review go through `record_save`, `record_submit`
# and `record_approve` (its model's hooks check the organization it names). Only leaving an approved
# membership (or dropping an approved plan) is specific to it.

@transaction.atomic
def membership_delete(*, membership: Membership, by, expected_version: ExpectedVersion) -> None:
    """删除: a draft or returned membership is discarded (`record_discard`); an approved one is removed (the unit
    left the organization or dropped its plan), with its open revision, and the removal is in its history."""
    if membership.status != RecordStatus.APPROVED or membership.is_revision:
        record_discard(record=membership, by=by, expected_version=expected_version)
        return
    _require_unit_or_admin(by)
    if not can_edit(by, membership):
        raise PermissionDenied(_("您无权修改其他单位的会员关系。"))
    stored = check_version(membership, expected_version, history_id=membership.pk)
    log_change(obj=membership, action=ChangeAction.DELETE, actor=by, unit=membership.unit,
               snapshot=stored.snapshot(), version=stored.version, comment=str(stored))
    stored.delete()


# --- 国际会议 (initiated by a unit without an organization) --------------------------------------------------

@transaction.atomic
def conference_save(*, conference: Conference, by, expected_version: ExpectedVersion = None) -> Conference:
    _require_unit_or_admin(by)
    if conference.pk is None:
        conference.unit = conference.unit or by.unit
    if conference.organization_id is not None:
        raise ValidationError(_("组织的国际会议请在“编辑组织名录”中填写。"))
    if not can_edit(by, conference):
        raise PermissionDenied(_("您无权修改其他单位的记录。"))
    stored = check_version(conference, expected_version, snapshot=field_snapshot)
    creating = stored is None
    before = {} if creating else field_snapshot(stored)
    conference.full_clean()
    conference.version = 1 if creating else stored.version + 1
    conference.save()
    after = field_snapshot(conference)
    log_change(obj=conference, action=ChangeAction.CREATE if creating else ChangeAction.SAVE, actor=by,
               unit=conference.unit, changes=snapshot_diff(before, after), snapshot=after,
               version=conference.version, comment=str(conference))
    return conference


@transaction.atomic
def conference_delete(*, conference: Conference, by, expected_version: ExpectedVersion) -> None:
    if not can_edit(by, conference):
        raise PermissionDenied(_("您无权修改其他单位的记录。"))
    stored = check_version(conference, expected_version, snapshot=field_snapshot)
    log_change(obj=conference, action=ChangeAction.DELETE, actor=by, unit=conference.unit, comment=str(conference),
               snapshot=field_snapshot(stored), version=stored.version)
    stored.delete()
