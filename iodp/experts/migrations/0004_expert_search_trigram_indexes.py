"""On PostgreSQL, trigram indexes make the experts search's `icontains` (UPPER(col) LIKE UPPER('%...%')) on the
name, the English name and the employer an index lookup at national scale; the pinyin and initials prefix
searches already use their `varchar_pattern_ops` indexes.

pg_trgm needs CREATE EXTENSION rights; without them the indexes are skipped and search still works (slower), as
for the organizations registry (organizations 0003). Other databases (SQLite) need nothing.
"""

from django.db import migrations

from iodp.core.db import trigram_index

INDEXES = {
    "experts_expert_name_zh_trgm": "name_zh",
    "experts_expert_name_en_trgm": "name_en",
    "experts_expert_employer_trgm": "employer",
}


class Migration(migrations.Migration):
    dependencies = [("experts", "0003_expert_last_verified")]
    operations = [trigram_index("experts_expert", name, f'UPPER("{column}"::text)') for name, column in INDEXES.items()]
