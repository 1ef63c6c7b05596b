"""The experts module's figures on the home page and on a unit's institution page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from iodp.core.dashboard import register_home_counts, register_unit_figures

from .models import ExpertKind
from .selectors import expert_counts


def _figures(counts, url=None):
    figures = []
    for kind, label in ((ExpertKind.SERVING, _("已任职专家")), (ExpertKind.RESERVE, _("后备专家"))):
        figure = {"label": label, "value": counts.get(kind, 0)}
        if url is not None:
            figure["url"] = f"{url}?kind={kind}"
        figures.append(figure)
    return figures


@register_home_counts
def expert_home_counts(user):
    """已任职专家 / 后备专家: the unit's own, or national for the platform admin."""
    if user.is_platform_admin:
        return _figures(expert_counts(), reverse("experts:list"))
    if user.unit_id is None:
        return []
    return _figures(expert_counts(unit=user.unit), reverse("experts:list"))


@register_unit_figures
def expert_unit_figures(unit):
    return _figures(expert_counts(unit=unit))
