"""The one filtering style for lists: a FilterSet per list, built on safe fields, found by the list's URL name.

Every query-string value a list understands goes through its FilterSet's form. A value that is not one of the
choices (a huge, negative or non-numeric id, a NUL, a word where a number belongs) is a form error, "没有这个选项",
shown above the list, and that one filter is ignored: the list is filtered by the remaining valid filters.
Exports and the API reuse the same FilterSets (`filterset_for`).
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .fields import NormalizedFormCharField

NO_SUCH_CHOICE = _("没有这个选项")
# Ids are positive 64-bit integers: anything else is refused before it reaches the database (SQLite overflows on
# 2**63 and above, PostgreSQL raises DataError on values outside bigint).
ID_MIN, ID_MAX = 1, 2**63 - 1

_REGISTRY: dict[str, type] = {}


def register(url_name: str):
    """Class decorator: `url_name`'s list is filtered by this FilterSet (tests cover every registered filter)."""
    def decorate(filterset_class):
        _REGISTRY[url_name] = filterset_class
        return filterset_class
    return decorate


def filterset_for(url_name: str):
    """The FilterSet of the list at `url_name`, or None for a page that filters nothing."""
    return _REGISTRY.get(url_name)


def parse_id(value) -> int | None:
    """`value` as a row id (a positive integer that fits the database), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not text.isascii() or not text.isdigit():
            return None
        number = int(text)
    return number if ID_MIN <= number <= ID_MAX else None


_INTEGER_KEYS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
                 "PositiveIntegerField", "PositiveBigIntegerField", "SmallIntegerField", "PositiveSmallIntegerField"}


def _is_integer_key(field) -> bool:
    meta = field.queryset.model._meta
    key = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    return key.get_internal_type() in _INTEGER_KEYS


class SafeModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses an id the database cannot hold as "no such choice" instead of crashing."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, self.queryset.model) and _is_integer_key(self) and parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": value})
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several rows by id; any id the database cannot hold is "no such choice"."""

    def _check_values(self, value):
        if _is_integer_key(self):
            for pk in value:
                if not isinstance(pk, self.queryset.model) and parse_id(pk) is None:
                    raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                          params={"value": pk})
        return super()._check_values(value)


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = SafeModelChoiceField


class ModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = SafeModelMultipleChoiceField


class NumberFilter(django_filters.NumberFilter):
    """A whole number within [min_value, max_value] (by default what a 64-bit integer column holds)."""

    field_class = forms.IntegerField

    def __init__(self, *args, min_value=-(2**63) + 1, max_value=2**63 - 1, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)


_GENERIC_FIELDS = ("django.", "django_filters.", __name__)  # a field with its own message keeps it


class SearchFilter(django_filters.CharFilter):
    """A search box: the query is normalized like the names it searches (`iodp.core.text.normalize_text`)."""

    field_class = NormalizedFormCharField


class ListFilterSet(django_filters.FilterSet):
    """The base of every list's FilterSet: invalid choices read "没有这个选项"; `values()` gives plain values.

    An empty query string leaves the FilterSet unbound (no errors, nothing filtered).
    """

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data or None, *args, **kwargs)

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            if "invalid_choice" in field.error_messages and type(field).__module__.startswith(_GENERIC_FIELDS):
                field.error_messages["invalid_choice"] = NO_SUCH_CHOICE
        return form

    def values(self) -> dict:
        """The valid, non-empty filter values (row ids for chosen rows); invalid ones are left out."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        values = {}
        for name, value in getattr(self.form, "cleaned_data", {}).items():
            if value in (None, "") or (isinstance(value, (list, tuple)) and not value):
                continue
            values[name] = value.pk if hasattr(value, "pk") else value
        return values

    def value(self, name: str, default=""):
        """One valid filter value, or `default`."""
        return self.values().get(name, default)


def workflow_kinds():
    """(label, name) of every kind of workflow record, for the review queue."""
    from .workflow import workflow_models

    return sorted({(m._meta.label_lower, m.kind_label()) for m in workflow_models()})


class MergedListFilterSet(ListFilterSet):
    """A FilterSet over `pagination.MergedQuerysets` (rows of several models): `filter_merged` narrows it."""

    def filter_queryset(self, queryset):
        return self.filter_merged(queryset, self.values())

    def filter_merged(self, rows, values: dict):
        raise NotImplementedError


@register("core:drafts")
class DraftFilter(MergedListFilterSet):
    """草稿箱: open work, drafts or returned records only."""

    status = django_filters.ChoiceFilter(label=_("状态"), choices=[("draft", _("草稿")), ("returned", _("已退回"))])

    def filter_merged(self, rows, values):
        return rows.filter(status=values["status"]) if "status" in values else rows


def _units(_request):
    from iodp.accounts.models import Unit

    return Unit.objects.all()


@register("core:review_queue")
class ReviewQueueFilter(MergedListFilterSet):
    """待审核: by kind of record (the model's `app_label.model_name`) and by the unit that submitted it (the links
    of 填报进度)."""

    kind = django_filters.ChoiceFilter(label=_("类型"), choices=workflow_kinds)
    unit = ModelChoiceFilter(label=_("填报单位"), queryset=_units)

    def filter_merged(self, rows, values):
        if "kind" in values:
            rows = rows.of_model(values["kind"])
        if "unit" in values:
            rows = rows.filter(unit_id=values["unit"])
        return rows
