"""Naming a unit on the command line: its account's login name or its full name."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from iodp.accounts.models import Unit, UnitStatus, User


def unit_and_account(name: str) -> tuple[Unit, User]:
    """The unit named `name` (login name of its account, or its full name) and the account that acts for it."""
    account = User.objects.filter(username=name, unit__isnull=False).select_related("unit").first()
    if account is None:
        unit = Unit.objects.exclude(status=UnitStatus.REJECTED).filter(name=name).first()
        account = User.objects.filter(unit=unit).order_by("pk").first() if unit else None
    if account is None:
        raise CommandError(_("没有这个单位：%(name)s（请填写单位账号的登录名或单位全称）。") % {"name": name})
    if account.unit.status != UnitStatus.APPROVED:
        raise CommandError(_("单位“%(name)s”尚未通过审核或已停用，不能导入。") % {"name": account.unit.name})
    return account.unit, account
