"""The login throttle locks a username at the client's address: REMOTE_ADDR, or the trusted proxy's header."""

import pytest
from django.test import Client
from django.urls import reverse

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


def client_behind(forwarded_for: str | None, remote_addr: str = PROXY) -> Client:
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return Client(**headers)


def fail_until_locked(client, settings, username="unit_a"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": username, "password": "wrong-password"})


def can_log_in(client, username="unit_a") -> bool:
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    return response.status_code == 302 and "_auth_user_id" in client.session


def test_without_a_proxy_a_forwarded_header_does_not_escape_a_lockout(unit_user, settings):
    settings.IODP_TRUSTED_PROXY_COUNT = 0
    fail_until_locked(client_behind("198.51.100.1", remote_addr="203.0.113.9"), settings)
    assert not can_log_in(client_behind("198.51.100.2", remote_addr="203.0.113.9"))
    assert not can_log_in(client_behind(None, remote_addr="203.0.113.9"))
    assert can_log_in(client_behind(None, remote_addr="203.0.113.10"))


def test_behind_one_trusted_proxy_one_locked_client_does_not_lock_out_another(unit_user, settings):
    settings.IODP_TRUSTED_PROXY_COUNT = 1
    fail_until_locked(client_behind("198.51.100.1"), settings)
    assert not can_log_in(client_behind("198.51.100.1"))
    assert can_log_in(client_behind("198.51.100.2"))


def test_behind_a_trusted_proxy_only_the_address_it_appended_counts(unit_user, settings):
    """A client that prepends its own X-Forwarded-For entry is still known by the address the proxy saw."""
    settings.IODP_TRUSTED_PROXY_COUNT = 1
    fail_until_locked(client_behind("198.51.100.1"), settings)
    assert not can_log_in(client_behind("192.0.2.77, 198.51.100.1"))


def test_behind_two_proxies_the_client_is_second_from_the_right(unit_user, settings):
    settings.IODP_TRUSTED_PROXY_COUNT = 2
    fail_until_locked(client_behind("192.0.2.1, 198.51.100.1, 10.0.0.4"), settings)
    assert not can_log_in(client_behind("198.51.100.1, 10.0.0.4"))
    assert can_log_in(client_behind("198.51.100.2, 10.0.0.4"))


def test_a_configured_header_name_is_read_instead_of_x_forwarded_for(unit_user, settings):
    settings.IODP_TRUSTED_PROXY_COUNT = 1
    settings.IODP_CLIENT_IP_HEADER = "X-Real-IP"
    fail_until_locked(Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="198.51.100.1"), settings)
    assert not can_log_in(Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="198.51.100.1"))
    assert can_log_in(Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="198.51.100.2"))


def test_the_lockout_page_says_how_long_in_minutes_from_the_configured_cool_off(unit_user, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(minutes=45)
    client = Client(REMOTE_ADDR="203.0.113.20")
    fail_until_locked(client, settings)
    response = client.post(reverse("accounts:login"), {"username": "unit_a", "password": PASSWORD})
    text = response.content.decode()
    assert response.status_code == 429
    assert "请 45 分钟后再试" in text
    assert "PT45M" not in text


def test_the_lockout_page_in_english_says_minutes_and_hours(unit_user, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(hours=1, minutes=30)
    client = Client(REMOTE_ADDR="203.0.113.21", HTTP_ACCEPT_LANGUAGE="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    fail_until_locked(client, settings)
    response = client.post(reverse("accounts:login"), {"username": "unit_a", "password": PASSWORD})
    text = response.content.decode()
    assert "1 hour 30 minutes" in text
    assert "PT1H30M" not in text
