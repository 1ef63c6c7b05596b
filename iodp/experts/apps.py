from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "iodp.experts"
    verbose_name = _("专家信息")

    def ready(self):
        from . import dashboard, demo  # noqa: F401  (register home counts, unit figures and demo data)
        from .search_index import INDEX

        INDEX.restore_after_migrate(self)  # a table rebuild on SQLite drops the index's triggers
