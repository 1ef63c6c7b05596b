"""Demo data for `make run`: units, users, and (as modules land) their records. Loaded once."""

from django.db import transaction

from iodp.accounts import services as account_services
from iodp.accounts.models import Unit, UnitStatus
from iodp.reference.models import Region

DEMO_PASSWORD = "Demo-2026!"
DEMO_UNITS = [
    # username, unit name, type, province code, admin, phone, email, status
    ("bj_kx", "北京市科学技术协会", "provincial", "110000", "王敏", "13800138001", "wangmin@example.cn",
     UnitStatus.APPROVED),
    ("ccs", "中国化学会", "national_society", "110000", "李强", "13800138002", "liqiang@example.cn",
     UnitStatus.APPROVED),
    ("zju_kx", "浙江大学科学技术协会", "university", "330000", "陈静", "13800138003", "chenjing@example.cn",
     UnitStatus.PENDING),
]
_extra_loaders = []


def register_demo_loader(loader):
    """Modules add their demo records with `loader(units: dict[username, Unit], admin)`."""
    _extra_loaders.append(loader)
    return loader


@transaction.atomic
def load_demo(admin) -> bool:
    """Create the demo units and users unless they exist. Returns False when demo data was already there."""
    if Unit.objects.filter(name=DEMO_UNITS[0][1]).exists():
        return False
    units = {}
    for username, name, unit_type, province, admin_name, phone, email, status in DEMO_UNITS:
        user = account_services.unit_register(
            unit_name=name, unit_type=unit_type, province=Region.objects.get(code=province), admin_name=admin_name,
            admin_phone=phone, admin_email=email, username=username, password=DEMO_PASSWORD,
        )
        if status == UnitStatus.APPROVED:
            account_services.unit_approve(unit=user.unit, by=admin)
        units[username] = user.unit
    for loader in _extra_loaders:
        loader(units, admin)
    return True
