"""Figures for the experts list at national scale, in-process: times the list queries a page runs (count + one
page + prefetch) for common filters over the `manage.py generate_data` data set (bench/dataset.py: the bench
database, generated unless --reuse). Prints figures; asserts nothing.

    .venv/bin/python bench/experts_list.py --db postgres --reuse      # after bench/pages.py --db postgres
    .venv/bin/python bench/experts_list.py --db sqlite --organizations 5000 --experts 5000
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset  # noqa: E402


def measure(label: str, user, runs: int = 3, **filters) -> None:
    from django.core.paginator import Paginator
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from iodp.experts.selectors import expert_list

    timings = []
    for _ in range(runs):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            page = Paginator(expert_list(user=user, **filters), 25).get_page(1)
            rows = list(page)
            count = page.paginator.count
            timings.append(time.perf_counter() - started)
    print(f"{label:<44} {count:>7} rows  {len(rows):>3} shown  {len(queries.captured_queries)} queries  "
          f"best {min(timings) * 1000:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    dataset.add_arguments(parser)
    args = parser.parse_args()
    url = dataset.database_url(args)
    if not args.reuse:
        dataset.recreate_database(url)
    dataset.setup_django(url, settings="iodp.settings.test")
    dataset.load(args)

    from django.db import connection
    from django.db.models import Count

    from iodp.accounts.models import User
    from iodp.datagen.generator import PLATFORM_ADMIN, username_of
    from iodp.organizations.models import Organization

    admin = User.objects.get(username=PLATFORM_ADMIN)
    unit_user = User.objects.get(username=username_of(1))
    organization = Organization.objects.official().annotate(n=Count("expert_positions")).order_by("-n", "pk").first()
    print(f"database: {connection.vendor}; experts: {dataset.sizes()['experts']}")
    measure("admin: all, sorted by pinyin", admin)
    measure("admin: reserve + eligible", admin, kind="reserve", eligibility="eligible")
    measure("admin: search 'wang' (pinyin prefix)", admin, q="wang")
    measure("admin: search '王伟'", admin, q="王伟")
    measure("admin: level leadership + role president", admin, level="leadership", role="president")
    measure("admin: organization", admin, organization=organization.pk)
    measure("admin: language en + age 30-45", admin, language="en", age_min=30, age_max=45)
    measure("admin: term ending within 6 months", admin, term_months=6)
    measure("admin: province 110000", admin, province="110000")
    measure("unit: all of its experts", unit_user)
    measure("unit: reserve failing the age criterion", unit_user, kind="reserve", eligibility="age")


if __name__ == "__main__":
    main()
