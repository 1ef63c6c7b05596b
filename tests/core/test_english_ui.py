"""In English, disciplines and history labels have English forms; recorded values say they are shown as entered."""

import pytest
from django.urls import reverse

from iodp.reference.models import Discipline
from tests.organizations.factories import approved_organization

pytestmark = pytest.mark.django_db


def english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def test_every_discipline_has_an_english_name():
    assert not Discipline.objects.filter(name_en="").exists()
    assert Discipline.objects.get(code="110").name_en == "Mathematics"


def test_an_organization_page_in_english_shows_english_disciplines_and_history_labels(unit_client, unit_user,
                                                                                      platform_admin):
    org = approved_organization(unit_user, platform_admin, disciplines=("110", "150"))
    html = english(unit_client).get(org.get_absolute_url()).content.decode()
    record, history = html[:html.index('data-testid="history"')], html[html.index('data-testid="history"'):]
    assert "Mathematics" in record and "Chemistry" in record and "数学" not in record
    assert "Values are shown as they were entered." in history  # values stay as recorded, labels translate
    assert "Chinese name" in history and "Disciplines" in history and "中文名称" not in history


def test_the_chinese_ui_keeps_chinese_labels(unit_client, platform_admin):
    org = approved_organization(platform_admin, platform_admin, disciplines=("110",))
    html = unit_client.get(org.get_absolute_url()).content.decode()
    history = html[html.index('data-testid="history"'):]
    assert "数学" in html and "按填写时的原文显示" not in history
