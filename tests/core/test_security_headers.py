"""Security headers: a Content-Security-Policy without inline script, and pages the CSP can live with (no inline
script, event handler, javascript: URL or style attribute in any page's HTML)."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from iodp.core import workflow_services as wf
from iodp.organizations.models import Conference

from ..experts.conftest import make_expert
from ..harness import _walk
from ..institutions.test_workflow_services import add_contact, complete_profile
from ..organizations.factories import approved_organization, draft_organization, saved_membership
from ..organizations.test_proposals import proposal_post

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_a_page_carries_a_content_security_policy_without_inline_script(unit_client):
    directives = policy(unit_client.get(reverse("core:home")))
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]


def test_the_login_page_carries_it_too(client):
    assert policy(client.get(reverse("accounts:login")))["script-src"] == ["'self'"]


class InlineCodeFinder(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block: inline scripts, on* handlers, javascript: URLs
    and style attributes."""

    def __init__(self):
        super().__init__()
        self.problems = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style":
                self.problems.append(f"<{tag} style=\"{value}\">")
            if (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=\"{value}\">")
        # A JSON data block (json_script) is not run, so the CSP does not block it.
        self.in_script = tag == "script" and dict(attrs).get("type") != "application/json"

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.problems.append(f"<script>{data.strip()[:60]}…</script>")


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems


SKIPPED = {"accounts:logout", "set_language", "core:record_action", "accounts:unit_action"}  # POST-only actions


@pytest.fixture
def records(unit_user, other_unit_user, platform_admin):
    """For each role, one record of every kind it can open, editable ones as drafts, so every list, detail and
    form page has something to show."""
    own_institution = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    submitted_institution = wf.record_save(record=complete_profile(other_unit_user.unit), by=other_unit_user)
    add_contact(submitted_institution)
    submitted_institution = wf.record_submit(record=submitted_institution, by=other_unit_user,
                                             expected_version=submitted_institution.version)
    organization = approved_organization(platform_admin, platform_admin, aims="促进化学发展\n第二行")
    own_organization = draft_organization(unit_user, name_zh="国际测试联合会", name_en="International Test Union",
                                          acronym="ITU-T")
    admin_organization = draft_organization(platform_admin, name_zh="国际样例理事会",
                                            name_en="International Sample Council", acronym="ISC")
    membership = saved_membership(unit_user, organization, relation="member", dues_amount=100, dues_currency="USD")
    conference = Conference.objects.create(unit=unit_user.unit, name="国际青年科学家论坛", year=2025, city="杭州")
    unit_client = Client()
    unit_client.force_login(unit_user)
    assert unit_client.post(reverse("organizations:propose", args=[organization.pk]),
                            proposal_post(organization, hq_city="Durham, NC")).status_code == 302
    own_expert = make_expert(unit_user, organization=organization, foreign_affairs_description="第一段\n第二段")
    submitted_expert = make_expert(unit_user, organization=organization, submit=True, name_zh="李明",
                                   foreign_affairs_description="第一段\n第二段")
    shared = {"organizations": organization.pk, "organizations:membership_edit": membership.pk,
              "organizations:membership_detail": membership.pk,
              "organizations:conference_edit": conference.pk,
              "organizations:proposal_detail": organization.proposals.get().pk}
    return {
        "unit_user": dict(shared, institutions=own_institution.pk, experts=own_expert.pk,
                          **{"organizations:edit": own_organization.pk}),
        "platform_admin": dict(shared, institutions=submitted_institution.pk, experts=submitted_expert.pk,
                               **{"accounts:unit_review": other_unit_user.unit.pk,
                                  "organizations:edit": admin_organization.pk,
                                  "organizations:directory": admin_organization.pk}),
    }


def page_urls(records):
    for name, pattern in _walk(get_resolver()):
        if set(pattern.pattern.converters) - {"pk", "label", "action"}:
            continue  # a download named by its list (exchange:export), no page
        if name in SKIPPED or "pk" in pattern.pattern.converters and name not in records \
                and name.split(":")[0] not in records:
            continue
        if "pk" in pattern.pattern.converters:
            pk = records.get(name) or records.get(name.split(":")[0])
            yield name, reverse(name, kwargs={"pk": pk})
        else:
            yield name, reverse(name)


@pytest.mark.parametrize("who", ["unit_user", "platform_admin"])
def test_no_page_has_inline_script_handlers_or_styles(records, who, request):
    client = Client()
    client.force_login(request.getfixturevalue(who))
    records = records[who]
    rendered = {}
    for name, url in page_urls(records):
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            rendered[name] = inline_code(response.content.decode())
    response = client.post(reverse("experts:reveal", args=[records["experts"]]))
    if response.status_code == 200:
        rendered["experts:reveal"] = inline_code(response.content.decode())
    assert {name: problems for name, problems in rendered.items() if problems} == {}
    assert {"core:home", "organizations:list", "organizations:detail", "organizations:edit", "experts:list",
            "experts:detail", "institutions:detail", "accounts:password_change"} <= set(rendered)
    if who == "platform_admin":
        assert {"core:review_queue", "institutions:home", "accounts:unit_list", "accounts:unit_review",
                "organizations:directory", "organizations:proposal_list", "organizations:proposal_detail",
                "experts:duplicates"} <= set(rendered)
    else:
        assert {"core:drafts", "institutions:edit", "organizations:membership_list",
                "organizations:membership_create", "organizations:membership_edit", "organizations:plan_create",
                "organizations:conference_list", "organizations:conference_create",
                "organizations:conference_edit", "organizations:propose", "experts:create",
                "experts:reserve_create", "experts:edit", "experts:reveal"} <= set(rendered)


def test_public_pages_have_no_inline_script_handlers_or_styles(client):
    for name in ("accounts:login", "accounts:register", "accounts:register_done"):
        assert inline_code(client.get(reverse(name)).content.decode()) == [], name
