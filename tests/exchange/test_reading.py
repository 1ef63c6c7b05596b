"""Uploaded spreadsheets become rows of plain values, or a refusal in one Chinese sentence (exchange.reading).

Every file is made here: XlsxWriter and openpyxl for .xlsx, zipfile for bombs and hand-written sheet XML,
bytes for CSVs, msoffcrypto-tool for a password-protected workbook, LibreOffice for .xls and re-saved files.
"""

import datetime
import io
import multiprocessing
import os
import random
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import olefile
import openpyxl
import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from msoffcrypto.format.ooxml import OOXMLFile

from iodp.exchange import reading
from iodp.exchange.reading import RefusedFile, SheetRows, read_upload

SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(
    not SOFFICE, reason="LibreOffice (soffice) is not installed: run scripts/ensure-libreoffice.sh")

HEADER = ["姓名", "出生日期", "入职年份", "备注", "在职"]
ROWS = [
    ["张三", datetime.date(1979, 5, 1), 1979, "  有空格  ", True],
    ["李四", datetime.date(1985, 12, 31), 2001, "", False],
    ["王五", datetime.date(1990, 2, 3), 2010.5, None, None],
]
EXPECTED = [
    HEADER,
    ["张三", datetime.date(1979, 5, 1), 1979, "有空格", True],
    ["李四", datetime.date(1985, 12, 31), 2001, None, False],
    ["王五", datetime.date(1990, 2, 3), 2010.5],
]


def xlsx_bytes(sheets: dict[str, list[list]], *, merge: str | None = None, formula_at: str | None = None,
               only_in: tuple[str, ...] | None = None) -> bytes:
    """A workbook written by XlsxWriter, dates formatted as dates; `merge` (a range of merged header cells) and
    `formula_at` (a cell with a formula) in every sheet, or in those `only_in` names."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        worksheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, datetime.date):
                    worksheet.write_datetime(r, c, value, date_format)
                elif value is not None:
                    worksheet.write(r, c, value)
        if only_in is not None and name not in only_in:
            continue
        if merge:
            worksheet.merge_range(merge, rows[0][0])
        if formula_at:
            worksheet.write_formula(formula_at, "=C2+1", None, 1980)
    workbook.close()
    return buffer.getvalue()


def upload(data: bytes, name: str = "专家.xlsx", **limits) -> list[SheetRows]:
    return read_upload(io.BytesIO(data), filename=name, **limits)


def refusal(data: bytes, name: str = "专家.xlsx", **limits) -> str:
    with pytest.raises(RefusedFile) as refused:
        upload(data, name, **limits)
    return refused.value.message


@pytest.fixture(scope="module")
def soffice_profile(tmp_path_factory):
    """One LibreOffice user profile for the module's conversions: creating it is most of a conversion's time."""
    return tmp_path_factory.mktemp("soffice-profile")


@pytest.fixture
def convert(tmp_path, soffice_profile):
    return lambda data, suffix, target: _convert(data, suffix, target, tmp_path, soffice_profile)


def _convert(data: bytes, suffix: str, target: str, tmp_path, profile) -> bytes:
    """`data` saved by LibreOffice as `target` (xlsx, xls)."""
    source_dir = tmp_path / "in"
    source_dir.mkdir(exist_ok=True)
    out_dir = Path(tempfile.mkdtemp(prefix=f"out-{target}-", dir=tmp_path))  # one per conversion
    source = source_dir / f"book{suffix}"
    source.write_bytes(data)
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
         "--outdir", str(out_dir), str(source)],
        check=True, capture_output=True, timeout=120)
    return (out_dir / f"book.{target}").read_bytes()


def minimal_xlsx(sheet_xml_parts, *, compresslevel: int = 1) -> bytes:
    """An .xlsx of one sheet 基本信息 whose XML is streamed into the zip part by part (for huge sheets)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"'
            '/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        archive.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="基本信息" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for part in sheet_xml_parts:
                sheet.write(part.encode())
    return buffer.getvalue()


def sheet_xml(rows: int, *, dimension: str | None) -> Iterator[str]:
    yield ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           '2006/main">')
    if dimension:
        yield f'<dimension ref="{dimension}"/>'
    yield "<sheetData>"
    step = 10_000
    for start in range(1, rows + 1, step):
        yield "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(start, min(start + step, rows + 1)))
    yield "</sheetData></worksheet>"


# --- what is read ---------------------------------------------------------------------------------------------


def test_xlsx_rows_are_plain_values_with_dates_as_dates_integral_numbers_as_int_and_text_stripped():
    sheets = upload(xlsx_bytes({"基本信息": [HEADER, *ROWS], "语言能力": [["姓名", "语种"]]}))
    assert [sheet.name for sheet in sheets] == ["基本信息", "语言能力"]
    assert sheets[0].rows == EXPECTED
    assert type(sheets[0].rows[1][1]) is datetime.date
    assert type(sheets[0].rows[1][2]) is int
    assert sheets[1].rows == [["姓名", "语种"]]


def test_equal_texts_and_dates_of_a_sheet_are_read_as_one_object_each():
    day = datetime.date(2020, 1, 1)
    rows = [["序号", "国家或地区", "开始时间"], *([n, "中国", day] for n in range(1, 6)), [6, "美国", None]]
    sheet = upload(xlsx_bytes({"教育经历": rows}))[0]
    assert sheet.rows == [["序号", "国家或地区", "开始时间"], *([n, "中国", day] for n in range(1, 6)), [6, "美国"]]
    assert len({id(row[1]) for row in sheet.rows[1:6]}) == 1  # sent from the reader once, not once per cell
    assert len({id(row[2]) for row in sheet.rows[1:6]}) == 1


def test_the_values_shared_in_a_sheet_stop_growing_at_their_limit(monkeypatch):
    def cell(text):  # a text object of its own, as each cell read is
        return (text + " ")[:-1]

    monkeypatch.setattr(reading, "SHARED_VALUES", 2)
    shared = {}
    read = [[cell("甲"), cell("乙")], [cell("丙"), cell("甲")], [cell("丙"), cell("乙")]]
    rows = [reading._shared_values(list(row), shared) for row in read]
    assert rows == [["甲", "乙"], ["丙", "甲"], ["丙", "乙"]]
    assert set(shared) == {(str, "甲"), (str, "乙")}  # 丙 came after the limit: kept as it is, not shared
    assert rows[1][1] is rows[0][0] and rows[2][1] is rows[0][1]
    assert rows[2][0] is read[2][0] and rows[2][0] is not rows[1][0]


def test_date_times_stay_date_times_and_row_numbers_hold_when_the_first_rows_are_empty():
    moment = datetime.datetime(2024, 3, 1, 9, 30)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    worksheet = workbook.add_worksheet("会议")
    worksheet.write_row(2, 1, ["名称", "时间"])
    worksheet.write(3, 1, "年会")
    worksheet.write_datetime(3, 2, moment, workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}))
    workbook.close()
    (sheet,) = upload(buffer.getvalue())
    assert sheet.rows == [[], [], [None, "名称", "时间"], [None, "年会", moment]]


def test_a_django_upload_is_read_and_the_real_format_wins_over_the_extension():
    data = xlsx_bytes({"基本信息": [HEADER, *ROWS]})
    (sheet,) = read_upload(SimpleUploadedFile("专家.csv", data))
    assert sheet.rows == EXPECTED


def test_openpyxl_workbooks_are_read_too():
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = "机构"
    worksheet.append(["名称", "成立年份"])
    worksheet.append(["中国化学会", 1932.0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert upload(buffer.getvalue())[0].rows == [["名称", "成立年份"], ["中国化学会", 1932]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_in_gbk_reads_the_same(encoding):
    text = "姓名,出生日期,备注\r\n张三, 1979-05-01 ,\r\n李四,1985-12-31,“引号”·𠀋\r\n\r\n"
    if encoding == "gbk":
        text = text.replace("𠀋", "")  # outside GBK; GB18030 has it
    (sheet,) = read_upload(io.BytesIO(text.encode(encoding)), filename="专家名单.csv")
    assert sheet.name == "专家名单"
    assert sheet.rows[:2] == [["姓名", "出生日期", "备注"], ["张三", "1979-05-01"]]
    assert sheet.rows[2][2].startswith("“引号”·")
    assert len(sheet.rows) == 3


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_csv_delimiter_is_sniffed(delimiter):
    text = delimiter.join(["姓名", "语种", "水平"]) + "\n" + delimiter.join(["张三", "英语", "熟练"]) + "\n"
    (sheet,) = upload(text.encode(), "语言.txt")
    assert sheet.rows == [["姓名", "语种", "水平"], ["张三", "英语", "熟练"]]


def test_excel_unicode_text_utf16_with_tabs_is_read():
    data = "姓名\t语种\r\n张三\t英语\r\n".encode("utf-16")  # Excel's 另存为“Unicode 文本”
    assert upload(data, "语言.txt")[0].rows == [["姓名", "语种"], ["张三", "英语"]]


def test_excel_separator_hint_on_the_first_line_sets_the_delimiter_and_is_no_row():
    (sheet,) = upload("sep=;\r\n名称;简称\r\nBMI 研究会;BMI\r\n".encode(), "机构.csv")
    assert sheet.rows == [["名称", "简称"], ["BMI 研究会", "BMI"]]


def test_a_csv_whose_first_bytes_look_like_an_image_signature_is_still_a_csv():
    assert upload("BMI,体重\r\n24,70\r\n".encode(), "体检.csv")[0].rows == [["BMI", "体重"], ["24", "70"]]


def test_csv_with_commas_inside_quotes_keeps_them():
    (sheet,) = upload('名称,地址\n"学会","北京市,海淀区"\n'.encode(), "a.csv")
    assert sheet.rows == [["名称", "地址"], ["学会", "北京市,海淀区"]]


@needs_soffice
def test_a_file_resaved_by_libreoffice_reads_the_same_as_the_original(convert):
    original = xlsx_bytes({"基本信息": [HEADER, *ROWS], "语言能力": [["姓名", "语种"], ["张三", "英语"]]})
    resaved = convert(original, ".xlsx", "xlsx")
    assert resaved != original
    assert upload(resaved) == upload(original)


WPS_CUSTOM_PROPERTIES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer">'
    '<vt:lpwstr>2052-12.1.0.16729</vt:lpwstr></property>'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="ICV">'
    '<vt:lpwstr>6A1F3C0B2D4E4F5A8B9C0D1E2F3A4B5C_12</vt:lpwstr></property></Properties>')


def wps_shaped(data: bytes, date_format_id: int) -> bytes:
    """`data` (an XlsxWriter workbook) rewritten the way WPS 表格 and a Chinese Excel save theirs: the WPS
    build in docProps/custom.xml; dates shown in a Chinese built-in format (31 yyyy"年"m"月"d"日", 57 yyyy"年"m"月",
    58 m"月"d"日", with no <numFmt> of their own: the reader must know the id); shared strings written as
    rich-text runs with the phonetic guide (<rPh>, <phoneticPr>) that East Asian Excel and WPS add. What WPS
    itself writes can't be made here (it doesn't run on Debian); this is the shape of its files."""
    import re

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            part = source.read(item.filename).decode()
            if item.filename == "xl/styles.xml":
                custom = re.findall(r'<numFmt numFmtId="(\d+)"', part)
                part = re.sub(r"<numFmts[^>]*>.*?</numFmts>", "", part, flags=re.S)
                for number in custom:
                    part = part.replace(f'numFmtId="{number}"', f'numFmtId="{date_format_id}"')
            elif item.filename == "xl/sharedStrings.xml":
                def runs(match):
                    value = match.group(1)
                    head, tail = value[:1], value[1:]
                    rest = f"<r><rPr><b/><sz val=\"11\"/></rPr><t>{tail}</t></r>" if tail else ""
                    return (f'<si><r><t>{head}</t></r>{rest}<rPh sb="0" eb="1"><t>ふりがな</t></rPh>'
                            f'<phoneticPr fontId="1" type="noConversion"/></si>')
                part = re.sub(r"<si><t(?: xml:space=\"preserve\")?>(.*?)</t></si>", runs, part)
            elif item.filename == "docProps/app.xml":
                part = re.sub(r"<Application>.*?</Application>", "<Application>WPS 表格</Application>", part)
            elif item.filename == "[Content_Types].xml":
                part = part.replace("</Types>", '<Override PartName="/docProps/custom.xml" ContentType="application/'
                                    'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>')
            target.writestr(item.filename, part)
        target.writestr("docProps/custom.xml", WPS_CUSTOM_PROPERTIES)
    return out.getvalue()


@pytest.mark.parametrize("date_format_id", [31, 57, 58])
def test_a_file_shaped_as_wps_or_a_chinese_excel_saves_it_reads_the_same_as_the_original(date_format_id):
    original = xlsx_bytes({"基本信息": [HEADER, *ROWS], "语言能力": [["姓名", "语种"], ["张三", "英语"]]})
    shaped = wps_shaped(original, date_format_id)
    archive = zipfile.ZipFile(io.BytesIO(shaped))
    assert b"KSOProductBuildVer" in archive.read("docProps/custom.xml")
    assert b"<rPh" in archive.read("xl/sharedStrings.xml") and b"<numFmt " not in archive.read("xl/styles.xml")
    assert upload(shaped) == upload(original)
    assert upload(shaped)[0].rows[1][1] == datetime.date(1979, 5, 1)


@needs_soffice
def test_an_xls_made_by_libreoffice_reads_the_same_as_the_xlsx(convert):
    original = xlsx_bytes({"基本信息": [HEADER, *ROWS]})
    xls = convert(original, ".xlsx", "xls")
    assert xls.startswith(b"\xd0\xcf\x11\xe0")
    assert upload(xls, "专家.xls") == upload(original)


@needs_soffice
def test_formulas_in_an_xls_are_refused_naming_the_sheet_and_the_cells(convert):
    book = xlsx_bytes({"基本信息": [HEADER, *ROWS], "教育经历": [["年份"], [2001]]}, formula_at="D5")
    xls = convert(book, ".xlsx", "xls")
    assert refusal(xls, "专家.xls").startswith("工作表“基本信息”的 D5 单元格是公式")


@needs_soffice
def test_an_xls_with_a_password_to_open_is_refused(convert, tmp_path):
    """Excel marks such a workbook with a FILEPASS record at the start of its Workbook stream: here one takes the
    place of the CODEPAGE record (same length), which is enough for the check that reads the records."""
    path = tmp_path / "locked.xls"
    path.write_bytes(convert(xlsx_bytes({"基本信息": [HEADER, *ROWS]}), ".xlsx", "xls"))
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        stream = bytearray(ole.openstream("Workbook").read())
        position = 0
        while struct.unpack_from("<H", stream, position)[0] != 0x0042:  # CODEPAGE
            position += 4 + struct.unpack_from("<H", stream, position + 2)[0]
        stream[position:position + 2] = struct.pack("<H", 0x002F)
        ole.write_stream("Workbook", bytes(stream))
    assert refusal(path.read_bytes(), "专家.xls") == "文件已加密（设置了打开密码），请取消密码后再导入"


@needs_soffice
def test_merged_header_cells_of_an_xls_are_refused(convert):
    xls = convert(xlsx_bytes({"基本信息": [HEADER, *ROWS]}, merge="A1:B1"), ".xlsx", "xls")
    assert refusal(xls, "专家.xls") == "工作表“基本信息”的表头有合并单元格（A1:B1），请取消合并后再导入"


# --- what is refused ------------------------------------------------------------------------------------------

NOT_A_SPREADSHEET = "不是 Excel 表格"


@pytest.mark.parametrize(("data", "says"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "该文件是图片"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "该文件是PDF 文件"),
    (os.urandom(4096), NOT_A_SPREADSHEET),
    (b"\x00\x01\x02\x03binary\x00", NOT_A_SPREADSHEET),
])
def test_a_file_that_is_not_a_spreadsheet_is_refused_whatever_its_name(data, says):
    assert says in refusal(data, "专家.xlsx")


@pytest.mark.parametrize("markup", [
    "<html><body><table><tr><td>姓名</td></tr><tr><td>张三</td></tr></table></body></html>",
    '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
])
def test_a_web_page_or_xml_file_named_xls_is_refused_with_what_to_do(markup):
    assert "“另存为”Excel 工作簿（.xlsx）" in refusal(("\ufeff" + markup).encode(), "导出.xls")


def test_a_word_document_is_not_a_spreadsheet():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert NOT_A_SPREADSHEET in refusal(buffer.getvalue(), "专家.xlsx")


def test_a_password_protected_workbook_is_refused():
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx_bytes({"基本信息": [HEADER, *ROWS]}))).encrypt("Secret-1", encrypted)
    assert encrypted.getvalue().startswith(b"\xd0\xcf\x11\xe0")
    assert refusal(encrypted.getvalue()) == "文件已加密（设置了打开密码），请取消密码后再导入"


def test_an_empty_file_is_refused():
    assert "文件是空的" in refusal(b"", "专家.xlsx")
    assert "文件是空的" in refusal(b"", "专家.csv")


@pytest.mark.parametrize("data", [
    xlsx_bytes({"基本信息": [HEADER], "语言能力": [["姓名", "语种"]]}),
    xlsx_bytes({"基本信息": []}),
    "姓名,出生日期\r\n\r\n".encode(),
])
def test_a_file_with_no_data_rows_is_refused(data):
    assert refusal(data) == "文件中没有数据行（只有表头或全部为空），请在表头下方填写数据后再导入"


def test_a_file_over_the_size_limit_is_refused_naming_the_limit_in_megabytes():
    assert "文件超过 0.5 MB 的大小上限" in refusal(b"a,b\n" * 200_000, "x.csv", max_bytes=512 * 1024)
    with override_settings(IODP_IMPORT_MAX_BYTES=1024 * 1024):
        big = SimpleUploadedFile("big.csv", b"a,b\n" * 300_000)
        with pytest.raises(RefusedFile, match="文件超过 1 MB 的大小上限"):
            read_upload(big)


def test_the_default_size_limit_is_20_megabytes():
    class Endless(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            buffer[:] = b"a" * len(buffer)
            return len(buffer)

    with pytest.raises(RefusedFile, match="文件超过 20 MB 的大小上限"):
        read_upload(io.BufferedReader(Endless()), filename="stream.csv")


def test_a_zip_bomb_is_refused_by_its_compression_ratio_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    assert len(buffer.getvalue()) < 100_000
    assert "疑似压缩炸弹" in refusal(buffer.getvalue())


def test_a_zip_bomb_of_many_small_members_is_refused_by_its_declared_total_size():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for n in range(25):
            archive.writestr(f"xl/media/image{n}.bin", b"\0" * 1_000_000)
    assert "疑似压缩炸弹" in refusal(buffer.getvalue(), max_bytes=1024 * 1024)


def test_a_member_that_unpacks_beyond_its_declared_size_is_refused_as_corrupt():
    data = xlsx_bytes({"基本信息": [HEADER, *ROWS]})
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo("xl/sharedStrings.xml")
    # Shrink the declared size (in the central directory) so the real data overruns it.
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"xl/sharedStrings.xml") + 1)
    tampered = bytearray(data)
    tampered[central + 24:central + 28] = (info.file_size // 2).to_bytes(4, "little")
    assert "文件已损坏" in refusal(bytes(tampered))


def test_a_sheet_of_a_million_rows_is_refused_from_its_dimension_without_reading_the_rows():
    started = time.perf_counter()
    data = minimal_xlsx(sheet_xml(1_000_000, dimension="A1:A1000000"))
    built = time.perf_counter()
    message = refusal(data)
    refused = time.perf_counter()
    assert message.startswith("工作表“基本信息”有 1,000,000 行，超过每个工作表 200,000 行的上限")
    assert refused - built < 1.0, f"refusing took {refused - built:.2f} s (building {built - started:.2f} s)"


def test_a_sheet_whose_dimension_understates_its_rows_is_refused_while_streaming():
    data = minimal_xlsx(sheet_xml(1_000_000, dimension="A1"))
    assert refusal(data).startswith("工作表“基本信息”的行数超过每个工作表 200,000 行的上限；")
    assert "超过每个工作表 1,000 行的上限" in refusal(minimal_xlsx(sheet_xml(1001, dimension=None)), max_rows=1000)
    assert len(upload(minimal_xlsx(sheet_xml(1000, dimension=None)), max_rows=1000)[0].rows) == 1000


def test_a_sparse_sheet_whose_grid_would_be_huge_is_refused():
    cells = ['<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>',
             '<row r="199999"><c r="ZZ199999"><v>1</v></c></row>']
    data = minimal_xlsx(['<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
                         *cells, "</sheetData></worksheet>"])
    assert "超出可导入的范围" in refusal(data)


@pytest.mark.parametrize(("reference", "says"), [
    ("A150000000", "工作表“基本信息”的行数超过每个工作表 200,000 行的上限"),  # calamine would abort allocating it
    ("A999999", "工作表“基本信息”的行数超过每个工作表 200,000 行的上限"),
    ("A200000", "工作表“基本信息”超出可导入的范围（行数 × 列数太大）"),  # 200,000 rows × 16,384 columns
])
def test_a_cell_whose_own_reference_lies_far_below_its_row_is_refused_before_calamine_sees_it(reference, says):
    data = minimal_xlsx(['<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
                         '<row r="1"><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>',
                         f'<row r="2"><c r="{reference}"><v>1</v></c></row>', "</sheetData></worksheet>"])
    assert says in refusal(data)


def test_a_csv_with_more_rows_than_the_limit_is_refused():
    assert "超过 10 行的上限" in refusal(b"a\n" * 11, "x.csv", max_rows=10)


def test_formulas_are_refused_naming_the_sheet_and_the_cells():
    data = xlsx_bytes({"基本信息": [HEADER, *ROWS]}, formula_at="D5")
    assert refusal(data) == ("工作表“基本信息”的 D5 单元格是公式，"
                             "请将公式转换为数值（复制后“选择性粘贴→数值”）再导入")


def test_many_formulas_written_by_openpyxl_are_named_a_few_at_a_time():
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = "教育经历"
    worksheet.append(["年份", "加一"])
    for r in range(2, 12):
        worksheet.append([2000 + r, f"=A{r}+1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert refusal(buffer.getvalue()).startswith("工作表“教育经历”的 B2、B3、B4、B5、B6 等单元格是公式")


def test_merged_cells_in_the_header_row_are_refused_but_merges_below_it_are_not():
    data = xlsx_bytes({"基本信息": [HEADER, *ROWS]}, merge="A1:B1")
    assert refusal(data) == "工作表“基本信息”的表头有合并单元格（A1:B1），请取消合并后再导入"
    assert upload(xlsx_bytes({"基本信息": [HEADER, *ROWS]}, merge="D3:E4"))


def test_a_title_merged_across_the_whole_first_row_is_read_as_a_title():
    """A form's title banner (A1 to the last column: LibreOffice merges a title centred across the form) hides no
    header; a merge that stops short of the last column still does."""
    titled = [["专家信息登记表"], [], HEADER, *ROWS]
    (sheet,) = upload(xlsx_bytes({"基本信息": titled}, merge="A1:E1"))
    assert sheet.rows[0] == ["专家信息登记表"] and sheet.rows[2] == HEADER
    assert refusal(xlsx_bytes({"基本信息": titled}, merge="A1:D1")) == (
        "工作表“基本信息”的表头有合并单元格（A1:D1），请取消合并后再导入")


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_truncated_workbook_is_refused_as_corrupt(cut):
    data = xlsx_bytes({"基本信息": [HEADER, *ROWS] * 50})
    assert "文件已损坏或不完整" in refusal(data[: int(len(data) * cut)])


def test_an_ole2_file_that_is_not_a_workbook_is_refused():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le") + bytes(1000)
    assert NOT_A_SPREADSHEET in refusal(data, "专家.xls")


def mutations(data: bytes, count: int, seed: int):
    generator = random.Random(seed)
    for _ in range(count):
        mutated = bytearray(data)
        for _ in range(generator.randint(1, 8)):
            mutated[generator.randrange(len(mutated))] = generator.randrange(256)
        yield bytes(mutated)


def assert_read_or_refused(files) -> None:
    for data in files:
        try:
            sheets = upload(data)
        except RefusedFile as refused:
            assert refused.message
        else:
            assert all(isinstance(sheet.rows, list) for sheet in sheets)


def test_damaged_workbooks_are_read_or_refused_never_a_crash():
    original = xlsx_bytes({"基本信息": [HEADER, *ROWS] * 20})
    stored = io.BytesIO()  # unpacked members, so that damage lands in the XML as well as in the zip structure
    with zipfile.ZipFile(io.BytesIO(original)) as source, zipfile.ZipFile(stored, "w") as target:
        for member in source.infolist():
            target.writestr(member.filename, source.read(member))
    assert_read_or_refused(mutations(original, 100, seed=1))
    assert_read_or_refused(mutations(stored.getvalue(), 100, seed=2))


@needs_soffice
def test_damaged_xls_files_are_read_or_refused_never_a_crash(convert):
    """calamine panics on some damaged .xls files and asks for hundreds of gigabytes on others (seen while fuzzing
    with 3,000 mutations): it runs in a child process with limited memory, so only the child dies."""
    xls = convert(xlsx_bytes({"基本信息": [HEADER, *ROWS]}), ".xlsx", "xls")
    assert_read_or_refused(mutations(xls, 40, seed=3))


@pytest.mark.parametrize("dies", [
    lambda: os.kill(os.getpid(), signal.SIGKILL),  # as a failed Rust allocation (abort) or the OOM killer would
    lambda: bytearray(reading.READER_MEMORY + 2**30),  # beyond the child's memory limit
])
def test_a_reader_child_that_dies_or_runs_out_of_memory_means_a_refusal_and_the_caller_lives_on(dies):
    with pytest.raises(RefusedFile, match="文件已损坏或不完整"):
        reading._isolated(dies)
    assert reading._isolated(lambda: [SheetRows(name="a", rows=[[1]])]) == [SheetRows(name="a", rows=[[1]])]


def test_sheets_written_with_a_namespace_prefix_are_read_and_checked_alike():
    """.NET exporters (the Open XML SDK) write <x:row>, <x:c>, <x:f>."""
    start = ('<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<x:dimension ref="A1:B2"/><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>姓名</x:t>'
             '</x:is></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>年份</x:t></x:is></x:c></x:row>')
    plain = minimal_xlsx([start, '<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>张三</x:t></x:is></x:c>'
                                 '<x:c r="B2"><x:v>1979</x:v></x:c></x:row></x:sheetData></x:worksheet>'])
    assert upload(plain)[0].rows == [["姓名", "年份"], ["张三", 1979]]
    formula = minimal_xlsx([start, '<x:row r="2"><x:c r="A2"><x:v>1</x:v></x:c><x:c r="B2"><x:f>A2+1</x:f>'
                                   '<x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>'])
    assert refusal(formula).startswith("工作表“基本信息”的 B2 单元格是公式")


# --- a large workbook, read by two readers at once ------------------------------------------------------------

SHEETS = {"基本信息": [HEADER, *ROWS] * 40, "语言能力": [["序号", "语种"], *([i, "英语"] for i in range(300))],
          "教育经历": [HEADER, *ROWS] * 60, "工作经历": [["序号"], [1], [2]], "国际组织任职": [HEADER, *ROWS] * 10}


@pytest.fixture
def two_readers(monkeypatch):
    """Any workbook read by two readers (the size above which a workbook is: one byte)."""
    monkeypatch.setattr(reading, "PARALLEL_READING_BYTES", 1)


def test_only_a_workbook_of_more_than_a_few_megabytes_of_sheets_has_two_readers():
    for data, halves in ((xlsx_bytes(SHEETS), False), (xlsx_bytes({"基本信息": [HEADER, *ROWS] * 40000,
                                                                 "语言能力": [HEADER, *ROWS] * 40000}), True)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            first = reading._first_half(reading._worksheet_paths(archive), archive.infolist())
        assert first == (("基本信息",) if halves else None)


def test_two_readers_give_the_sheets_in_the_workbook_s_order_as_one_reader_does(two_readers):
    data = xlsx_bytes(SHEETS)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = reading._first_half(reading._worksheet_paths(archive), archive.infolist())
    # the first sheets up to about half of the XML: 基本信息 and 语言能力 against 教育经历 and the rest
    assert first == ("基本信息", "语言能力")
    read = upload(data)
    assert [sheet.name for sheet in read] == list(SHEETS)
    assert read == reading._read_with_calamine(data, reading.DEFAULT_MAX_ROWS)
    assert read[0].rows[:4] == EXPECTED and len(read[2].rows) == 4 * 60


def test_a_refusal_read_by_either_reader_is_the_one_a_single_reader_gives(two_readers):
    second_half = xlsx_bytes(SHEETS, merge="A1:B1", only_in=("国际组织任职",))
    assert refusal(second_half) == "工作表“国际组织任职”的表头有合并单元格（A1:B1），请取消合并后再导入"
    both = xlsx_bytes(SHEETS, merge="A1:B1", only_in=("基本信息", "国际组织任职"))
    assert refusal(both) == "工作表“基本信息”的表头有合并单元格（A1:B1），请取消合并后再导入"
    assert not multiprocessing.active_children()


def test_what_the_scan_refuses_stops_the_readers_that_run_meanwhile(two_readers):
    data = xlsx_bytes(SHEETS, formula_at="C2", only_in=("教育经历",))
    assert refusal(data).startswith("工作表“教育经历”的 C2 单元格是公式")
    assert not multiprocessing.active_children()
    assert upload(xlsx_bytes(SHEETS))  # and the next file is read


# --- a reading kept with an import batch ---------------------------------------------------------------------


def test_a_kept_reading_gives_back_the_sheets_as_read_every_value_of_its_type():
    moment = datetime.datetime(2024, 3, 1, 9, 30)
    day = datetime.date(2020, 1, 1)
    sheets = upload(xlsx_bytes({"基本信息": [HEADER, *ROWS], "会议": [["名称", "时间", "人数", "比例", "是否"],
                                                                  ["年会", moment, 12, 0.25, True], ["中国", day],
                                                                  ["中国", day, None, None, False]]}))
    kept = reading.reading_kept(reading.kept_reading(sheets))
    assert kept == sheets
    assert [[type(value) for value in row] for sheet in kept for row in sheet.rows] == [
        [type(value) for value in row] for sheet in sheets for row in sheet.rows]
    assert kept[1].rows[2][0] is kept[1].rows[3][0]  # one object still for a text the sheet repeats


def test_a_kept_reading_of_another_version_or_holding_anything_else_is_not_used(tmp_path, caplog):
    import pickle
    import zlib

    sheets = upload(xlsx_bytes({"基本信息": [HEADER, *ROWS]}))
    assert reading.reading_kept(None) is None and reading.reading_kept(b"") is None
    assert reading.reading_kept(b"iodp-reading-0\n" + reading.kept_reading(sheets)[len(reading.KEPT_READING):]) is None

    class Touch:  # what a forged pickle would run when loaded: it must never be looked up
        def __reduce__(self):
            return (Path.touch, (tmp_path / "ran",))

    forged = reading.KEPT_READING + zlib.compress(pickle.dumps([SheetRows("基本信息", [[Touch()]])]))
    assert reading.reading_kept(forged) is None and not (tmp_path / "ran").exists()
    assert "is not part of a reading" in caplog.text
    assert reading.reading_kept(reading.KEPT_READING + b"not zlib") is None
    assert reading.reading_kept(reading.KEPT_READING + zlib.compress(pickle.dumps({"rows": []}))) is None
    assert reading.reading_kept(memoryview(reading.kept_reading(sheets))) == sheets  # (as PostgreSQL gives it)
