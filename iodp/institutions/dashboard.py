from django.urls import reverse
from django.utils.translation import gettext as _

from iodp.core.dashboard import register_home_counts

from .models import Institution


@register_home_counts
def profile_figures(user):
    if user.is_platform_admin:
        approved = Institution.objects.official().count()
        return [{"label": _("机构信息已审核"), "value": approved, "url": reverse("institutions:home")}]
    profile = Institution.objects.owned_by(user.unit).filter(revision_of__isnull=True).first()
    value = f"{profile.completeness}%" if profile else "0%"
    return [{"label": _("机构信息完整度"), "value": value, "url": reverse("institutions:home")}]
