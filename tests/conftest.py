"""Fixtures every test module shares: units, their users, the platform admin and logged-in clients."""

import contextlib
import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from iodp.accounts import services as account_services
from iodp.accounts.models import Role, User
from iodp.reference.models import Region

PASSWORD = "Str0ng-Pass!2026"


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language (a request in English must not leak into the next test)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches (counters such as the duplicate-check limit, reused figures)."""
    from django.core.cache import caches

    for store in caches.all():
        store.clear()
    yield
    for store in caches.all():
        store.clear()


@contextlib.contextmanager
def on_the_day(day: datetime.date):
    """Run the block at noon of `day` in the platform's time zone, the clock ticking from there: for tests whose
    dates were worked out once, at import (a run that crosses midnight in Asia/Shanghai, 16:00 UTC, would
    otherwise see two days)."""
    noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_default_timezone())
    with time_machine.travel(noon, tick=True):
        yield


def make_unit_user(username: str, unit_name: str, *, approve_by=None, province="110000", unit_type="provincial"):
    user = account_services.unit_register(
        unit_name=unit_name, unit_type=unit_type, province=Region.objects.get(code=province),
        admin_name="张三", admin_phone="+8613800138000", admin_email=f"{username}@example.cn",
        username=username, password=PASSWORD,
    )
    if approve_by is not None:
        account_services.unit_approve(unit=user.unit, by=approve_by)
        user.unit.refresh_from_db()
    return user


@pytest.fixture
def platform_admin(db):
    return User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN, is_staff=True)


@pytest.fixture
def unit_user(platform_admin):
    return make_unit_user("unit_a", "甲省科学技术协会", approve_by=platform_admin)


@pytest.fixture
def other_unit_user(platform_admin):
    return make_unit_user("unit_b", "乙学会", approve_by=platform_admin, province="310000",
                          unit_type="national_society")


@pytest.fixture
def pending_user(db):
    return make_unit_user("unit_p", "丙大学科学技术协会", unit_type="university")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client_(platform_admin):
    return logged_in(platform_admin)


@pytest.fixture
def unit_client(unit_user):
    return logged_in(unit_user)


@pytest.fixture
def other_client(other_unit_user):
    return logged_in(other_unit_user)


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('NAME')}"
