"""Figures of the organizations module on the home page and on a unit's institution page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from iodp.core.dashboard import register_home_counts, register_unit_figures

from .models import MembershipRelation, Organization
from .selectors import pending_proposal_count, unit_membership_counts


@register_home_counts
def organization_counts(user):
    list_url = reverse("organizations:list")
    registry = {"label": _("名录中的国际组织"), "value": Organization.objects.official().count(), "url": list_url}
    if user.is_platform_admin:
        return [registry, {"label": _("待处理修改建议"), "value": pending_proposal_count(),
                           "url": reverse("organizations:proposal_list")}]
    if not user.unit_id:
        return []
    counts = unit_membership_counts(user.unit)
    return [
        registry,
        {"label": _("国际组织（已加入）"), "value": counts.get(MembershipRelation.MEMBER, 0),
         "url": f"{list_url}?membership=member"},
        {"label": _("计划加入"), "value": counts.get(MembershipRelation.PLANNED, 0),
         "url": f"{list_url}?membership=planned"},
    ]


@register_unit_figures
def organization_figures(unit):
    counts = unit_membership_counts(unit)
    return [
        {"label": _("国际组织（已加入）"), "value": counts.get(MembershipRelation.MEMBER, 0)},
        {"label": _("计划加入"), "value": counts.get(MembershipRelation.PLANNED, 0)},
    ]
