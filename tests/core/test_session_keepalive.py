"""保持登录: a page with unsaved input learns when its session ends and can ask for more time."""

import datetime
import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_a_logged_in_page_says_when_its_session_ends(unit_client, settings):
    html = unit_client.get(reverse("core:home")).content.decode()
    expires_at = int(re.search(r'data-session-expires-at="(\d+)"', html).group(1))
    assert abs(expires_at - (time.time() + settings.SESSION_COOKIE_AGE)) < 60
    assert f'data-session-keepalive-url="{reverse("core:session_keepalive")}"' in html
    assert "iodp/js/unsaved-changes.js" in html


def test_the_login_page_has_no_session_to_keep(client):
    assert "data-session-expires-at" not in client.get(reverse("accounts:login")).content.decode()


def test_keepalive_moves_the_end_of_the_session_later(unit_client, settings):
    session = Session.objects.get()
    session.expire_date = timezone.now() + datetime.timedelta(minutes=5)  # nearly over
    session.save()
    response = unit_client.post(reverse("core:session_keepalive"))
    assert response.status_code == 200
    assert response.json() == {"authenticated": True, "expires_in": settings.SESSION_COOKIE_AGE}
    renewed = Session.objects.get().expire_date.timestamp()
    assert abs(renewed - (time.time() + settings.SESSION_COOKIE_AGE)) < 60


def test_keepalive_needs_a_post_with_the_csrf_token(unit_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(unit_user)
    assert client.get(reverse("core:session_keepalive")).status_code == 405
    assert client.post(reverse("core:session_keepalive")).status_code == 403


def test_keepalive_of_an_ended_session_is_sent_to_log_in(client):
    response = client.post(reverse("core:session_keepalive"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
