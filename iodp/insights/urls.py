from django.urls import path
from django.utils.translation import gettext_lazy as _

from iodp.core.views import placeholder

app_name = "insights"
urlpatterns = [
    path(
        "",
        placeholder(_("统计分析"), _("各单位填报进度、国际组织与专家分布、任期届满提醒和候选人推荐名单。")),
        name="home",
    ),
]
