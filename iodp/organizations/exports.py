"""导出 of the registry and of memberships: the rows of the filtered list, every field a unit fills in."""

from django.utils.translation import gettext_lazy as _

from iodp.exchange.registry import Column, Sheet, field_columns, prefetched_lists, register_export

from . import selectors
from .filters import MembershipFilter, OrganizationFilter
from .models import Membership, Organization

ORGANIZATION_FIELDS = [
    "name_zh", "name_en", "acronym", "disciplines", "nature", "category", "hq_country", "hq_city", "founded_year",
    "founded_date", "website", "email", "phone", "address", "membership_forms", "dues_amount", "dues_currency",
    "dues_period", "dues_notes", "special_dues", "hk_member", "hk_notes", "mo_member", "mo_notes", "tw_member",
    "tw_notes", "aims", "governance", "member_count", "member_country_count", "official_languages",
    "secretariat_country", "secretariat_city", "election_cycle_years", "regular_meetings", "ecosoc_status",
    "igo_relations", "status", "unit",
]
#: the platform's number of an organization: what an import matches a row by
KEY_HEADER = _("组织编号")
MEMBER_UNITS_HEADER = _("已加入单位数")
VERIFIED_HEADER = _("最近核对时间")
MEMBERSHIP_FIELDS = ["organization__name_zh", "organization__acronym", "relation", "form", "since_year",
                     "dues_amount", "dues_currency", "target_date", "reason", "notes", "status", "unit"]


def organization_columns() -> list[Column]:
    model_fields = {f.name for f in Organization._meta.get_fields()}
    columns = [Column(str(KEY_HEADER), lambda org: org.pk, 10)]
    columns += field_columns(Organization, [name for name in ORGANIZATION_FIELDS if name in model_fields],
                             name_zh=30, name_en=40, aims=40)
    columns.append(Column(str(MEMBER_UNITS_HEADER), lambda org: getattr(org, "member_unit_count", None), 12))
    columns.append(Column(str(VERIFIED_HEADER), lambda org: getattr(org, "last_verified_at", None), 18))
    return columns


def membership_columns() -> list[Column]:
    return field_columns(Membership, MEMBERSHIP_FIELDS, organization__name_zh=30, reason=30, notes=30)


@register_export("organizations:list", title=_("国际组织"))
def organization_sheets(request, *, reveal_ids=False):
    filterset = OrganizationFilter(request.GET or None, queryset=selectors.organization_list(user=request.user),
                                   user=request.user)
    rows = (filterset.qs.select_related("hq_country", "secretariat_country", "unit")
            .prefetch_related(*prefetched_lists("disciplines")))
    return [Sheet(str(_("国际组织")), organization_columns(), rows)]


@register_export("organizations:membership_list", title=_("会员关系"))
def membership_sheets(request, *, reveal_ids=False):
    rows = selectors.memberships_for(user=request.user).select_related("organization", "unit")
    filterset = MembershipFilter(request.GET, queryset=rows)
    rows = filterset.qs.order_by("organization__sort_key", "pk")
    return [Sheet(str(_("会员关系")), membership_columns(), rows)]
