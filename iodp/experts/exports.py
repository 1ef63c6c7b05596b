"""导出 of experts: the workbook of the experts template (基本信息, 语言能力, 教育经历, 工作经历, 国际组织任职),
one row per expert and per list item, linked by 专家编号 (the platform's record number, which an import of the
same file matches first). ID numbers and birth dates are masked unless the platform admin asks for them."""

from django.utils.translation import gettext_lazy as _

from iodp.exchange.registry import Column, Sheet, field_column, field_columns, register_export

from . import selectors
from .filters import ExpertFilter
from .models import Education, Employment, Expert, ExpertLanguage, Position

KEY_HEADER = _("专家编号")
EXPERT_FIELDS = ["kind", "name_zh", "name_en", "gender", "birth_date", "nationality", "id_type", "id_number",
                 "phone", "email", "employer", "department", "job_title", "professional_title", "disciplines",
                 "category", "foreign_affairs_years", "has_intl_org_experience", "foreign_affairs_description",
                 "target_leadership", "target_mid_level", "target_secretariat", "target_organizations",
                 "target_disciplines", "status", "unit", "last_verified_at"]
LANGUAGE_FIELDS = ["language", "proficiency", "certificate"]
EDUCATION_FIELDS = ["start", "end", "institution", "country", "degree", "major"]
EMPLOYMENT_FIELDS = ["start", "end", "institution", "country", "post"]
POSITION_FIELDS = ["organization__name_zh", "organization__acronym", "post_title", "role", "level", "term_start",
                   "term_end", "status"]


def key_column(attribute: str = "pk") -> Column:
    return Column(str(KEY_HEADER), lambda row: getattr(row, attribute), 10)


def expert_columns(*, reveal_ids: bool) -> list[Column]:
    columns = [key_column()]
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


def child_sheet(title, model, fields, experts, **widths) -> Sheet:
    rows = (model.objects.filter(expert__in=experts.values("pk")).order_by("expert_id", "id")
            .select_related(*{path.split("__")[0] for path in fields if "__" in path}
                            | {f for f in ("country",) if f in fields}))
    return Sheet(str(title), [key_column("expert_id"), *field_columns(model, fields, **widths)],
                 rows.iterator(chunk_size=2000))


def expert_workbook(experts, *, reveal_ids: bool = False) -> list[Sheet]:
    """The sheets for `experts` (a queryset): the template's layout, filled in."""
    rows = experts.select_related("nationality", "unit", "last_verified_by").prefetch_related(
        "disciplines", "target_organizations", "target_disciplines")
    return [
        Sheet(str(_("基本信息")), expert_columns(reveal_ids=reveal_ids), rows.iterator(chunk_size=1000)),
        child_sheet(_("语言能力"), ExpertLanguage, LANGUAGE_FIELDS, experts),
        child_sheet(_("教育经历"), Education, EDUCATION_FIELDS, experts, institution=30),
        child_sheet(_("工作经历"), Employment, EMPLOYMENT_FIELDS, experts, institution=30),
        child_sheet(_("国际组织任职"), Position, POSITION_FIELDS, experts, organization__name_zh=30, post_title=20),
    ]


@register_export("experts:list", title=_("专家信息"), has_id_numbers=True)
def expert_sheets(request, *, reveal_ids=False):
    filterset = ExpertFilter(request.GET, queryset=selectors.expert_list(user=request.user), user=request.user)
    return expert_workbook(filterset.qs, reveal_ids=reveal_ids)
