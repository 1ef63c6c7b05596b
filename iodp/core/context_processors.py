from django.conf import settings
from django.urls import Resolver404, resolve

# Top-bar modules: (url name, label, the URL namespaces that light it up).
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .sessions import session_expires_at

MODULES = [
    ("institutions:home", _("机构管理"), {"institutions", "accounts_admin"}),
    ("organizations:list", pgettext_lazy("module", "国际组织"), {"organizations"}),
    ("experts:list", pgettext_lazy("module", "专家信息"), {"experts"}),
    ("insights:home", _("统计分析"), {"insights"}),
]


# Text the page scripts show, translated on the server (read by static JS from the #iodp-i18n JSON block).
JS_STRINGS = {
    "draft": _("草稿"),
    "submitted": _("待审核"),
    "returned": _("已退回"),
    "orgNotFound": _("名录中未找到“{query}”，请先新增国际组织。"),
    "remove": _("移除"),
    "pickerPlaceholder": _("输入文字筛选，回车选中"),
    "pickerNoResults": _("没有匹配的选项"),
    "sessionExpiring": _("您的登录将在 {minutes} 分钟后过期，本页尚未保存的内容届时无法提交。"),
    "sessionExpired": _("您的登录已过期。请在新标签页中重新登录，再回到本页提交，已填写的内容会保留。"),
    "keepAlive": _("保持登录"),
    "sessionKept": _("已延长登录时间，可以继续填写。"),
}


def shell(request):
    """What the page shell needs on every page: site name and which module is active."""
    namespace = ""
    try:
        namespace = resolve(request.path_info).namespace
    except Resolver404:
        pass
    user = getattr(request, "user", None)
    return {
        "session_expires_at": session_expires_at(request.session)
        if user is not None and user.is_authenticated and hasattr(request, "session") else None,
        "platform_name": settings.IODP_SITE_NAME,
        "shell_modules": [
            {"url_name": url_name, "label": label, "active": namespace in spaces}
            for url_name, label, spaces in MODULES
        ],
        "active_namespace": namespace,
        "js_strings": JS_STRINGS,
    }
