"""The institutions module's list filters (GET parameters): one FilterSet for the units' directory."""

import django_filters
from django.utils.translation import gettext_lazy as _

from iodp.accounts.models import UnitType
from iodp.core.filters import ListFilterSet, SearchFilter, register
from iodp.core.workflow import RecordStatus

from . import selectors

NO_PROFILE = "none"
COMPLETENESS_CHOICES = [("low", _("低于 60%")), ("mid", "60%–99%"), ("full", "100%"), ("empty", _("未填写"))]


@register("institutions:home")
class DirectoryFilter(ListFilterSet):
    """机构管理 for the platform admin: every unit, by name, type, region, profile status and completeness."""

    q = SearchFilter(label=_("单位名称"))
    unit_type = django_filters.ChoiceFilter(label=_("单位类型"), choices=UnitType.choices)
    province = django_filters.CharFilter(label=_("地区"))
    status = django_filters.ChoiceFilter(label=_("填写状态"),
                                         choices=[(NO_PROFILE, _("未填写"))] + list(RecordStatus.choices))
    completeness = django_filters.ChoiceFilter(label=_("完整度"), choices=COMPLETENESS_CHOICES)

    def filter_queryset(self, queryset):
        return selectors.filter_directory(queryset, **self.values())

    def params(self) -> dict:
        """Each filter's valid value ("" when none), as the directory's hand-written form shows them."""
        values = self.values()
        return {name: values.get(name, "") for name in self.filters}
