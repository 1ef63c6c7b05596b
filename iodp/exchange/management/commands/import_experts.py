"""manage.py import_experts FILE --unit UNIT [--dry-run] [--submit]: the web import's checks and summary, from
the command line. Exit status 1 when the file is refused or has invalid rows (nothing is then written)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from iodp.exchange.reading import RefusedFile, read_upload
from iodp.exchange.registry import RefusedImport, importer_for

from ._units import unit_and_account


class Command(BaseCommand):
    help = "导入专家信息（专家信息模板 .xlsx/.xls/.csv）到一个单位。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", required=True, help="单位账号的登录名或单位全称")
        parser.add_argument("--dry-run", action="store_true", help="只校验并报告，不写入")
        parser.add_argument("--submit", action="store_true", help="导入后直接提交审核")

    def handle(self, *args, file, unit, dry_run, submit, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("找不到文件：%(path)s") % {"path": path})
        unit, account = unit_and_account(unit)
        try:
            with path.open("rb") as handle:
                sheets = read_upload(handle, filename=path.name)
            result = importer_for("experts").run(sheets, user=account, unit=unit, submit=submit, dry_run=dry_run)
        except (RefusedFile, RefusedImport) as refusal:
            self.stderr.write(str(refusal.message))
            sys.exit(1)
        counts = {"unit": unit.name, "new": result.new, "updated": result.updated, "unchanged": result.unchanged,
                  "invalid": result.invalid}
        if dry_run or not result.ok:
            summary = _("%(unit)s：将新增 %(new)s 条，将更新 %(updated)s 条，未变化 %(unchanged)s 条，有错误 %(invalid)s 条。")
        else:
            summary = _("%(unit)s：已新增 %(new)s 条，已更新 %(updated)s 条，未变化 %(unchanged)s 条，有错误 %(invalid)s 条。")
        self.stdout.write(summary % counts)
        for problem in result.problems:
            self.stderr.write(_("%(sheet)s 第 %(row)s 行%(column)s：%(message)s") % {
                "sheet": problem.sheet, "row": problem.row,
                "column": f"“{problem.column}”" if problem.column else "", "message": problem.message})
        for warning in result.warnings:
            self.stdout.write(_("提示：%(sheet)s 第 %(row)s 行：%(message)s") % warning.as_dict())
        if not result.ok:
            self.stderr.write(_("有错误，未导入任何内容。"))
            sys.exit(1)
        if dry_run:
            self.stdout.write(_("校验通过（--dry-run：未写入）。"))
