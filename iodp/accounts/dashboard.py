from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from iodp.core.dashboard import register_home_counts

from .models import Unit, UnitStatus


@register_home_counts
def unit_counts(user):
    if not user.is_platform_admin:
        return []
    counts = dict(Unit.objects.values_list("status").annotate(n=Count("id")))
    url = reverse("accounts:unit_list")
    return [
        {"label": _("已通过单位"), "value": counts.get(UnitStatus.APPROVED, 0), "url": f"{url}?status=approved"},
        {"label": _("待审核注册"), "value": counts.get(UnitStatus.PENDING, 0), "url": f"{url}?status=pending"},
    ]
