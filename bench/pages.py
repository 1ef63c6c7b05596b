"""Every list, search, typeahead, detail page and the home page, timed from outside against gunicorn, each
interleaved with the Django admin changelist over the same table in the same run; plus the query count of the
detail pages at 1 and at 50 posts. Prints a markdown table; asserts nothing.

    .venv/bin/python bench/pages.py --db postgres                 # generate 68,000 / 100,000, then measure
    .venv/bin/python bench/pages.py --db postgres --reuse         # measure the bench database as it is
    .venv/bin/python bench/pages.py --db sqlite --organizations 5000 --experts 5000

The bench database is its own (iodp_bench on PostgreSQL, var/bench/iodp_bench.sqlite3; see bench/dataset.py).
gunicorn runs with the `make run` settings (iodp.settings.local: DEBUG off, compressed static files).
"""

import argparse
import datetime
import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset  # noqa: E402

ADMIN = "/django-admin"


@dataclass
class Page:
    label: str
    path: str
    as_unit: bool = False
    #: the Django admin page over the same table (always opened by the platform admin, a superuser).
    peer: str | None = None
    #: how to read the number of rows found: "list", "typeahead" (JSON results) or None.
    rows: str | None = None
    timings: list[float] = field(default_factory=list)
    peer_timings: list[float] = field(default_factory=list)
    found: str = ""
    errors: int = 0


class Session:
    """One logged-in browser: cookies, CSRF token, timed GETs."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def login(self, username: str, password: str) -> None:
        page = self.opener.open(self.base + "/accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"username": username, "password": password,
                                       "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + "/accounts/login/", data=data,
                                         headers={"Referer": self.base + "/accounts/login/"})
        landed = self.opener.open(request)
        if "/accounts/login/" in landed.geturl():
            sys.exit(f"could not log in as {username}")

    def get(self, path: str) -> tuple[float, int, str]:
        started = time.perf_counter()
        try:
            response = self.opener.open(self.base + path)
            body, status = response.read().decode(), response.status
        except urllib.error.HTTPError as error:
            body, status = error.read().decode(errors="replace"), error.code
        return (time.perf_counter() - started) * 1000, status, body


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(url: str, *, workers: int, port: int):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "iodp.settings.local"}
    process = subprocess.Popen(
        [str(dataset.ROOT / ".venv" / "bin" / "gunicorn"), "iodp.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"], cwd=dataset.ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(120):
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        else:
            sys.exit("gunicorn did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def targets() -> dict:
    """The records the pages open: chosen by what they hold, so every run (and both databases) opens the
    same kind of page."""
    from django.db.models import Count

    from iodp.core.workflow import RecordStatus
    from iodp.experts.models import Expert
    from iodp.organizations.models import Organization
    from iodp.reference.models import Discipline

    experts = Expert.objects.filter(status=RecordStatus.APPROVED, revision_of__isnull=True).annotate(
        n=Count("positions"))
    orgs = Organization.objects.official().annotate(n=Count("expert_positions"))
    busiest = orgs.order_by("-n", "pk").first()
    org_at_1 = orgs.filter(n=1).order_by("pk").first()
    org_near_50 = min(orgs.filter(n__gte=40, n__lte=60).order_by("pk")[:50] or [busiest],
                      key=lambda o: (abs(o.n - 50), o.pk))
    chemistry = Discipline.objects.get(code="150")
    from iodp.accounts.models import User
    from iodp.datagen.generator import username_of

    unit = User.objects.get(username=username_of(1)).unit_id
    return {
        "discipline": chemistry.pk, "unit": unit,
        "busiest_org": busiest, "org_at_1": org_at_1, "org_near_50": org_near_50,
        "expert_at_1": experts.filter(n=1).order_by("pk").first(),
        "expert_at_50": experts.filter(n=50).order_by("pk").first() or experts.order_by("-n", "pk").first(),
        "name_zh": "国际纯粹与应用化学联合会",
        "misspelled": "Internatonal Union of Pure and Aplied Chemistry",
    }


def pages(t: dict) -> list[Page]:
    q = urllib.parse.quote
    orgs, experts = f"{ADMIN}/organizations/organization/", f"{ADMIN}/experts/expert/"
    return [
        Page("organization list, default", "/organizations/", peer=orgs, rows="list"),
        Page("organization list, one discipline", f"/organizations/?discipline={t['discipline']}",
             peer=f"{orgs}?disciplines__id__exact={t['discipline']}", rows="list"),
        Page("organization list, sorted by founding year, page 100", "/organizations/?sort=-founded&page=100",
             peer=f"{orgs}?o=-7.1&p=100"),
        Page("organization list, `q=` Chinese name", f"/organizations/?q={q(t['name_zh'])}",
             peer=f"{orgs}?q={q(t['name_zh'])}", rows="list"),
        Page("organization list, `q=` misspelled English name", f"/organizations/?q={q(t['misspelled'])}",
             peer=f"{orgs}?q={q(t['misspelled'])}", rows="list"),
        Page("organization typeahead, misspelled", f"/organizations/search.json?q={q(t['misspelled'])}",
             rows="typeahead"),
        Page("membership list", "/organizations/memberships/", peer=f"{ADMIN}/organizations/membership/"),
        Page("expert list, default", "/experts/", peer=experts, rows="list"),
        Page("expert list, default (unit admin)", "/experts/", as_unit=True, peer=f"{experts}?unit__id__exact={t['unit']}",
             rows="list"),
        Page("expert list, reserve + eligible", "/experts/?kind=reserve&eligibility=eligible",
             peer=f"{experts}?kind__exact=reserve", rows="list"),
        Page(f"expert list, by organization ({t['busiest_org'].n} posts)",
             f"/experts/?organization={t['busiest_org'].pk}", rows="list"),
        Page("expert list, level 决策层 + role 主席", "/experts/?level=leadership&role=president",
             peer=f"{ADMIN}/experts/position/?level__exact=leadership&role__exact=president", rows="list"),
        Page("expert list, language English + age 30–45", "/experts/?language=en&age_min=30&age_max=45", rows="list"),
        Page("expert list, terms ending within 6 months", "/experts/?term_months=6", rows="list"),
        Page("expert list, one province (北京)", "/experts/?province=110000", rows="list"),
        Page("expert list, `q=wang`", "/experts/?q=wang", peer=f"{experts}?q=wang", rows="list"),
        Page("expert list, `q=王伟`", f"/experts/?q={q('王伟')}", peer=f"{experts}?q={q('王伟')}", rows="list"),
        Page("home page (platform admin)", "/"),
        Page("home page (unit admin)", "/", as_unit=True),
        Page("expert detail, 1 post", f"/experts/{t['expert_at_1'].pk}/",
             peer=f"{experts}{t['expert_at_1'].pk}/change/"),
        Page(f"expert detail, {t['expert_at_50'].n} posts", f"/experts/{t['expert_at_50'].pk}/",
             peer=f"{experts}{t['expert_at_50'].pk}/change/"),
        Page("organization detail, 1 post", f"/organizations/{t['org_at_1'].pk}/",
             peer=f"{orgs}{t['org_at_1'].pk}/change/"),
        Page(f"organization detail, {t['org_near_50'].n} posts", f"/organizations/{t['org_near_50'].pk}/",
             peer=f"{orgs}{t['org_near_50'].pk}/change/"),
        Page("draft box (unit admin)", "/drafts/", as_unit=True),
        Page("review queue", "/review/", peer=f"{experts}?status__exact=submitted"),
    ]


def rows_found(kind: str | None, body: str) -> str:
    if kind == "typeahead":
        return str(len(json.loads(body)["results"]))
    if kind == "list":
        total = re.search(r"共 ([\d,]+) 条", body)
        if total:
            return total.group(1).replace(",", "")
        tbody = re.search(r"<tbody>(.*?)</tbody>", body, re.S)
        return str(tbody.group(1).count("<tr") if tbody else 0)
    return ""


def peer_rows(body: str) -> str:
    """The Django admin's count: "N 条结果" after a search or filter, else the paginator's "N 国际组织"."""
    found = re.search(r"(\d+) 条结果", body)
    if found:
        return found.group(1)
    paginator = re.search(r'<p class="paginator">(.*?)</p>', body, re.S)
    text = re.sub(r"<[^>]+>", " ", paginator.group(1)) if paginator else ""
    found = re.search(r"(\d+)\s+[^\d\s]+\s*$", text.strip())
    return found.group(1) if found else ""


def measure(page: Page, sessions: dict, runs: int) -> None:
    session, admin = sessions["unit" if page.as_unit else "admin"], sessions["admin"]
    for _warm in range(2):
        _ms, _status, body = session.get(page.path)
        if page.peer:
            _pms, _pstatus, peer_body = admin.get(page.peer)
    if page.rows:
        page.found = rows_found(page.rows, body)
        if page.peer:
            page.found += f" (admin {peer_rows(peer_body)})"
    for _run in range(runs):
        ms, status, _body = session.get(page.path)
        page.timings.append(ms)
        page.errors += status != 200
        if page.peer:
            ms, status, _body = admin.get(page.peer)
            page.peer_timings.append(ms)
            page.errors += status != 200


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def figures(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} / {p95(values):.0f}" if values else ""


def ratio(page: Page) -> str:
    if not page.peer_timings:
        return ""
    r = statistics.median(page.timings) / statistics.median(page.peer_timings)
    return f"{r:.1f}× slower" if r >= 1.05 else (f"{1 / r:.1f}× faster" if r <= 0.95 else "same")


def query_counts(t: dict, admin_name: str) -> list[tuple[str, int, int]]:
    """Queries one detail page runs, in-process (the test client), at 1 and at ~50 posts."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from iodp.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=admin_name))

    def count(path):
        client.get(path)  # warm: sessions, content types, translations
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        assert status == 200, (path, status)
        return len(queries.captured_queries)

    return [
        (f"expert detail (1 / {t['expert_at_50'].n} posts)", count(f"/experts/{t['expert_at_1'].pk}/"),
         count(f"/experts/{t['expert_at_50'].pk}/")),
        (f"organization detail (1 / {t['org_near_50'].n} posts)", count(f"/organizations/{t['org_at_1'].pk}/"),
         count(f"/organizations/{t['org_near_50'].pk}/")),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    dataset.add_arguments(parser)
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page (and per admin page)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                        help="measure only the pages whose label contains TEXT (repeatable)")
    args = parser.parse_args()
    url = dataset.database_url(args)
    if not args.reuse:
        dataset.recreate_database(url)
    dataset.setup_django(url)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    held = dataset.load(args, log=lambda line: print(line, file=sys.stderr, flush=True))
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    admin_name, unit_name, password = dataset.accounts()
    t = targets()
    counts = query_counts(t, admin_name)
    vendor = connection.vendor
    connection.close()

    measured = [page for page in pages(t) if not args.only or any(text in page.label for text in args.only)]
    with gunicorn(url, workers=args.workers, port=free_port()) as base:
        sessions = {"admin": Session(base), "unit": Session(base)}
        sessions["admin"].login(admin_name, password)
        sessions["unit"].login(unit_name, password)
        for page in measured:
            measure(page, sessions, args.runs)
            print(f"  {page.label}: {figures(page.timings)} ms", file=sys.stderr, flush=True)

    print(f"\n{vendor}, {held['organizations']:,} organizations, {held['experts']:,} experts, "
          f"{held['positions']:,} posts, {held['memberships']:,} memberships; gunicorn with {args.workers} "
          f"workers; {args.runs} requests per page, interleaved with the admin page; "
          f"{datetime.date.today().isoformat()}\n")
    print("| page | platform median / p95 ms | Django admin median / p95 ms | ratio | rows found |")
    print("|---|---|---|---|---|")
    for page in measured:
        errors = f" **{page.errors} errors**" if page.errors else ""
        print(f"| {page.label} | {figures(page.timings)}{errors} | {figures(page.peer_timings)} | {ratio(page)} "
              f"| {page.found} |")
    print("\n| detail page | queries at 1 post | queries at ~50 posts |")
    print("|---|---|---|")
    for label, one, fifty in counts:
        print(f"| {label} | {one} | {fifty} |")


if __name__ == "__main__":
    main()
