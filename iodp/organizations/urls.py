from django.urls import path
from django.utils.translation import gettext_lazy as _

from iodp.core.views import placeholder

app_name = "organizations"
urlpatterns = [
    path(
        "",
        placeholder(
            _("国际组织"),
            _(
                "全国共享的国际科技组织名录：名称、学科、性质、总部、会费、奖项、港澳台加入情况，以及本单位和专家的会员关系。"
            ),
        ),
        name="list",
    ),
    path(
        "new/",
        placeholder(
            _("新增国际组织"), _("先检索全国名录中是否已有该组织；没有时填写基本信息，提交审核后可继续编辑组织名录。")
        ),
        name="create",
    ),
    path(
        "plans/new/",
        placeholder(_("新增计划加入国际组织"), _("记录本单位计划加入的国际组织：目标时间、加入形式和理由。")),
        name="plan_create",
    ),
]
