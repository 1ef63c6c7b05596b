"""Writing .xlsx workbooks: Chinese headers in a frozen first row, dates as dates, numbers as numbers, coded values
as their labels, and no cell a spreadsheet could run as a formula. XlsxWriter in constant-memory mode keeps one
row in memory at a time whatever the number of rows."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import xlsxwriter
import xlsxwriter.utility
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

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


def write_workbook(target, sheets: Iterable[Sheet], *, on_row: Callable[[int], None] | None = None) -> list[int]:
    """Write `sheets` to `target` (a path or a binary file) and return the number of data rows of each sheet.
    `on_row(n)` is called every 500 rows, with the rows written so far (a job's progress)."""
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
    yes, no = _("是"), _("否")  # once per workbook, not once per cell
    sheets = list(sheets)
    long_lists = {}  # choices → the range of 代码表 that holds them
    for sheet in sheets:
        for column in sheet.columns:
            if column.choices and len(",".join(column.choices)) > INLINE_LIST_MAX and column.choices not in long_lists:
                letter = xlsxwriter.utility.xl_col_to_name(len(long_lists))
                long_lists[column.choices] = f"='{CODES_SHEET}'!${letter}$1:${letter}${len(column.choices)}"
    written = 0
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
        readers = list(enumerate(column.value for column in sheet.columns))
        write_string, write_number = worksheet.write_string, worksheet.write_number
        for row in _iterate(sheet.rows):
            row_number += 1
            for index, read in readers:
                value = read(row)
                kind = type(value)
                # The common types first, by exact type (a row of 20 cells, 100,000 rows: 2,000,000 times);
                # anything else (subclasses, lazy text, Decimal...) through cell_value.
                if kind is str:
                    if value:
                        write_string(row_number, index, neutralize(value))
                    continue
                if value is None:
                    continue
                if kind is bool:
                    write_string(row_number, index, yes if value else no)
                    continue
                if kind is int:
                    write_number(row_number, index, value)
                    continue
                value = cell_value(value)
                if value is None:
                    continue
                if isinstance(value, datetime.datetime):
                    worksheet.write_datetime(row_number, index, value, datetime_format)
                elif isinstance(value, datetime.date):
                    worksheet.write_datetime(row_number, index, value, date_format)
                elif isinstance(value, (int, float, Decimal)):
                    write_number(row_number, index, value)
                else:
                    write_string(row_number, index, value)
            written += 1
            counts[-1] += 1
            if on_row is not None and written % 500 == 0:
                on_row(written)
        last_row = max(row_number, header_row) + sheet.blank_rows
        for index, column in enumerate(sheet.columns):
            if column.choices and last_row > header_row:
                worksheet.data_validation(header_row + 1, index, last_row, index, {
                    "validate": "list", "source": long_lists.get(column.choices) or list(column.choices),
                    "error_title": _("请从下拉列表中选择"),
                    "error_message": _("此列只能填写下拉列表中的值。"),
                })
    if long_lists:
        codes = workbook.add_worksheet(CODES_SHEET)
        lists = list(long_lists)
        for row_number in range(max(len(choices) for choices in lists)):  # row by row: constant-memory mode
            for index, choices in enumerate(lists):
                if row_number < len(choices):
                    codes.write_string(row_number, index, neutralize(choices[row_number]))
        codes.hide()
    workbook.close()
    return counts
