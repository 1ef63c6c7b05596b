from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "iodp.notices"
    verbose_name = _("通知公告")

    def ready(self):
        from . import dashboard  # noqa: F401  (register the 通知公告 home panel)
