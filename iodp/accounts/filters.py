"""The accounts module's list filters (GET parameters): one FilterSet for the units awaiting review."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from iodp.core.filters import ListFilterSet, SearchFilter, register

from .models import UnitStatus, UnitType


@register("accounts:unit_list")
class UnitFilter(ListFilterSet):
    """单位管理: by status, type and name or administrator; pending units first when no status is chosen."""

    status = django_filters.ChoiceFilter(label=_("状态"), choices=UnitStatus.choices)
    unit_type = django_filters.ChoiceFilter(label=_("单位类型"), choices=UnitType.choices)
    q = SearchFilter(label=_("检索"), method="filter_q")

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(admin_name__icontains=value))

    @property
    def qs(self):
        ordering = ("-created_at",) if self.value("status") else ("status", "-created_at")
        return super().qs.order_by(*ordering)
