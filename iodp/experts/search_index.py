"""SQLite's index for the experts search: an FTS5 trigram table over the name, English name, employer and the
character pairs (`core.fts`). PostgreSQL has trigram indexes on the same columns (migrations 0004, 0005)."""

from iodp.core.fts import TrigramIndex

#: no per-row sizes (nothing ranks experts by bm25): an imported expert costs its index 0.03 ms, not 0.08
#: (10,000 experts inserted and committed, SQLite: 0.68 s without the index, 1.52 s with sizes, 0.95 s without).
INDEX = TrigramIndex("experts_expert", "experts_expert_search_fts", ("name_zh", "name_en", "employer", "search_pairs"),
                     sizes=False)
#: the columns a search of three characters or more looks in (as `icontains` does on PostgreSQL).
NAME_COLUMNS = ("name_zh", "name_en", "employer")
PAIRS_COLUMNS = ("search_pairs",)


def ensure_sqlite_search_index(connection) -> bool:
    return INDEX.ensure(connection)


def drop_sqlite_search_index(connection) -> None:
    INDEX.drop(connection)
