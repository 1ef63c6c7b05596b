"""manage.py import_experts / export_experts: the same checks and summary as the web import, exit status 1 on a
refused file or invalid rows (nothing written)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from iodp.experts.models import Expert

from ..experts.conftest import ID_1980, make_expert
from .test_import_views import basic_row, post, xlsx

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_export_then_import_by_login_name_changes_nothing(unit_user, organization, tmp_path):
    make_expert(unit_user, organization=organization)
    target = tmp_path / "experts.xlsx"
    code, out, _err = run("export_experts", str(target), "--unit", "unit_a")
    assert code == 0 and "已导出 1 位专家" in out
    code, out, err = run("import_experts", str(target), "--unit", "甲省科学技术协会")
    assert code == 0, err
    assert "已新增 0 条，已更新 0 条，未变化 1 条，有错误 0 条" in out
    assert Expert.objects.get().id_number == ID_1980


def test_new_experts_with_dry_run_then_for_real(unit_user, organization, tmp_path):
    source = tmp_path / "new.xlsx"
    source.write_bytes(xlsx([basic_row(1)], positions=[post(1)]))
    code, out, _err = run("import_experts", str(source), "--unit", "unit_a", "--dry-run")
    assert code == 0 and "将新增 1 条" in out and "未写入" in out and not Expert.objects.exists()
    code, out, _err = run("import_experts", str(source), "--unit", "unit_a")
    assert code == 0 and "已新增 1 条" in out and Expert.objects.get().unit == unit_user.unit


def test_invalid_rows_exit_1_and_write_nothing(unit_user, organization, tmp_path):
    source = tmp_path / "bad.xlsx"
    source.write_bytes(xlsx([basic_row(1), basic_row(2, "钱学文", 性别="未知")], positions=[post(1), post(2)]))
    code, _out, err = run("import_experts", str(source), "--unit", "unit_a")
    assert code == 1 and "基本信息 第 3 行“性别”" in err and "未导入任何内容" in err
    assert not Expert.objects.exists()


def test_a_refused_file_exits_1(unit_user, tmp_path):
    source = tmp_path / "photo.xlsx"
    source.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    code, _out, err = run("import_experts", str(source), "--unit", "unit_a")
    assert code == 1 and "不是表格" in err


def test_an_unknown_unit_or_file_is_an_error(unit_user, tmp_path):
    source = tmp_path / "x.xlsx"
    source.write_bytes(xlsx([basic_row(1)]))
    with pytest.raises(CommandError, match="没有这个单位"):
        call_command("import_experts", str(source), "--unit", "nobody", stdout=io.StringIO())
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_experts", str(tmp_path / "missing.xlsx"), "--unit", "unit_a", stdout=io.StringIO())
