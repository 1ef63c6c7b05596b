"""`insert_rows`: what `QuerySet.bulk_create` does for new rows, for the imports' tens of thousands of them.

Django's insert compiler spends most of a wide row's cost on per-value bookkeeping (expression checks, one SQL
fragment per value) and, on SQLite, splits the rows into statements of at most 999 parameters (16 experts a
statement). Here the statement is written once per model and the values are the fields' own database values
(`pre_save` then `get_db_prep_save`, as Django computes them); rows whose primary key is not needed back go in
one `executemany`, the others in multi-row INSERT ... RETURNING statements (the primary keys are set on the
instances, as `bulk_create` sets them). Same rules as bulk_create: no `save()`, no signals.
"""

# ruff: noqa: S608  (table and column names are the model's own, quoted; every value is a query parameter)

from django.db import connections, models, router

__all__ = ["insert_rows"]

_Field = models.Field


def _as_stored(field) -> tuple:
    """The value types that `field` hands to the database as they are: str (and None) for a plain CharField or
    TextField, bool (and None) for a BooleanField, when the field class overrides none of the steps from the
    attribute to the database value (pre_save, get_db_prep_save, get_db_prep_value, get_prep_value, to_python).
    For those, `get_db_prep_save(pre_save(obj))` is the attribute itself; any other field or value takes the
    field's own path."""
    cls = type(field)
    if (cls.pre_save is not _Field.pre_save or cls.get_db_prep_save is not _Field.get_db_prep_save
            or cls.get_db_prep_value is not _Field.get_db_prep_value):
        return ()
    for base, types in ((models.CharField, (str, type(None))), (models.TextField, (str, type(None))),
                        (models.BooleanField, (bool, type(None)))):
        if cls.get_prep_value is base.get_prep_value and cls.to_python is base.to_python:
            return types
    return ()


def insert_rows(model, objs: list, *, returning: bool = False, batch_size: int = 1000) -> list:
    """INSERT the new, unsaved `objs` of `model` (auto primary key, not set) and mark them saved; with
    `returning`, their primary keys are read back and set. Falls back to `bulk_create` where the database
    can't return the keys of a multi-row insert."""
    if not objs:
        return objs
    db = router.db_for_write(model)
    connection = connections[db]
    opts = model._meta
    if returning and not connection.features.can_return_rows_from_bulk_insert:
        return model._base_manager.using(db).bulk_create(objs, batch_size=batch_size)
    pk = opts.pk
    fields = [f for f in opts.concrete_fields if f is not pk]
    for obj in objs:
        if obj.pk is not None:
            raise ValueError("insert_rows takes new rows (without a primary key)")
        obj._prepare_related_fields_for_save(operation_name="insert_rows")
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    table = qn(opts.db_table)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"

    plan = [(f, f.attname, _as_stored(f)) for f in fields]

    def values(obj):
        row = []
        for field, attname, as_stored in plan:
            value = getattr(obj, attname)
            if type(value) not in as_stored:
                value = field.get_db_prep_save(field.pre_save(obj, True), connection)
            row.append(value)
        return row

    with connection.cursor() as cursor:
        if not returning:
            sql = f"INSERT INTO {table} ({columns}) VALUES {placeholder}"
            for start in range(0, len(objs), batch_size):
                cursor.executemany(sql, [values(obj) for obj in objs[start:start + batch_size]])
        else:
            limit = connection.features.max_query_params or 65535  # (PostgreSQL's protocol limit)
            per_statement = max(1, min(batch_size, limit // len(fields)))
            returned = qn(pk.column)
            for start in range(0, len(objs), per_statement):
                chunk = objs[start:start + per_statement]
                params = [value for obj in chunk for value in values(obj)]
                cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholder] * len(chunk))} "
                               f"RETURNING {returned}", params)
                keys = [row[0] for row in cursor.fetchall()]
                if len(keys) != len(chunk):
                    raise RuntimeError("the database returned fewer keys than rows inserted")
                for obj, key in zip(chunk, keys, strict=True):
                    setattr(obj, pk.attname, pk.to_python(key))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = db
    return objs
