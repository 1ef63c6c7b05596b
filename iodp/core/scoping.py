"""The one place that decides who may see and change unit-owned data.

Every model whose rows belong to a unit has a queryset with `visible_to(user)` (what the user may open:
lists, detail pages, pickers, exports, the API) and `editable_by(user)` (what the user may change). Views,
selectors, forms and services call those two and nothing else; a model with a different rule (the shared
registry of organizations) overrides them on its own queryset. A platform admin sees and edits all; an
anonymous user, or a user without a unit, nothing.
"""

from django.db import models
from django.http import Http404


class UnitScopedQuerySet(models.QuerySet):
    """Rows owned by a unit through `Model.unit_scope_field` (default `unit`)."""

    def _unit_field(self) -> str:
        return getattr(self.model, "unit_scope_field", "unit")

    def owned_by(self, unit) -> "UnitScopedQuerySet":
        """The rows of one unit (e.g. "my membership of this organization"), whoever asks."""
        if unit is None:
            return self.none()
        return self.filter(**{self._unit_field(): unit})

    def _of_users_unit(self, user) -> "UnitScopedQuerySet":
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_platform_admin:
            return self
        return self.owned_by(user.unit) if user.unit_id else self.none()

    def visible_to(self, user) -> "UnitScopedQuerySet":
        """Rows `user` may open: all for a platform admin, its unit's for a unit admin, none otherwise."""
        return self._of_users_unit(user)

    def editable_by(self, user) -> "UnitScopedQuerySet":
        """Rows `user` may change: all for a platform admin, its unit's for a unit admin (a model whose
        `visible_to` is wider, like the shared registry, still edits only its own rows)."""
        return self._of_users_unit(user)


def owning_unit_id(obj) -> int | None:
    """The id of the unit `obj` belongs to (following `unit_scope_field`, e.g. `expert__unit`)."""
    *path, last = getattr(type(obj), "unit_scope_field", "unit").split("__")
    for name in path:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def can_edit(user, obj) -> bool:
    """`editable_by` for one row, stored or not: the platform admin any, a unit admin its unit's."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_platform_admin or (user.unit_id is not None and owning_unit_id(obj) == user.unit_id)


def visible_or_404(queryset: models.QuerySet, user, **lookup):
    """One row the user may see, else 404 (never 403: another unit's record must not be known to exist)."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None


def editable_or_404(queryset: models.QuerySet, user, **lookup):
    """One row the user may change, else 404."""
    try:
        return queryset.editable_by(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None
