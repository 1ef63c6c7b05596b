"""导入 as a unit meets it: download the template, upload, read the preview, confirm (or cancel), revisit the log.
Bad files are refused with a message and nothing changes; other units and anonymous users see nothing."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from iodp.core.models import ChangeLog
from iodp.core.workflow import RecordStatus
from iodp.exchange.models import ImportBatch, ImportStatus
from iodp.experts.models import Expert

from ..experts.conftest import ID_1980, make_expert
from .test_expert_import import BASIC_HEADER, basic_row, post
from .test_reading import needs_soffice

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(basic_rows, *, positions=(), languages=()) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "基本信息"
    for row in [BASIC_HEADER, *basic_rows]:
        sheet.append(row)
    sheet = book.create_sheet("语言能力")
    for row in [["序号", "语种", "熟练程度", "证书"], *languages]:
        sheet.append(row)
    sheet = book.create_sheet("国际组织任职")
    for row in [["序号", "国际组织", "英文缩写", "职务名称", "职位", "层级", "任期开始", "任期结束", "任职状态"], *positions]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, name="专家信息.xlsx", **extra):
    return client.post(reverse("exchange:import_upload", args=["experts"]),
                       {"file": SimpleUploadedFile(name, content, content_type=XLSX), **extra})


def test_upload_preview_then_confirm(unit_user, unit_client, organization):
    response = upload(unit_client, xlsx([basic_row(1), basic_row(2, "欧阳晓梅", 性别="女", 证件号码=None)],
                                        positions=[post(1), post(2)], languages=[[1, "英语", "工作语言", None]]))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == batch.get_absolute_url()
    assert batch.status == ImportStatus.VALIDATED and not Expert.objects.exists()  # a preview writes nothing
    page = unit_client.get(batch.get_absolute_url()).content.decode()
    assert 'data-testid="count-new">2<' in page and "确认导入" in page and "尚未写入任何内容" in page

    response = unit_client.post(reverse("exchange:import_confirm", args=[batch.pk]), {"action": "confirm"},
                                follow=True)
    assert "导入完成：新增 2 条，更新 0 条，未变化 0 条。" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and batch.committed_at is not None
    assert set(Expert.objects.values_list("name_zh", "status")) == {("司马青", "draft"), ("欧阳晓梅", "draft")}
    # Confirming again does nothing.
    response = unit_client.post(reverse("exchange:import_confirm", args=[batch.pk]), {"action": "confirm"},
                                follow=True)
    assert "不能再次导入" in response.content.decode() and Expert.objects.count() == 2
    assert "专家信息.xlsx" in unit_client.get(reverse("exchange:import_list")).content.decode()


def test_a_file_with_errors_shows_each_one_and_cannot_be_confirmed(unit_user, unit_client, organization):
    upload(unit_client, xlsx([basic_row(1, 性别="未知")], positions=[post(1, organization="不存在的组织")]))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.INVALID
    page = unit_client.get(batch.get_absolute_url()).content.decode()
    assert "未导入任何内容" in page and "确认导入" not in page
    assert "<td>基本信息</td><td>2</td><td>性别</td>" in page
    assert "<td>国际组织任职</td><td>2</td><td>国际组织</td>" in page
    unit_client.post(reverse("exchange:import_confirm", args=[batch.pk]), {"action": "confirm"})
    assert not Expert.objects.exists()


def test_cancelling_imports_nothing(unit_user, unit_client, organization):
    upload(unit_client, xlsx([basic_row(1)], positions=[post(1)]))
    batch = ImportBatch.objects.get()
    unit_client.post(reverse("exchange:import_confirm", args=[batch.pk]), {"action": "cancel"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED and not Expert.objects.exists()


def test_submit_on_import_sends_the_experts_for_review(unit_user, unit_client, organization):
    upload(unit_client, xlsx([basic_row(1)], positions=[post(1)], languages=[[1, "英语", "工作语言", None]]),
           submit="on")
    unit_client.post(reverse("exchange:import_confirm", args=[ImportBatch.objects.get().pk]), {"action": "confirm"})
    assert Expert.objects.get().status == RecordStatus.SUBMITTED


@pytest.mark.parametrize("content,name,message", [
    (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "照片.xlsx", "该文件是图片，不是表格"),
    (b"", "空.xlsx", "文件是空的"),
    ("姓名,性别\n张三,男\n".encode("gbk"), "名单.csv", "缺少工作表“基本信息”"),
])
def test_a_bad_file_is_refused_with_a_message_and_nothing_is_stored(unit_client, content, name, message):
    response = upload(unit_client, content, name=name)
    assert response.status_code == 200 and message in response.content.decode()
    assert not ImportBatch.objects.exists() and not Expert.objects.exists()


def test_a_gbk_csv_of_the_basic_sheet_imports(unit_user, unit_client):
    text = ",".join(["序号", "姓名", "性别", "工作单位"]) + "\r\n" + "1,诸葛青,男,浙江大学\r\n"
    upload(unit_client, text.encode("gb18030"), name="基本信息.csv")
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.VALIDATED, batch.result
    unit_client.post(reverse("exchange:import_confirm", args=[batch.pk]), {"action": "confirm"})
    assert Expert.objects.get().employer == "浙江大学"


def test_the_template_has_instructions_sheets_and_drop_down_lists(unit_client):
    response = unit_client.get(reverse("exchange:template", args=["experts"]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[:6] == ["填表说明", "基本信息", "语言能力", "教育经历", "工作经历", "国际组织任职"]
    assert "序号" in book["填表说明"]["A2"].value
    basic = book["基本信息"]
    assert [c.value for c in basic[1]][:4] == ["专家编号", "序号", "专家类型", "姓名"]
    formulas = [v.formula1 for v in basic.data_validations.dataValidation]
    assert any("已任职专家" in f and "后备专家" in f for f in formulas)


def test_an_exported_list_imports_back_with_no_change(unit_user, unit_client, organization, platform_admin):
    make_expert(unit_user, organization=organization, approve_by=platform_admin)
    exported = b"".join(unit_client.get(reverse("exchange:export", args=["experts:list"])).streaming_content)
    logged = ChangeLog.objects.count()
    upload(unit_client, exported, name="导出的专家.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.VALIDATED, batch.result["problems"]
    assert (batch.result["new"], batch.result["updated"], batch.result["unchanged"]) == (0, 0, 1)
    unit_client.post(reverse("exchange:import_confirm", args=[batch.pk]), {"action": "confirm"})
    assert ChangeLog.objects.count() == logged and Expert.objects.get().id_number == ID_1980


def test_the_platform_admin_imports_for_a_chosen_unit(unit_user, admin_client_, organization):
    response = upload(admin_client_, xlsx([basic_row(1)], positions=[post(1)]))
    assert "导入到单位" in response.content.decode() and not ImportBatch.objects.exists()  # the unit is required
    upload(admin_client_, xlsx([basic_row(1)], positions=[post(1)]), unit=unit_user.unit.pk)
    batch = ImportBatch.objects.get()
    admin_client_.post(reverse("exchange:import_confirm", args=[batch.pk]), {"action": "confirm"})
    assert Expert.objects.get().unit == unit_user.unit


def test_another_unit_and_anonymous_users_get_nothing(unit_user, unit_client, other_client, client, organization):
    upload(unit_client, xlsx([basic_row(1)], positions=[post(1)]))
    batch = ImportBatch.objects.get()
    assert other_client.get(batch.get_absolute_url()).status_code == 404
    assert other_client.post(reverse("exchange:import_confirm", args=[batch.pk]), {"action": "confirm"}
                             ).status_code == 404
    assert "专家信息.xlsx" not in other_client.get(reverse("exchange:import_list")).content.decode()
    for url in (batch.get_absolute_url(), reverse("exchange:import_upload", args=["experts"]), reverse("exchange:import_list"),
                reverse("exchange:template", args=["experts"])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), url
    assert not Expert.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(unit_client, settings):
    settings.IODP_IMPORT_MAX_BYTES = 1024 * 1024
    response = upload(unit_client, b"0" * (1024 * 1024 + 1))
    assert "超过上限 1 MB" in response.content.decode() and not ImportBatch.objects.exists()


def test_dates_in_the_file_are_read_as_dates(unit_user, unit_client, organization):
    upload(unit_client, xlsx([basic_row(1, 出生日期=datetime.datetime(1975, 3, 8))], positions=[post(1)]))
    assert ImportBatch.objects.get().status == ImportStatus.VALIDATED


@needs_soffice
@pytest.mark.parametrize("target", ["xlsx", "xls"])
def test_an_export_resaved_by_libreoffice_imports_back_with_no_change(target, unit_user, unit_client, organization,
                                                                      platform_admin, convert):
    """What a unit does: open the exported sheet in a spreadsheet program, save it, upload it."""
    make_expert(unit_user, organization=organization, approve_by=platform_admin)
    exported = b"".join(unit_client.get(reverse("exchange:export", args=["experts:list"])).streaming_content)
    upload(unit_client, convert(exported, ".xlsx", target), name=f"专家.{target}")
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.VALIDATED, batch.result["problems"]
    assert (batch.result["new"], batch.result["updated"], batch.result["unchanged"]) == (0, 0, 1)


def test_files_are_in_chinese_whatever_the_ui_language(unit_user, unit_client, organization):
    """One format: a sheet exported from the English UI has the template's Chinese headers and imports back."""
    make_expert(unit_user, organization=organization)
    unit_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = unit_client.get(reverse("exchange:export", args=["experts:list"]))
    exported = b"".join(response.streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(exported))
    assert [c.value for c in book["基本信息"][1]][:4] == ["专家编号", "序号", "专家类型", "姓名"]
    assert book["基本信息"]["D2"].value == "周建华" and book["基本信息"]["C2"].value == "已任职专家"
    page = upload(unit_client, exported, name="experts.xlsx")
    batch = ImportBatch.objects.get()
    assert page.status_code == 302 and batch.result["unchanged"] == 1, batch.result["problems"]
    assert "Unchanged" in unit_client.get(batch.get_absolute_url()).content.decode()  # the page follows the UI


def test_a_refused_file_is_explained_in_the_readers_language(unit_client):
    """Files are read in Chinese (the template's headers), but a refusal is shown in the page's language."""
    unit_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = upload(unit_client, b"%PDF-1.7 not a sheet", name="experts.csv")
    assert "This file is a PDF file, not a spreadsheet." in response.content.decode()
    book = openpyxl.Workbook()
    book.active.title = "基本信息"
    book.active.append(["序号", "性别"])
    book.active.append([1, "男"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(unit_client, buffer.getvalue(), name="experts.xlsx")
    body = response.content.decode()
    assert "The sheet “基本信息” has no column “姓名”. Use the template" in body
    assert not ImportBatch.objects.exists()
