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
