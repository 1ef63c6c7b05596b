import re

import pytest
from django.conf import settings
from django.urls import reverse

from ..harness import protected_urls

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name,url", protected_urls())
def test_every_page_sends_anonymous_users_to_login(client, name, url):
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, f"{name} {url} answered {response.status_code}"
        assert response.url.startswith(reverse(settings.LOGIN_URL)), f"{name} redirected to {response.url}"


def test_shell_in_chinese_by_default(unit_client, unit_user):
    page = unit_client.get(reverse("core:home")).content.decode()
    assert '<html lang="zh-hans">' in page
    for label in ["机构管理", "国际组织", "专家信息", "统计分析", "草稿箱", "退出登录"]:
        assert label in page
    assert unit_user.unit.name in page and "已通过" in page


def test_shell_in_english_after_switching(unit_client):
    response = unit_client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    page = response.content.decode()
    assert '<html lang="en">' in page
    for label in ["Institutions", "International organizations", "Experts", "Statistics", "Drafts", "Log out",
                  "Approved"]:
        assert label in page, label
    assert "草稿箱" not in page


def test_login_page_in_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Log in" in page and "Register your unit" in page
    assert "<title>Log in · International Organization Data Platform</title>" in page


@pytest.mark.parametrize("name", ["organizations:create", "organizations:plan_create", "experts:create",
                                  "experts:reserve_create", "core:drafts", "insights:home", "institutions:home"])
def test_every_shortcut_leads_to_a_page(unit_client, name):
    response = unit_client.get(reverse(name), follow=True)
    assert response.status_code == 200


def test_static_assets_are_local(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in page
    # Every asset the page loads (src=, href=) is served by the platform: no other host, no CDN. (Not a search of
    # the whole page for "cdn": a random CSRF token or nonce may contain those letters.)
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page)
    assert assets
    assert not [url for url in assets if re.match(r"(?:[a-z]+:)?//", url, re.I) or "cdn" in url.lower()]


@pytest.mark.parametrize("name,absent,present", [
    ("organizations:list", "国际组织", "International organizations"),
    ("experts:list", "后备专家", "Reserve expert"),
    ("core:drafts", "草稿箱", "Drafts"),
    ("institutions:create", "中文名称", "Chinese name"),
])
def test_module_pages_are_translated_to_english(unit_client, name, absent, present):
    unit_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = unit_client.get(reverse(name)).content.decode()
    assert present in page, present
    assert f">{absent}<" not in page


def test_chinese_by_default_even_for_an_english_browser(client):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page and "登录" in page


def _script_strings(page: str) -> dict:
    import json
    import re

    return json.loads(re.search(r'<script id="iodp-i18n" type="application/json">(.*?)</script>', page, re.S)[1])


def test_script_text_is_translated_on_the_server(unit_client):
    strings = _script_strings(unit_client.get(reverse("core:home")).content.decode())
    assert strings["orgNotFound"] == "名录中未找到“{query}”，请先新增国际组织。" and strings["draft"] == "草稿"
    unit_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    strings = _script_strings(unit_client.get(reverse("core:home")).content.decode())
    assert "is not in the registry" in strings["orgNotFound"] and strings["draft"] == "Draft"


@pytest.mark.parametrize("name,url", protected_urls())
def test_no_page_fails_for_a_logged_in_user_with_made_up_ids(unit_client, admin_client_, name, url):
    """Unknown ids and odd parameters answer 404 / a redirect / a form, never a server error."""
    for client in (unit_client, admin_client_):
        for response in (client.get(url), client.get(url, {"page": "abc", "q": "<script>", "sort": "x'"})):
            assert response.status_code < 500, f"{name} {url} answered {response.status_code}"
