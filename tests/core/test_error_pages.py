"""What a user meets when something goes wrong: the favicon is there, error pages are Chinese pages of the site."""

import pytest
from django.templatetags.static import static

pytestmark = pytest.mark.django_db


def test_every_page_links_the_sites_favicon(unit_client, client):
    icon = static("iodp/img/favicon.svg")
    assert f'<link rel="icon" href="{icon}" type="image/svg+xml">' in unit_client.get("/").content.decode()
    assert f'href="{icon}"' in client.get("/accounts/login/").content.decode()


def test_the_favicon_is_served_and_so_is_favicon_ico(client):
    icon = static("iodp/img/favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == icon
    served = client.get(icon)
    assert served.status_code == 200 and served["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in b"".join(served.streaming_content)


def test_a_missing_page_is_a_chinese_page_of_the_site_with_a_way_back(unit_client, client):
    for who in (unit_client, client):
        response = who.get("/no-such-page/")
        text = response.content.decode()
        assert response.status_code == 404
        assert "页面不存在" in text and 'href="/"' in text and "Not Found" not in text
        assert "iodp/css/app.css" in text


def test_a_forbidden_page_is_a_chinese_page(unit_user):
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory
    from django.views.defaults import permission_denied

    request = RequestFactory().get("/somewhere/")
    request.user = unit_user
    denied = permission_denied(request, exception=PermissionDenied())
    text = denied.content.decode()
    assert denied.status_code == 403 and "没有权限" in text and 'href="/"' in text


def test_a_bad_request_is_a_chinese_page(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400 and "请求无法处理" in response.content.decode()


def test_the_server_error_page_renders_without_a_request_or_database():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "服务器出错" in html and 'href="/"' in html


def test_a_server_error_shows_the_chinese_page(db, settings):
    from django.test import Client

    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500 and "服务器出错" in response.content.decode()


def boom(request):
    raise RuntimeError("boom")


from django.urls import include, path  # noqa: E402

urlpatterns = [path("boom/", boom), path("", include("iodp.urls"))]


def test_the_missing_page_speaks_english_when_english_was_chosen(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Page not found" in client.get("/no-such-page/").content.decode()
