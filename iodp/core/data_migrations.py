"""Helpers that data migrations call (they get historical models from `apps`, never the live ones)."""

import sys

from django.db import IntegrityError, transaction

from .text import normalize_text


def normalize_stored_values(model, field_names, *, using: str) -> list:
    """Rewrite stored values of `field_names` in their `normalize_text` form; return the pks of changed rows.

    A value whose normalized form would break a unique constraint (two units whose names now coincide) is left
    as it is and reported on stderr: the migration never fails on old data, the platform admin resolves it.
    """
    changed = []
    rows = model._base_manager.using(using).values_list("pk", *field_names).order_by("pk")
    for pk, *values in rows.iterator():
        row_changed = False
        for name, value in zip(field_names, values, strict=True):
            if not isinstance(value, str) or normalize_text(value) == value:
                continue
            try:
                with transaction.atomic(using=using):
                    # values_list reads the raw value; update() stores it through get_prep_value, normalized.
                    model._base_manager.using(using).filter(pk=pk).update(**{name: normalize_text(value)})
            except IntegrityError:
                sys.stderr.write(f"  warning: {model._meta.label} {pk}: {name} {value!r} left as it is: its "
                                 f"normalized form {normalize_text(value)!r} is already taken.\n")
                continue
            row_changed = True
        if row_changed:
            changed.append(pk)
    return changed


def fill_derived(model, field: str, sources: tuple[str, ...], compute, *, using: str, batch: int = 2000) -> None:
    """Store `compute(*sources)` in `field` for every row of `model` (a derived search column), `batch` rows at a
    time."""
    rows = model._base_manager.using(using).order_by("pk").only("pk", *sources)
    pending = []
    for row in rows.iterator(chunk_size=batch):
        setattr(row, field, compute(*(getattr(row, name) for name in sources)))
        pending.append(row)
        if len(pending) == batch:
            model._base_manager.using(using).bulk_update(pending, [field])
            pending = []
    model._base_manager.using(using).bulk_update(pending, [field])
