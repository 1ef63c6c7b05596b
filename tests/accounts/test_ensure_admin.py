"""`manage.py ensure_admin`: creates the platform admin once, and recovers access with IODP_ADMIN_PASSWORD."""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from iodp.accounts.models import User
from iodp.core.models import ChangeLog

pytestmark = pytest.mark.django_db


def ensure_admin(monkeypatch, **env) -> str:
    for name in ("IODP_ADMIN_USER", "IODP_ADMIN_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    return out.getvalue()


def password_log(user):
    return ChangeLog.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=user.pk)


def test_without_an_admin_it_creates_one_with_the_given_password(monkeypatch):
    output = ensure_admin(monkeypatch, IODP_ADMIN_USER="root", IODP_ADMIN_PASSWORD="Recover-2026!")
    user = User.objects.get(username="root")
    assert user.is_platform_admin and user.check_password("Recover-2026!")
    assert "created" in output and "Recover-2026!" not in output


def test_with_the_password_set_it_resets_an_existing_admins_password_and_logs_it(monkeypatch, platform_admin):
    output = ensure_admin(monkeypatch, IODP_ADMIN_USER="center", IODP_ADMIN_PASSWORD="Recover-2026!")
    platform_admin.refresh_from_db()
    assert platform_admin.check_password("Recover-2026!")
    assert "password set" in output and "center" in output
    entry = password_log(platform_admin).get()
    assert "密码" in entry.comment and entry.actor is None


def test_without_the_password_an_existing_admin_is_left_alone(monkeypatch, platform_admin):
    from ..conftest import PASSWORD

    output = ensure_admin(monkeypatch, IODP_ADMIN_USER="center")
    platform_admin.refresh_from_db()
    assert platform_admin.check_password(PASSWORD)
    assert "unchanged" in output
    assert not password_log(platform_admin).exists()


def test_the_same_password_again_changes_and_logs_nothing(monkeypatch, platform_admin):
    from ..conftest import PASSWORD

    output = ensure_admin(monkeypatch, IODP_ADMIN_USER="center", IODP_ADMIN_PASSWORD=PASSWORD)
    assert "unchanged" in output
    assert not password_log(platform_admin).exists()


def test_a_password_the_validators_refuse_is_not_set(monkeypatch, platform_admin):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        ensure_admin(monkeypatch, IODP_ADMIN_USER="center", IODP_ADMIN_PASSWORD="123")
    assert not password_log(platform_admin).exists()
