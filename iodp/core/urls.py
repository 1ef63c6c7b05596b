from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "drafts/",
        views.placeholder(
            _("草稿箱"),
            _("这里将列出本单位所有已保存未提交的记录和被退回的记录（机构、国际组织、专家），按时间倒序，可继续编辑。"),
        ),
        name="drafts",
    ),
]
