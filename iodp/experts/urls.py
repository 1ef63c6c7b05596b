from django.urls import path
from django.utils.translation import gettext_lazy as _

from iodp.core.views import placeholder

app_name = "experts"
urlpatterns = [
    path(
        "",
        placeholder(
            _("专家信息"), _("本单位推荐的已任职专家和后备专家：教育与工作经历、外语能力、国际组织任职情况及任期。")
        ),
        name="list",
    ),
    path(
        "new/",
        placeholder(_("新增专家"), _("录入在国际组织中任职的专家，任职信息需关联全国名录中的国际组织。")),
        name="create",
    ),
    path(
        "reserve/new/",
        placeholder(
            _("新增后备专家"), _("录入后备专家及其目标层级（决策层、中层、秘书处），系统将提示是否符合推荐条件。")
        ),
        name="reserve_create",
    ),
]
