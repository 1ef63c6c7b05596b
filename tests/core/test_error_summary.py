"""A failed 保存/提交 opens with a summary of every error at the top of the form, each linked to its field (or
list row), and keeps everything typed."""

import re

import pytest
from django.urls import reverse

from iodp.organizations.models import Conference, Organization

from ..accounts.test_views import registration_data
from ..organizations.factories import approved_organization, draft_organization
from ..organizations.test_proposals import proposal_post
from ..organizations.test_views import directory_data, form_data

pytestmark = pytest.mark.django_db


def summary_of(response) -> list[tuple[str, str]]:
    """[(anchor, text)] of the error summary's lines; anchor is "" for a line without a link."""
    assert response.status_code == 200
    page = response.content.decode()
    match = re.search(r'<div[^>]*data-error-summary[^>]*>(.*?)</div>', page, re.S)
    assert match, "no error summary on the page"
    lines = []
    for item in re.findall(r"<li>(.*?)</li>", match.group(1), re.S):
        link = re.search(r'href="#([^"]+)"', item)
        lines.append((link.group(1) if link else "", re.sub(r"<[^>]+>", "", item).strip()))
    return lines


def assert_anchors_exist(response, lines):
    page = response.content.decode()
    for anchor, _text in lines:
        if anchor:
            assert f'id="{anchor}"' in page, anchor


def test_a_failed_submit_lists_every_missing_field_with_a_link_and_keeps_what_was_typed(unit_client):
    response = unit_client.post(reverse("organizations:create"), form_data(
        action="submit", name_zh="", nature="", acronym="A" * 40, hq_city="Genève-Ville"))
    lines = summary_of(response)
    anchors = [anchor for anchor, _ in lines]
    assert "id_name_zh" in anchors and "id_nature" in anchors and "id_acronym" in anchors
    assert ("id_acronym", "英文缩写最多 32 个字符（当前 40 个）。") in lines
    assert any(anchor == "id_name_zh" and text.startswith("中文名称") for anchor, text in lines)
    assert_anchors_exist(response, lines)
    page = response.content.decode()
    assert 'value="Genève-Ville"' in page and 'value="Test Medal"' in page and "A" * 40 in page
    assert not Organization.objects.exists()


def test_a_bad_conference_row_is_listed_with_the_list_name_and_row_number(unit_client, unit_user):
    org = draft_organization(unit_user)
    response = unit_client.post(reverse("organizations:directory", args=[org.pk]), directory_data(
        version=org.version, action="save", member_count="很多", **{"conferences-0-hosted_in_china": ""}))
    lines = summary_of(response)
    assert ("id_member_count", "会员数量请填写整数。") in lines
    assert ("id_conferences-0-host_unit_name", "国际会议第 1 行：仅在华举办的会议需要填写承办单位。") in lines
    assert_anchors_exist(response, lines)
    page = response.content.decode()
    assert 'value="中国测试学会"' in page and 'value="很多"' in page
    assert not Conference.objects.exists()


def test_an_error_of_a_field_the_row_does_not_show_is_shown_and_listed(unit_client, unit_user):
    """A row that names a conference which no longer exists fails on its hidden id: before, nothing said so."""
    org = draft_organization(unit_user)
    response = unit_client.post(reverse("organizations:directory", args=[org.pk]), directory_data(
        version=org.version, action="save", **{"conferences-INITIAL_FORMS": "1", "conferences-0-id": "999999"}))
    lines = summary_of(response)
    row_lines = [(anchor, text) for anchor, text in lines if anchor == "conferences-0-row"]
    assert row_lines and row_lines[0][1].startswith("国际会议第 1 行")
    page = response.content.decode()
    row = page[page.index('id="conferences-0-row"'):]
    assert "data-row-errors" in row[:row.index('id="id_conferences-0-name"')]
    assert_anchors_exist(response, lines)


def test_a_list_error_is_listed_with_the_list_name(unit_client, unit_user):
    org = draft_organization(unit_user)
    data = directory_data(version=org.version, action="save", **{"governing_bodies-TOTAL_FORMS": "31"})
    for i in range(1, 31):
        data[f"governing_bodies-{i}-name"] = f"委员会{i}"
    lines = summary_of(unit_client.post(reverse("organizations:directory", args=[org.pk]), data))
    assert any(anchor == "formset-governing_bodies" and text.startswith("领导机构及人数：")
               for anchor, text in lines), lines


def test_membership_form_lists_its_errors(unit_client, unit_user, platform_admin):
    response = unit_client.post(reverse("organizations:plan_create"), {
        "organization": "", "status": "planned", "form": "institutional", "since_year": "一九九九",
        "dues_amount": "", "dues_currency": "", "target_date": "2026-02-30", "reason": "参与国际标准制定", "notes": ""})
    lines = summary_of(response)
    anchors = [anchor for anchor, _ in lines]
    assert {"id_organization", "id_target_date"} <= set(anchors), lines  # a plan has no 加入年份 field
    assert_anchors_exist(response, lines)
    assert "参与国际标准制定" in response.content.decode()


def test_conference_form_lists_the_host_unit_rule(unit_client):
    response = unit_client.post(reverse("organizations:conference_create"), {
        "name": "国际青年科学家论坛", "year": "2025", "city": "杭州", "country": "", "hosted_in_china": "",
        "host_unit_name": "甲省科学技术协会"})
    lines = summary_of(response)
    assert ("id_host_unit_name", "仅在华举办的会议需要填写承办单位。") in lines
    assert 'value="甲省科学技术协会"' in response.content.decode()


def test_proposal_form_lists_its_errors(unit_client, unit_user, platform_admin):
    iupac = approved_organization(platform_admin, platform_admin)
    response = unit_client.post(reverse("organizations:propose", args=[iupac.pk]),
                                proposal_post(iupac, website="bad url", hq_city="Durham"))
    lines = summary_of(response)
    assert any(anchor == "id_website" and text.startswith("官方网址") for anchor, text in lines), lines
    assert 'value="bad url"' in response.content.decode()


def test_registration_lists_its_errors(client):
    response = client.post(reverse("accounts:register"), registration_data(admin_email="not-an-email",
                                                                            password2="other"))
    lines = summary_of(response)
    anchors = [anchor for anchor, _ in lines]
    assert "id_admin_email" in anchors and "id_password2" in anchors
    assert_anchors_exist(response, lines)
    assert 'value="赵六"' in response.content.decode()


def test_a_valid_page_has_no_summary(unit_client):
    assert "data-error-summary" not in unit_client.get(reverse("organizations:create")).content.decode()
