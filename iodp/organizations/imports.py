"""导入 of the registry (国际组织) and of a unit's memberships (会员关系), through the same services as the pages.

Organizations: the columns the registry export writes (`exports.organization_columns`), so an exported file
imports back with no change. A row is matched by 组织编号 (the platform's number), else by its Chinese or English
name (normalized); a matched organization whose values equal the file's is unchanged and nothing is written. A
new row goes through the duplicate check of the 新增国际组织 page (`duplicates.organization_duplicates`): an
exact or likely duplicate of a registry entry is a problem on its row naming that entry, never created; two rows
of the file that name the same organization are a problem too. New ones are created as the unit's drafts (or
submitted) by `record_save` / `record_submit`. An approved organization is the shared national record: a unit
corrects it by a change proposal (修改建议) on its page, so a row that would change one is a problem; the platform
admin's changes go onto a revision, reviewed like one made on its page.

Memberships: the columns of the memberships export. The organization is named by its Chinese name or acronym (a
hint names the likely registry entry when neither is found); one membership per unit and organization, so a row
updates the unit's existing one (through a revision once approved) or is unchanged.

Every cell is parsed by the edit form's own field (`iodp.exchange.importing.parse_cell`); all or nothing in one
transaction; each problem at its sheet, row and column.
"""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iodp.core import workflow_services as wf
from iodp.core.text import normalize_text
from iodp.core.workflow import BOOKKEEPING_FIELDS, RecordStatus
from iodp.exchange.importing import (
    CellLookups,
    ImportResult,
    Problem,
    Row,
    check_headers,
    header_map,
    parse_cell,
    read_table,
    text,
)
from iodp.exchange.registry import register_import
from iodp.exchange.xlsx import Sheet

from .duplicates import organization_duplicates
from .exports import (
    KEY_HEADER,
    MEMBER_UNITS_HEADER,
    MEMBERSHIP_FIELDS,
    ORGANIZATION_FIELDS,
    VERIFIED_HEADER,
    membership_columns,
    organization_columns,
)
from .forms import BASIC_FIELDS, MembershipEditForm, OrganizationDirectoryForm, OrganizationForm
from .models import OFFICIAL, Membership, MembershipRelation, Organization
from .selectors import OrganizationNames
from .text import normalize_query

ORGANIZATIONS_SHEET = gettext_lazy("国际组织")
MEMBERSHIPS_SHEET = gettext_lazy("会员关系")
#: columns an export writes for the reader that an import leaves alone (the platform sets them)
READ_ONLY = {"status", "unit"}
ORGANIZATION_IMPORTED = [name for name in ORGANIZATION_FIELDS if name not in READ_ONLY]
MEMBERSHIP_IMPORTED = [name for name in MEMBERSHIP_FIELDS if "__" not in name and name not in READ_ONLY]
#: the membership sheet names the organization by these two columns (as the export writes them)
NAME_HEADER = gettext_lazy("中文名称")
ACRONYM_HEADER = gettext_lazy("英文缩写")


def _read_only_headers(model) -> set[str]:
    """The columns of an export that the platform fills in (left out of the blank template)."""
    return {str(model._meta.get_field(name).verbose_name) for name in READ_ONLY} | {
        str(MEMBER_UNITS_HEADER), str(VERIFIED_HEADER)}


def _may_import_for(user, unit) -> None:
    if unit is None or not (user.is_platform_admin or user.unit_id == unit.pk):
        raise PermissionDenied(_("只能导入本单位的数据。"))


def _column(model, name: str, headers: dict) -> str:
    """The header of field `name` when the file has that column ("" for a rule of the whole record)."""
    if model is Membership and name == "organization":  # the membership sheet names it by its Chinese name
        return str(NAME_HEADER)
    try:
        header = str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return ""
    return header if header in headers else ""


def _located(error: ValidationError, model, row: Row) -> list[Problem]:
    """A service's refusal, each message at the row and, when the file has it, the field's column."""
    items = error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
    return [Problem(row.sheet, row.number, _column(model, name, row.cells), message)
            for name, messages in items for message in messages]


def _own_values(record) -> dict:
    return {f.attname: getattr(record, f.attname) for f in type(record)._meta.concrete_fields
            if f.editable and f.name not in BOOKKEEPING_FIELDS}


@dataclass
class Parsed:
    """One row's values by field (`values`), its many-to-many values (`many`), and its problems."""

    row: Row
    values: dict
    many: dict
    problems: list


def _parse_row(row: Row, model, headers: dict, form_of, lookups: CellLookups) -> Parsed:
    parsed = Parsed(row, {}, {}, [])
    for header, raw in row.cells.items():
        name = headers.get(header)
        if name is None:
            continue
        try:
            value = parse_cell(model, form_of(name), name, raw, lookups)
        except ValidationError as error:
            parsed.problems.extend(Problem(row.sheet, row.number, header, m) for m in error.messages)
            continue
        if model._meta.get_field(name).many_to_many:
            parsed.many[name] = value
        else:
            parsed.values[model._meta.get_field(name).attname] = value
    return parsed


def _unchanged(record, target, parsed: Parsed) -> bool:
    """Whether the row's values (applied to `record`, an unsaved copy of `target`) leave `target` as it is."""
    if hasattr(record, "compute_derived"):
        record.compute_derived()  # as saving would (成立年份 from 成立日期)
    return _own_values(record) == _own_values(target) and all(
        sorted(getattr(target, name).values_list("pk", flat=True)) == pks for name, pks in parsed.many.items())


def _open_target(stored):
    """What an import changes: the stored record, or the open revision of an approved one."""
    if stored.status == RecordStatus.APPROVED:
        return stored.revisions.first() or stored
    return stored


def _write(*, stored, record, parsed: Parsed, user, submit: bool, result: ImportResult) -> int | None:
    """Save or submit `record` (a new record when `stored` is None, else the row's values applied to a copy of
    what `_open_target` gave): an approved record is changed through a revision. A refusal is a problem on the
    row, and the row's writes are undone (a savepoint). Returns the id of the record written, None if refused."""
    model = type(record)

    def save_related(saved):
        for name, pks in parsed.many.items():
            getattr(saved, name).set(pks)

    savepoint = transaction.savepoint()
    try:
        if record.pk and record.status == RecordStatus.APPROVED:
            revision = wf.record_start_revision(record=record, by=user)
            for attname, value in _own_values(record).items():
                setattr(revision, attname, value)
            record = revision
        service = wf.record_submit if submit else wf.record_save
        saved = service(record=record, by=user, expected_version=record.version if record.pk else None,
                        save_related=save_related)
    except ValidationError as error:
        transaction.savepoint_rollback(savepoint)
        result.problems.extend(_located(error, model, parsed.row))
        result.invalid += 1
        return None
    except PermissionDenied as refusal:
        transaction.savepoint_rollback(savepoint)
        result.problems.append(Problem(parsed.row.sheet, parsed.row.number, "", str(refusal)))
        result.invalid += 1
        return None
    transaction.savepoint_commit(savepoint)
    if stored is None:
        result.new += 1
    else:
        result.updated += 1
    result.records.append(saved.revision_of_id or saved.pk)
    if not submit:  # what 提交 will still ask for, said now (the draft is saved as the form saves it)
        for name, messages in saved.submit_errors().items():
            result.warnings.extend(Problem(parsed.row.sheet, parsed.row.number, _column(model, name, parsed.row.cells),
                                           _("提交前需要补充：%(message)s") % {"message": message})
                                   for message in messages)
    return result.records[-1]


def _update(*, stored, parsed: Parsed, user, submit: bool, result: ImportResult, may_change: bool = True,
            refusal: str = "") -> None:
    """A row that names a stored record: unchanged, refused (awaiting review, or `may_change` false), or saved."""
    target = _open_target(stored)
    if target.status == RecordStatus.SUBMITTED:
        result.problems.append(Problem(parsed.row.sheet, parsed.row.number, "", _(
            "该记录正在审核中，审核完成前不能通过导入修改。")))
        result.invalid += 1
        return
    record = type(target).objects.get(pk=target.pk)
    for attname, value in parsed.values.items():
        setattr(record, attname, value)
    if _unchanged(record, target, parsed):
        result.unchanged += 1
        result.records.append(stored.pk)
        return
    if not may_change:
        result.problems.append(Problem(parsed.row.sheet, parsed.row.number, "", refusal))
        result.invalid += 1
        return
    _write(stored=stored, record=record, parsed=parsed, user=user, submit=submit, result=result)


def _run_rows(rows, handle, on_progress) -> None:
    for done, row in enumerate(rows, start=1):
        handle(row)
        if on_progress is not None and (done % 20 == 0 or done == len(rows)):
            on_progress(done, len(rows))


# --- 国际组织 --------------------------------------------------------------------------------------------------

def organization_form_of(name: str):
    return OrganizationForm if name in BASIC_FIELDS else OrganizationDirectoryForm


def check_organization_template(sheets) -> None:
    """Refuse a workbook that is not the organizations template (no 国际组织 sheet, or its 中文名称 column missing)."""
    check_headers(sheets, sheet=str(ORGANIZATIONS_SHEET),
                  required=[Organization._meta.get_field("name_zh").verbose_name], what=gettext_lazy("国际组织"))


def _name_keys(values: dict) -> list[tuple]:
    """What makes two rows of a file the same organization: its Chinese name, its English name (normalized, so
    "Intl. Union of …" and "International Union of …" meet), or its acronym in the same HQ country."""
    keys = []
    if values.get("name_zh"):
        keys.append(("name_zh", normalize_text(values["name_zh"])))
    if values.get("name_en"):
        keys.append(("name_en", normalize_query(values["name_en"])))
    if values.get("acronym") and values.get("hq_country_id"):
        keys.append(("acronym", values["acronym"].casefold(), values["hq_country_id"]))
    return keys


class OrganizationImport:
    """One file of organizations for `unit`, row by row."""

    def __init__(self, *, user, unit, submit: bool, result: ImportResult):
        self.user, self.unit, self.submit, self.result = user, unit, submit, result
        self.lookups = CellLookups(user, [OrganizationForm(), OrganizationDirectoryForm()])
        self.headers = header_map(Organization, ORGANIZATION_IMPORTED)
        # The registry as the unit sees it: the official entries and the unit's own.
        self.registry = Organization.objects.visible_to(user).filter(revision_of__isnull=True).filter(
            OFFICIAL | Q(unit=unit))
        self.seen: dict[tuple, int] = {}  # a key of an organization of the file → the row that named it first

    def find_stored(self, row: Row, values: dict, problems: list) -> Organization | None:
        number = text(row.cells.get(str(KEY_HEADER)))
        if number:
            stored = self.registry.filter(pk=int(number)).first() if number.isdigit() else None
            if stored is None:
                problems.append(Problem(row.sheet, row.number, str(KEY_HEADER), _(
                    "组织编号 %(number)s 不在名录中（或不是本单位的组织）。新增组织请将组织编号留空。") % {"number": number}))
            return stored
        same = Q()
        if values.get("name_zh"):
            same |= Q(name_zh=values["name_zh"])
        if values.get("name_en"):
            same |= Q(name_en__iexact=values["name_en"])
        return self.registry.filter(same).order_by("pk").first() if same else None

    def same_as_earlier_row(self, row: Row, keys: list[tuple]) -> bool:
        for key in keys:
            if key in self.seen:
                self.result.problems.append(Problem(row.sheet, row.number, "", _(
                    "与第 %(row)s 行是同一国际组织，请只保留一行。") % {"row": self.seen[key]}))
                self.result.invalid += 1
                return True
        for key in keys:
            self.seen[key] = row.number
        return False

    def import_row(self, row: Row) -> None:
        parsed = _parse_row(row, Organization, self.headers, organization_form_of, self.lookups)
        stored = self.find_stored(row, parsed.values, parsed.problems)
        if parsed.problems:
            self.result.problems.extend(parsed.problems)
            self.result.invalid += 1
            return
        keys = _name_keys(parsed.values) + ([("pk", stored.pk)] if stored is not None else [])
        if self.same_as_earlier_row(row, keys):
            return
        if stored is not None:
            self.update(stored, parsed)
        elif (created := self.create(parsed)) is not None:
            self.seen[("pk", created)] = row.number  # a later row that finds it by name is the same organization

    def create(self, parsed: Parsed) -> int | None:
        record = Organization(unit=self.unit, **parsed.values)
        matches = organization_duplicates(organization=record)
        if matches:
            # The 新增 page warns; an import cannot ask, so a likely duplicate is never created.
            self.result.problems.append(Problem(parsed.row.sheet, parsed.row.number, "", _(
                "全国名录中已有相同或相似的组织：%(matches)s。如是同一组织，请填写其组织编号（或不导入此行），"
                "需要更正时请在组织页面提出修改建议；确非同一组织时，请在平台逐条新增。") % {"matches": "；".join(
                    _("%(org)s（编号 %(id)s，%(reason)s）") % {"org": m.organization, "id": m.organization.pk,
                                                           "reason": m.reason} for m in matches)}))
            self.result.invalid += 1
            return None
        return _write(stored=None, record=record, parsed=parsed, user=self.user, submit=self.submit,
                      result=self.result)

    def update(self, stored: Organization, parsed: Parsed) -> None:
        # An approved organization is the shared record: a unit corrects it by a change proposal.
        may_change = stored.status != RecordStatus.APPROVED or stored.allows_revision_by(self.user)
        _update(stored=stored, parsed=parsed, user=self.user, submit=self.submit, result=self.result,
                may_change=may_change, refusal=_(
                    "“%(org)s”已审核通过，是全国共享的记录，不能通过导入修改；如需更正，请在该组织页面提出修改建议。")
                % {"org": stored})


def import_organizations(sheets, *, user, unit, submit: bool = False, dry_run: bool = False,
                         on_progress=None) -> ImportResult:
    """Import the template's 国际组织 sheet as `unit`'s organizations, by `user`. All or nothing: with any problem
    (or `dry_run`) nothing is kept; the result says what would be or was new, updated and unchanged."""
    _may_import_for(user, unit)
    check_organization_template(sheets)
    result = ImportResult()
    sheet = next(s for s in sheets if s.name == str(ORGANIZATIONS_SHEET))
    _headers, rows = read_table(sheet)
    work = OrganizationImport(user=user, unit=unit, submit=submit, result=result)
    with transaction.atomic():
        _run_rows(rows, work.import_row, on_progress)
        if dry_run or result.problems:
            transaction.set_rollback(True)
    return result


def organization_template() -> list[Sheet]:
    """The blank organizations template: 填表说明, then the 国际组织 sheet with its drop-down lists."""
    columns = [c for c in organization_columns() if c.header not in _read_only_headers(Organization)]
    return [Sheet(str(_("填表说明")), [], [], notes=organization_notes()),
            Sheet(str(ORGANIZATIONS_SHEET), columns, [], blank_rows=500)]


def organization_notes() -> list[str]:
    return [
        _("国际组织导入模板 · 填表说明"),
        _("1. 每个国际组织填写一行；中文名称或英文名称至少填写一项，提交审核还需填写英文名称、所属学科、性质和类别。"),
        _("2. “组织编号”是平台名录中已有组织的编号（导出时自动填写）。新增组织请留空；请勿修改已有编号。"),
        _("3. 新增的组织会与全国名录核对：名称或缩写与已有组织相同或相似时不会导入，并提示已有的组织；"
          "同一文件中同一组织只能填写一行。"),
        _("4. 已审核通过的组织是全国共享的记录，不能通过导入修改；如需更正，请在该组织页面提出修改建议。"),
        _("5. 带下拉箭头的列请从下拉列表中选择；所属学科、加入形式可填多个，用分号“；”分隔；日期请按 YYYY-MM-DD 填写。"),
        _("6. 导入时先校验全部内容并显示预览，确认后才写入；有任何错误时不会导入任何一行，请按提示修改后重新上传。"),
        _("7. 导入的组织默认保存到草稿箱，可选择直接提交审核。"),
    ]


@register_import("organizations", title=_("国际组织"), template=organization_template, url_name="organizations:list",
                 check=check_organization_template, progress=gettext_lazy("已处理 %(done)s / %(total)s 个国际组织"))
def run_organization_import(sheets, *, user, unit, submit=False, dry_run=False, on_progress=None):
    return import_organizations(sheets, user=user, unit=unit, submit=submit, dry_run=dry_run, on_progress=on_progress)


# --- 会员关系 --------------------------------------------------------------------------------------------------

def check_membership_template(sheets) -> None:
    """Refuse a workbook that is not the memberships template (no 会员关系 sheet, or no 中文名称 / 会员状态 column)."""
    check_headers(sheets, sheet=str(MEMBERSHIPS_SHEET),
                  required=[NAME_HEADER, Membership._meta.get_field("relation").verbose_name], what=gettext_lazy("会员关系"))


class MembershipImport:
    """One file of memberships for `unit`, row by row."""

    def __init__(self, *, user, unit, submit: bool, result: ImportResult):
        self.user, self.unit, self.submit, self.result = user, unit, submit, result
        self.lookups = CellLookups(user, [MembershipEditForm(user=user)])
        self.organizations = OrganizationNames(user)
        self.headers = header_map(Membership, MEMBERSHIP_IMPORTED)
        self.seen: dict[int, int] = {}  # organization → the row that named it first

    def import_row(self, row: Row) -> None:
        parsed = _parse_row(row, Membership, self.headers, lambda name: MembershipEditForm, self.lookups)
        organization_id, message = self.organizations.find(text(row.cells.get(str(NAME_HEADER))),
                                                           text(row.cells.get(str(ACRONYM_HEADER))))
        if organization_id is None:
            parsed.problems.append(Problem(row.sheet, row.number, str(NAME_HEADER), message))
        if parsed.problems:
            self.result.problems.extend(parsed.problems)
            self.result.invalid += 1
            return
        if organization_id in self.seen:
            self.result.problems.append(Problem(row.sheet, row.number, str(NAME_HEADER), _(
                "与第 %(row)s 行是同一国际组织：每个单位与一个组织只有一条会员关系，请只保留一行。")
                % {"row": self.seen[organization_id]}))
            self.result.invalid += 1
            return
        self.seen[organization_id] = row.number
        parsed.values.setdefault("relation", MembershipRelation.MEMBER)
        stored = Membership.objects.editable_by(self.user).filter(
            unit=self.unit, organization_id=organization_id, revision_of__isnull=True).first()
        if stored is None:
            record = Membership(unit=self.unit, organization_id=organization_id, **parsed.values)
            _write(stored=None, record=record, parsed=parsed, user=self.user, submit=self.submit, result=self.result)
        else:
            _update(stored=stored, parsed=parsed, user=self.user, submit=self.submit, result=self.result)


def import_memberships(sheets, *, user, unit, submit: bool = False, dry_run: bool = False,
                       on_progress=None) -> ImportResult:
    """Import the template's 会员关系 sheet as `unit`'s memberships and plans, by `user`. All or nothing."""
    _may_import_for(user, unit)
    check_membership_template(sheets)
    result = ImportResult()
    sheet = next(s for s in sheets if s.name == str(MEMBERSHIPS_SHEET))
    _headers, rows = read_table(sheet)
    work = MembershipImport(user=user, unit=unit, submit=submit, result=result)
    with transaction.atomic():
        _run_rows(rows, work.import_row, on_progress)
        if dry_run or result.problems:
            transaction.set_rollback(True)
    return result


def membership_template() -> list[Sheet]:
    columns = [c for c in membership_columns() if c.header not in _read_only_headers(Membership)]
    return [Sheet(str(_("填表说明")), [], [], notes=membership_notes()),
            Sheet(str(MEMBERSHIPS_SHEET), columns, [], blank_rows=500)]


def membership_notes() -> list[str]:
    return [
        _("会员关系导入模板 · 填表说明"),
        _("1. 本单位已加入或计划加入的每个国际组织填写一行；同一组织只填一行，已登记的会员关系将按表中内容更新。"),
        _("2. “中文名称”请填写平台国际组织名录中的中文名称（或在“英文缩写”中填写缩写）；名录中没有的组织请先在平台新增。"),
        _("3. “会员状态”填写“已加入”或“计划加入”。已加入的填写加入形式、加入年份和会费；"
          "计划加入的填写计划加入时间（不早于今天）和计划加入理由，提交审核时两项必填。"),
        _("4. 带下拉箭头的列请从下拉列表中选择；日期请按 YYYY-MM-DD 填写。"),
        _("5. 导入时先校验全部内容并显示预览，确认后才写入；有任何错误时不会导入任何一行，请按提示修改后重新上传。"),
        _("6. 导入的会员关系默认保存到草稿箱，可选择直接提交审核。"),
    ]


@register_import("memberships", title=_("会员关系"), template=membership_template,
                 url_name="organizations:membership_list", check=check_membership_template,
                 progress=gettext_lazy("已处理 %(done)s / %(total)s 条会员关系"))
def run_membership_import(sheets, *, user, unit, submit=False, dry_run=False, on_progress=None):
    return import_memberships(sheets, user=user, unit=unit, submit=submit, dry_run=dry_run, on_progress=on_progress)
