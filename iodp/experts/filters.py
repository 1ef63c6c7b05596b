"""The experts list's filters (GET parameters): one FilterSet, every value a SQL condition in
`selectors.filter_experts`."""

import django_filters
from django.utils.translation import gettext_lazy as _

from iodp.accounts.models import Unit
from iodp.core.filters import ListFilterSet, ModelChoiceFilter, NumberFilter, SearchFilter, register
from iodp.core.widgets import QuickSelect
from iodp.reference.models import Discipline

from . import selectors
from .forms import UNKNOWN_ORGANIZATION, organization_field
from .models import Expert, ExpertKind, Language, Level, PositionStatus, Role

ELIGIBILITY_CHOICES = [
    ("eligible", _("符合推荐条件")), ("ineligible", _("不符合推荐条件")), ("age", _("年龄超过上限")),
    ("language", _("缺少英语或法语工作语言")), ("years", _("涉外工作年限不足")), ("intl", _("无国际组织工作经历")),
]
STATUS_CHOICES = [("draft", _("草稿")), ("submitted", _("待审核")), ("approved", _("审核通过")),
                  ("returned", _("已退回"))]


class OrganizationFilter(ModelChoiceFilter):
    """The registry's typeahead picker, limited to the organizations the user may see."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = None

    @property
    def field(self):
        if not hasattr(self, "_field"):
            self._field = organization_field(self._user, required=False, label=self.label)
            self._field.widget.show_create_link = False
            self._field.error_messages["invalid_choice"] = UNKNOWN_ORGANIZATION
        return self._field


@register("experts:list")
class ExpertFilter(ListFilterSet):
    """专家信息's filters, applied together by `selectors.filter_experts`. The platform admin also filters by
    recommending unit (推荐单位)."""

    q = SearchFilter(label=_("姓名/拼音/首字母/工作单位"))
    kind = django_filters.ChoiceFilter(label=_("专家类型"), choices=ExpertKind.choices, empty_label=_("全部类型"))
    level = django_filters.ChoiceFilter(label=_("层级"), choices=Level.choices, empty_label=_("全部层级"))
    role = django_filters.ChoiceFilter(label=_("职位"), choices=Role.choices, empty_label=_("全部职位"))
    organization = OrganizationFilter(label=_("国际组织"), queryset=None)
    discipline = ModelChoiceFilter(label=_("学科"), queryset=Discipline.objects.all(), empty_label=_("全部学科"),
                                   widget=QuickSelect)
    language = django_filters.ChoiceFilter(label=_("外语"), choices=Language.choices, empty_label=_("全部语种"))
    age_min = NumberFilter(label=_("年龄不小于"), min_value=0, max_value=120)
    age_max = NumberFilter(label=_("年龄不大于"), min_value=0, max_value=120)
    unit = ModelChoiceFilter(label=_("推荐单位"), queryset=Unit.objects.all())
    province = django_filters.CharFilter(label=_("所在地"))
    eligibility = django_filters.ChoiceFilter(label=_("推荐条件"), choices=ELIGIBILITY_CHOICES, empty_label=_("全部"))
    term_months = NumberFilter(label=_("任期在几个月内届满"), min_value=1, max_value=120)
    status = django_filters.ChoiceFilter(label=_("审核状态"), choices=STATUS_CHOICES, empty_label=_("全部状态"))
    position_status = django_filters.ChoiceFilter(label=_("任职状态"), choices=PositionStatus.choices,
                                                  empty_label=_("全部"))
    # 核对 (platform admin only): approved experts not checked since that day.
    not_verified_since = django_filters.DateFilter(label=_("未核对自"),
                                                   help_text=_("列出该日期以来未经核对的审核通过专家"))

    class Meta:
        model = Expert
        fields = []

    def __init__(self, data=None, *args, user, today=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user, self.today = user, today
        self.filters["organization"]._user = user
        if not user.is_platform_admin:
            del self.filters["unit"], self.filters["not_verified_since"]

    def filter_queryset(self, queryset):
        return selectors.filter_experts(queryset, today=self.today, **self.values())

    def counted(self):
        """The experts of `qs`, in SQL planned for counting them (see `selectors.filter_experts`)."""
        return selectors.filter_experts(self.queryset.all(), today=self.today, counting=True, **self.values())
