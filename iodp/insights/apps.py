from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "iodp.insights"
    verbose_name = _("统计分析")

    def ready(self):
        from . import dashboard  # noqa: F401  (register the 填报 home panel)
