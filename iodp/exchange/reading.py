"""Uploaded spreadsheets as rows of plain values, or a refusal the user can act on.

`read_upload` takes what a unit uploads (.xlsx from Excel, WPS or LibreOffice, .xls, or a CSV in UTF-8 or GBK)
and gives every worksheet's rows, or raises `RefusedFile` with one Chinese sentence saying what is wrong and what
to do. The format is told from the content, not the extension. Everything that could cost unbounded memory or
time is checked before the file is parsed: the upload's size, an .xlsx's declared uncompressed sizes and
compression ratios (zip bombs), and each worksheet's rows and columns, found by streaming its XML in chunks (the
same pass finds formulas), so a sheet of a million rows is refused without one row being built. calamine then
reads the workbook, which is what makes the import fast.
"""

from __future__ import annotations

import csv
import datetime
import gc
import html
import io
import logging
import multiprocessing
import os
import pickle
import posixpath
import re
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

import olefile
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

from iodp.core.bulk import collector_paused

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_ROWS = 200_000
#: An .xlsx may unpack to at most this many times the upload limit, all members together.
ZIP_TOTAL_FACTOR = 20
#: A member larger than ZIP_RATIO_FLOOR unpacked may be at most this many times its packed size. Real sheets
#: pack 5 to 20 times; a zip bomb packs a thousand times. Small members are harmless whatever their ratio.
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR = 1024 * 1024
#: calamine holds a sheet as a dense rows × columns grid: a sheet with one cell in A1 and one in XFD200000 would
#: cost billions of cells. Sheets whose grid is larger than this are refused.
MAX_CELLS = 10_000_000
#: calamine runs in a child process with these limits: a crafted .xls can make it ask for hundreds of gigabytes
#: (a Rust allocation failure aborts the whole process, which no except clause catches) or loop for ever. The
#: child dies instead of the server worker, and the file is refused.
READER_MEMORY = 2 * 1024 * 1024 * 1024
READER_CPU_SECONDS = 120
READER_WALL_SECONDS = 300
#: A workbook whose worksheets unpack to more than this is read by two readers at once, half of its sheets each
#: (the 10,000 experts of the bench's workbook: 33 MB of XML, read in 0.55 s instead of 0.95 s).
PARALLEL_READING_BYTES = 4 * 1024 * 1024
#: How many formula cells a refusal names.
FORMULAS_NAMED = 5
CHUNK = 1024 * 1024
#: Bytes carried from one chunk to the next so that a tag cut by a chunk boundary is still found.
OVERLAP = 512

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
WORKBOOK_XML = "xl/workbook.xml"
#: BIFF8 record types of an .xls that the checks read.
XLS_BOF, XLS_BOUNDSHEET, XLS_FORMULA, XLS_FILEPASS = 0x0809, 0x0085, 0x0006, 0x002F
#: Formulas that are constants, as LibreOffice saves boolean cells: TRUE or FALSE as a value (ptgBool) or as the
#: functions TRUE() and FALSE() (ptgFunc 34, 35 in any class), each after its 2-byte length.
XLS_CONSTANT_FORMULAS = {
    b"\x02\x00\x1d\x00", b"\x02\x00\x1d\x01",
    *(b"\x03\x00" + bytes([ptg, function, 0]) for ptg in (0x21, 0x41, 0x61) for function in (34, 35)),
}
#: Files that are plainly not spreadsheets, by their first bytes, for a message that says what they are.
KNOWN_NON_SPREADSHEETS = (
    (b"%PDF", _("PDF 文件")),
    (b"\x89PNG", _("图片")),
    (b"\xff\xd8\xff", _("图片")),
    (b"GIF8", _("图片")),
    (b"Rar!", _("压缩包")),
    (b"7z\xbc\xaf", _("压缩包")),
    (b"\x1f\x8b", _("压缩包")),
    (b"{\\rtf", _("RTF 文档")),
)

MESSAGE_NOT_SPREADSHEET = _("无法识别该文件：它不是 Excel 表格（.xlsx、.xls）或 CSV 文件，请用导入模板填写后再上传")
MESSAGE_ENCRYPTED = _("文件已加密（设置了打开密码），请取消密码后再导入")
MESSAGE_EMPTY = _("文件是空的，没有任何内容，请检查是否选错了文件")
MESSAGE_NO_DATA = _("文件中没有数据行（只有表头或全部为空），请在表头下方填写数据后再导入")
MESSAGE_CORRUPT = _("文件已损坏或不完整，无法读取，请用 Excel 或 WPS 打开后重新保存，再导入")
MESSAGE_MARKUP = _("这是网页（HTML）或 XML 格式的文件，扩展名虽是表格但并非真正的 Excel 文件（常见于其他系统导出的“.xls”）；"
                   "请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（.xlsx）再导入")
MESSAGE_BOMB = _("文件解压后异常巨大（疑似压缩炸弹），已拒绝读取；请上传正常保存的表格文件")

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="([A-Z]{1,3})?([0-9]*)(?::([A-Z]{1,3})([0-9]+))?"')
_ROW_NUMBER = re.compile(rb'row r="([0-9]{1,9})"')
# Columns of two or three letters only: a sheet of columns A to Z needs no regular expression at all.
_WIDE_COLUMN = re.compile(rb'c r="([A-Z]{2,3})[0-9]')
#: A cell's own reference places it, whatever its <row> says: cells whose row number has as many digits as the
#: row limit are looked at (none in a sheet of fewer than 100,000 rows, with the default limit).
_LONG_ROW_TEMPLATE = rb'c r="[A-Z]{1,3}([0-9]{%d,})"'
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_START = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3}[0-9]{1,7})"')
_SHEET = re.compile(rb"<(?:\w+:)?sheet\s([^>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\s([^>]*)>")
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')
_SEPARATOR_HINT = re.compile(r'"?sep=([,;\t|])"?\r?\n')


class RefusedFile(Exception):
    """The file can't be read; .message is a sentence for the user (what's wrong + what to do), lazily translated:
    shown in the reader's language, whatever language the file was read in (`services.FILE_LANGUAGE`)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class SheetRows:
    """One worksheet (or a CSV file) as rows: rows[0] is row 1, rows[i][j] the cell in row i + 1, column j + 1."""

    name: str
    rows: list[list]


def read_upload(uploaded, *, filename: str | None = None, max_bytes: int | None = None,
                max_rows: int | None = None) -> list[SheetRows]:
    """`uploaded`: a Django UploadedFile or any binary file object (with .name unless filename is given).

    `max_bytes` and `max_rows` (rows per sheet, the header row included) default to the settings
    IODP_IMPORT_MAX_BYTES and IODP_IMPORT_MAX_ROWS. Raises RefusedFile, and nothing else, for a file it can't read.
    """
    max_bytes = max_bytes or getattr(settings, "IODP_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    max_rows = max_rows or getattr(settings, "IODP_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)
    filename = filename or getattr(uploaded, "name", None) or "导入文件"
    data = _read_bounded(uploaded, max_bytes)
    if not data:
        raise RefusedFile(MESSAGE_EMPTY)
    try:
        if data.startswith(ZIP_MAGIC):
            sheets = _read_xlsx(data, max_bytes=max_bytes, max_rows=max_rows)
        elif data.startswith(OLE2_MAGIC):
            sheets = _read_xls(data, max_rows=max_rows)
        else:
            sheets = [_read_csv(data, name=PurePath(filename).stem or filename, max_rows=max_rows)]
    except RefusedFile:
        raise
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException:  # noqa: BLE001 -- a broken file may raise anything (zlib.error, calamine's Rust panics,
        # which are BaseExceptions); for the user it is a file that can't be read, never a server error.
        logger.info("Unreadable upload %r", filename, exc_info=True)
        raise RefusedFile(MESSAGE_CORRUPT) from None
    if not any(len(sheet.rows) > 1 for sheet in sheets):
        raise RefusedFile(MESSAGE_NO_DATA)
    return sheets


def _read_bounded(uploaded, max_bytes: int) -> bytes:
    """The upload's bytes, refused unread when they are more than `max_bytes`."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise _too_large(max_bytes)
    if hasattr(uploaded, "seek"):
        try:
            uploaded.seek(0)
        except (OSError, ValueError):
            pass
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    return data


def _too_large(max_bytes: int) -> RefusedFile:
    megabytes = f"{max_bytes / (1024 * 1024):.1f}".removesuffix(".0")
    return RefusedFile(format_lazy(_("文件超过 {megabytes} MB 的大小上限，请删除无关内容或拆分成几个文件后分别导入"),
                                   megabytes=megabytes))


# --- a reading kept: an import's jobs use the rows the upload's check read ---------------------------------------

#: what a kept reading starts with: one of another version (the reading has changed since) is not used
KEPT_READING = b"iodp-reading-1\n"


def kept_reading(sheets: list[SheetRows]) -> bytes:
    """`sheets`, as an import batch keeps them (compressed: 110,000 rows in about 0.6 MB, in 0.05 s), for its
    validation and commit jobs to take with `reading_kept` instead of reading the file again (0.9 s each)."""
    return KEPT_READING + zlib.compress(pickle.dumps(sheets, protocol=pickle.HIGHEST_PROTOCOL), 1)


def reading_kept(kept) -> list[SheetRows] | None:
    """The sheets `kept_reading` kept, or None where there are none, they are of another version of the reading,
    or they hold anything a reading does not (then read the file: its reading is the same)."""
    if not kept:
        return None
    kept = bytes(kept)
    if not kept.startswith(KEPT_READING):
        return None
    try:
        with collector_paused():  # (many new objects, kept: see collector_paused)
            sheets = _ReadingUnpickler(io.BytesIO(zlib.decompress(kept[len(KEPT_READING):]))).load()
    except Exception:  # noqa: BLE001 -- whatever is wrong with it, the file itself is read instead
        logger.warning("A kept reading could not be used; the file is read again", exc_info=True)
        return None
    if not (isinstance(sheets, list) and all(isinstance(sheet, SheetRows) for sheet in sheets)):
        return None
    return sheets


class _ReadingUnpickler(pickle.Unpickler):
    """Builds only what a reading holds (its cells are None, str, int, float, bool, date or datetime): no other
    class or function is ever looked up, whatever the stored bytes say."""

    ALLOWED = {("datetime", "date"): datetime.date, ("datetime", "datetime"): datetime.datetime,
               (__name__, "SheetRows"): SheetRows}

    def find_class(self, module, name):
        try:
            return self.ALLOWED[module, name]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a reading") from None


# --- .xlsx ------------------------------------------------------------------------------------------------------


def _read_xlsx(data: bytes, *, max_bytes: int, max_rows: int) -> list[SheetRows]:
    """Check the zip, then every worksheet's XML, then let calamine read the values."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = archive.infolist()
    _refuse_zip_bomb(members, max_bytes)
    names = {member.filename for member in members}
    if WORKBOOK_XML not in names:
        if "xl/workbook.bin" in names:
            raise RefusedFile(_("这是 Excel 二进制工作簿（.xlsb），请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再导入"))
        if "content.xml" in names and "mimetype" in names:
            raise RefusedFile(_("这是 OpenDocument 表格（.ods），请“另存为”Excel 工作簿（.xlsx）后再导入"))
        raise RefusedFile(MESSAGE_NOT_SPREADSHEET)
    # Every sheet the workbook names, and every worksheet part it may not name, is scanned before calamine reads it.
    sheets = dict((path, sheet_name) for sheet_name, path in reversed(_worksheet_paths(archive)))
    for name in sorted(names):
        if name.startswith("xl/worksheets/") and name.endswith(".xml") and "/_rels/" not in name:
            sheets.setdefault(name, name)
    # calamine reads in limited child processes (`_Reader`) while this one scans: what the scan refuses stops
    # them, and their rows are used only once every part has passed it.
    first = _first_half(_worksheet_paths(archive), members)
    readers = [_Reader(_read_with_calamine, data, max_rows)] if first is None else [
        _Reader(_read_part, data, max_rows, first, True), _Reader(_read_part, data, max_rows, first, False)]
    try:
        for path, sheet_name in sheets.items():
            if path in names:
                _scan_worksheet(archive, path, sheet_name, max_rows=max_rows)
        # Every other member is read through once too: zipfile stops at each member's declared size and checks
        # its checksum, so a member that lies about its size is refused (as corrupt).
        for member in members:
            if member.filename not in sheets:
                with archive.open(member) as stream:
                    while stream.read(CHUNK):
                        pass
    except BaseException:
        for reader in readers:
            reader.stop()
        raise
    try:
        if first is None:
            return readers[0].result()
        # (the first half's refusal first: the one a single reader would have given)
        parts = readers[0].result() + readers[1].result()
    finally:
        for reader in readers:
            reader.stop()
    return [sheet for _position, sheet in sorted(parts, key=lambda part: part[0])]


def _first_half(paths: list[tuple[str, str]], members: list[zipfile.ZipInfo]) -> tuple[str, ...] | None:
    """The names of the workbook's first sheets that unpack to about half of its worksheets' XML: what one of two
    readers reads, one per core, while the other reads the rest. None for a small workbook (two readers of a
    small one cost more than they save), one sheet or one core."""
    sizes = {member.filename: member.file_size for member in members}
    named = [(name, sizes.get(path, 0)) for name, path in paths]
    total = sum(size for _name, size in named)
    if total < PARALLEL_READING_BYTES or len(named) < 2 or (os.cpu_count() or 1) < 2:
        return None
    best, first = None, 0
    for split in range(1, len(named)):
        first += named[split - 1][1]
        if best is None or max(first, total - first) < best[0]:
            best = (max(first, total - first), split)
    return tuple(name for name, _size in named[:best[1]])


def _refuse_zip_bomb(members: list[zipfile.ZipInfo], max_bytes: int) -> None:
    """Refuse a zip whose declared sizes unpack far beyond any real workbook, before anything is unpacked."""
    total = sum(member.file_size for member in members)
    if total > ZIP_TOTAL_FACTOR * max_bytes:
        raise RefusedFile(MESSAGE_BOMB)
    for member in members:
        if member.file_size > ZIP_RATIO_FLOOR and member.file_size > ZIP_MAX_RATIO * max(member.compress_size, 1):
            raise RefusedFile(MESSAGE_BOMB)


def _worksheet_paths(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, member path) of each sheet, in workbook order, from workbook.xml and its relationships."""
    workbook = _read_small(archive, WORKBOOK_XML)
    relationships = {}
    try:
        rels = _read_small(archive, "xl/_rels/workbook.xml.rels")
    except KeyError:
        rels = b""
    for match in _RELATIONSHIP.finditer(rels):
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        target = html.unescape(attributes.get(b"Target", b"").decode("utf-8", "replace"))
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
        relationships[attributes.get(b"Id", b"")] = target
    paths = []
    for match in _SHEET.finditer(workbook):
        attributes = _ATTRIBUTE.findall(match.group(1))
        name = next((value for key, value in attributes if key == b"name"), b"")
        name = html.unescape(name.decode("utf-8", "replace"))
        # The relationship id's prefix is whatever the writer bound the relationships namespace to (r: usually).
        relation = next((value for key, value in attributes if key.endswith(b":id")), b"")
        if relation in relationships:
            paths.append((name, relationships[relation]))
    return paths


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member that real workbooks keep small (workbook.xml, its relationships), read whole."""
    with archive.open(name) as stream:
        data = stream.read(16 * CHUNK + 1)
    if len(data) > 16 * CHUNK:
        raise RefusedFile(MESSAGE_CORRUPT)
    return data


def _scan_worksheet(archive: zipfile.ZipFile, path: str, sheet_name: str, *, max_rows: int) -> None:
    """Stream one worksheet's XML: refuse too many rows or cells, and formulas.

    The declared <dimension> refuses an oversized sheet from the first chunk; the row numbers and columns seen
    while streaming refuse one whose dimension is missing or wrong, as soon as the limit is passed.
    """
    formulas: list[str] = []
    last_row = 0
    rows_seen = 0
    widest = 1
    tail = b""
    first = True
    long_row = re.compile(_LONG_ROW_TEMPLATE % len(str(max_rows)))
    with archive.open(path) as stream:
        while chunk := stream.read(CHUNK):
            buffer = tail + chunk
            if first:
                first = False
                dimension = _DIMENSION.search(buffer)
                if dimension and dimension.group(4):
                    rows = int(dimension.group(4))
                    columns = _column_number(dimension.group(3))
                    _refuse_size(sheet_name, rows, columns, max_rows)
            rows_seen += chunk.count(b"<row")
            end = buffer.rfind(b'row r="')
            if end >= 0:
                number = _ROW_NUMBER.match(buffer, end)
                if number:
                    last_row = max(last_row, int(number.group(1)))
            for column in set(_WIDE_COLUMN.findall(buffer)):
                widest = max(widest, _column_number(column))
            for row in long_row.findall(buffer):
                last_row = max(last_row, int(row))
            _refuse_size(sheet_name, max(last_row, rows_seen), widest, max_rows, counted_so_far=True)
            # The regular expression runs only where a bytes search (far faster) finds an element that may be <f>.
            maybe_formula = b"<f" in buffer or b":f>" in buffer or b":f " in buffer
            for formula in _FORMULA.finditer(buffer) if maybe_formula else ():
                if len(formulas) > FORMULAS_NAMED:
                    break
                if _is_constant(buffer, formula.end()):
                    continue
                cell = _cell_before(buffer, formula.start())
                if cell and cell not in formulas:
                    formulas.append(cell)
            tail = buffer[-OVERLAP:]
    if formulas:
        raise _formulas_refused(sheet_name, formulas)


def _formulas_refused(sheet_name: str, formulas: list[str]) -> RefusedFile:
    named = "、".join(formulas[:FORMULAS_NAMED])
    template = (_("工作表“{sheet}”的 {cells} 等单元格是公式，请将公式转换为数值（复制后“选择性粘贴→数值”）再导入")
                if len(formulas) > FORMULAS_NAMED else
                _("工作表“{sheet}”的 {cells} 单元格是公式，请将公式转换为数值（复制后“选择性粘贴→数值”）再导入"))
    return RefusedFile(format_lazy(template, sheet=sheet_name, cells=named))


def _is_constant(buffer: bytes, position: int) -> bool:
    """Whether the <f> element opened just before `position` is TRUE() or FALSE(): LibreOffice saves every
    boolean cell that way, and the value is no formula for the user to convert."""
    opened = buffer.find(b">", position - 1)
    if opened < 0 or buffer[opened - 1:opened] == b"/":
        return False
    return buffer[opened + 1:opened + 12].startswith((b"TRUE()</", b"FALSE()</"))


def _cell_before(buffer: bytes, position: int) -> str | None:
    """The reference (D5) of the cell whose <c> tag opens last before `position`."""
    start = max(buffer.rfind(b"<c ", 0, position), buffer.rfind(b":c ", 0, position))
    if start < 0:
        return None
    match = _CELL_START.match(buffer, start if buffer[start:start + 1] == b"<" else buffer.rfind(b"<", 0, start))
    return match.group(1).decode() if match else None


def _refuse_size(sheet_name: str, rows: int, columns: int, max_rows: int, *, counted_so_far: bool = False) -> None:
    """Refuse a sheet of more rows than the limit, or of more cells than MAX_CELLS. Counted while streaming, the
    figures are where the count stopped, not the sheet's size, so the message does not name them."""
    if rows > max_rows:
        template = (_("工作表“{sheet}”的行数超过每个工作表 {limit} 行的上限；请删除多余的空行，或拆分成几个文件后分别导入")
                    if counted_so_far else
                    _("工作表“{sheet}”有 {rows} 行，超过每个工作表 {limit} 行的上限；请删除多余的空行，或拆分成几个文件后分别导入"))
        raise RefusedFile(format_lazy(template, sheet=sheet_name, rows=f"{rows:,}", limit=f"{max_rows:,}"))
    if rows * columns > MAX_CELLS:
        template = (_("工作表“{sheet}”超出可导入的范围（行数 × 列数太大）；"
                      "请删除多余的行和列（包括空白但设置了格式的），或拆分成几个文件后分别导入") if counted_so_far else
                    _("工作表“{sheet}”有 {rows} 行 × {columns} 列，超出可导入的范围（行数 × 列数太大）；"
                      "请删除多余的行和列（包括空白但设置了格式的），或拆分成几个文件后分别导入"))
        raise RefusedFile(format_lazy(template, sheet=sheet_name, rows=f"{rows:,}", columns=f"{columns:,}"))


def _column_number(letters: bytes | None) -> int:
    """A1's column letters as a number: A → 1, Z → 26, AA → 27."""
    number = 0
    for letter in letters or b"A":
        number = number * 26 + letter - 64
    return number


# --- .xls and the workbook read by calamine ---------------------------------------------------------------------


def _read_xls(data: bytes, *, max_rows: int) -> list[SheetRows]:
    """An OLE2 file: an encrypted .xlsx, an .xls, or another Office document."""
    # The container's directory stores stream names as UTF-16: an encrypted .xlsx is an OLE2 file holding the
    # streams EncryptionInfo and EncryptedPackage; an .xls holds Workbook (Book for Excel 5).
    if _stream_name("EncryptedPackage") in data or _stream_name("EncryptionInfo") in data:
        raise RefusedFile(MESSAGE_ENCRYPTED)
    if _stream_name("Workbook") not in data and _stream_name("Book") not in data:
        raise RefusedFile(MESSAGE_NOT_SPREADSHEET)
    return _isolated(_read_xls_checked, data, max_rows)


def _read_xls_checked(data: bytes, max_rows: int) -> list[SheetRows]:
    """Refuse an .xls with a password or formulas (calamine gives only their values), then read it."""
    ole = olefile.OleFileIO(data)
    stream = "Workbook" if ole.exists("Workbook") else "Book"
    records = ole.openstream(stream).read()
    sheet_at: dict[int, str] = {}
    sheet_name, formulas = None, []
    position = 0
    while position + 4 <= len(records):
        kind, length = struct.unpack_from("<HH", records, position)
        body = records[position + 4:position + 4 + length]
        if kind == XLS_FILEPASS:
            raise RefusedFile(MESSAGE_ENCRYPTED)
        if kind == XLS_BOUNDSHEET and len(body) >= 8:
            sheet_at[struct.unpack_from("<I", body)[0]] = _xls_short_string(body[6:])
        elif kind == XLS_BOF:
            if formulas:
                break
            sheet_name = sheet_at.get(position)
        elif kind == XLS_FORMULA and sheet_name is not None and len(body) >= 22:
            row, column = struct.unpack_from("<HH", body)
            if body[20:] not in XLS_CONSTANT_FORMULAS:
                formulas.append(f"{_column_letters(column)}{row + 1}")
        position += 4 + length
    if formulas:
        raise _formulas_refused(sheet_name, formulas)
    return _read_with_calamine(data, max_rows)


def _xls_short_string(data: bytes) -> str:
    """A BIFF8 ShortXLUnicodeString: a character count, a flag (1: UTF-16, 0: one byte each), the characters."""
    if len(data) < 2:
        return ""
    count, wide = data[0], data[1] & 1
    return data[2:2 + count * 2].decode("utf-16-le", "replace") if wide else data[2:2 + count].decode("latin-1")


def _isolated(function, *args):
    """`function(*args)` run in a forked child process whose memory and CPU time are limited (`_Reader`)."""
    reader = _Reader(function, *args)
    try:
        return reader.result()
    finally:
        reader.stop()


class _Reader:
    """`function(*args)` started in a forked child process whose memory and CPU time are limited, its result sent
    back through a pipe (`result`): a RefusedFile raised there is raised here, and a child that dies means a
    corrupt file. Where the platform cannot fork, it is worked out in `result`."""

    def __init__(self, function, *args):
        self.function, self.args, self.child = function, args, None
        if not hasattr(os, "fork"):
            return
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        self.child = context.Process(target=_child, args=(sender, function, args), daemon=True)
        self.child.start()
        sender.close()
        self.deadline = time.monotonic() + READER_WALL_SECONDS

    def result(self):
        if self.child is None:
            return self.function(*self.args)
        try:
            if not self.receiver.poll(max(0.0, self.deadline - time.monotonic())):
                raise RefusedFile(MESSAGE_CORRUPT)
            with collector_paused():  # the rows, unpickled: many lists, no cycles
                outcome, value = self.receiver.recv()
        except (EOFError, OSError):
            logger.info("The spreadsheet reader died (exit code %s)", self.child.exitcode)
            raise RefusedFile(MESSAGE_CORRUPT) from None
        finally:
            self.receiver.close()
            self.child.join(5)
        if outcome == "refused":
            raise RefusedFile(value)
        return value

    def stop(self) -> None:
        """The child ended, killed if it still runs (its work is not wanted)."""
        if self.child is None:
            return
        self.receiver.close()
        if self.child.is_alive():
            self.child.kill()
        self.child.join()


def _child(sender, function, args) -> None:
    """The child's side of `_isolated`."""
    try:
        import resource

        with open("/proc/self/statm") as statm:  # the address space the fork starts with (Linux)
            address_space = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (address_space + READER_MEMORY, resource.RLIM_INFINITY))
        resource.setrlimit(resource.RLIMIT_CPU, (READER_CPU_SECONDS, resource.RLIM_INFINITY))
    except (ImportError, OSError, ValueError):
        pass  # no limits where the platform has none to set; the reading still runs in its own process
    gc.disable()  # the child makes the rows and ends: nothing it makes needs collecting before that
    try:
        sender.send(("rows", function(*args)))
    except RefusedFile as refused:
        sender.send(("refused", refused.message))
    except BaseException:  # noqa: BLE001 -- see read_upload: whatever a broken file raises, it is refused
        logger.info("Unreadable spreadsheet", exc_info=True)
        sender.send(("refused", MESSAGE_CORRUPT))
    finally:
        sender.close()


def _stream_name(name: str) -> bytes:
    return name.encode("utf-16-le")


def _read_with_calamine(data: bytes, max_rows: int) -> list[SheetRows]:
    """The workbook's worksheets, in its order."""
    return [sheet for _position, sheet in _read_part(data, max_rows, (), False)]


def _read_part(data: bytes, max_rows: int, names: tuple[str, ...], named: bool) -> list[tuple[int, SheetRows]]:
    """The worksheets called `names` (`named`), or all the others (not `named`), each with its position in the
    workbook."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for position, metadata in enumerate(workbook.sheets_metadata):
            if metadata.typ != SheetTypeEnum.WorkSheet or (metadata.name in names) != named:
                continue
            sheet = workbook.get_sheet_by_name(metadata.name)
            end = sheet.end
            rows, columns = (end[0] + 1, end[1] + 1) if end else (0, 0)
            _refuse_size(metadata.name, rows, columns, max_rows)
            # A merge in the first row hides column headers, except a title banner across the whole sheet (row 1
            # only, from A to the last column): what LibreOffice makes of the 登记表's title centred across the
            # form. A template's sheet merged that way has one header left, and its template check says so.
            merged = [
                _range_name(first, last) for first, last in (sheet.merged_cell_ranges or ())
                if first[0] == 0 and not (first[1] == 0 and last[0] == 0 and last[1] >= columns - 1)
            ]
            if merged:
                raise RefusedFile(format_lazy(_("工作表“{sheet}”的表头有合并单元格（{cells}），请取消合并后再导入"),
                                              sheet=metadata.name, cells="、".join(merged)))
            values = sheet.to_python(skip_empty_area=False) if end else []
            shared = {}
            sheets.append((position, SheetRows(name=metadata.name, rows=_trimmed(
                _shared_values(_clean_row(row), shared) for row in values))))
    except PasswordError:  # an .xls with a password to open
        raise RefusedFile(MESSAGE_ENCRYPTED) from None
    return sheets


def _range_name(first: tuple[int, int], last: tuple[int, int]) -> str:
    return f"{_column_letters(first[1])}{first[0] + 1}:{_column_letters(last[1])}{last[0] + 1}"


def _column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _clean_row(row: list) -> list:
    cells = [_clean_cell(value) for value in row]
    while cells and cells[-1] is None:
        cells.pop()
    return cells


#: how many distinct texts and dates of one sheet `_shared_values` keeps (the repeated ones, countries, degrees,
#: dates, come early; a sheet of a million different names does not double the reader's memory with them)
SHARED_VALUES = 100_000


def _shared_values(row: list, shared: dict) -> list:
    """The row with each text and date equal to one seen before in the sheet replaced by that one object (a
    column of repeated values, 中国 or 2020-01-01, holds one object, not one per cell): sent back to the parent
    once each, the rest of the cells as references to it."""
    for index, value in enumerate(row):
        kind = type(value)
        if kind is str or kind is datetime.date or kind is datetime.datetime:
            key = (kind, value)
            row[index] = shared.setdefault(key, value) if len(shared) < SHARED_VALUES else shared.get(key, value)
    return row


def _clean_cell(value):
    """A calamine value as the importer expects it: None, str, int, float, bool, date or datetime."""
    kind = type(value)  # exact types first: this runs for every cell
    if kind is str:
        return value.strip() or None
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind in _KEPT:
        return value
    if kind in (datetime.time, datetime.timedelta):
        return str(value)
    return None if value is None else str(value).strip() or None


_KEPT = {int, bool, datetime.date, datetime.datetime}


def _trimmed(rows) -> list[list]:
    kept = list(rows)
    while kept and not kept[-1]:
        kept.pop()
    return kept


# --- CSV --------------------------------------------------------------------------------------------------------


def _read_csv(data: bytes, *, name: str, max_rows: int) -> SheetRows:
    """Text: refuse what is binary, find the encoding and the delimiter, and count rows while reading."""
    for magic, kind in KNOWN_NON_SPREADSHEETS:
        if data.startswith(magic):
            raise RefusedFile(format_lazy(_("该文件是{kind}，不是表格；请上传 Excel 表格（.xlsx、.xls）或 CSV 文件"), kind=kind))
    text = _decode(data)
    head = text[:4096]
    if head.lstrip().startswith("<"):  # <html>, <table>, <?xml ...><Workbook> (Excel 2003 XML): not CSV
        raise RefusedFile(MESSAGE_MARKUP)
    lines = head.splitlines()
    if len(text) > len(head):
        lines = lines[:-1]  # cut short by the 4096 characters
    if any(ord(char) < 32 and char not in "\t\r\n" for char in head):
        raise RefusedFile(MESSAGE_NOT_SPREADSHEET)
    hint = _SEPARATOR_HINT.match(text)
    if hint:  # "sep=;" on the first line, as Excel writes and reads it: the delimiter, not a row
        delimiter, text = hint.group(1), text[hint.end():]
    else:
        try:
            delimiter = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=",\t;").delimiter
        except csv.Error:
            delimiter = ","
    rows: list[list] = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):  # csv.Error: corrupt
        if len(rows) >= max_rows:
            raise RefusedFile(format_lazy(_("文件“{name}”超过 {limit} 行的上限；请拆分成几个文件后分别导入"),
                                          name=name, limit=f"{max_rows:,}"))
        rows.append(_clean_row(row))
    return SheetRows(name=name, rows=_trimmed(rows))


def _decode(data: bytes) -> str:
    """BOM → its encoding; valid UTF-8 → UTF-8; anything else is read as GB18030 (GBK's superset)."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)  # Excel's "Unicode 文本"
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RefusedFile(MESSAGE_NOT_SPREADSHEET)
