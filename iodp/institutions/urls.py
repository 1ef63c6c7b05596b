from django.urls import path
from django.utils.translation import gettext_lazy as _

from iodp.core.views import placeholder

app_name = "institutions"
urlpatterns = [
    path(
        "",
        placeholder(
            _("机构管理"),
            _(
                "本单位的机构信息：中英文名称、单位类型、所在地、联系人、官方网址、数据库管理员，以及已填报的国际组织和专家数量。"
            ),
        ),
        name="home",
    ),
]
