"""导出 of experts: the workbook of the experts template (基本信息, 语言能力, 教育经历, 工作经历, 国际组织任职),
one row per expert and per list item, linked by 专家编号 (the platform's record number, which an import of the
same file matches first). ID numbers and birth dates are masked unless the platform admin asks for them."""

from django.utils.translation import gettext_lazy as _

from iodp.exchange.registry import Column, Sheet, field_column, field_columns, register_export

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
            .select_related(*related))
    return Sheet(str(title), [number_column("expert_id"), *leading, *field_columns(model, fields, **widths)],
                 rows)


ORGANIZATION_COLUMNS = (
    Column(str(_("国际组织")), lambda p: p.organization.name_zh, 30),
    Column(str(_("英文缩写")), lambda p: p.organization.acronym or None, 12),
)


def expert_workbook(experts, *, reveal_ids: bool = False) -> list[Sheet]:
    """The sheets for `experts` (a queryset): the template's layout, filled in."""
    rows = experts.select_related("nationality", "unit", "last_verified_by").prefetch_related(
        "disciplines", "target_organizations", "target_disciplines")
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
