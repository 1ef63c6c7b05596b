"""An expired form (CSRF failure, e.g. after logging in again in another tab) keeps what the user typed."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from iodp.organizations.models import Membership

from ..organizations.factories import approved_organization
from ..organizations.test_memberships import plan_data

pytestmark = pytest.mark.django_db


def strict_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def hidden_values(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def test_an_expired_form_explains_itself_and_keeps_the_typed_values_for_resubmission(unit_user, platform_admin):
    iupac = approved_organization(platform_admin, platform_admin)
    client = strict_client(unit_user)
    url = reverse("organizations:plan_create")
    client.get(url)  # the form was loaded (CSRF cookie set) ...
    client.cookies.pop("csrftoken", None)  # ... and its token no longer matches (new login elsewhere, cleared cookie)
    data = plan_data(iupac, reason="参与国际标准制定 <b>及</b> \"会议\"", csrfmiddlewaretoken="stale-token")
    response = client.post(url, data)
    text = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in text and "您填写的内容已保留" in text and "Forbidden" not in text
    assert f'action="{url}"' in text and 'data-testid="csrf-resubmit"' in text
    kept = hidden_values(text)
    assert kept["reason"] == "参与国际标准制定 &lt;b&gt;及&lt;/b&gt; &quot;会议&quot;"  # escaped, never markup
    assert kept["organization"] == str(iupac.pk)
    assert kept["csrfmiddlewaretoken"] != "stale-token"
    assert not Membership.objects.exists()

    import html as html_lib

    resubmitted = client.post(url, {name: html_lib.unescape(value) for name, value in kept.items()})
    assert resubmitted.status_code == 302
    assert Membership.objects.get().reason == "参与国际标准制定 <b>及</b> \"会议\""


def test_passwords_are_not_written_back_into_the_page(unit_user):
    client = strict_client(unit_user)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": "secret-old-1", "new_password1": "secret-new-1", "new_password2": "secret-new-1"})
    text = response.content.decode()
    assert response.status_code == 403
    assert "secret-old-1" not in text and "secret-new-1" not in text
    assert "密码需要重新输入" in text


def test_an_expired_login_form_sends_the_user_back_to_log_in(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "unit_a", "password": "secret-pass"})
    text = response.content.decode()
    assert response.status_code == 403 and "页面已过期" in text
    assert "secret-pass" not in text and reverse("accounts:login") in text
