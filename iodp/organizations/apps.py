from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "iodp.organizations"
    verbose_name = _("国际组织")

    def ready(self):
        from . import dashboard, demo  # noqa: F401  (register home figures, unit figures and demo data)
        from .search_index import INDEX

        INDEX.restore_after_migrate(self)  # a table rebuild on SQLite drops the index's triggers
