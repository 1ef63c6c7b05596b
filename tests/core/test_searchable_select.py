"""Multiple choices (所属学科, 目标学科领域) are searchable pickers: the <select multiple> carries the hook that
static/iodp/js/searchable-select.js enhances with Tom Select, served from the project's own static files."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ASSETS = ("vendor/tomselect/js/django-tomselect.min.js",
          "vendor/tomselect/vendor/tom-select/css/tom-select.bootstrap5.min.css", "iodp/js/searchable-select.js")


def select_tag(page: str, name: str) -> str:
    start = page.index(f'<select name="{name}"')
    return page[start:page.index(">", start)]


@pytest.mark.parametrize("url_name,names", [
    ("organizations:create", ["disciplines"]),
    ("experts:create", ["disciplines"]),
    ("experts:reserve_create", ["disciplines", "target_disciplines"]),
])
def test_multiple_choices_render_the_picker_hook(unit_client, url_name, names):
    page = unit_client.get(reverse(url_name)).content.decode()
    for name in names:
        tag = select_tag(page, name)
        assert "multiple" in tag and "data-searchable-select" in tag, tag
    for asset in ASSETS:
        assert f"/static/{asset}" in page, asset


def test_single_choices_stay_plain_selects(unit_client):
    page = unit_client.get(reverse("organizations:create")).content.decode()
    assert "data-searchable-select" not in select_tag(page, "nature")


def test_the_picker_assets_are_served(client):
    for asset in ASSETS:
        response = client.get(f"/static/{asset}")
        assert response.status_code == 200, asset
        assert b"".join(response.streaming_content if response.streaming else [response.content])
    script = b"".join(client.get(f"/static/{ASSETS[0]}").streaming_content)
    assert b"window.TomSelect" in script


