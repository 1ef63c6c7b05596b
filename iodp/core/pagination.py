from django.core.paginator import Paginator
from django.db.models import F, IntegerField, Value
from django.utils.functional import cached_property

PAGE_SIZE = 25


class CountedPaginator(Paginator):
    """A Paginator that counts the rows with a query of their own: the same rows as its `object_list`, in SQL
    planned for counting (a page reads the sort index in order and stops after it; a count has no order to
    keep, so a narrow range can drive it)."""

    def __init__(self, object_list, per_page, *, count_from, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_from = count_from

    @cached_property
    def count(self) -> int:
        return self.count_from.count()


def paginate(request, queryset, per_page: int = PAGE_SIZE, *, count_from=None):
    """The requested page of `queryset` (bad or out-of-range page numbers give the nearest page), its rows
    counted by `count_from` where given (a queryset of the same rows, see `CountedPaginator`)."""
    paginator = (Paginator(queryset, per_page) if count_from is None
                 else CountedPaginator(queryset, per_page, count_from=count_from))
    return paginator.get_page(request.GET.get("page"))


def rows_in_order(queryset, pks) -> list:
    """The rows of `queryset` whose primary keys are `pks`, in the order of `pks` (those `queryset` no longer
    holds are left out). A list that pages over bare ids (the sort and a deep page's offset carry ids only)
    then reads its 25 rows, with their joins and annotations, through this."""
    rows = {row.pk: row for row in queryset.filter(pk__in=pks).order_by()}
    return [rows[pk] for pk in pks if pk in rows]


class MergedQuerysets:
    """Several querysets read as one list ordered by one field, for Paginator.

    The database merges and pages them: a page costs one COUNT over the UNION ALL of the querysets, one
    SELECT of the page's (kind, key, pk) from that UNION ALL with ORDER BY and LIMIT/OFFSET, and then one SELECT
    per model on the page for just its rows; so page 400 costs what page 1 does, however many rows come before
    it. Rows without a value of the order field come last when ascending and first when descending.
    """

    model = None  # rows of several models

    def __init__(self, querysets, *, order_field: str, descending: bool = False):
        self.querysets = list(querysets)
        self.order_field = order_field
        self.descending = descending

    def _with(self, querysets) -> "MergedQuerysets":
        return MergedQuerysets(querysets, order_field=self.order_field, descending=self.descending)

    def all(self) -> "MergedQuerysets":
        return self._with(self.querysets)

    def filter(self, *args, **kwargs) -> "MergedQuerysets":
        """Each queryset filtered alike (for a FilterSet over the merged list)."""
        return self._with([qs.filter(*args, **kwargs) for qs in self.querysets])

    def of_model(self, label_lower: str) -> "MergedQuerysets":
        """Only the rows of the model `app_label.model_name`."""
        return self._with([qs for qs in self.querysets if qs.model._meta.label_lower == label_lower])

    def _keys(self):
        """The UNION ALL of every queryset's (merged_kind, merged_key, merged_pk), unordered."""
        keys = [qs.order_by().annotate(merged_kind=Value(kind, output_field=IntegerField()),
                                       merged_key=F(self.order_field), merged_pk=F("pk"))
                .values_list("merged_kind", "merged_key", "merged_pk")
                for kind, qs in enumerate(self.querysets)]
        return keys[0].union(*keys[1:], all=True) if len(keys) > 1 else keys[0]

    def count(self) -> int:
        if not self.querysets:
            return 0
        return self._keys().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        if not self.querysets:
            return []
        if self.descending:
            order = [F("merged_key").desc(nulls_first=True), F("merged_pk").desc(), F("merged_kind").desc()]
        else:
            order = [F("merged_key").asc(nulls_last=True), F("merged_pk").asc(), F("merged_kind").asc()]
        page = list(self._keys().order_by(*order)[index])
        wanted: dict[int, list] = {}
        for kind, _key, pk in page:
            wanted.setdefault(kind, []).append(pk)
        rows = {(kind, row.pk): row for kind, pks in wanted.items()
                for row in self.querysets[kind].filter(pk__in=pks)}
        return [rows[(kind, pk)] for kind, _key, pk in page if (kind, pk) in rows]
