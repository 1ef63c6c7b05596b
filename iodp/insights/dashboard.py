"""The home page's 填报 panel: the active campaign's deadline, and the reader's progress in it."""

from django.template.loader import render_to_string

from iodp.core import clock
from iodp.core.dashboard import register_home_panel

from . import progress


@register_home_panel
def campaign_panel(request):
    """A unit: the deadline, days left (or 已逾期) and its own counts; the platform admin: the deadline and how many
    units have submitted something. None without an active campaign."""
    user = request.user
    if not user.is_authenticated or not (user.is_platform_admin or user.unit_id):
        return None
    campaign = progress.active_campaign()
    if campaign is None:
        return None
    days_left = (campaign.deadline - clock.today()).days
    context = {"campaign": campaign, "days_left": days_left, "modules": progress.MODULES}
    if user.is_platform_admin:
        rows = progress.unit_progress_cached(campaign)
        submitted = sum(1 for row in rows if row.submitted_anything)
        context.update(submitted=submitted, not_submitted=len(rows) - submitted)
    else:
        rows = progress.unit_progress(campaign, units=[user.unit_id])
        context["row"] = rows[0] if rows else None
    return render_to_string("insights/inc_campaign_panel.html", context, request=request)
