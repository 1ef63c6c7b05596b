"""`field__scanned__<lookup>`: a test the database makes on each row it reads, not one to drive the query by.

SQLite starts a query from an indexed condition whenever it can, then sorts every match: for a filter that a
large share of the rows pass (a language, a province, a level, an age band: 30 to 40 % of 100,000 experts),
reading the list's sort index in order and testing each row stops after one page, where looking up and sorting
40,000 matches costs the same on every page (bench/experts_list.py, SQLite, full scale, one province: 84 ms →
23 ms). A unary + on the column is SQLite's own way of saying so; other databases get the column as it is
(PostgreSQL costs both plans itself).
"""

from django.db.models import Field, Transform


@Field.register_lookup
class Scanned(Transform):
    lookup_name = "scanned"

    def as_sql(self, compiler, connection):
        return compiler.compile(self.lhs)

    def as_sqlite(self, compiler, connection):
        sql, params = compiler.compile(self.lhs)
        return f"+{sql}", params

    @property
    def output_field(self):
        return self.lhs.output_field
