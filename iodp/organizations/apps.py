from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "iodp.organizations"
    verbose_name = _("国际组织")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import dashboard, demo  # noqa: F401  (register home figures, unit figures and demo data)

        post_migrate.connect(_restore_search_index, sender=self)


def _restore_search_index(sender, using, **kwargs):
    """After every migrate: SQLite's search index and its triggers are back (a table rebuild drops triggers)."""
    from django.db import connections

    from .search_index import ensure_sqlite_search_index

    ensure_sqlite_search_index(connections[using])
