"""The statistics dashboard (统计分析), its text summary and its Excel export, timed from outside against
gunicorn, interleaved with a Django admin changelist in the same run; plus the queries one dashboard runs.
Prints a markdown table; asserts nothing.

    .venv/bin/python bench/insights.py --db postgres                 # generate 68,000 / 100,000, then measure
    .venv/bin/python bench/insights.py --db sqlite --reuse           # measure the bench database as it is
    .venv/bin/python bench/insights.py --database-url sqlite:////tmp/my_bench.sqlite3 --organizations 5000 \
        --experts 5000

The peer is the Django admin changelist of the positions table (`experts/admin.py`, read-only): the table most
of the figures count.
"""

import argparse
import datetime
import sys
import time
import urllib.error
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset  # noqa: E402
from bench.pages import ADMIN, Page, Session, figures, free_port, gunicorn, measure, ratio  # noqa: E402

PEER = f"{ADMIN}/experts/position/"


class Browser(Session):
    """`Session` that also downloads binary bodies (the Excel export)."""

    def get(self, path: str) -> tuple[float, int, str]:
        started = time.perf_counter()
        try:
            response = self.opener.open(self.base + path)
            body, status = response.read().decode(errors="replace"), response.status
        except urllib.error.HTTPError as error:
            body, status = error.read().decode(errors="replace"), error.code
        return (time.perf_counter() - started) * 1000, status, body


def pages(unit_id: int) -> list[Page]:
    as_of = (datetime.date.today() - datetime.timedelta(days=365)).isoformat()
    return [
        Page("dashboard, whole platform", "/insights/", peer=PEER),
        Page("dashboard, whole platform, with submitted", "/insights/?include_submitted=on", peer=PEER),
        Page("dashboard, whole platform, as of a year ago", f"/insights/?as_of={as_of}", peer=PEER),
        Page("dashboard, one unit picked by the platform admin",
             f"/insights/?{urllib.parse.urlencode({'unit': unit_id})}", peer=PEER),
        Page("dashboard (unit admin)", "/insights/", as_unit=True, peer=PEER),
        Page("text summary", "/insights/summary/", peer=PEER),
        Page("Excel export of every table", "/insights/export/", peer=PEER),
        Page("填报进度, every unit (platform admin)", "/insights/progress/", peer=PEER),
        Page("填报进度, 未提交任何数据", "/insights/progress/?nothing_submitted=on", peer=PEER),
        Page("填报进度 (unit admin)", "/insights/progress/", as_unit=True, peer=PEER),
    ]


def ensure_campaign(admin_name: str) -> int:
    """An active reporting campaign for the 填报进度 pages (created once, kept with --reuse); the unit count."""
    from iodp.accounts.models import Unit, UnitStatus, User
    from iodp.insights import progress

    if progress.active_campaign() is None:
        today = datetime.date.today()
        progress.campaign_create(by=User.objects.get(username=admin_name), name="bench 填报",
                                 starts_on=today - datetime.timedelta(days=60), deadline=today)
    return Unit.objects.filter(status=UnitStatus.APPROVED).count()


def dashboard_queries(admin_name: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from iodp.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=admin_name))
    client.get("/insights/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/insights/").status_code == 200
    return len(queries.captured_queries)


def uncached_timings(unit_id: int, runs: int) -> list[tuple[str, str]]:
    """In-process `insights_compute` (no cache): what the first request of a scope and day costs after a change
    is logged, since the pages above mostly reuse cached figures."""
    import statistics

    from iodp.accounts.models import Unit
    from iodp.insights.services import insights_compute

    unit = Unit.objects.get(pk=unit_id)
    as_of = datetime.date.today() - datetime.timedelta(days=365)
    rows = []
    for label, scope in (("whole platform", {}), ("with submitted", {"include_submitted": True}),
                         ("as of a year ago", {"as_of": as_of}), ("one unit", {"unit": unit})):
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            insights_compute(**scope)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        rows.append((label, f"{statistics.median(timings):.0f} / {p95:.0f}"))
        print(f"  insights_compute, {label}: {rows[-1][1]} ms", file=sys.stderr, flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    dataset.add_arguments(parser)
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page (and per admin page)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--uncached-runs", type=int, default=5, help="in-process insights_compute runs per scope")
    args = parser.parse_args()
    url = dataset.database_url(args)
    if not args.reuse:
        dataset.recreate_database(url)
    dataset.setup_django(url)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from iodp.accounts.models import User

    held = dataset.load(args, log=lambda line: print(line, file=sys.stderr, flush=True))
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    admin_name, unit_name, password = dataset.accounts()
    unit_id = User.objects.get(username=unit_name).unit_id
    queries = dashboard_queries(admin_name)
    approved_units = ensure_campaign(admin_name)
    uncached = uncached_timings(unit_id, args.uncached_runs)
    vendor = connection.vendor
    connection.close()

    measured = pages(unit_id)
    with gunicorn(url, workers=args.workers, port=free_port()) as base:
        sessions = {"admin": Browser(base), "unit": Browser(base)}
        sessions["admin"].login(admin_name, password)
        sessions["unit"].login(unit_name, password)
        for page in measured:
            measure(page, sessions, args.runs)
            print(f"  {page.label}: {figures(page.timings)} ms", file=sys.stderr, flush=True)

    print(f"\n{vendor}, {held['organizations']:,} organizations, {held['experts']:,} experts, "
          f"{held['positions']:,} posts, {held['memberships']:,} memberships, {approved_units} approved units; "
          f"gunicorn with {args.workers} "
          f"workers; {args.runs} requests per page, interleaved with the admin page; "
          f"{datetime.date.today().isoformat()}\n")
    print("| page | platform median / p95 ms | Django admin (positions) median / p95 ms | ratio |")
    print("|---|---|---|---|")
    for page in measured:
        errors = f" **{page.errors} errors**" if page.errors else ""
        print(f"| {page.label} | {figures(page.timings)}{errors} | {figures(page.peer_timings)} | {ratio(page)} |")
    print(f"\nqueries of one dashboard page (platform admin, whole platform, in-process, cached): {queries}")
    print(f"\ninsights_compute without the cache, in-process, {args.uncached_runs} runs each:\n")
    print("| scope | median / p95 ms |")
    print("|---|---|")
    for label, timing in uncached:
        print(f"| {label} | {timing} |")


if __name__ == "__main__":
    main()
