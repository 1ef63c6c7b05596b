"""One "today": dates are the platform's (Asia/Shanghai), whatever zone the server process runs in."""

import datetime
import os
import time

import pytest
import time_machine

from iodp.core import clock
from iodp.experts.models import Expert

# 18:00 UTC on 2 December is 02:00 on 3 December in Shanghai.
EVENING_UTC = datetime.datetime(2026, 12, 2, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture
def server_in_utc():
    """A process whose own local zone is UTC (a container, a worker started without TZ)."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if saved is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = saved
    time.tzset()


def test_today_is_shanghais_date(server_in_utc):
    with time_machine.travel(EVENING_UTC, tick=False):
        assert datetime.date.today() == datetime.date(2026, 12, 2)  # the server's own idea
        assert clock.today() == datetime.date(2026, 12, 3)


def test_an_experts_age_turns_on_shanghais_birthday(server_in_utc):
    expert = Expert(birth_date=datetime.date(1986, 12, 3))
    with time_machine.travel(EVENING_UTC, tick=False):
        assert expert.age() == 40


def test_a_term_that_started_today_in_shanghai_may_be_former(server_in_utc):
    from iodp.experts.models import Position, PositionStatus

    position = Position(status=PositionStatus.FORMER, term_start=datetime.date(2026, 12, 3),
                        term_end=datetime.date(2026, 12, 3))
    with time_machine.travel(EVENING_UTC, tick=False):
        position.clean()  # raises "任期尚未开始" when read on the server's own date


def test_today_is_the_date_in_the_platforms_zone_whatever_zone_is_active(server_in_utc):
    from django.utils import timezone

    with time_machine.travel(EVENING_UTC, tick=False), timezone.override(datetime.UTC):
        assert timezone.localdate() == datetime.date(2026, 12, 2)
        assert clock.today() == datetime.date(2026, 12, 3)
    with time_machine.travel(datetime.datetime(2026, 12, 2, 15, 59, tzinfo=datetime.UTC), tick=False):
        assert clock.today() == datetime.date(2026, 12, 2)
