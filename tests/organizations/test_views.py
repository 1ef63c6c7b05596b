"""Pages of the registry: anonymous → login, another unit → 404 and nothing changes, the owner → works."""


import pytest
from django.urls import reverse

from iodp.core import clock
from iodp.core import workflow_services as wf
from iodp.core.models import ChangeLog
from iodp.core.workflow import RecordStatus
from iodp.organizations.models import Organization
from iodp.reference.models import Country, Discipline

from .factories import approved_membership, approved_organization, draft_organization

NEXT_YEAR = clock.today().replace(year=clock.today().year + 1, month=6, day=30)

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    data = {
        "name_zh": "国际测试科学联合会", "name_en": "International Union of Test Sciences", "acronym": "IUTS",
        "disciplines": [Discipline.objects.get(code="110").pk], "nature": "global", "category": "important",
        "hq_country": Country.objects.get(code="CH").pk, "hq_city": "Geneva", "founded_year": "1950",
        "founded_date": "1950-06-01", "website": "https://iuts.example.org", "email": "info@iuts.example.org",
        "phone": "", "address": "", "membership_forms": ["national", "individual"], "dues_payer": "",
        "dues_amount": "", "dues_currency": "", "dues_period": "", "dues_notes": "", "special_dues": "",
        "hk_member": "", "hk_name": "", "hk_notes": "", "mo_member": "", "mo_name": "", "mo_notes": "",
        "tw_member": "yes", "tw_name": "Taipei Test Society", "tw_notes": "",
        "awards-TOTAL_FORMS": "1", "awards-INITIAL_FORMS": "0", "awards-0-name": "Test Medal",
        "awards-0-description": "For tests", "awards-0-frequency": "每两年",
    }
    data.update(overrides)
    return data


def directory_data(**overrides) -> dict:
    data = {
        "aims": "促进测试科学", "governance": "全体大会、执行委员会", "member_count": "80",
        "member_country_count": "45", "official_languages": "英语、法语",
        "secretariat_country": Country.objects.get(code="CH").pk, "secretariat_city": "Geneva",
        "election_cycle_years": "4", "regular_meetings": "每四年一次全体大会", "ecosoc_status": "special",
        "igo_relations": "", "ror_id": "", "uia_id": "XB2012",
        "governing_bodies-TOTAL_FORMS": "1", "governing_bodies-INITIAL_FORMS": "0",
        "governing_bodies-0-name": "执行委员会", "governing_bodies-0-seats": "15", "governing_bodies-0-notes": "",
        "conferences-TOTAL_FORMS": "1", "conferences-INITIAL_FORMS": "0", "conferences-0-name": "第十届大会",
        "conferences-0-year": "2019", "conferences-0-city": "北京", "conferences-0-country": Country.objects.get(
            code="CN").pk, "conferences-0-hosted_in_china": "on", "conferences-0-host_unit_name": "中国测试学会",
    }
    data.update(overrides)
    return data


def test_create_then_directory_then_submit_then_approve(unit_client, unit_user, admin_client_):
    response = unit_client.post(reverse("organizations:create"), form_data(action="save"))
    org = Organization.objects.get()
    assert response.status_code == 302 and response.url == reverse("organizations:detail", args=[org.pk])
    page = unit_client.get(response.url).content.decode()
    assert "编辑组织名录" in page and 'data-testid="edit-directory"' in page
    assert org.unit == unit_user.unit and org.status == RecordStatus.DRAFT
    assert org.membership_forms == ["national", "individual"] and org.awards.get().name == "Test Medal"
    assert org.sort_key.startswith("guo2 ji4") and "international union test sciences" in org.search_text

    response = unit_client.post(reverse("organizations:directory", args=[org.pk]),
                                directory_data(version=org.version, action="submit"))
    assert response.status_code == 302, response.content.decode()[:3000]
    org.refresh_from_db()
    assert org.status == RecordStatus.SUBMITTED and org.ecosoc_status == "special"
    assert org.governing_bodies.get().seats == 15 and org.conferences.get().hosted_in_china

    # Submitted: the basic information is locked until the review is done (the directory stays open to fill
    # in with the submission: test_directory_while_submitted.py).
    assert unit_client.get(reverse("organizations:edit", args=[org.pk])).status_code == 302
    response = admin_client_.post(reverse("core:record_action", args=["organizations.organization", org.pk,
                                                                      "approve"]))
    org.refresh_from_db()
    assert org.status == RecordStatus.APPROVED
    page = admin_client_.get(org.get_absolute_url()).content.decode()
    for text in ("International Union of Test Sciences", "Test Medal", "执行委员会（15）", "第十届大会",
                 "中国测试学会", "专门咨商地位", "中国台湾", "Taipei Test Society", "XB2012"):
        assert text in page, text


def test_another_units_draft_is_invisible_everywhere(unit_client, other_client, other_unit_user):
    draft = draft_organization(other_unit_user, name_zh="乙单位的草稿组织", acronym="BDRAFT")
    for name in ("detail", "edit", "directory", "propose"):
        assert unit_client.get(reverse(f"organizations:{name}", args=[draft.pk])).status_code == 404, name
    assert "乙单位的草稿组织" not in unit_client.get(reverse("organizations:list")).content.decode()
    assert unit_client.get(reverse("organizations:search_json"), {"q": "BDRAFT"}).json() == {"results": []}
    before = ChangeLog.objects.count()
    response = unit_client.post(reverse("organizations:edit", args=[draft.pk]),
                                form_data(name_zh="被改了", version=draft.version, action="save"))
    assert response.status_code == 404
    assert unit_client.post(reverse("organizations:verify", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.name_zh == "乙单位的草稿组织" and ChangeLog.objects.count() == before
    assert other_client.get(reverse("organizations:detail", args=[draft.pk])).status_code == 200


def test_an_approved_organization_is_shared_but_only_the_admin_revises_it(unit_client, other_client, unit_user,
                                                                         platform_admin):
    org = approved_organization(unit_user, platform_admin)
    page = other_client.get(org.get_absolute_url()).content.decode()
    assert "核对" in page and "修改建议" in page and "继续编辑" not in page
    revise_url = reverse("core:record_action", args=["organizations.organization", org.pk, "revise"])
    assert revise_url not in unit_client.get(org.get_absolute_url()).content.decode()
    # The edit page of an approved record sends the user back: units never overwrite the shared record.
    response = other_client.post(reverse("organizations:edit", args=[org.pk]), form_data(action="save"))
    assert response.status_code == 404
    org.refresh_from_db()
    assert org.name_zh == "国际纯粹与应用化学联合会"


def test_list_filters_sort_and_search(unit_client, unit_user, platform_admin):
    iupac = approved_organization(platform_admin, platform_admin)
    iau = approved_organization(platform_admin, platform_admin, name_zh="国际天文学联合会", acronym="IAU",
                                name_en="International Astronomical Union", disciplines=("160",),
                                hq_country=Country.objects.get(code="FR"), founded_year=1919, hk_member="yes")
    afeo = approved_organization(platform_admin, platform_admin, name_zh="东盟工程组织联合会", acronym="AFEO",
                                 name_en="ASEAN Federation of Engineering Organisations", nature="regional",
                                 category="general", disciplines=("410",), founded_year=1982, hq_country=None)
    approved_membership(unit_user, platform_admin, iau, relation="member")

    def names(**params):
        page = unit_client.get(reverse("organizations:list"), params).context["page"]
        return [o.acronym for o in page]

    assert names() == ["AFEO", "IUPAC", "IAU"]  # pinyin: dong, guo ji chun, guo ji tian
    assert names(sort="-founded") == ["AFEO", "IUPAC", "IAU"]
    assert names(sort="founded") == ["IUPAC", "IAU", "AFEO"]
    assert names(sort="-pinyin") == ["IAU", "IUPAC", "AFEO"]
    assert names(nature="regional") == ["AFEO"]
    assert names(category="core") == ["IUPAC", "IAU"]
    assert names(discipline=Discipline.objects.get(code="160").pk) == ["IAU"]
    assert names(hq_country=Country.objects.get(code="FR").pk) == ["IAU"]
    assert names(membership="member") == ["IAU"]
    assert names(membership="none") == ["AFEO", "IUPAC"]
    assert names(hmt="hk") == ["IAU"]
    assert names(q="Intl. Union of Pure & Applied Chemistry") == ["IUPAC"]
    assert names(q="天文") == ["IAU"]
    assert names(q="afeo") == ["AFEO"]
    assert iupac and afeo


def test_list_stays_a_fixed_number_of_queries(unit_client, platform_admin, django_assert_max_num_queries):
    for i in range(30):
        approved_organization(platform_admin, platform_admin, name_zh=f"测试组织{i}", acronym=f"TO{i}",
                              name_en=f"Test Organization {i}")
    with django_assert_max_num_queries(12):
        response = unit_client.get(reverse("organizations:list"))
    assert len(response.context["page"]) == 25


def test_admin_unit_filter(admin_client_, unit_user, other_unit_user, platform_admin):
    a = approved_organization(platform_admin, platform_admin)
    b = approved_organization(platform_admin, platform_admin, name_zh="国际天文学联合会", acronym="IAU",
                              name_en="International Astronomical Union")
    approved_membership(unit_user, platform_admin, a, relation="member")
    approved_membership(other_unit_user, platform_admin, b, relation="planned", target_date=NEXT_YEAR,
                        reason="参与国际标准制定")
    page = admin_client_.get(reverse("organizations:list"), {"unit": other_unit_user.unit.pk}).context["page"]
    assert [o.acronym for o in page] == ["IAU"]
    page = admin_client_.get(reverse("organizations:list"), {"unit": unit_user.unit.pk,
                                                              "membership": "planned"}).context["page"]
    assert list(page) == []


def test_admin_may_revise_an_approved_organization(admin_client_, unit_user, platform_admin):
    org = approved_organization(unit_user, platform_admin)
    revise_url = reverse("core:record_action", args=["organizations.organization", org.pk, "revise"])
    assert revise_url in admin_client_.get(org.get_absolute_url()).content.decode()
    response = admin_client_.post(revise_url)
    assert response.url == reverse("organizations:edit", args=[org.pk]) + "?revise=1"
    assert admin_client_.get(response.url).status_code == 200
    assert not Organization.objects.filter(revision_of=org).exists()  # nothing is written before 保存


def test_revision_mode_posts_values_lists_and_choices_onto_the_new_revision(admin_client_, platform_admin):
    admin_client_.post(reverse("organizations:create"), form_data(action="save"))
    org = Organization.objects.get()
    org = wf.record_approve(record=wf.record_submit(record=org, by=platform_admin, expected_version=org.version),
                            by=platform_admin)
    award = org.awards.get()
    response = admin_client_.post(reverse("organizations:edit", args=[org.pk]) + "?revise=1", form_data(
        action="save", revise="1", version=org.version, hq_city="Lausanne",
        disciplines=[Discipline.objects.get(code="150").pk], **{
            "awards-TOTAL_FORMS": "2", "awards-INITIAL_FORMS": "1", "awards-0-id": award.pk,
            "awards-0-organization": org.pk, "awards-0-name": "Renamed Medal", "awards-1-name": "Second Prize",
            "awards-1-description": "", "awards-1-frequency": ""}))
    revision = Organization.objects.get(revision_of=org)
    assert response.status_code == 302 and response.url == revision.get_absolute_url()
    assert revision.hq_city == "Lausanne" and [d.code for d in revision.disciplines.all()] == ["150"]
    assert sorted(a.name for a in revision.awards.all()) == ["Renamed Medal", "Second Prize"]
    org.refresh_from_db()
    assert org.hq_city == "Geneva" and [d.code for d in org.disciplines.all()] == ["110"]
    assert [a.name for a in org.awards.all()] == ["Test Medal"]
    revision = wf.record_submit(record=revision, by=platform_admin, expected_version=revision.version)
    wf.record_approve(record=revision, by=platform_admin)
    org.refresh_from_db()
    assert org.hq_city == "Lausanne" and sorted(a.name for a in org.awards.all()) == ["Renamed Medal",
                                                                                       "Second Prize"]


def test_unit_figures_and_home_counts(unit_client, unit_user, platform_admin):
    from iodp.core.dashboard import unit_figures

    org = approved_organization(platform_admin, platform_admin)
    approved_membership(unit_user, platform_admin, org, relation="member")
    figures = {f["label"]: f["value"] for f in unit_figures(unit_user.unit)}
    assert figures["国际组织（已加入）"] == 1 and figures["计划加入"] == 0
    page = unit_client.get(reverse("core:home")).content.decode()
    assert "国际组织（已加入）" in page


def test_pages_render_in_english(unit_client, unit_user, platform_admin):
    org = approved_organization(unit_user, platform_admin)
    unit_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    for url in (reverse("organizations:list"), org.get_absolute_url(), reverse("organizations:create"),
                reverse("organizations:plan_create"), reverse("organizations:membership_list"),
                reverse("organizations:conference_list"), reverse("organizations:propose", args=[org.pk])):
        response = unit_client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="en">' in response.content.decode()


def test_list_sorts_by_founding_year_put_unknown_years_last_and_rows_keep_their_extras(unit_client, unit_user,
                                                                                      platform_admin):
    """Either founding-year order lists organizations without a year last; a page's rows (read after paging
    over ids) still carry the member count and the unit's own relation."""
    old = approved_organization(platform_admin, platform_admin, founded_year=1900)
    new = approved_organization(platform_admin, platform_admin, name_zh="国际天文学联合会", acronym="IAU",
                                name_en="International Astronomical Union", founded_year=2000)
    unknown = approved_organization(platform_admin, platform_admin, name_zh="阿尔法联合会", acronym="AAA",
                                    name_en="Alpha Union", founded_year=None)
    approved_membership(unit_user, platform_admin, new, relation="member")

    def rows(**params):
        return list(unit_client.get(reverse("organizations:list"), params).context["page"])

    assert rows(sort="founded") == [old, new, unknown]
    assert rows(sort="-founded") == [new, old, unknown]
    listed = {org.pk: org for org in rows(sort="founded")}
    assert (listed[new.pk].member_unit_count, listed[new.pk].my_status) == (1, "member")
    assert (listed[old.pk].member_unit_count, listed[old.pk].my_status) == (0, "")
