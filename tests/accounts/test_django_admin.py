import pytest
from django.test import Client
from django.urls import reverse

from iodp.accounts.models import Role, UnitStatus, User

from ..conftest import make_unit_user

pytestmark = pytest.mark.django_db


def test_django_admin_cannot_change_a_units_status_around_the_service():
    pending = make_unit_user("pending_unit", "待审核学会")
    superuser = User.objects.create_superuser("root_admin", "root@example.cn", "Root-2026!x",
                                          role=Role.PLATFORM_ADMIN)
    client = Client()
    client.force_login(superuser)
    url = reverse("admin:accounts_unit_change", args=[pending.unit.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    client.post(url, {"name": pending.unit.name, "status": UnitStatus.APPROVED})
    pending.unit.refresh_from_db()
    assert pending.unit.status == UnitStatus.PENDING
