"""write_workbook: a large workbook written to a file is written by a second process while this one reads and
prepares the rows; the file is the same as the one this process writes alone, its progress is reported alike,
and a failure of the writing process is raised here, leaving no file."""

import datetime
import io
import multiprocessing
import operator
import os
import signal
import time
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone
from django.utils.functional import lazy

from iodp.exchange import xlsx
from iodp.exchange.xlsx import Column, Sheet, write_workbook

from ..processes import children_of, ended

LONG_CHOICES = tuple(f"选项{i}号" for i in range(80))  # (too long for an inline list: the hidden 代码表)
lazy_text = lazy(lambda: "惰性文本", str)


def rows(n: int) -> list[dict]:
    moment = timezone.make_aware(datetime.datetime(2024, 5, 6, 7, 8))
    return [{"number": i, "text": "=SUM(A1)" if i % 7 == 0 else f"第{i}行", "empty": "", "none": None,
             "flag": i % 2 == 0, "day": datetime.date(1970, 1, 1) + datetime.timedelta(days=i),
             "moment": moment, "decimal": Decimal("1.5") * i, "float": i / 4, "lazy": lazy_text(),
             "code": LONG_CHOICES[i % 80]} for i in range(n)]


def sheets(n: int) -> list[Sheet]:
    columns = [Column(key, operator.itemgetter(key), choices=LONG_CHOICES if key == "code" else ())
               for key in rows(1)[0]]
    short = Column("是否", lambda row: "是" if row["flag"] else "否", choices=("是", "否"))
    return [Sheet("填表说明", [], [], notes=["1. 说明", "=2. 不是公式"]),
            Sheet("数据", columns, rows(n)),
            Sheet("空表", [short], [], blank_rows=20),
            Sheet("第二张", [Column("序号", lambda row: row["number"]), short], rows(n // 2))]


def members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}  # (its time)


def written(path, n: int) -> tuple[list[int], list[tuple[int, int]]]:
    progress = []
    counts = write_workbook(str(path), sheets(n),
                            on_row=lambda done: progress.append((done, len(multiprocessing.active_children()))))
    return counts, progress


def test_a_large_workbook_written_to_a_file_is_written_by_a_second_process_and_is_the_same_file(tmp_path,
                                                                                                 monkeypatch):
    monkeypatch.setattr(xlsx, "PARALLEL_WRITING_ROWS", 10**9)
    alone, alone_progress = written(tmp_path / "alone.xlsx", 1200)
    monkeypatch.setattr(xlsx, "PARALLEL_WRITING_ROWS", 1000)
    aside, aside_progress = written(tmp_path / "aside.xlsx", 1200)
    assert alone == aside == [0, 1200, 0, 600]
    assert [done for done, _children in alone_progress] == [done for done, _children in aside_progress] == [
        500, 1000, 1500, 1800]  # every 500 rows, and once all are
    assert {children for _done, children in alone_progress} == {0}
    assert {children for _done, children in aside_progress} == {1}  # the writing process, while rows are read
    assert members(tmp_path / "alone.xlsx") == members(tmp_path / "aside.xlsx")
    assert not multiprocessing.active_children()
    book = openpyxl.load_workbook(tmp_path / "aside.xlsx")
    first = [cell.value for cell in book["数据"][2]]
    assert first == [0, "'=SUM(A1)", None, None, "是", datetime.datetime(1970, 1, 1),
                     datetime.datetime(2024, 5, 6, 7, 8), 0, 0, "惰性文本", LONG_CHOICES[0]]
    assert book["数据"].freeze_panes == "A2" and book["代码表"].sheet_state == "hidden"
    assert book["填表说明"]["A2"].value == "'=2. 不是公式"
    assert str(book["空表"].data_validations.dataValidation[0].sqref) == "A2:A21"


def test_a_small_workbook_or_one_written_to_memory_is_written_here(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "PARALLEL_WRITING_ROWS", 1000)
    assert written(tmp_path / "small.xlsx", 600)[1] == [(500, 0), (900, 0)]  # 900 rows: under the threshold
    target, progress = io.BytesIO(), []
    write_workbook(target, sheets(1200), on_row=lambda done: progress.append(len(multiprocessing.active_children())))
    assert progress == [0, 0, 0, 0] and openpyxl.load_workbook(target)["数据"].max_row == 1201


def test_a_writing_process_that_fails_raises_its_error_here_and_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "PARALLEL_WRITING_ROWS", 1000)
    import xlsxwriter.exceptions

    target = tmp_path / "missing-folder" / "book.xlsx"
    with pytest.raises(xlsxwriter.exceptions.FileCreateError):
        written(target, 1200)
    assert not target.parent.exists() and not multiprocessing.active_children()
    monkeypatch.setattr(xlsx, "PARALLEL_WRITING_ROWS", 10**9)
    with pytest.raises(xlsxwriter.exceptions.FileCreateError):  # as the process writing alone raises it
        written(target, 1200)


def test_an_error_reading_the_rows_stops_the_writing_process_and_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "PARALLEL_WRITING_ROWS", 1000)

    def broken(row):
        if row["number"] == 900:
            raise LookupError("the database went away")
        return row["number"]

    target = tmp_path / "book.xlsx"
    with pytest.raises(LookupError):
        write_workbook(str(target), [Sheet("数据", [Column("序号", broken)], rows(1200))])
    assert not target.exists() and not multiprocessing.active_children()


def test_a_writing_process_whose_caller_is_killed_ends_and_leaves_no_file(tmp_path):
    """The worker killed outright (SIGKILL) while its export is written: the writing process, left alone, ends
    without a file."""
    context = multiprocessing.get_context("fork")
    target, ready = tmp_path / "book.xlsx", context.Event()

    def slow(row):
        if row["number"] == 900:
            ready.set()
            time.sleep(60)
        return row["number"]

    def caller():
        xlsx.PARALLEL_WRITING_ROWS = 1000  # (in this process only)
        write_workbook(str(target), [Sheet("数据", [Column("序号", slow)], rows(1200))])

    process = context.Process(target=caller)
    process.start()
    assert ready.wait(30)
    (writer,) = children_of(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.join()
    assert ended(writer) and not target.exists()

