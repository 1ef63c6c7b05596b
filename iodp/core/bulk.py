"""`insert_rows`: what `QuerySet.bulk_create` does for new rows, for the imports' tens of thousands of them.

Django's insert compiler spends most of a wide row's cost on per-value bookkeeping (expression checks, one SQL
fragment per value) and, on SQLite, splits the rows into statements of at most 999 parameters (16 experts a
statement). Here the statement is written once per model and the values are the fields' own database values
(`pre_save` then `get_db_prep_save`, as Django computes them); rows whose primary key is not needed back go in
one `executemany`, the others in multi-row INSERT ... RETURNING statements (the primary keys are set on the
instances, as `bulk_create` sets them). Same rules as bulk_create: no `save()`, no signals.
"""

# ruff: noqa: S608  (table and column names are the model's own, quoted; every value is a query parameter)

import contextlib
import datetime
import decimal
import functools
import gc
import itertools

from django.conf import settings
from django.core import validators as django_validators
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connections, models, router
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.base import ModelState
from django.db.models.expressions import DatabaseDefault
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init
from django.utils import timezone

from .fields import NormalizedCharField
from .text import normalize_text

__all__ = ["RowCleaner", "batch_cleaner", "collector_paused", "full_clean_checks", "insert_rows", "instance_builder",
           "memoized", "memo_key", "old_objects_frozen"]

_Field = models.Field


def _same(cls, base, *names) -> bool:
    """Whether field class `cls` inherits the methods `names` from `base` unchanged."""
    return all(getattr(cls, name) is getattr(base, name) for name in names)


_STEPS = ("pre_save", "get_db_prep_save", "get_db_prep_value", "get_prep_value", "to_python")


def _integer_step(field, connection):
    """How an int reaches the database through integer field `field` (its own class's path, or an AutoField's):
    None when the class overrides a step (the caller then takes the field's own path)."""
    cls, ops = type(field), type(connection.ops)
    if isinstance(field, models.AutoField | models.BigAutoField | models.SmallAutoField):
        if not _same(cls, models.AutoField, *_STEPS) and not _same(cls, models.BigAutoField, *_STEPS):
            return None
        if ops.validate_autopk_value is BaseDatabaseOperations.validate_autopk_value:
            return _AS_IS  # (the base class's returns the value)
        return connection.ops.validate_autopk_value
    if isinstance(field, models.IntegerField) and _same(cls, models.IntegerField, *_STEPS):
        if ops.adapt_integerfield_value is BaseDatabaseOperations.adapt_integerfield_value:
            return _AS_IS  # (SQLite's: the value; PostgreSQL's wraps it in psycopg's type of the column)
        internal_type = field.get_internal_type()
        return lambda value: connection.ops.adapt_integerfield_value(value, internal_type)
    return None


#: an `_integer_step` that gives the value unchanged (`_fast_path` then stores it as it is)
_AS_IS = object()


def _fast_path(field, connection) -> dict:
    """{value type: the function from such a value to its database value (None: the value itself)} for the
    values `field` stores without its own per-value path, where that path is known to come to the same:
    str for a plain CharField or TextField (normalized for a `NormalizedCharField`), bool for a BooleanField,
    int for an integer field and for a foreign key to an integer key, a date for a DateField, an aware
    datetime for a DateTimeField (for one with auto_now or auto_now_add: the value its `pre_save` sets, see
    `_stamped`); None for each of them. A field class that overrides a step from the attribute to the database
    value (pre_save, get_db_prep_save, get_db_prep_value, get_prep_value, to_python), and any other field or
    value type, takes the field's own path (`get_db_prep_save(pre_save(obj))`)."""
    cls = type(field)
    plain = {str: None, type(None): None}
    if _same(cls, models.CharField, *_STEPS) or _same(cls, models.TextField, *_STEPS):
        return plain
    if _same(cls, NormalizedCharField, *_STEPS):
        # its `get_prep_value` of a str: `normalize_text` (twice: CharField's `to_python` is its own), which
        # gives a normalized text back as it is (the value an instance holds: its attribute normalizes)
        return {str: normalize_text, type(None): None}
    if _same(cls, models.BooleanField, *_STEPS):
        return {bool: None, type(None): None}
    if isinstance(field, models.ForeignKey) and _same(cls, models.ForeignKey, *_STEPS):
        step = _integer_step(field.target_field, connection)
        return {} if step is None else {int: None if step is _AS_IS else step, type(None): None}
    step = _integer_step(field, connection)
    if step is not None:
        return {int: None if step is _AS_IS else step, type(None): None}
    if _same(cls, models.DateTimeField, *_STEPS):
        adapt = connection.ops.adapt_datetimefield_value
        last = [None, None]  # a batch's rows share their timestamps: the last one adapted, and what it gave

        def aware(value):  # a naive one takes the field's path (its warning, made aware)
            if value is last[0]:
                return last[1]
            if settings.USE_TZ and value.utcoffset() is None:
                return field.get_db_prep_save(value, connection)
            last[:] = value, adapt(value)
            return last[1]

        return {datetime.datetime: aware, type(None): None}
    if _same(cls, models.DateField, *_STEPS):
        return {datetime.date: connection.ops.adapt_datefield_value, type(None): None}
    return {}


@functools.lru_cache(maxsize=256)
def _related_caches(model) -> dict:
    """{cache name: field} of the foreign keys of `model` (and one-to-one fields) whose object an instance may
    hold, and None for a generic foreign key's (private field's)."""
    relations = {f.cache_name: f for f in model._meta.concrete_fields if f.is_relation}
    relations.update({f.cache_name: None for f in model._meta.private_fields if f.is_relation})
    return relations


def _related_check_needed(obj, relations: dict) -> bool:
    """Whether `Model._prepare_related_fields_for_save` has anything to do for `obj`: it holds the object of one
    of its foreign keys that is unsaved, or whose key is not the one `obj` has (or a generic foreign key's).
    Without any object held (a new row of an import), nothing to check."""
    cache = obj._state.__dict__.get("fields_cache")
    if not cache:
        return False
    for name, related in cache.items():
        if name not in relations:
            continue  # a reverse relation's object: not checked on save
        field = relations[name]
        if field is None:
            return True
        if related is None:
            continue
        if related.pk is None or getattr(obj, field.attname) != getattr(related, field.target_field.attname):
            return True
    return False


def _stamped(field) -> bool:
    """Whether `field` sets its own value on insert (auto_now, auto_now_add): what is stored is what its
    `pre_save` returns, not the attribute as it was."""
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def _plain_attribute(model, attname: str) -> bool:
    """Whether reading `attname` on an instance is reading its `__dict__` once the value is loaded (Django's
    `DeferredAttribute.__get__`, not a descriptor of the model's own)."""
    return getattr(type(getattr(model, attname, None)), "__get__", None) is DeferredAttribute.__get__


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
    relations = _related_caches(model)
    for obj in objs:
        if obj.pk is not None:
            raise ValueError("insert_rows takes new rows (without a primary key)")
        if _related_check_needed(obj, relations):
            obj._prepare_related_fields_for_save(operation_name="insert_rows")
    fields = [f for f in opts.concrete_fields if f is not pk]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    table = qn(opts.db_table)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"

    plan = [(f, f.attname, _fast_path(f, connection), _plain_attribute(model, f.attname), _stamped(f))
            for f in fields]
    # The rows of one call are stamped with one time (auto_now / auto_now_add of Django's own DateTimeField),
    # set on each instance as its `pre_save` sets it: adapted for the database once, not once per row.
    now = timezone.now()
    stamps = {f.attname for f, _attname, _fast, plain, stamped in plan
              if stamped and plain and type(f) is models.DateTimeField}

    def values(obj):
        row, data = [], obj.__dict__
        for field, attname, fast, plain, stamped in plan:
            if stamped:
                if attname in stamps:
                    value = data[attname] = now
                else:
                    value = field.pre_save(obj, True)
            else:
                value = data[attname] if plain and attname in data else getattr(obj, attname)
            kind = type(value)
            if kind not in fast:
                value = field.get_db_prep_save(value if stamped else field.pre_save(obj, True), connection)
            elif (convert := fast[kind]) is not None:
                value = convert(value)
            row.append(value)
        return row

    with connection.cursor() as cursor:
        if not returning:
            sql = f"INSERT INTO {table} ({columns}) VALUES {placeholder}"
            for start in range(0, len(objs), batch_size):
                cursor.executemany(sql, list(map(values, objs[start:start + batch_size])))
        else:
            limit = connection.features.max_query_params or 65535  # (PostgreSQL's protocol limit)
            per_statement = max(1, min(batch_size, limit // len(fields)))
            returned = qn(pk.column)
            for start in range(0, len(objs), per_statement):
                chunk = objs[start:start + per_statement]
                params = list(itertools.chain.from_iterable(map(values, chunk)))
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


@functools.lru_cache(maxsize=256)
def instance_builder(model):
    """A function of {attname: value} giving an unsaved instance of `model` with those values and every other
    field at its default: what `model(**values)` gives, for the tens of thousands of rows of an import.

    `Model.__init__` sets every field through `setattr` (a descriptor lookup each); here a field whose attribute
    is Django's plain one (`DeferredAttribute`, or a foreign key's id, whose descriptor only forgets a cached
    object a new instance does not have) is written to the instance's `__dict__`, and any other (a field class
    with its own descriptor, such as `NormalizedCharField`'s) is set through it, as `__init__` does. A default
    that is a function is called per instance. Where `pre_init` or `post_init` have receivers for `model` when
    the builder is made, instances are made by `model(...)` itself."""
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return lambda values: model(**values)
    plan = []
    for field in model._meta.concrete_fields:
        descriptor = next((klass.__dict__[field.attname] for klass in model.__mro__ if field.attname in klass.__dict__),
                          None)
        plain = descriptor is None or type(descriptor) in (DeferredAttribute, ForeignKeyDeferredAttribute)
        if field.has_default() and callable(field.default):
            default, factory = None, field.get_default
        else:
            default, factory = field.get_default(), None
        plan.append((field.attname, default, factory, plain))
    new, own = object.__new__, [(attname, default, factory) for attname, default, factory, plain in plan if not plain]
    plain_fields = [(attname, default, factory) for attname, default, factory, plain in plan if plain]

    def build(values: dict):
        instance = new(model)
        instance._state = ModelState()
        data = instance.__dict__
        for attname, default, factory in plain_fields:
            data[attname] = values[attname] if attname in values else default if factory is None else factory()
        for attname, default, factory in own:
            setattr(instance, attname, values[attname] if attname in values else default if factory is None
                    else factory())
        return instance

    return build


@contextlib.contextmanager
def old_objects_frozen():
    """Within the block, the garbage collector's full collections leave out the objects that existed before it
    (`gc.freeze`), and look at them again after it (`gc.unfreeze`). The block gets `settle`: called between two
    steps of its work (an import's chunks), it collects the young garbage and freezes what is still alive too.

    An import holds its whole workbook (a hundred thousand rows of cells) while it creates and drops tens of
    thousands of records; each full collection would walk every cell again, about a tenth of the import's
    time. What the chunks leave alive grows the same way, and every later full collection walked it again:
    settled after each chunk, the commit of a workbook of 10,000 experts took 0.16 to 0.19 s per chunk from the
    first to the last (0.17 to 0.31 s before). Objects made since the last `settle` are collected as always, and
    so is what the block leaves unreachable of the frozen ones, once it ends. Where objects are already frozen
    (an enclosing block, or a server that froze its start-up objects before forking), nothing is changed and
    `settle` does nothing."""
    if gc.get_freeze_count():
        yield _unsettled
        return
    gc.freeze()
    try:
        yield _settle
    finally:
        gc.unfreeze()


@contextlib.contextmanager
def collector_paused():
    """No automatic garbage collection within the block: for making a great many containers that form no
    reference cycles and stay alive (a workbook's hundred thousand rows, read or unpickled), which the
    collector would otherwise walk again at every threshold the allocations cross, for nothing to collect
    (about a quarter of reading a workbook of 10,000 experts). Collection resumes, as it was, after the block."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _settle() -> None:
    gc.collect(1)
    gc.freeze()


def _unsettled() -> None:
    pass


@functools.lru_cache(maxsize=256)
def full_clean_checks(model, exclude: frozenset = frozenset()) -> dict:
    """The `full_clean` keywords that leave out only checks with nothing to check on `model` (worked out once per
    model, where `full_clean` works them out for every row): `validate_unique` where its only unique rule is
    the primary key (which it checks neither for a new row nor for a stored one) and it has no unique-for-date
    rule; `validate_constraints` where it has no constraints. `exclude`: the fields the caller excludes."""
    unique_checks, date_checks = model()._get_unique_checks(exclude=set(exclude))
    unique = bool(date_checks) or any(fields != (model._meta.pk.name,) for _model, fields in unique_checks)
    constrained = any(constraints for _model, constraints in model().get_constraints())
    return {"validate_unique": unique, "validate_constraints": constrained}


#: the values a memo keeps (`memoized`, `RowCleaner`): immutable, so one result can be handed to every row
IMMUTABLE = frozenset({str, int, float, bool, type(None), datetime.date, datetime.datetime, datetime.time,
                       decimal.Decimal})
#: the types whose equal values can differ in what they show: Decimal("3") == Decimal("3.0"), 0.0 == -0.0, and
#: aware times equal in different zones (12:00+08:00 == 04:00+00:00)
_SPELLED = frozenset({float, decimal.Decimal, datetime.datetime, datetime.time})


def memo_key(value) -> tuple:
    """What a memo keys `value` (of an IMMUTABLE type) by: its type and value, and for a type whose equal values
    can differ in what they show, how it is written too, so that a memo never hands a row the result of another
    row's different-looking value."""
    kind = type(value)
    if kind in _SPELLED:
        return kind, value, str(value)
    return kind, value


#: how many distinct values of one column a memo keeps: a column of repeated values (dates, codes, countries,
#: schools) is read once per value; one of unique values (names, ID numbers) stops being memoized when it is full
MEMO_LIMIT = 4096


def memoized(parse, limit: int = MEMO_LIMIT):
    """`parse`, a pure function of one cell, worked out once per distinct cell value (of an immutable type):
    what an import of a hundred thousand rows of repeated values does instead of parsing each. A value that
    raises is not kept (it raises again, with the same message, for each cell)."""
    memo = {}

    def parse_memoized(raw):
        if type(raw) not in IMMUTABLE:
            return parse(raw)
        key = memo_key(raw)
        try:
            return memo[key]
        except KeyError:
            pass
        value = parse(raw)
        if type(value) in IMMUTABLE and len(memo) < limit:
            memo[key] = value
        return value

    return parse_memoized


def pure_validators(validators) -> bool:
    """Whether each of `validators` is one of Django's own (`django.core.validators`): a function of the value
    alone, whose result may be kept for the next equal value."""
    return all(type(v).__module__ == django_validators.__name__ or getattr(v, "__module__", None) ==
               django_validators.__name__ for v in validators)


def _pure_model_field(field) -> bool:
    """Whether `field.clean(value, instance)` is a function of the value alone: Django's own `clean`, `validate`
    and `run_validators` (which read the field's choices, null and blank, never the instance) and Django's own
    validators; `to_python` takes only the value."""
    cls = type(field)
    return (not field.is_relation and cls.clean is models.Field.clean and cls.validate is models.Field.validate
            and cls.run_validators is models.Field.run_validators and pure_validators(field.validators))


class RowCleaner:
    """`instance.full_clean(exclude=exclude, **full_clean_checks(model, exclude))` for the many new rows of one
    model an import checks: the same steps and the same errors (Django's `Model.full_clean`: every field's
    `clean`, then the model's `clean`, then the unique and constraint checks where the model has any, for the
    fields that passed), with each field's `clean` of a value worked out once per distinct value where it is a
    function of the value alone (`_pure_model_field`; see `memoized`)."""

    def __init__(self, model, exclude=frozenset(), limit: int = MEMO_LIMIT):
        self.exclude = frozenset(exclude)
        self.checks = full_clean_checks(model, self.exclude)
        self.limit = limit
        self.fields = [(f, {} if _pure_model_field(f) else None) for f in model._meta.fields
                       if f.name not in self.exclude and not f.generated]
        #: what `_clean_fields` reads of each field, worked out once (it runs for every field of every row)
        self._plan = [(f, f.attname, f.blank, memo, _plain_attribute(model, f.attname)) for f, memo in self.fields]
        #: a model with its own full_clean or clean_fields: those, as they are
        self.own = model.full_clean is not models.Model.full_clean or model.clean_fields is not models.Model.clean_fields

    def _clean_fields(self, instance) -> dict:
        errors, data = {}, instance.__dict__
        for field, attname, blank, memo, plain in self._plan:
            raw = data[attname] if plain and attname in data else getattr(instance, attname)
            kind = type(raw)
            # (a text that is not empty is none of the field's empty values: the common case, told at once)
            if blank and not (kind is str and raw) and raw in field.empty_values:
                continue
            immutable = kind in IMMUTABLE
            if not immutable and isinstance(raw, DatabaseDefault):
                continue
            key = memo_key(raw) if memo is not None and immutable else None
            if key is not None and key in memo:
                value = memo[key]
            else:
                try:
                    value = field.clean(raw, instance)
                except ValidationError as error:
                    errors[field.name] = error.error_list
                    continue
                if key is not None and type(value) in IMMUTABLE and len(memo) < self.limit:
                    memo[key] = value
            if value is not raw:  # (most values come back as they were: nothing to set again)
                setattr(instance, attname, value)
        return errors

    def values_key(self, instance) -> tuple:
        """What `_clean_fields` reads of `instance`: each field's value, and each value's type."""
        data = instance.__dict__
        values = tuple(data[attname] if plain and attname in data else getattr(instance, attname)
                       for _field, attname, _blank, _memo, plain in self._plan)
        return values, tuple(map(type, values))

    def fields_pass(self, instance) -> tuple | None:
        """`values_key(instance)` where each field's `clean` passes its value as it is (nothing to report, nothing
        changed), else None: what a process that works ahead of the one that checks the row (an import's) puts
        in `instance.worked_ahead["fields"]` of the row it makes of the same cells. `full_clean` then takes it
        where the row's values are still those (the same values, of the same types), rather than clean each
        field again."""
        before = self.values_key(instance)
        if self._clean_fields(instance) or self.values_key(instance) != before:
            return None
        return before

    def full_clean(self, instance) -> None:
        if self.own:
            instance.full_clean(exclude=self.exclude, **self.checks)
            return
        errors = {}
        ahead = (getattr(instance, "worked_ahead", None) or {}).get("fields")
        found = {} if ahead is not None and ahead == self.values_key(instance) else self._clean_fields(instance)
        if found:
            errors = ValidationError(found).update_error_dict(errors)
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        exclude = set(self.exclude)
        for check, method in (("validate_unique", instance.validate_unique),
                              ("validate_constraints", instance.validate_constraints)):
            if not self.checks[check]:
                continue
            exclude.update(name for name in errors if name != NON_FIELD_ERRORS)
            try:
                method(exclude=exclude)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


@functools.lru_cache(maxsize=64)
def batch_cleaner(model, exclude: frozenset = frozenset()) -> RowCleaner:
    """The `RowCleaner` of `model` without the fields `exclude`, one per process: what the batch writer checks
    each record with, its memo of each field's distinct values kept from one batch (a chunk of an import) to
    the next."""
    return RowCleaner(model, exclude)
