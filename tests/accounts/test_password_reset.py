"""重置密码: the platform admin gives a unit's account a temporary password, shown once; the account must set its
own before anything else, its lockout is lifted and its old sessions end; nobody else can do it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from iodp.accounts import services
from iodp.core.models import ChangeLog

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "An0ther-Strong!2026"


def reset_url(user) -> str:
    return reverse("accounts:unit_password_reset", args=[user.unit_id])


def log_in(client, user, password) -> bool:
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


def test_the_temporary_password_logs_in_instead_of_the_old_one(unit_user, platform_admin):
    password = services.unit_password_reset(user=unit_user, by=platform_admin)
    assert len(password) == 12 and not set(password) & set("0O1lI")
    unit_user.refresh_from_db()
    assert unit_user.must_change_password
    assert unit_user.check_password(password) and not unit_user.check_password(PASSWORD)
    assert services.unit_password_reset(user=unit_user, by=platform_admin) != password


def test_the_log_says_who_reset_it_and_never_the_password(unit_user, platform_admin):
    password = services.unit_password_reset(user=unit_user, by=platform_admin)
    entry = ChangeLog.objects.latest("pk")
    assert entry.actor == platform_admin and entry.unit_id == unit_user.unit_id
    assert unit_user.username in entry.comment
    assert password not in str(entry.changes) + entry.comment


def test_only_the_platform_admin_resets_and_not_its_own_password(unit_user, other_unit_user, platform_admin):
    with pytest.raises(PermissionDenied):
        services.unit_password_reset(user=other_unit_user, by=unit_user)
    with pytest.raises(ValidationError):
        services.unit_password_reset(user=platform_admin, by=platform_admin)
    other_unit_user.refresh_from_db()
    assert other_unit_user.check_password(PASSWORD) and not other_unit_user.must_change_password


def test_a_reset_lifts_the_login_lockout(unit_user, platform_admin, settings):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": unit_user.username, "password": "wrong"})
    assert not log_in(client, unit_user, PASSWORD)
    password = services.unit_password_reset(user=unit_user, by=platform_admin)
    assert log_in(client, unit_user, password)


def test_the_admin_sees_the_password_once_in_a_page_not_stored(admin_client_, unit_user):
    review = admin_client_.get(reverse("accounts:unit_review", args=[unit_user.unit_id])).content.decode()
    assert reset_url(unit_user) in review
    response = admin_client_.post(reset_url(unit_user), {"user": unit_user.pk})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    password = response.context["password"]
    assert password in response.content.decode()
    unit_user.refresh_from_db()
    assert unit_user.check_password(password)
    # not kept in a flash message either: the next page does not show it again
    assert password not in admin_client_.get(reverse("accounts:unit_list")).content.decode()


def test_an_account_of_another_unit_cannot_be_reset_through_this_unit(admin_client_, unit_user, other_unit_user):
    response = admin_client_.post(reset_url(unit_user), {"user": other_unit_user.pk})
    assert response.status_code == 404
    other_unit_user.refresh_from_db()
    assert other_unit_user.check_password(PASSWORD)


def test_units_and_visitors_cannot_reset(unit_client, client, unit_user, other_unit_user):
    # the platform admin's pages do not exist for a unit
    assert unit_client.post(reset_url(other_unit_user), {"user": other_unit_user.pk}).status_code == 404
    assert unit_client.post(reset_url(unit_user), {"user": unit_user.pk}).status_code == 404
    response = client.post(reset_url(unit_user), {"user": unit_user.pk})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    unit_user.refresh_from_db()
    assert unit_user.check_password(PASSWORD) and not unit_user.must_change_password


def test_the_old_sessions_end_and_a_new_password_is_required_first(unit_user, platform_admin):
    old_session = Client()
    old_session.force_login(unit_user)
    assert old_session.get(reverse("core:home")).status_code == 200
    password = services.unit_password_reset(user=unit_user, by=platform_admin)
    assert old_session.get(reverse("core:home")).status_code == 302  # logged out by the new password hash

    client = Client()
    assert log_in(client, unit_user, password)
    for page in (reverse("core:home"), reverse("experts:list"), reverse("core:drafts")):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    assert client.get(reverse("manual:index")).status_code == 200
    response = client.post(reverse("accounts:password_change"), {
        "old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert "密码已修改" in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 200
    unit_user.refresh_from_db()
    assert not unit_user.must_change_password and unit_user.check_password(NEW_PASSWORD)
