"""Home-page figures of the shared workflow: what waits for review, what the unit still has to finish."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from .dashboard import register_home_counts
from .workflow import RecordStatus, workflow_models


@register_home_counts
def workflow_figures(user):
    if user.is_platform_admin:
        waiting = sum(m.objects.awaiting_review().count() for m in workflow_models())
        return [{"label": _("待审核记录"), "value": waiting, "url": reverse("core:review_queue")}]
    drafts = returned = 0
    for model in workflow_models():
        counts = dict(model.objects.open_work().owned_by(user.unit).values_list("status")
                      .annotate(n=Count("id")).order_by())
        drafts += counts.get(RecordStatus.DRAFT, 0)
        returned += counts.get(RecordStatus.RETURNED, 0)
    url = reverse("core:drafts")
    return [{"label": _("草稿"), "value": drafts, "url": f"{url}?status=draft"},
            {"label": _("被退回"), "value": returned, "url": f"{url}?status=returned"}]
