"""导出 of experts: the workbook of the experts template (基本信息, 语言能力, 教育经历, 工作经历, 国际组织任职),
one row per expert and per list item, linked by 专家编号 (the platform's record number, which an import of the
same file matches first). ID numbers and birth dates are masked unless the platform admin asks for them."""

from django.utils.translation import gettext_lazy as _

from iodp.exchange.registry import (
    Column,
    Sheet,
    field_column,
    field_columns,
    prefetched_lists,
    register_download,
    register_export,
)
from iodp.exchange.xlsx import BOOLEAN_CHOICES, FormField, FormSheet, FormTable

from . import selectors
from .filters import ExpertFilter
from .models import Education, Employment, Expert, ExpertLanguage, Position

#: the platform's number of an expert (empty for a new one) and the row key that links the sheets
KEY_HEADER = _("专家编号")
NUMBER_HEADER = _("序号")
SHEETS = {"basic": "基本信息", "languages": "语言能力", "education": "教育经历", "employment": "工作经历",
          "positions": "国际组织任职"}
EXPERT_FIELDS = ["kind", "name_zh", "name_en", "gender", "birth_date", "nationality", "id_type", "id_number",
                 "phone", "email", "employer", "department", "job_title", "professional_title", "disciplines",
                 "category", "foreign_affairs_years", "has_intl_org_experience", "foreign_affairs_description",
                 "target_leadership", "target_mid_level", "target_secretariat", "target_organizations",
                 "target_disciplines", "status", "unit", "last_verified_at"]
LANGUAGE_FIELDS = ["language", "proficiency", "certificate"]
EDUCATION_FIELDS = ["start", "end", "institution", "country", "degree", "major"]
EMPLOYMENT_FIELDS = ["start", "end", "institution", "country", "post"]
POSITION_FIELDS = ["post_title", "role", "level", "term_start", "term_end", "status"]
#: columns an export writes for the reader that an import leaves alone (the platform sets them)
READ_ONLY = {"status", "unit", "last_verified_at"}
#: the stored fields of an expert no column of the export shows (bookkeeping, and what is derived for search)
UNEXPORTED = ("return_reason", "created_by", "updated_by", "created_at", "updated_at", "submitted_at", "approved_at",
              "name_pinyin", "name_initials", "id_key", "search_pairs", "has_working_language")
#: the single-expert form (专家信息登记表): its title (how an import recognises it) and its long-text fields
FORM_TITLE = _("专家信息登记表")
FORM_NOTES_TITLE = _("填表说明")
FORM_WIDE_FIELDS = {"foreign_affairs_description"}


def number_column(attribute: str = "pk") -> Column:
    return Column(str(NUMBER_HEADER), lambda row: getattr(row, attribute), 8)


def expert_columns(*, reveal_ids: bool) -> list[Column]:
    columns = [Column(str(KEY_HEADER), lambda e: e.pk, 10), number_column()]
    for name in EXPERT_FIELDS:
        if name == "id_number" and not reveal_ids:
            columns.append(Column(str(Expert._meta.get_field(name).verbose_name),
                                  lambda e: e.masked_id_number or None, 22))
        elif name == "birth_date" and not reveal_ids:
            columns.append(Column(str(Expert._meta.get_field(name).verbose_name),
                                  lambda e: e.masked_birth_date or None, 12))
        else:
            columns.append(field_column(Expert, name, width={"name_zh": 12, "employer": 30}.get(name, 16)))
    return columns


def child_sheet(title, model, fields, experts, *, leading=(), related=(), **widths) -> Sheet:
    rows = (model.objects.filter(expert__in=experts.values("pk")).order_by("expert_id", "id")
            .prefetch_related(*related))  # (a few countries or organizations, shared by many rows)
    return Sheet(str(title), [number_column("expert_id"), *leading, *field_columns(model, fields, **widths)],
                 rows)


ORGANIZATION_COLUMNS = (
    Column(str(_("国际组织")), lambda p: p.organization.name_zh, 30),
    Column(str(_("英文缩写")), lambda p: p.organization.acronym or None, 12),
)


def expert_workbook(experts, *, reveal_ids: bool = False) -> list[Sheet]:
    """The sheets for `experts` (a queryset): the template's layout, filled in."""
    # The few countries and units the rows name are read once per chunk of rows and shared (a joined row would
    # build them again for every expert, as the list's own joins would); what no column shows is not read.
    rows = experts.select_related(None).defer(*UNEXPORTED).prefetch_related("nationality", "unit", *prefetched_lists(
        "disciplines", "target_organizations", "target_disciplines"))
    return [
        Sheet(SHEETS["basic"], expert_columns(reveal_ids=reveal_ids), rows),
        child_sheet(SHEETS["languages"], ExpertLanguage, LANGUAGE_FIELDS, experts),
        child_sheet(SHEETS["education"], Education, EDUCATION_FIELDS, experts, related=["country"], institution=30),
        child_sheet(SHEETS["employment"], Employment, EMPLOYMENT_FIELDS, experts, related=["country"],
                    institution=30),
        child_sheet(SHEETS["positions"], Position, POSITION_FIELDS, experts, leading=ORGANIZATION_COLUMNS,
                    related=["organization"], post_title=20),
    ]


@register_export("experts:list", title=_("专家信息"), has_id_numbers=True)
def expert_sheets(request, *, reveal_ids=False):
    filterset = ExpertFilter(request.GET, queryset=selectors.expert_list(user=request.user), user=request.user)
    return expert_workbook(filterset.qs, reveal_ids=reveal_ids)


def form_key(expert: Expert) -> int:
    """The 专家编号 a form carries: the official record's (a revision's form imports back onto its record)."""
    return expert.revision_of_id or expert.pk


def registration_form(expert: Expert | None = None, *, reveal_ids: bool = False) -> FormSheet:
    """专家信息登记表: one expert (or a blank form) laid out like a paper form, the same labels and values as the
    template's columns (so it imports through the same reading), its lists as small tables with blank rows."""
    columns = expert_columns(reveal_ids=reveal_ids)[2:]  # after 专家编号 and 序号
    fields = [FormField(str(KEY_HEADER), form_key(expert) if expert is not None else None)]
    for name, column in zip(EXPERT_FIELDS, columns, strict=True):
        if name in READ_ONLY:
            continue
        boolean = Expert._meta.get_field(name).get_internal_type() == "BooleanField"
        fields.append(FormField(column.header, column.value(expert) if expert is not None else None,
                                column.choices or (BOOLEAN_CHOICES if boolean else ()), wide=name in FORM_WIDE_FIELDS))
    fields.sort(key=lambda f: f.wide)  # the long texts last, a row each

    def rows(attribute, *related):
        if expert is None:
            return []
        return getattr(expert, attribute).select_related(*related).order_by("id")

    blank = 4 if expert is None else 2
    tables = [
        FormTable(SHEETS["languages"], field_columns(ExpertLanguage, LANGUAGE_FIELDS), rows("languages"), blank),
        FormTable(SHEETS["education"], field_columns(Education, EDUCATION_FIELDS), rows("education", "country"),
                  blank),
        FormTable(SHEETS["employment"], field_columns(Employment, EMPLOYMENT_FIELDS), rows("employment", "country"),
                  blank),
        FormTable(SHEETS["positions"], [*ORGANIZATION_COLUMNS, *field_columns(Position, POSITION_FIELDS)],
                  rows("positions", "organization"), blank),
    ]
    return FormSheet(str(FORM_TITLE), fields, tables, str(FORM_NOTES_TITLE), [str(note) for note in form_notes()])


def form_notes() -> list:
    return [
        _("1. 本表供一位专家填写个人信息。带下拉箭头的格子请从下拉列表中选择；日期请按 YYYY-MM-DD 填写，如 1975-03-08。"),
        _("2. “专家编号”由平台填写：新增专家请留空，请勿修改已有编号。"),
        _("3. 证件号码和出生日期部分隐藏时（如 110105********1234）原样保留即不作修改；如需修改，请填写完整的新值。"),
        _("4. 所属学科、目标学科领域、目标国际组织可填多个，用分号“；”分隔；国际组织请填写平台名录中的中文名称或英文缩写。"),
        _("5. 各表行数不够时，可在表中插入行继续填写；请勿修改标题、标签和表头文字。"),
        _("6. 填好后请交回推荐单位，由单位在平台的导入页面上传；表中的语言能力、经历和任职将替换平台中的对应列表。"),
    ]


register_download("experts:registration_form", title=FORM_TITLE)
register_download("experts:export_selected", title=_("专家信息（所选专家的导入模板）"))
