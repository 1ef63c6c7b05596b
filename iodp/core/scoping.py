"""The one place that scopes unit-owned data to the user asking for it.

Every list, detail page, export and API endpoint of unit-owned data goes through `scope_for_user`
(or a model manager that calls it), so no page can forget the filter. A platform admin sees all.
"""

from django.db import models
from django.http import Http404


def scope_for_user(queryset: models.QuerySet, user, *, unit_field: str | None = None) -> models.QuerySet:
    """Rows of `queryset` that `user` may see: all for a platform admin, its unit's for a unit admin."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if user.is_platform_admin:
        return queryset
    if user.unit_id is None:
        return queryset.none()
    field = unit_field or getattr(queryset.model, "unit_scope_field", "unit")
    return queryset.filter(**{field: user.unit_id})


def get_for_user_or_404(queryset: models.QuerySet, user, **lookup):
    """One row the user may see, else 404 (never 403: another unit's record must not be known to exist)."""
    try:
        return scope_for_user(queryset, user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


class UnitScopedQuerySet(models.QuerySet):
    """QuerySet with `.for_user(user)`; set `unit_scope_field` on the model when it is not `unit`."""

    def for_user(self, user):
        return scope_for_user(self, user)
