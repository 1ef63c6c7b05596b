"""Figures for the organization registry at national scale, in-process: times the typeahead search
(`organization_search`) and the list page's queries for common filters over the `manage.py generate_data` data
set (bench/dataset.py: the bench database, generated unless --reuse). Prints figures; asserts nothing.

    .venv/bin/python bench/organizations_search.py --db postgres --reuse   # after bench/pages.py --db postgres
    .venv/bin/python bench/organizations_search.py --db sqlite --organizations 5000 --experts 5000
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset  # noqa: E402


def timed(label, fn, repeat=5):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(repeat):
            start = time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - start) * 1000)
    print(f"{label:<58} median {statistics.median(times):7.1f} ms  max {max(times):7.1f} ms  "
          f"queries/run {len(ctx.captured_queries) // repeat}  -> {result}")


def main():
    parser = argparse.ArgumentParser()
    dataset.add_arguments(parser)
    args = parser.parse_args()
    url = dataset.database_url(args)
    if not args.reuse:
        dataset.recreate_database(url)
    dataset.setup_django(url, settings="iodp.settings.test")
    dataset.load(args)
    from django.db import connection
    from django.test import RequestFactory

    from iodp.accounts.models import User
    from iodp.core.pagination import paginate
    from iodp.datagen.generator import PLATFORM_ADMIN
    from iodp.organizations.filters import OrganizationFilter
    from iodp.organizations.models import Organization
    from iodp.organizations.selectors import organization_list, organization_search

    user = User.objects.get(username=PLATFORM_ADMIN)
    print(f"{connection.vendor}: {Organization.objects.count()} organizations")
    for query in ["IUPAC", "国际纯粹与应用化学联合会", "Intl. Union of Pure & Applied Chemistry", "纯粹与应用化学",
                  "Internatonal Union Pure Aplied Chemistry", "Union", "国际", "Union of Chemistry"]:
        timed(f"search {query!r}", lambda q=query: [str(o) for o in organization_search(query=q, user=user,
                                                                                      limit=3)][:1])
    factory = RequestFactory()
    for params in [{}, {"q": "Intl. Union of Pure & Applied Chemistry"}, {"nature": "regional", "category": "core"},
                   {"sort": "-founded", "page": "100"}, {"q": "化学"}, {"hmt": "hk", "membership": "member"}]:
        def run(params=params):
            request = factory.get("/organizations/", params)
            filterset = OrganizationFilter(request.GET or None, queryset=organization_list(user=user), user=user)
            page = paginate(request, filterset.qs)
            return f"{page.paginator.count} rows, page of {len([o.disciplines.all() for o in page])}"
        timed(f"list {params}", run)


if __name__ == "__main__":
    main()
