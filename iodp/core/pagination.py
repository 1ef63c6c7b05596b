from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """The requested page of `queryset` (bad or out-of-range page numbers give the nearest page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class MergedQuerysets:
    """Several querysets read as one list ordered by one field, for Paginator.

    A page costs one COUNT and one bounded SELECT per queryset (each fetches at most up to the page's last
    row), so the draft box and the review queue stay cheap however many modules and rows there are.
    """

    model = None  # rows of several models

    def __init__(self, querysets, *, order_field: str, descending: bool = False):
        prefix = "-" if descending else ""
        self.querysets = [qs.order_by(f"{prefix}{order_field}", f"{prefix}pk") for qs in querysets]
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

    def count(self) -> int:
        return sum(qs.count() for qs in self.querysets)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        start, stop = index.start or 0, index.stop
        rows = []
        for queryset in self.querysets:
            rows.extend(queryset[:stop] if stop is not None else queryset)
        rows.sort(key=lambda row: (getattr(row, self.order_field) is None, getattr(row, self.order_field), row.pk),
                  reverse=self.descending)
        return rows[start:stop]
