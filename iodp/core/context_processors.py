from django.conf import settings
from django.urls import Resolver404, resolve

# Top-bar modules: (url name, label, the URL namespaces that light it up).
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MODULES = [
    ("institutions:home", _("机构管理"), {"institutions", "accounts_admin"}),
    ("organizations:list", pgettext_lazy("module", "国际组织"), {"organizations"}),
    ("experts:list", pgettext_lazy("module", "专家信息"), {"experts"}),
    ("insights:home", _("统计分析"), {"insights"}),
]


def shell(request):
    """What the page shell needs on every page: site name and which module is active."""
    namespace = ""
    try:
        namespace = resolve(request.path_info).namespace
    except Resolver404:
        pass
    return {
        "platform_name": settings.IODP_SITE_NAME,
        "shell_modules": [
            {"url_name": url_name, "label": label, "active": namespace in spaces}
            for url_name, label, spaces in MODULES
        ],
        "active_namespace": namespace,
    }
