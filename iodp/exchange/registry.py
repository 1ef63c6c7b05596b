"""Which lists export, and what their workbook holds. Each module registers its lists in its own `exports.py`
(discovered when the app loads), reading the rows through the same FilterSet and selector as the list page, so
a download holds exactly what the filtered list shows."""

import types
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Prefetch

from iodp.core.phones import format_phone, is_phone_field

from .xlsx import Column, Sheet


@dataclass(frozen=True)
class ListExport:
    url_name: str
    title: str
    sheets: Callable  # (request, *, reveal_ids: bool) -> list[Sheet]
    #: whether the platform admin may ask for unmasked ID numbers in it
    has_id_numbers: bool = False


_EXPORTS: dict[str, ListExport] = {}


def register_export(url_name: str, *, title, has_id_numbers: bool = False):
    """Function decorator: `url_name`'s list exports the sheets the function returns for a request."""
    def decorate(function):
        _EXPORTS[url_name] = ListExport(url_name, title, function, has_id_numbers)
        return function
    return decorate


def export_for(url_name: str) -> ListExport | None:
    return _EXPORTS.get(url_name)


#: downloads that are not a list's export (a registration form, a pre-filled template): their log's title
_DOWNLOAD_TITLES: dict[str, object] = {}


def register_download(name: str, *, title) -> None:
    """`name` (the ExportLog.list_name of a download that is not a list) is shown in 我的导出 as `title`."""
    _DOWNLOAD_TITLES[name] = title


def download_title(name: str):
    return _DOWNLOAD_TITLES.get(name)


def registered_exports() -> dict[str, ListExport]:
    return dict(_EXPORTS)


class RefusedImport(Exception):
    """The workbook is not the template of its kind (a sheet or a column is missing): nothing was read."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Importer:
    """A kind of import: how a workbook's sheets are imported, and the blank template to fill in."""

    kind: str
    title: str
    run: Callable  # (sheets, *, user, unit, submit: bool, dry_run: bool) -> result with .ok and .as_dict()
    template: Callable  # () -> list[Sheet]
    url_name: str  # the list the imported records appear in
    check: Callable  # (sheets) -> None, raises RefusedImport: is it this kind's template at all (cheap, on upload)
    #: the job's progress, with %(done)s and %(total)s: "已处理 3 / 10 位专家"
    progress: str = ""
    #: the blank single-record form of this kind (a registration form), if it has one: () -> FormSheet
    form: Callable | None = None


_IMPORTERS: dict[str, Importer] = {}


def register_import(kind: str, *, title, template, url_name: str, check, progress="", form=None):
    """Function decorator (in a module's `imports.py`): `kind`'s files are imported by the function."""
    def decorate(function):
        _IMPORTERS[kind] = Importer(kind, title, function, template, url_name, check, progress, form)
        return function
    return decorate


def importer_for(kind: str) -> Importer | None:
    return _IMPORTERS.get(kind)


def registered_imports() -> dict[str, Importer]:
    return dict(_IMPORTERS)


#: where `prefetched_lists` puts a row's many-to-many list
LISTED_PREFIX = "_listed_"


def prefetched_lists(*names: str) -> list[Prefetch]:
    """The prefetch_related lookups of an export's many-to-many columns `names`: each row's list kept as a plain
    list (`LISTED_PREFIX` + name), which `field_column` reads. Django's own prefetch cache makes a related manager
    and a queryset for every row and list: under cProfile, 2.9 s of an export of 20,000 experts (16.2 s) with
    three such lists."""
    return [Prefetch(name, to_attr=LISTED_PREFIX + name) for name in names]


def field_column(model, path: str, *, header=None, width: int = 16) -> Column:
    """A column for a model field (`path` may follow relations: "organization__name_zh"): its verbose name as the
    header, coded values as their labels, a related row as its name, several (many-to-many) joined by "；"."""
    *relations, name = path.split("__")
    current = model
    for relation in relations:
        current = current._meta.get_field(relation).related_model
    field = current._meta.get_field(name)

    def follow(row):
        for relation in relations:
            row = getattr(row, relation, None)
            if row is None:
                return None
        return row

    if field.many_to_many:
        def value(row):
            target = follow(row)
            if target is None:
                return None
            # Read what `prefetched_lists` fetched for the chunk: a manager and a queryset per cell cost more
            # than the rest of the row.
            items = getattr(target, LISTED_PREFIX + name, None)
            return "；".join(str(item) for item in (items if items is not None else getattr(target, name).all()))
    elif field.choices and not _custom_display(current, name):  # coded: the labels looked up once, not per cell
        labels = {value: str(label) for value, label in field.flatchoices}

        def value(row):
            target = follow(row)
            if target is None:
                return None
            code = getattr(target, name)
            try:
                return labels.get(code, code)
            except TypeError:  # an unhashable value: Django's own display
                return getattr(target, f"get_{name}_display")()
    elif field.choices or hasattr(current, f"get_{name}_display"):  # a list of codes (JSON), its own display
        def value(row):
            target = follow(row)
            return getattr(target, f"get_{name}_display")() if target is not None else None
    elif isinstance(field, models.ForeignKey):
        def value(row):
            target = follow(row)
            related = getattr(target, name) if target is not None else None
            return str(related) if related is not None else None
    elif is_phone_field(field):
        def value(row):
            target = follow(row)
            return format_phone(getattr(target, name)) if target is not None else None
    else:
        def value(row):
            target = follow(row)
            return getattr(target, name) if target is not None else None
    choices = tuple(str(label) for _value, label in field.choices) if field.choices else ()
    return Column(str(header or field.verbose_name), value, width, choices)


def _custom_display(model, name: str) -> bool:
    """Whether `model` writes its own get_<name>_display (Django's generated one is a partialmethod)."""
    attribute = f"get_{name}_display"
    return any(isinstance(klass.__dict__.get(attribute), types.FunctionType) for klass in model.__mro__)


def field_columns(model, paths, **widths) -> list[Column]:
    return [field_column(model, path, width=widths.get(path, 16)) for path in paths]


__all__ = ["Column", "Importer", "RefusedImport", "ListExport", "Sheet", "download_title", "export_for", "field_column", "field_columns",
           "importer_for", "prefetched_lists", "register_download", "register_export", "register_import",
           "registered_exports", "registered_imports"]
