"""What every importer shares: the rows of a sheet, cells parsed as the web form's own fields parse them, the
problems found (each at its sheet, row and column) and the counts of the preview.

A module's `imports.py` reads its template with `read_table`, parses each cell with `parse_cell` (the edit
form's field for that column: the same types, lengths, formats and messages as the page) and hands the record to
its own services; `ImportResult` is what the batch stores and the preview shows.
"""

import datetime
import functools
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from iodp.core.bulk import memoized, pure_validators
from iodp.reference.models import Country, Discipline

from .cells import unneutralize
from .registry import RefusedImport

__all__ = ["CellLookups", "ImportResult", "Problem", "Row", "bool_value", "check_headers", "choice_value",
           "header_map", "many", "parse_cell", "read_table", "split_names", "text"]

SPLIT = str.maketrans({"；": ";", "、": ";", "，": ";", ",": ";", "\n": ";"})
TRUE = {"是", "√", "✓", "y", "yes", "true", "1", "有"}
FALSE = {"否", "×", "n", "no", "false", "0", "无", ""}


@dataclass
class Problem:
    sheet: str
    row: int  # as the spreadsheet numbers it (the header is row 1)
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    #: the ids of the records the file names (new, updated or unchanged), in file order
    records: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged, "invalid": self.invalid,
                "problems": [p.as_dict() for p in self.problems],
                "warnings": [w.as_dict() for w in self.warnings], "records": self.records}


@dataclass(slots=True)
class Row:
    sheet: str
    number: int  # spreadsheet row number
    cells: dict  # header → raw value
    #: header → the row of its cell, where cells are on several rows (a registration form's label/value pairs);
    #: None for a row of a table (every cell on its own row)
    cell_rows: dict | None = None

    def row_of(self, header) -> int:
        """The spreadsheet row of the cell under (or beside) `header`."""
        return self.number if self.cell_rows is None else self.cell_rows.get(str(header), self.number)


# --- reading cells --------------------------------------------------------------------------------------------

def text(value) -> str:
    """A cell as text: whole numbers without ".0", dates as YYYY-MM-DD, an exported cell's protective quote off."""
    kind = type(value)  # the common cells first: this runs for every cell read as text
    if kind is str:
        return unneutralize(value.strip())
    if kind is int:
        return str(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return unneutralize(str(value).strip())


def _blank(value) -> bool:
    """`text(value) == ""`, without building the text: only an empty or all-space text cell reads as ""."""
    return value is None or (isinstance(value, str) and not value.strip())


def split_names(raw) -> list[str]:
    """A cell of several values ("化学；物理", "国家会员、单位会员"): each, stripped, empty ones left out."""
    return [part.strip() for part in text(raw).translate(SPLIT).split(";") if part.strip()]


@functools.lru_cache(maxsize=512)
def _choice_codes(model_field, language: str) -> dict[str, str]:
    """{label or code: code} of a coded field, the labels in `language` (read once, not once per cell)."""
    codes = {}
    for code, label in model_field.choices:
        codes.setdefault(str(label), code)
    for code, _label in model_field.choices:
        codes.setdefault(code, code)
    return codes


def choice_value(model_field, raw, codes: dict | None = None) -> str:
    """A coded cell: its label (what the drop-down offers) or its code; "" for an empty cell. `codes`: the
    field's `_choice_codes` in the active language, when the caller holds them."""
    value = text(raw)
    if not value:
        return ""
    code = (codes if codes is not None else _choice_codes(model_field, get_language())).get(value)
    if code is not None:
        return code
    raise ValidationError(_("“%(value)s”不是可选的值，请从下拉列表中选择：%(choices)s。") % {
        "value": value, "choices": "、".join(str(label) for _code, label in model_field.choices)})


def bool_value(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    value = text(raw).casefold()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValidationError(_("请填写“是”或“否”。"))


def many(raw, table: dict, what: str) -> list[int]:
    names = split_names(raw)
    unknown = [name for name in names if name.casefold() not in table]
    if unknown:
        raise ValidationError(_("没有这个%(what)s：%(names)s。") % {"what": what, "names": "、".join(unknown)})
    return sorted({table[name.casefold()] for name in names})


class CellLookups:
    """Names → rows for the coded columns, loaded once per import (no query per cell), and one instance of each
    edit form whose fields parse the cells: its fields carry the platform's specific messages ("姓名最多 64 个
    字符") that a form instance sets up. A module adds `organization(name, acronym)` when its sheets name
    organizations."""

    def __init__(self, user, forms_: list):
        self.user = user
        self.countries = {}
        for pk, code, name_zh, name_en in Country.objects.values_list("pk", "code", "name_zh", "name_en"):
            for key in (code, name_zh, name_en):
                self.countries[key.casefold()] = pk
        self.disciplines = {}
        for pk, code, name_zh, name_en in Discipline.objects.values_list("pk", "code", "name_zh", "name_en"):
            for key in (code, name_zh, name_en):
                if key:
                    self.disciplines.setdefault(key.casefold(), pk)
        self.forms = {type(form): form for form in forms_}
        self._parsers = {}
        for form in self.forms.values():
            form.specify_messages()

    def form_field(self, form_class, name: str):
        return self.forms[form_class].fields.get(name)

    def parser(self, model, form_class, name: str):
        """The function that parses a cell of model field `name` (`parse_cell`), worked out once per column and
        import (which field, which kind of cell, the choices' labels in the file's language), not once per cell."""
        key = (model, form_class, name)
        parser = self._parsers.get(key)
        if parser is None:
            parser = _cell_parser(model, form_class, name, self)
            if _pure_column(model._meta.get_field(name), self.form_field(form_class, name)):
                parser = memoized(parser)  # each distinct cell of the column parsed once per import
            self._parsers[key] = parser
        return parser

    def organization(self, name: str, acronym: str = "") -> tuple[int | None, str]:
        raise NotImplementedError


def parse_cell(model, form_class, name: str, raw, lookups: CellLookups):
    """The value of model field `name` for the cell `raw`, parsed as the edit form `form_class` parses it."""
    return lookups.parser(model, form_class, name)(raw)


def _pure_column(model_field, form_field) -> bool:
    """Whether `_cell_parser` of this column is a function of the cell alone (within one import): a coded, yes/no
    or country column (read from tables loaded once), or one parsed by a form field with Django's own `clean`,
    `validate` and `run_validators` and Django's own validators. Not a many-to-many column (its value is a
    list)."""
    if model_field.many_to_many:
        return False
    if model_field.is_relation or model_field.choices or isinstance(model_field, models.BooleanField):
        return True
    if form_field is None:
        return True
    cls = type(form_field)
    return (not isinstance(form_field, forms.MultipleChoiceField) and cls.clean is forms.Field.clean
            and cls.validate is forms.Field.validate and cls.run_validators is forms.Field.run_validators
            and pure_validators(form_field.validators))


def _cell_parser(model, form_class, name: str, lookups: CellLookups):
    """`parse_cell` of one column, as a function of the cell."""
    model_field = model._meta.get_field(name)
    if model_field.many_to_many:
        if model_field.related_model is Discipline:
            return lambda raw: many(raw, lookups.disciplines, _("学科"))

        def organizations(raw):
            pks = []
            for organization_name in split_names(raw):
                pk, message = lookups.organization(organization_name)
                if pk is None:
                    raise ValidationError(message)
                pks.append(pk)
            return sorted(set(pks))

        return organizations
    if model_field.is_relation:
        def country(raw):
            value = text(raw)
            if not value:
                return None
            pk = lookups.countries.get(value.casefold())
            if pk is None:
                raise ValidationError(_("没有这个国家或地区：%(name)s。请填写中文名称，如“中国”“美国”“中国香港”。")
                                      % {"name": value})
            return pk

        return country
    if model_field.choices:
        codes = _choice_codes(model_field, get_language())
        return lambda raw: choice_value(model_field, raw, codes)
    if isinstance(model_field, models.BooleanField):
        return bool_value
    form_field = lookups.form_field(form_class, name)
    if isinstance(form_field, forms.MultipleChoiceField):  # a list of codes (加入形式): labels or codes
        labels = _choice_codes(form_field, get_language())

        def codes_list(raw):
            codes = []
            for part in split_names(raw):
                code = choice_value(form_field, part, labels)
                if code not in codes:
                    codes.append(code)
            return codes

        return codes_list
    typed = isinstance(form_field, (forms.DateField, forms.DecimalField))
    clean = form_field.clean if form_field is not None else None
    empty = None if model_field.null else ""

    def value_of(raw):
        if typed and isinstance(raw, (datetime.date, int, float)):
            value = raw.date() if isinstance(raw, datetime.datetime) else raw
            value = str(value) if isinstance(value, float) else value
        else:
            value = text(raw)
        cleaned = clean(value) if clean is not None else value
        if cleaned is None:
            return empty
        return cleaned

    return value_of


# --- reading sheets -------------------------------------------------------------------------------------------

def header_map(model, names, *, extra=()) -> dict[str, str]:
    """{column header: field name} of the model fields `names` (headers are their verbose names, in the active
    language: translated once per language, not once per row)."""
    return _header_map(model, tuple(names), tuple(extra), get_language())


@functools.lru_cache(maxsize=256)
def _header_map(model, names: tuple, extra: tuple, language: str) -> dict[str, str]:
    headers = {str(model._meta.get_field(name).verbose_name): name for name in names}
    for header, name in extra:
        headers[str(header)] = name
    return headers


def read_table(sheet) -> tuple[list[str], list[Row]]:
    """The header row and the data rows of a sheet (empty rows left out, each row numbered as the sheet is)."""
    if not sheet.rows:
        return [], []
    headers = [text(cell) for cell in sheet.rows[0]]
    named, width = [(i, h) for i, h in enumerate(headers) if h], len(headers)
    every_column_named = len(named) == width
    rows, name = [], sheet.name
    for offset, values in enumerate(sheet.rows[1:], start=2):
        if _blank(values[0] if values else None) and all(_blank(value) for value in values):
            continue
        if len(values) < width:  # a short row: its missing cells are empty
            values = [*values, *[None] * (width - len(values))]
        # (cells beyond the header row's are left out either way)
        cells = (dict(zip(headers, values, strict=False)) if every_column_named
                 else {h: values[i] for i, h in named})
        rows.append(Row(name, offset, cells))
    return headers, rows


def shown_later(template, **params):
    """`template % params` translated when shown, in the reader's language: a file is read in Chinese
    (`services.FILE_LANGUAGE`), its refusal is read by someone whose page may be in English."""
    return lazy(lambda: str(template) % {key: str(value) for key, value in params.items()}, str)()


def missing_column(sheet: str, column):
    """The refusal of a sheet without `column`: the column named as the file heads it (read now, in the file's
    language), the sentence in the reader's."""
    column = str(column)
    return shown_later(gettext_lazy("工作表“%(sheet)s”缺少列“%(column)s”。请使用平台下载的模板，不要修改表头。"),
                       sheet=sheet, column=column)


def check_headers(sheets, *, sheet: str, required, what):
    """The sheet named `sheet` of the workbook, or RefusedImport when it or one of the `required` columns is
    missing (it is not `what`'s template)."""
    by_name = {s.name: s for s in sheets}
    if sheet not in by_name:
        raise RefusedImport(shown_later(gettext_lazy("不是%(what)s模板：缺少工作表“%(sheet)s”。请使用平台下载的模板。"),
                                        what=what, sheet=sheet))
    headers = [text(cell) for cell in by_name[sheet].rows[0]] if by_name[sheet].rows else []
    for column in required:
        if str(column) not in headers:
            raise RefusedImport(missing_column(sheet, column))
    return by_name[sheet]
