from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "iodp.insights"
    verbose_name = _("统计分析")

    def ready(self):
        from django.db.models.signals import post_save

        from iodp.core.models import ChangeLog

        from . import dashboard  # noqa: F401  (register the 填报 home panel)
        from .tasks import warm_after_change

        post_save.connect(warm_after_change, sender=ChangeLog, dispatch_uid="insights_warm_after_change")
