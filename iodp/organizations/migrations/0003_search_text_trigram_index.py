"""On PostgreSQL, a trigram index makes the registry search's LIKE '%...%' fast at national scale.

pg_trgm needs CREATE EXTENSION rights; without them the index is skipped and search still works (slower).
Other databases (SQLite in tests) need nothing.
"""

from django.db import migrations

from iodp.core.db import trigram_index


class Migration(migrations.Migration):
    dependencies = [("organizations", "0002_registry_directory_memberships_proposals")]
    operations = [trigram_index("organizations_organization", "organizations_org_search_trgm", "search_text")]
