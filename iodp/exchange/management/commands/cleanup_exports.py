"""manage.py cleanup_exports: remove the files of export jobs older than IODP_EXPORT_KEEP_DAYS (run it daily, e.g.
from cron; a new export job also does it on the way)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from iodp.exchange.services import export_cleanup


class Command(BaseCommand):
    help = "删除超过保留期限（IODP_EXPORT_KEEP_DAYS 天）的导出文件。"

    def handle(self, *args, **options):
        removed = export_cleanup()
        self.stdout.write(_("已删除 %(n)s 个超过 %(days)s 天的导出文件。") % {
            "n": removed, "days": settings.IODP_EXPORT_KEEP_DAYS})
