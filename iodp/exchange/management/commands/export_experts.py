"""manage.py export_experts FILE [--unit UNIT] [--reveal-ids]: the experts workbook (the template's sheets) of one
unit or of all, as the experts list exports it. ID numbers stay masked unless --reveal-ids (logged)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from iodp.exchange.models import ExportLog
from iodp.exchange.xlsx import write_workbook
from iodp.experts.exports import expert_workbook
from iodp.experts.models import Expert

from ._units import unit_and_account


class Command(BaseCommand):
    help = "导出专家信息（专家信息模板的各工作表）。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", help="单位账号的登录名或单位全称；不填时导出全部单位")
        parser.add_argument("--reveal-ids", action="store_true", help="导出完整证件号码和出生日期（记录在导出记录中）")

    def handle(self, *args, file, unit=None, reveal_ids=False, **options):
        experts = Expert.objects.filter(revision_of__isnull=True)
        chosen = None
        if unit:
            chosen, _account = unit_and_account(unit)
            experts = experts.filter(unit=chosen)
        experts = experts.order_by("name_pinyin", "pk")
        rows = write_workbook(file, expert_workbook(experts, reveal_ids=reveal_ids))[0]
        ExportLog.objects.create(list_name="manage.py export_experts", params=f"unit={unit or ''}", rows=rows,
                                 revealed_ids=reveal_ids, unit=chosen, exported_by=None)
        self.stdout.write(_("已导出 %(n)s 位专家到 %(file)s。") % {"n": rows, "file": file})
