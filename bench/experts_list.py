"""Figures for the experts list at national scale: seeds N experts (default 100,000) with languages and
positions into the database named by DATABASE_URL (use a database of its own), then times the list
queries a page runs (count + one page + prefetch) for common filters. Prints figures; asserts nothing.

    createdb experts_bench   # or psql -c "CREATE DATABASE experts_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/experts_bench DJANGO_SETTINGS_MODULE=iodp.settings.test \
        .venv/bin/python bench/experts_list.py --experts 100000
"""

import argparse
import datetime
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iodp.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红晓梅文斌宇浩然欣怡子涵梓萱"


def seed(n_experts: int, n_units: int, n_orgs: int) -> None:
    from iodp.accounts.models import Unit, UnitStatus
    from iodp.core.text import character_pairs
    from iodp.experts.identity import id_key
    from iodp.experts.models import Expert, ExpertLanguage, Position
    from iodp.experts.pinyin import name_initials, name_pinyin, suggest_name_en
    from iodp.organizations.models import Organization
    from iodp.reference.models import Region

    if Expert.objects.count() >= n_experts:
        print(f"already seeded: {Expert.objects.count()} experts")
        return
    rng = random.Random(7)
    regions = list(Region.objects.all())
    units = Unit.objects.bulk_create([
        Unit(name=f"基准单位{i}", unit_type="provincial", province=rng.choice(regions), admin_name="管理员",
             admin_phone="+8613800138000", admin_email=f"u{i}@example.cn", status=UnitStatus.APPROVED)
        for i in range(n_units)])
    orgs = Organization.objects.bulk_create([
        Organization(name_zh=f"基准国际组织{i}", name_en=f"Benchmark Organization {i}", acronym=f"BO{i}",
                     status="approved") for i in range(n_orgs)])
    today = datetime.date.today()
    started = time.perf_counter()
    batch = 5000
    for offset in range(0, n_experts, batch):
        experts = []
        for i in range(offset, min(offset + batch, n_experts)):
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            born = today - datetime.timedelta(days=rng.randint(25 * 365, 70 * 365))
            number = f"P{i:09d}"
            experts.append(Expert(
                unit=rng.choice(units), kind=rng.choice(("serving", "reserve")), status=rng.choice(
                    ("draft", "submitted", "approved", "approved")), name_zh=name, name_en=suggest_name_en(name),
                name_pinyin=name_pinyin(name), name_initials=name_initials(name), gender=rng.choice(("male", "female")),
                birth_date=born, id_type="passport", id_number=number, id_key=id_key("passport", number),
                employer=f"基准工作单位{rng.randint(1, 3000)}", foreign_affairs_years=Decimal(rng.randint(0, 60)) / 4,
                has_intl_org_experience=rng.random() < 0.3, has_working_language=rng.random() < 0.6,
                target_mid_level=rng.random() < 0.5))
            experts[-1].search_pairs = character_pairs(name, experts[-1].name_en, experts[-1].employer)
        created = Expert.objects.bulk_create(experts)
        ExpertLanguage.objects.bulk_create([
            ExpertLanguage(expert=e, language="en" if e.has_working_language else "ru", proficiency="working")
            for e in created])
        Position.objects.bulk_create([
            Position(expert=e, organization=rng.choice(orgs), role=rng.choice(("member", "president", "other")),
                     level=rng.choice(("leadership", "mid_level", "secretariat")),
                     term_start=today - datetime.timedelta(days=rng.randint(0, 1500)),
                     term_end=today + datetime.timedelta(days=rng.randint(1, 1500)), status="current")
            for e in created if e.kind == "serving"])
        print(f"  seeded {offset + len(created)} experts ({time.perf_counter() - started:.0f}s)", flush=True)


def measure(label: str, user, runs: int = 3, **filters) -> None:
    from django.core.paginator import Paginator

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
    parser.add_argument("--experts", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--organizations", type=int, default=2000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from iodp.reference.loader import load_reference_data

    load_reference_data()
    seed(args.experts, args.units, args.organizations)
    from iodp.core.db import analyze

    analyze()  # as load_reference and load_demo do after loading

    from iodp.accounts.models import Role, Unit, User
    from iodp.organizations.models import Organization

    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={"role": Role.PLATFORM_ADMIN})
    unit = Unit.objects.filter(name="基准单位1").first()
    unit_user, _ = User.objects.get_or_create(username="bench_unit", defaults={"unit": unit})
    organization = Organization.objects.filter(acronym="BO7").first()
    print(f"database: {connection.vendor}; experts: {args.experts}")
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
