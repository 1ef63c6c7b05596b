"""Figures for the organization registry at national scale: seeds N organizations (default 68,000) into the
database named by DATABASE_URL (use a database of its own), then times the typeahead search
(`organization_search`), the list page's queries for common filters, and whole pages (list, typeahead JSON)
rendered through Django's test client as the platform admin (median / p95 over --repeat requests, after one
warm-up). Prints figures; asserts nothing.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE orgs_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/orgs_bench DJANGO_SETTINGS_MODULE=iodp.settings.test \
        .venv/bin/python bench/organizations_search.py --organizations 68000
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iodp.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

WORDS = ["Union", "Federation", "Association", "Society", "Council", "Committee", "Commission", "Academy",
         "Network", "Alliance", "Institute", "Organization"]
FIELDS = ["Chemistry", "Physics", "Astronomy", "Mathematics", "Geodesy", "Geophysics", "Biology", "Ecology",
          "Engineering", "Mechanics", "Crystallography", "Psychology", "Geography", "Forestry", "Radio Science",
          "Photogrammetry", "Remote Sensing", "Automatic Control", "Information Processing", "Materials", "Soil",
          "Hydrology", "Oceanography", "Nutrition", "Pharmacology", "Toxicology", "Microbiology", "Immunology"]
ADJ = ["Pure", "Applied", "Theoretical", "Experimental", "Computational", "Industrial", "Clinical", "Marine"]
REGIONS = ["International", "World", "Asian", "European", "African", "Pacific", "Latin American", "Global"]
ZH_FIELDS = ["化学", "物理", "天文", "数学", "测量", "地球物理", "生物", "生态", "工程", "力学", "晶体学", "心理",
             "地理", "林业", "无线电", "摄影测量", "遥感", "自动控制", "信息处理", "材料", "土壤", "水文", "海洋",
             "营养", "药理", "毒理", "微生物", "免疫"]
ZH_KIND = ["联合会", "联盟", "协会", "学会", "理事会", "委员会", "科学院", "组织"]
ZH_REGION = ["国际", "世界", "亚洲", "欧洲", "非洲", "太平洋", "拉丁美洲", "全球"]


def seed(n: int) -> None:
    from iodp.core.workflow import RecordStatus
    from iodp.organizations.demo import load_sample_organizations
    from iodp.organizations.models import Organization
    from iodp.organizations.text import normalize_search_text, pinyin_sort_key
    from iodp.reference.models import Country, Discipline

    if Organization.objects.count() >= n:
        return
    rng = random.Random(2026)
    countries = list(Country.objects.values_list("pk", flat=True))
    disciplines = list(Discipline.objects.values_list("pk", flat=True))
    rows, seen = [], set()
    for i in range(n):
        r, a, f, w = rng.randrange(8), rng.choice(ADJ), rng.randrange(len(FIELDS)), rng.randrange(8)
        name_en = f"{REGIONS[r]} {WORDS[w]} of {a} {FIELDS[f]} {i}"
        name_zh = f"{ZH_REGION[r]}{ZH_FIELDS[f]}{ZH_KIND[w]}{i}"
        acronym = "".join(x[0] for x in name_en.split() if x[0].isupper()) + str(i)
        if acronym in seen:
            continue
        seen.add(acronym)
        org = Organization(name_zh=name_zh, name_en=name_en, acronym=acronym[:32], status=RecordStatus.APPROVED,
                           nature=rng.choice(["global", "regional"]), category=rng.choice(["core", "important",
                                                                                             "general"]),
                           hq_country_id=rng.choice(countries), founded_year=rng.randrange(1850, 2024), version=1)
        org.search_text = normalize_search_text(name_zh, name_en, org.acronym)
        org.sort_key = pinyin_sort_key(name_zh)
        rows.append(org)
    Organization.objects.bulk_create(rows, batch_size=2000)
    through = Organization.disciplines.through
    links = [through(organization_id=pk, discipline_id=rng.choice(disciplines))
             for pk in Organization.objects.values_list("pk", flat=True)]
    through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    from iodp.accounts.models import Role, User

    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={"role": Role.PLATFORM_ADMIN})
    load_sample_organizations(admin)


def timed(label, fn, repeat=5):
    times = []
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(repeat):
            start = time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - start) * 1000)
    print(f"{label:<58} median {statistics.median(times):7.1f} ms  max {max(times):7.1f} ms  "
          f"queries/run {len(ctx.captured_queries) // repeat}  -> {result}")


def timed_pages(user, repeat: int) -> None:
    """Whole requests (view, filters, template), as a browser gets them, minus the network and the server."""
    from django.test import Client
    from django.urls import reverse

    from iodp.reference.models import Discipline

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    chemistry = Discipline.objects.get(code="150").pk
    pages = [
        ("list default", "organizations:list", {}),
        ("list one discipline", "organizations:list", {"discipline": chemistry}),
        ("list sorted by founding year, page 100", "organizations:list", {"sort": "founded", "page": "100"}),
        ("list sorted by founding year desc, page 100", "organizations:list", {"sort": "-founded", "page": "100"}),
        ("list q= Chinese name", "organizations:list", {"q": "国际纯粹与应用化学联合会"}),
        ("list q= part of a Chinese name", "organizations:list", {"q": "纯粹与应用化学"}),
        ("list q= misspelled English name", "organizations:list", {"q": "Internatonal Union Pure Aplied Chemistry"}),
        ("typeahead misspelled", "organizations:search_json", {"q": "Internatonal Union Pure Aplied Chemistry"}),
        ("typeahead Chinese name", "organizations:search_json", {"q": "国际纯粹与应用化学联合会"}),
        ("typeahead acronym", "organizations:search_json", {"q": "IUPAC"}),
    ]
    for label, url_name, params in pages:
        url = reverse(url_name)
        response = client.get(url, params)  # warm-up
        times = []
        with CaptureQueriesContext(connection) as ctx:
            for _ in range(repeat):
                start = time.perf_counter()
                response = client.get(url, params)
                times.append((time.perf_counter() - start) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        found = response.content.count(b"/organizations/") if url_name.endswith("list") else \
            len(response.json()["results"])
        iupac = "IUPAC" in response.content.decode()
        print(f"page {label:<52} median {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms  "
              f"queries {len(ctx.captured_queries) // repeat}  {len(response.content) // 1024} KiB  "
              f"status {response.status_code}  links/results {found}  IUPAC {'yes' if iupac else 'no'}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--organizations", type=int, default=68000)
    parser.add_argument("--repeat", type=int, default=30, help="requests per page (whole-page timings)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from iodp.reference.loader import load_reference_data

    load_reference_data()
    seed(args.organizations)
    from django.test import RequestFactory

    from iodp.accounts.models import User
    from iodp.core.pagination import paginate
    from iodp.organizations.filters import OrganizationFilter
    from iodp.organizations.models import Organization
    from iodp.organizations.selectors import organization_list_rows, organization_search, registry_for

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    user = User.objects.get(username="bench_admin")
    print(f"{connection.vendor}: {Organization.objects.count()} organizations")
    for query in ["IUPAC", "国际纯粹与应用化学联合会", "Intl. Union of Pure & Applied Chemistry", "纯粹与应用化学",
                  "Internatonal Union Pure Aplied Chemistry", "Union", "国际", "WUPC123"]:
        timed(f"search {query!r}", lambda q=query: [str(o) for o in organization_search(query=q, user=user,
                                                                                      limit=3)][:1])
    factory = RequestFactory()
    for params in [{}, {"q": "Intl. Union of Pure & Applied Chemistry"}, {"nature": "regional", "category": "core"},
                   {"sort": "-founded", "page": "100"}, {"q": "化学"}, {"hmt": "hk", "membership": "member"}]:
        def run(params=params):
            request = factory.get("/organizations/", params)
            filterset = OrganizationFilter(request.GET or None, queryset=registry_for(user), user=user)
            page = paginate(request, filterset.qs.values_list("pk", flat=True))
            page.object_list = organization_list_rows(user=user, pks=list(page.object_list))
            return f"{page.paginator.count} rows, page of {len([o.disciplines.all() for o in page])}"
        timed(f"list {params}", run)
    timed_pages(user, args.repeat)


if __name__ == "__main__":
    main()
