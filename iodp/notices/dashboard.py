"""The home page's 通知公告 panel: a unit's notices it has not confirmed yet; the platform admin's latest ones."""

from django.template.loader import render_to_string

from iodp.core import clock
from iodp.core.dashboard import register_home_panel

from . import services
from .models import NoticeStatus


@register_home_panel
def notice_panel(request):
    """A unit: its unconfirmed notices (newest five, their deadlines, how many in all); the platform admin: the
    three latest published notices with how many units confirmed each. None when there is nothing to show."""
    user = request.user
    if not user.is_authenticated:
        return None
    context = {"today": clock.today()}
    if user.is_platform_admin:
        latest = list(services.notices_for(user).filter(status=NoticeStatus.PUBLISHED)[:3])
        if not latest:
            return None
        context.update(notices=latest, audience=services.audience_count())
    elif user.unit_id:
        unread, count = services.unread_for(user)
        if not unread:
            return None
        context.update(notices=unread, unread_count=count)
    else:
        return None
    return render_to_string("notices/inc_home_panel.html", context, request=request)
