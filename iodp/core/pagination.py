from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """The requested page of `queryset` (bad or out-of-range page numbers give the nearest page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
