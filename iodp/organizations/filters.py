"""The organizations module's list filters (GET parameters): one FilterSet per list over one queryset."""

import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from iodp.accounts.models import Unit, UnitStatus
from iodp.core.filters import ListFilterSet, ModelChoiceFilter, SearchFilter, register
from iodp.core.widgets import QuickSelect
from iodp.core.workflow import RecordStatus
from iodp.reference.models import Country, Discipline

from .models import (
    HMT_REGIONS,
    NO_FOUNDING_YEAR,
    Category,
    Membership,
    MembershipRelation,
    Nature,
    ProposalStatus,
    YesNo,
)
from .selectors import search_matches

#: each ordering is one of Organization's sort indexes, column for column (so ORDER BY … LIMIT walks the index
#: on both databases); "no year last" is written `founded_year IS NULL` rather than NULLS LAST, which SQLite's
#: indexes cannot serve.
SORTS = {
    "pinyin": (F("sort_key").asc(), F("pk").asc()),
    "-pinyin": (F("sort_key").desc(), F("pk").desc()),
    "founded": (NO_FOUNDING_YEAR.asc(), F("founded_year").asc(), F("sort_key").asc(), F("pk").asc()),
    "-founded": (NO_FOUNDING_YEAR.asc(), F("founded_year").desc(), F("sort_key").asc(), F("pk").asc()),
}
SORT_CHOICES = [("pinyin", _("按名称拼音")), ("-pinyin", _("按名称拼音（倒序）")),
                ("founded", _("按成立年份（早→晚）")), ("-founded", _("按成立年份（晚→早）"))]
NO_MEMBERSHIP = "none"


@register("organizations:list")
class OrganizationFilter(ListFilterSet):
    q = SearchFilter(label=_("检索"), method="filter_q")
    discipline = ModelChoiceFilter(label=_("所属学科"), field_name="disciplines", queryset=Discipline.objects.all(),
                                   empty_label=_("全部学科"), widget=QuickSelect)
    nature = django_filters.ChoiceFilter(label=_("性质"), choices=Nature.choices, empty_label=_("全部性质"),
                                         widget=QuickSelect)
    category = django_filters.ChoiceFilter(label=_("类别"), choices=Category.choices, empty_label=_("全部类别"),
                                           widget=QuickSelect)
    hq_country = ModelChoiceFilter(label=_("总部所在国家或地区"), queryset=Country.objects.all(),
                                   empty_label=_("全部国家和地区"), widget=QuickSelect)
    membership = django_filters.ChoiceFilter(
        label=_("会员状态"), method="filter_membership", empty_label=_("全部会员状态"),
        choices=list(MembershipRelation.choices) + [(NO_MEMBERSHIP, _("未登记"))], widget=QuickSelect)
    unit = ModelChoiceFilter(label=_("会员单位"), method="filter_unit", empty_label=_("全部单位"),
                             queryset=Unit.objects.filter(status=UnitStatus.APPROVED), widget=QuickSelect)
    hmt = django_filters.ChoiceFilter(label=_("港澳台加入情况"), method="filter_hmt", choices=HMT_REGIONS,
                                      empty_label=_("港澳台：不限"), widget=QuickSelect)
    status = django_filters.ChoiceFilter(label=_("审核状态"), choices=RecordStatus.choices,
                                         empty_label=_("全部审核状态"), widget=QuickSelect)
    sort = django_filters.ChoiceFilter(label=_("排序"), choices=SORT_CHOICES, method="filter_sort",
                                       empty_label=None, widget=QuickSelect)

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        if not user.is_platform_admin:
            del self.filters["unit"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(search_matches(queryset, value))

    def _member_units(self):
        """Whose approved memberships the membership filter looks at: the user's unit's, or for the platform
        admin all units' (or the chosen unit's)."""
        unit_filter = self.form.cleaned_data.get("unit") if "unit" in self.filters else None
        if unit_filter is not None:
            return Membership.objects.official().filter(unit=unit_filter)
        if self.user.is_platform_admin:
            return Membership.objects.official().filter(unit__isnull=False)
        return Membership.objects.official().owned_by(self.user.unit)

    def filter_membership(self, queryset, name, value):
        memberships = self._member_units()
        if value == NO_MEMBERSHIP:
            return queryset.exclude(pk__in=memberships.values("organization_id"))
        return queryset.filter(pk__in=memberships.filter(relation=value).values("organization_id"))

    def filter_unit(self, queryset, name, value):
        if self.form.cleaned_data.get("membership"):
            return queryset  # the membership filter already looks at this unit
        return queryset.filter(pk__in=Membership.objects.official().filter(unit=value).values("organization_id"))

    def filter_hmt(self, queryset, name, value):
        return queryset.filter(Q(**{f"{value}_member": YesNo.YES}))

    def filter_sort(self, queryset, name, value):
        return queryset  # applied last, in `qs`

    @property
    def qs(self):
        queryset = super().qs
        return queryset.order_by(*SORTS.get(self.value("sort") or "pinyin"))  # kept when another filter is bad


@register("organizations:membership_list")
class MembershipFilter(ListFilterSet):
    """本单位的国际组织: by relation (已加入 / 计划加入) and review state."""

    relation = django_filters.ChoiceFilter(label=_("会员状态"), choices=MembershipRelation.choices)
    status = django_filters.ChoiceFilter(label=_("审核状态"), choices=RecordStatus.choices)


ALL_PROPOSALS = "all"


@register("organizations:proposal_list")
class ProposalFilter(ListFilterSet):
    """修改建议: by status; pending ones when none (or no valid one) is chosen, every one for "all"."""

    status = django_filters.ChoiceFilter(label=_("状态"), method="filter_status",
                                         choices=list(ProposalStatus.choices) + [(ALL_PROPOSALS, _("全部"))])

    def chosen_status(self) -> str:
        return self.value("status", ProposalStatus.PENDING)

    def filter_status(self, queryset, name, value):
        return queryset  # applied in `filter_queryset`, which also sees the default

    def filter_queryset(self, queryset):
        status = self.chosen_status()
        return queryset if status == ALL_PROPOSALS else queryset.filter(status=status)
