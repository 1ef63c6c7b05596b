from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "iodp.institutions"
    verbose_name = _("机构管理")

    def ready(self):
        from . import dashboard, demo  # noqa: F401  (register home figures and demo data)
