"""Writing .xlsx workbooks: Chinese headers in a frozen first row, dates as dates, numbers as numbers, coded values
as their labels, and no cell a spreadsheet could run as a formula. XlsxWriter in constant-memory mode keeps one
row in memory at a time whatever the number of rows."""

import datetime
import functools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import xlsxwriter
import xlsxwriter.utility
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from iodp.core import parallel

from .cells import neutralize

#: Excel's limit on a sheet name's length.
SHEET_NAME_MAX = 31
#: Excel's limit on a drop-down list written inline; longer lists are read from the hidden sheet 代码表.
INLINE_LIST_MAX = 250
CODES_SHEET = "代码表"


@dataclass(frozen=True)
class Column:
    """One column: its header, how to read the value off a row, its width in characters and, for coded values,
    the labels a cell may hold (written as a drop-down list)."""

    header: str
    value: Callable[[Any], Any]
    width: int = 16
    choices: tuple[str, ...] = ()


#: rows fetched per query when a sheet's rows are a queryset (bounded memory whatever the number of rows)
CHUNK_SIZE = 2000


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    #: any iterable; a queryset is counted (a job's progress, whether a list is large) and read in chunks
    rows: Iterable[Any]
    #: rows of text above the header (a 填表说明 sheet has only these)
    notes: list[str] = field(default_factory=list)
    #: how many empty rows below the data carry the drop-down lists (templates to fill in)
    blank_rows: int = 0


def row_count(sheet: Sheet) -> int | None:
    """How many data rows `sheet` will have, counted in SQL when its rows are a queryset (else None: unknown)."""
    if isinstance(sheet.rows, QuerySet):
        return sheet.rows.count()
    try:
        return len(sheet.rows)
    except TypeError:
        return None


def _iterate(rows):
    return rows.iterator(chunk_size=CHUNK_SIZE) if isinstance(rows, QuerySet) else rows


def cell_value(value):
    """What a cell holds for a Python value (None for an empty cell)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, (datetime.date, int, float, Decimal)):
        return value
    return neutralize(str(value))


#: a workbook of at least this many data rows written to a file is written by a second process (XlsxWriter's
#: part, about two thirds of an export of 100,000 experts), while this one reads the rows and prepares their cells
PARALLEL_WRITING_ROWS = 5000
#: rows prepared at a time (handed to the writing process at once; a job's progress is reported at each)
ROWS_AT_A_TIME = 500


def write_workbook(target, sheets: Iterable[Sheet], *, on_row: Callable[[int], None] | None = None) -> list[int]:
    """Write `sheets` to `target` (a path or a binary file) and return the number of data rows of each sheet.
    `on_row(n)` is called every 500 rows, with the rows written so far, and once all are (a job's progress).

    A large workbook written to a path is written by a forked process (`iodp.core.parallel.handed_over`) while
    this one reads the rows from the database and prepares their cells: the same file, in about two thirds of
    the time on two cores."""
    sheets = list(sheets)
    cells = _prepared_cells(sheets, on_row)
    if not _written_aside(target, sheets):
        return _write_sheets(target, sheets, cells)
    with parallel.handed_over(functools.partial(_write_sheets, target, sheets)) as writer:
        for chunk in cells:
            writer.hand(chunk)
    return writer.result


def _written_aside(target, sheets: list[Sheet]) -> bool:
    if not isinstance(target, (str, os.PathLike)) or not parallel.can_fork():
        return False
    rows = 0
    for sheet in sheets:
        if sheet.columns:
            rows += row_count(sheet) or 0
            if rows >= PARALLEL_WRITING_ROWS:
                return True
    return False


def _prepared_cells(sheets: list[Sheet], on_row) -> Iterator[list[tuple] | None]:
    """The data rows of `sheets` (those with columns), each a tuple of what its cells hold: None (empty), an
    str (neutralized), a number, a date or a naive datetime. In lists of up to ROWS_AT_A_TIME rows; None ends
    a sheet."""
    yes, no = _("是"), _("否")  # once per workbook, not once per cell
    written = 0
    for sheet in sheets:
        if not sheet.columns:
            continue
        readers = [column.value for column in sheet.columns]
        chunk = []
        for row in _iterate(sheet.rows):
            cells = []
            append = cells.append
            for read in readers:
                value = read(row)
                kind = type(value)
                # The common types first, by exact type (a row of 20 cells, 100,000 rows: 2,000,000 times);
                # anything else (subclasses, lazy text, Decimal...) through cell_value.
                if kind is str:
                    append(neutralize(value) if value else None)
                elif value is None or kind is int:
                    append(value)
                elif kind is bool:
                    append(yes if value else no)
                else:
                    append(cell_value(value))
            chunk.append(tuple(cells))
            written += 1
            if written % ROWS_AT_A_TIME == 0:
                yield chunk
                chunk = []
                if on_row is not None:
                    on_row(written)
        if chunk:
            yield chunk
        yield None
    if on_row is not None and written % ROWS_AT_A_TIME:
        on_row(written)  # every row: what is left is putting the file together


def _write_sheets(target, sheets: list[Sheet], cells: Iterable[list[tuple] | None]) -> list[int]:
    """Write the workbook of `sheets`, their data rows being `cells` (see `_prepared_cells`); the number of data
    rows of each sheet."""
    cells = iter(cells)
    workbook = xlsxwriter.Workbook(target, {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False, "remove_timezone": True,
    })
    header_format = workbook.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True,
                                         "valign": "vcenter"})
    note_format = workbook.add_format({"text_wrap": True, "valign": "top"})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    text_format = workbook.add_format({"num_format": "@"})
    long_lists = _code_ranges(column.choices for sheet in sheets for column in sheet.columns)
    counts = []
    for sheet in sheets:
        worksheet = workbook.add_worksheet(sheet.title[:SHEET_NAME_MAX])
        for index, column in enumerate(sheet.columns):
            worksheet.set_column(index, index, column.width, text_format if not column.choices else None)
        row_number = 0
        if sheet.notes:
            worksheet.set_column(0, 0, 100)
        for note in sheet.notes:
            worksheet.write_string(row_number, 0, neutralize(note), note_format)
            row_number += 1
        counts.append(0)
        if not sheet.columns:
            continue
        worksheet.freeze_panes(row_number + 1, 0)
        for index, column in enumerate(sheet.columns):
            worksheet.write_string(row_number, index, column.header, header_format)
        header_row = row_number
        write_string, write_number, write_datetime = (worksheet.write_string, worksheet.write_number,
                                                      worksheet.write_datetime)
        for chunk in iter(cells.__next__, None):
            for row in chunk:
                row_number += 1
                for index, value in enumerate(row):
                    if value is None:
                        continue
                    kind = type(value)
                    if kind is str:
                        write_string(row_number, index, value)
                    elif kind is int:
                        write_number(row_number, index, value)
                    elif isinstance(value, datetime.datetime):
                        write_datetime(row_number, index, value, datetime_format)
                    elif isinstance(value, datetime.date):
                        write_datetime(row_number, index, value, date_format)
                    elif isinstance(value, (int, float, Decimal)):
                        write_number(row_number, index, value)
                    else:
                        write_string(row_number, index, value)
            counts[-1] += len(chunk)
        last_row = max(row_number, header_row) + sheet.blank_rows
        for index, column in enumerate(sheet.columns):
            if column.choices and last_row > header_row:
                _drop_down(worksheet, header_row + 1, index, last_row, column.choices, long_lists)
    for _end in cells:  # (what follows the last sheet's rows: the progress of all of them)
        pass
    _write_codes(workbook, long_lists)
    workbook.close()
    return counts


# --- a registration form: one record per workbook ---------------------------------------------------------------

#: a form is 8 columns wide: label A, value B:D, label E, value F:H (two fields a row); a wide field's value B:H
FORM_WIDTH = 8
FORM_LABEL_COLUMNS = (0, 4)
BOOLEAN_CHOICES = ("是", "否")


@dataclass(frozen=True)
class FormField:
    """A label and its value cell; `choices` become the cell's drop-down list; a `wide` one has a row alone."""

    label: str
    value: Any = None
    choices: tuple[str, ...] = ()
    wide: bool = False


@dataclass
class FormTable:
    """A small table of the form (a list of the record): its title row, header row, rows and blank rows."""

    title: str
    columns: list[Column]
    rows: Iterable[Any]
    blank_rows: int = 3


@dataclass
class FormSheet:
    """A registration form: the title row (also the sheet's name), the label/value pairs, the tables, the notes."""

    title: str
    fields: list[FormField]
    tables: list[FormTable]
    notes_title: str = ""
    notes: list[str] = field(default_factory=list)


def _code_ranges(choice_lists: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """The lists too long to write inline → the range of the hidden sheet 代码表 that holds them."""
    long_lists: dict[tuple[str, ...], str] = {}
    for choices in choice_lists:
        if choices and len(",".join(choices)) > INLINE_LIST_MAX and choices not in long_lists:
            letter = xlsxwriter.utility.xl_col_to_name(len(long_lists))
            long_lists[choices] = f"='{CODES_SHEET}'!${letter}$1:${letter}${len(choices)}"
    return long_lists


def _write_codes(workbook, long_lists: dict) -> None:
    if not long_lists:
        return
    codes = workbook.add_worksheet(CODES_SHEET)
    lists = list(long_lists)
    for row_number in range(max(len(choices) for choices in lists)):  # row by row: constant-memory mode
        for index, choices in enumerate(lists):
            if row_number < len(choices):
                codes.write_string(row_number, index, neutralize(choices[row_number]))
    codes.hide()


def _drop_down(worksheet, first_row, column, last_row, choices, long_lists) -> None:
    worksheet.data_validation(first_row, column, last_row, column, {
        "validate": "list", "source": long_lists.get(choices) or list(choices),
        "error_title": _("请从下拉列表中选择"), "error_message": _("此列只能填写下拉列表中的值。"),
    })


def write_form(target, form: FormSheet) -> int:
    """Write `form` to `target` (a path or a binary file) as a one-sheet workbook laid out like a paper form; its
    title in A1 (centred across the form, not merged: an importer refuses merged cells in row 1). Returns 1."""
    workbook = xlsxwriter.Workbook(target, {
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "remove_timezone": True,
    })
    title_format = workbook.add_format({"bold": True, "font_size": 16, "center_across": True, "valign": "vcenter"})
    label_format = workbook.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True,
                                        "valign": "vcenter"})
    value_format = workbook.add_format({"border": 1, "num_format": "@", "text_wrap": True, "valign": "vcenter"})
    date_format = workbook.add_format({"border": 1, "num_format": "yyyy-mm-dd", "valign": "vcenter"})
    number_format = workbook.add_format({"border": 1, "valign": "vcenter"})
    section_format = workbook.add_format({"bold": True, "font_size": 12, "bottom": 2})
    header_format = workbook.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True,
                                         "valign": "vcenter"})
    note_format = workbook.add_format({"text_wrap": True, "valign": "top"})
    long_lists = _code_ranges([f.choices for f in form.fields]
                              + [c.choices for table in form.tables for c in table.columns])
    worksheet = workbook.add_worksheet(form.title[:SHEET_NAME_MAX])
    worksheet.set_column(0, FORM_WIDTH - 1, 14)
    worksheet.set_row(0, 32)
    worksheet.write_string(0, 0, neutralize(form.title), title_format)
    for column in range(1, FORM_WIDTH):
        worksheet.write_blank(0, column, None, title_format)

    def write_value(row, column, value, *, last_column=None):
        value = cell_value(value)
        if isinstance(value, (datetime.date, datetime.datetime)):
            cell_format = date_format
        elif isinstance(value, (int, float, Decimal)):
            cell_format = number_format
        else:
            cell_format = value_format
        if last_column is not None and last_column > column:
            worksheet.merge_range(row, column, row, last_column, None, cell_format)
        if value is None:
            worksheet.write_blank(row, column, None, cell_format)
        elif cell_format is date_format:
            worksheet.write_datetime(row, column, value, cell_format)
        elif cell_format is number_format:
            worksheet.write_number(row, column, value, cell_format)
        else:
            worksheet.write_string(row, column, value, cell_format)

    row = 2
    pending: list[FormField] = []

    def flush():
        nonlocal row, pending
        if not pending:
            return
        for label_column, form_field in zip(FORM_LABEL_COLUMNS, pending, strict=False):
            worksheet.write_string(row, label_column, neutralize(form_field.label), label_format)
            write_value(row, label_column + 1, form_field.value, last_column=label_column + 3)
            if form_field.choices:
                _drop_down(worksheet, row, label_column + 1, row, form_field.choices, long_lists)
        worksheet.set_row(row, 22)
        row, pending = row + 1, []

    for form_field in form.fields:
        if form_field.wide:
            flush()
            worksheet.write_string(row, 0, neutralize(form_field.label), label_format)
            write_value(row, 1, form_field.value, last_column=FORM_WIDTH - 1)
            worksheet.set_row(row, 60)
            row += 1
            continue
        pending.append(form_field)
        if len(pending) == len(FORM_LABEL_COLUMNS):
            flush()
    flush()

    for table in form.tables:
        row += 1
        worksheet.write_string(row, 0, neutralize(table.title), section_format)
        for column in range(1, FORM_WIDTH):
            worksheet.write_blank(row, column, None, section_format)
        row += 1
        for index, column in enumerate(table.columns):
            worksheet.write_string(row, index, column.header, header_format)
        first_data = row + 1
        for item in table.rows:
            row += 1
            for index, column in enumerate(table.columns):
                write_value(row, index, column.value(item))
        for _blank in range(table.blank_rows):
            row += 1
            for index in range(len(table.columns)):
                worksheet.write_blank(row, index, None, value_format)
        for index, column in enumerate(table.columns):
            if column.choices and row >= first_data:
                _drop_down(worksheet, first_data, index, row, column.choices, long_lists)

    if form.notes:
        row += 2
        worksheet.write_string(row, 0, neutralize(form.notes_title), section_format)
        for note in form.notes:
            row += 1
            worksheet.merge_range(row, 0, row, FORM_WIDTH - 1, None, note_format)
            worksheet.write_string(row, 0, neutralize(note), note_format)
            worksheet.set_row(row, 15 * (1 + len(note) // 60))
    worksheet.fit_to_pages(1, 0)
    _write_codes(workbook, long_lists)
    workbook.close()
    return 1
