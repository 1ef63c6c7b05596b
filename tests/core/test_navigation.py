"""Every link of the top bar and the sidebar leads to a working page, for every role."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


class _NavLinks(HTMLParser):
    """The hrefs of the <a> elements inside the page's <nav> elements (top bar and sidebar)."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "nav":
            self.depth += 1
        elif tag == "a" and self.depth:
            href = dict(attrs).get("href") or ""
            if href and not href.startswith("#"):
                self.hrefs.append(href)

    def handle_endtag(self, tag):
        if tag == "nav" and self.depth:
            self.depth -= 1


def nav_links(page: str) -> list[str]:
    parser = _NavLinks()
    parser.feed(page)
    return list(dict.fromkeys(parser.hrefs))


@pytest.mark.parametrize("role", ["unit_client", "admin_client_"])
def test_every_navigation_link_works_for_every_role(request, role):
    client = request.getfixturevalue(role)
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    links = nav_links(home.content.decode())
    assert reverse("core:drafts") in links and reverse("organizations:list") in links
    for href in links:
        assert not urlsplit(href).netloc, href
        response = client.get(href, follow=True)
        assert response.status_code == 200, f"{role}: {href} answered {response.status_code}"


def test_platform_admin_sidebar_has_no_unit_only_shortcut(admin_client_):
    links = nav_links(admin_client_.get(reverse("core:home")).content.decode())
    assert reverse("organizations:plan_create") not in links
    assert reverse("accounts:unit_list") in links


def test_organization_list_offers_plan_to_join_only_to_units(admin_client_, unit_client):
    plan_url = reverse("organizations:plan_create")
    assert plan_url not in admin_client_.get(reverse("organizations:list")).content.decode()
    assert plan_url in unit_client.get(reverse("organizations:list")).content.decode()
