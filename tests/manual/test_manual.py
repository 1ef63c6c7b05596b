"""使用手册: readable by anyone, every section present, and every picture a screen the browser tests take."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from iodp.manual.content import SECTIONS, referenced_screens, screen_path

E2E = Path(__file__).resolve().parent.parent / "e2e"
_SHOT = re.compile(r"""shot\(\s*page\s*,\s*f?["']([\w-]+)["']""")


def shots_taken_by_browser_tests() -> set[str]:
    return {name for path in E2E.glob("test_*.py") for name in _SHOT.findall(path.read_text(encoding="utf-8"))}


def test_every_picture_is_a_screen_a_browser_test_takes():
    """A picture no browser test takes would never be refreshed: the manual may show only screens of real pages
    that `make manual` re-shoots."""
    missing = [name for name in referenced_screens() if name not in shots_taken_by_browser_tests()]
    assert missing == []


def test_every_picture_has_been_shot():
    assert referenced_screens(), "the manual shows the pages it explains"
    assert [name for name in referenced_screens() if not screen_path(name).exists()] == []


@pytest.mark.django_db
def test_anyone_can_read_the_manual_before_logging_in(client):
    response = client.get(reverse("manual:index"))
    assert response.status_code == 200
    html = response.content.decode()
    for section in SECTIONS:
        assert f'id="{section.slug}"' in html and f'href="#{section.slug}"' in html
    assert "单位注册" in html and "使用手册" in html
    assert 'href="/accounts/login/"' in html  # a visitor gets the login link, not the platform's menus
    assert "草稿箱" in html and reverse("core:drafts") not in html


@pytest.mark.django_db
def test_a_logged_in_user_reads_it_inside_the_platform(client, unit_user):
    client.force_login(unit_user)
    html = client.get(reverse("manual:index")).content.decode()
    assert reverse("core:drafts") in html  # the sidebar is there
    assert "/static/manual/screens/" in html
    assert client.get(reverse("core:home")).content.decode().count(reverse("manual:index")) == 1


@pytest.mark.django_db
def test_the_login_page_links_to_the_manual(client):
    assert reverse("manual:index") in client.get(reverse("accounts:login")).content.decode()


@pytest.mark.django_db
def test_english_readers_are_told_it_is_in_chinese(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "written in Chinese" in client.get(reverse("manual:index")).content.decode()
