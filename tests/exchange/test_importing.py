"""`exchange.importing`: a sheet's rows as the importers read them, and cells as text."""

import datetime

from iodp.exchange.importing import read_table, text
from iodp.exchange.reading import SheetRows


def test_rows_are_keyed_by_header_numbered_as_the_sheet_is_and_blank_rows_are_left_out():
    sheet = SheetRows("教育经历", [
        ["序号", "学校/机构", "专业"],
        [1, "第一大学", "化学", "表头以外的单元格"],  # a cell beyond the header row's: left out
        [None, "  ", None],                           # blank (spaces only): left out
        [],
        [2, "第二大学"],                               # short: its missing cells are empty
        ["  ", None, "物理"],                          # a blank first cell, a value further on: kept
    ])
    headers, rows = read_table(sheet)
    assert headers == ["序号", "学校/机构", "专业"]
    assert [(row.sheet, row.number, row.cells) for row in rows] == [
        ("教育经历", 2, {"序号": 1, "学校/机构": "第一大学", "专业": "化学"}),
        ("教育经历", 5, {"序号": 2, "学校/机构": "第二大学", "专业": None}),
        ("教育经历", 6, {"序号": "  ", "学校/机构": None, "专业": "物理"}),
    ]
    assert rows[0].row_of("专业") == 2


def test_a_column_without_a_header_is_not_read():
    sheet = SheetRows("语言能力", [["序号", None, "语种"], [1, "备注", "英语"], [2, None, None, "x"]])
    headers, rows = read_table(sheet)
    assert headers == ["序号", "", "语种"]
    assert [row.cells for row in rows] == [{"序号": 1, "语种": "英语"}, {"序号": 2, "语种": None}]


def test_cells_as_text():
    assert text(None) == ""
    assert text("  化学 ") == "化学"
    assert text(12) == "12"
    assert text(12.0) == "12"
    assert text(1.5) == "1.5"
    assert text(True) == "True"
    assert text(datetime.date(2020, 1, 2)) == "2020-01-02"
    assert text(datetime.datetime(2020, 1, 2, 9, 30)) == "2020-01-02"
    assert text(" '=1+1") == "=1+1"  # an exported cell's protective quote comes off
    assert text("'abc") == "'abc"
