"""Expert pages over HTTP: every URL as anonymous (see tests/core/test_shell.py), as another unit (404 and
nothing changes) and as the owner; masking in pages and lists; audited reveal; duplicates without leaking."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from iodp.core import clock
from iodp.core.models import ChangeAction, ChangeLog
from iodp.core.workflow import RecordStatus
from iodp.experts import selectors
from iodp.experts.models import Expert, ExpertKind, Position
from iodp.reference.models import Country

from .conftest import ID_1980, make_expert

MASKED_ID = "110105********" + ID_1980[-4:]


def management(prefix, total=1, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "30"}


def expert_post(organization=None, **overrides) -> dict:
    data = {"name_zh": "周建华", "name_en": "", "gender": "male", "birth_date": "1980-06-15", "id_type": "resident_id",
            "id_number": ID_1980, "phone": "13800138000", "email": "zs@example.cn", "employer": "北京大学",
            "category": "scholar", "foreign_affairs_years": "3", "action": "save", "version": "",
            "nationality": str(Country.objects.get(code="CN").pk)}
    data.update(management("languages"))
    data.update({"languages-0-language": "en", "languages-0-proficiency": "working"})
    for prefix in ("education", "employment"):
        data.update(management(prefix, total=0))
    if organization is not None:
        data.update(management("positions"))
        data.update({"positions-0-organization": str(organization.pk), "positions-0-role": "president",
                     "positions-0-level": "leadership", "positions-0-term_start": "2024-01-01",
                     "positions-0-term_end": "2027-12-31", "positions-0-status": "current"})
    else:
        data.update(management("positions", total=0))
    data.update(overrides)
    return data


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- the owner ----------------------------------------------------------------------------------------------

def test_the_entry_pages_open(unit_client):
    assert "新增专家" in page(unit_client, reverse("experts:create"))
    reserve_page = page(unit_client, reverse("experts:reserve_create"))
    assert "新增后备专家" in reserve_page and 'name="target_levels"' in reserve_page
    assert "填写专家任职信息前请务必先填写任职的国际组织信息" in page(unit_client, reverse("experts:create"))


def test_create_save_and_submit_over_http(unit_client, unit_user, organization):
    response = unit_client.post(reverse("experts:create"), expert_post(organization))
    expert = Expert.objects.get()
    assert response.status_code == 302 and response.url == expert.get_absolute_url()
    assert expert.unit == unit_user.unit and expert.kind == ExpertKind.SERVING and expert.name_en == "Zhou Jianhua"
    assert expert.positions.get().organization == organization
    data = expert_post(organization, action="submit", version=str(expert.version))
    data.update(management("languages", initial=1))
    data.update(management("positions", initial=1))
    data.update({"languages-0-id": str(expert.languages.get().pk), "languages-0-expert": str(expert.pk),
                 "positions-0-id": str(expert.positions.get().pk), "positions-0-expert": str(expert.pk)})
    response = unit_client.post(reverse("experts:edit", args=[expert.pk]), data)
    assert response.status_code == 302, _debug_errors(response)
    assert Expert.objects.get().status == RecordStatus.SUBMITTED


def test_a_reserve_expert_is_created_with_its_target_levels(unit_client):
    data = expert_post(target_levels=["mid_level", "secretariat"])
    unit_client.post(reverse("experts:reserve_create"), data)
    expert = Expert.objects.get()
    assert expert.kind == ExpertKind.RESERVE and expert.target_levels == ["mid_level", "secretariat"]


def test_bad_input_is_reported_in_chinese_and_nothing_is_lost(unit_client):
    data = expert_post(id_number=ID_1980[:-1] + ("0" if ID_1980[-1] != "0" else "1"), action="submit",
                       **{"education-TOTAL_FORMS": "1", "education-0-institution": "北京大学",
                          "education-0-start": "2005-09-01", "education-0-end": "2004-07-01"})
    response = unit_client.post(reverse("experts:create"), data)
    html = response.content.decode()
    assert response.status_code == 200 and not Expert.objects.exists()
    assert "居民身份证号码校验位不正确" in html and "结束时间不能早于开始时间。" in html
    assert "提交未成功" in html and 'value="北京大学"' in html and 'value="13800138000"' in html


def test_an_unknown_organization_is_refused_over_http(unit_client, other_unit_user):
    from iodp.organizations.models import Organization

    hidden = Organization.objects.create(name_zh="乙单位草稿组织", unit=other_unit_user.unit)
    response = unit_client.post(reverse("experts:create"), expert_post(hidden))
    assert response.status_code == 200 and not Expert.objects.exists()
    assert "请先新增国际组织" in response.content.decode()


def test_detail_masks_personal_data_until_revealed(unit_client, unit_user, organization):
    expert = make_expert(unit_user, organization=organization)
    html = page(unit_client, expert.get_absolute_url())
    assert MASKED_ID in html and "1980-**-**" in html
    assert ID_1980 not in html and "1980-06-15" not in html
    assert "国际纯粹与应用化学联合会" in html and "执委" in html
    response = unit_client.post(reverse("experts:reveal", args=[expert.pk]))
    revealed = response.content.decode()
    assert response.status_code == 200 and ID_1980 in revealed and "1980-06-15" in revealed
    entry = ChangeLog.objects.get(action=ChangeAction.REVEAL)
    assert entry.actor == unit_user and entry.object_id == expert.pk
    assert "查看敏感信息" in page(unit_client, expert.get_absolute_url())  # the reveal is in the history
    assert unit_client.get(reverse("experts:reveal", args=[expert.pk])).status_code == 302


def test_the_list_masks_personal_data(unit_client, unit_user, admin_client_):
    make_expert(unit_user)
    for client in (unit_client, admin_client_):
        html = page(client, reverse("experts:list"))
        assert "周建华" in html and MASKED_ID in html and ID_1980 not in html and "1980-06-15" not in html


def test_the_list_shows_eligibility_flags_and_filters(unit_client, unit_user):
    make_expert(unit_user, kind=ExpertKind.RESERVE, target_mid_level=True, birth_date=datetime.date(1960, 1, 1),
                id_number="")
    html = page(unit_client, reverse("experts:list") + "?kind=reserve&eligibility=age")
    assert "超过 50" in html and "不完全符合" in html
    html = page(unit_client, reverse("experts:list") + "?eligibility=eligible")
    assert "没有符合条件的专家" in html
    html = page(unit_client, reverse("experts:list") + "?age_min=abc")
    assert "部分筛选条件无效" in html and "周建华" in html


def test_the_list_query_count_does_not_grow_with_rows(unit_client, unit_user, organization,
                                                        django_assert_max_num_queries):
    for i in range(3):
        make_expert(unit_user, organization=organization, name_zh=f"专家{i}", id_number="", birth_date=None)
    with django_assert_max_num_queries(12) as few:
        unit_client.get(reverse("experts:list"))
    for i in range(3, 15):
        make_expert(unit_user, organization=organization, name_zh=f"专家{i}", id_number="", birth_date=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        unit_client.get(reverse("experts:list"))


def test_the_list_pages_in_pinyin_order_and_a_search_keeps_its_order(unit_client, unit_user, other_unit_user):
    """The list pages over ids, then reads the page's rows: every row once, in order, on the right page."""
    names = [f"王{given}" for given in "安白陈邓范高韩金李刘马倪欧潘秦任孙唐万吴谢杨于张赵周朱"]  # 27 names
    for name in names:
        make_expert(unit_user, name_zh=name, id_number="", birth_date=None)
    make_expert(other_unit_user, name_zh="王另", id_number="", birth_date=None)
    expected = [e.name_zh for e in Expert.objects.filter(unit=unit_user.unit).order_by("name_pinyin", "id")]
    shown = []
    for url in (reverse("experts:list"), reverse("experts:list") + "?page=2"):
        response = unit_client.get(url)
        shown += [row["expert"].name_zh for row in response.context["rows"]]
    assert shown == expected and len(shown) == 27 and "王另" not in shown
    response = unit_client.get(reverse("experts:list") + "?q=wang&page=2")
    assert [row["expert"].name_zh for row in response.context["rows"]] == expected[25:]
    assert response.context["page"].paginator.count == 27


def test_an_age_band_is_counted_and_paged_alike_and_another_units_experts_are_not_counted(
        unit_client, unit_user, other_unit_user):
    """The list counts its rows with a query of their own (planned for counting): the total, the pages and the
    rows agree, for the unit's experts only."""
    today = clock.today()
    for i in range(27):
        make_expert(unit_user, name_zh=f"李{'安白陈邓范高韩金刘马倪欧潘秦任孙唐万吴谢杨于张赵周朱钱'[i]}", id_number="",
                    birth_date=today.replace(year=today.year - 30 - i % 10))
    make_expert(unit_user, name_zh="李老", id_number="", birth_date=today.replace(year=today.year - 70))
    make_expert(unit_user, name_zh="李无", id_number="", birth_date=None)
    make_expert(other_unit_user, name_zh="李另", id_number="", birth_date=today.replace(year=today.year - 35))
    url = reverse("experts:list") + "?age_min=30&age_max=45&language=en"
    shown = []
    for page_url in (url, url + "&page=2"):
        response = unit_client.get(page_url)
        assert response.context["page"].paginator.count == 27
        shown += [row["expert"].name_zh for row in response.context["rows"]]
    assert len(shown) == len(set(shown)) == 27 and not {"李老", "李无", "李另"} & set(shown)
    assert "第 2/2 页，共 27 条" in response.content.decode()


def test_saving_a_duplicate_of_another_units_expert_does_not_leak_it(unit_client, other_unit_user):
    make_expert(other_unit_user, employer="乙学会机密单位")
    response = unit_client.post(reverse("experts:create"), expert_post(), follow=True)
    html = response.content.decode()
    assert "该专家（证件号码相同）已由其他单位录入" in html
    assert other_unit_user.unit.name not in html and "乙学会机密单位" not in html


def test_pinyin_suggestion_endpoint(unit_client):
    response = unit_client.get(reverse("experts:pinyin"), {"name": "欧阳娜娜"})
    assert response.json() == {"name_en": "Ouyang Nana"}


def test_the_organization_include_lists_visible_posts(unit_user, organization, rf):
    make_expert(unit_user, organization=organization)
    html = render_to_string("experts/inc/org_positions.html", {
        "positions": selectors.positions_for_organization(organization=organization, user=unit_user)})
    assert "周建华" in html and "执委" in html and "决策层" in html


# --- another unit -------------------------------------------------------------------------------------------

def test_another_unit_gets_404_everywhere_and_nothing_changes(unit_user, other_client, organization):
    expert = make_expert(unit_user, organization=organization)
    before = (Expert.objects.get(pk=expert.pk).version, ChangeLog.objects.count(), Position.objects.count())
    for url in (reverse("experts:detail", args=[expert.pk]), reverse("experts:edit", args=[expert.pk])):
        assert other_client.get(url).status_code == 404
    assert other_client.post(reverse("experts:edit", args=[expert.pk]),
                             expert_post(organization, name_zh="篡改", version="1")).status_code == 404
    assert other_client.post(reverse("experts:reveal", args=[expert.pk])).status_code == 404
    for action in ("revise", "approve", "return"):
        url = reverse("core:record_action", args=["experts.expert", expert.pk, action])
        assert other_client.post(url, {"reason": "x"}).status_code == 404
    html = page(other_client, reverse("experts:list"))
    assert "周建华" not in html
    assert other_client.get(reverse("experts:duplicates")).status_code == 404
    assert other_client.post(reverse("experts:merge"), {"keep": expert.pk, "duplicate": expert.pk}).status_code == 404
    after = (Expert.objects.get(pk=expert.pk).version, ChangeLog.objects.count(), Position.objects.count())
    assert before == after and Expert.objects.get(pk=expert.pk).name_zh == "周建华"


def test_the_owner_reaches_every_page(unit_client, unit_user):
    expert = make_expert(unit_user)
    for url in (reverse("experts:list"), expert.get_absolute_url(), expert.get_edit_url(),
                reverse("experts:create"), reverse("experts:reserve_create")):
        assert unit_client.get(url).status_code == 200, url
    assert unit_client.get(reverse("experts:duplicates")).status_code == 404  # the platform admin's page


# --- the platform admin -------------------------------------------------------------------------------------

def test_the_admin_sees_duplicates_across_units_and_merges_them(unit_user, other_unit_user, admin_client_):
    keep = make_expert(unit_user)
    duplicate = make_expert(other_unit_user)
    html = page(admin_client_, reverse("experts:duplicates"))
    assert unit_user.unit.name in html and other_unit_user.unit.name in html and ID_1980 not in html
    detail = page(admin_client_, keep.get_absolute_url())
    assert other_unit_user.unit.name in detail and "去合并" in detail
    assert f'name="duplicate_version" value="{duplicate.version}"' in html
    stale = {"keep": keep.pk, "duplicate": duplicate.pk, "keep_version": keep.version, "duplicate_version": 0}
    response = admin_client_.post(reverse("experts:merge"), stale)
    assert response.status_code == 302 and Expert.objects.count() == 2  # changed since the page was loaded
    for hostile in ("2" * 30, "-1", "x", ""):
        assert admin_client_.post(reverse("experts:merge"), dict(stale, keep=hostile)).status_code == 404
    response = admin_client_.post(reverse("experts:merge"), dict(stale, duplicate_version=duplicate.version))
    assert response.status_code == 302 and response.url == keep.get_absolute_url()
    assert list(Expert.objects.values_list("pk", flat=True)) == [keep.pk]


@pytest.mark.parametrize("kind", ["serving", "reserve"])
def test_the_admin_reviews_an_expert(unit_user, admin_client_, organization, kind):
    expert = make_expert(unit_user, organization=organization, kind=kind, target_leadership=True, submit=True)
    assert "审核通过" in page(admin_client_, expert.get_absolute_url())
    admin_client_.post(reverse("core:record_action", args=["experts.expert", expert.pk, "approve"]))
    assert Expert.objects.get(pk=expert.pk).status == RecordStatus.APPROVED


def test_home_page_shows_the_expert_counts(unit_client, unit_user):
    make_expert(unit_user)
    html = page(unit_client, reverse("core:home"))
    assert "已任职专家" in html and "后备专家" in html


def _debug_errors(response):
    ctx = response.context
    return ctx["form"].errors, {k: (fs.errors, fs.non_form_errors()) for k, fs in ctx["formsets"].items()}


def test_target_organizations_are_chosen_by_search_and_only_chosen_ones_render(unit_client, organization):
    from .conftest import approved_organization

    approved_organization("世界工程组织联合会", "World Federation of Engineering Organizations", "WFEO")
    html = page(unit_client, reverse("experts:reserve_create"))
    assert "data-org-multi" in html and "世界工程组织联合会" not in html  # the registry is searched, not listed
    data = expert_post(target_levels=["leadership"], target_organizations=[str(organization.pk)])
    unit_client.post(reverse("experts:reserve_create"), data)
    expert = Expert.objects.get()
    assert list(expert.target_organizations.all()) == [organization]
    html = page(unit_client, expert.get_edit_url())
    assert f'name="target_organizations" value="{organization.pk}"' in html and "世界工程组织联合会" not in html


def test_the_list_filters_by_organization_over_http(unit_client, unit_user, organization):
    make_expert(unit_user, organization=organization)
    make_expert(unit_user, name_zh="李四", id_number="", birth_date=None)
    html = page(unit_client, reverse("experts:list") + f"?organization={organization.pk}")
    assert "周建华" in html and "李四" not in html
    assert "国际纯粹与应用化学联合会" in html  # the chosen organization is shown in the filter


def test_the_edit_page_keeps_personal_data_masked_and_the_mask_keeps_the_stored_values(unit_client, unit_user):
    expert = make_expert(unit_user)
    html = page(unit_client, expert.get_edit_url())
    assert f'value="{MASKED_ID}"' in html and 'value="1980-**-**"' in html
    assert ID_1980 not in html and "1980-06-15" not in html
    data = expert_post(id_number=MASKED_ID, birth_date="1980-**-**", employer="清华大学", version=str(expert.version))
    data.update(management("languages", initial=1))
    data.update({"languages-0-id": str(expert.languages.get().pk), "languages-0-expert": str(expert.pk)})
    response = unit_client.post(expert.get_edit_url(), data)
    assert response.status_code == 302, _debug_errors(response)
    expert.refresh_from_db()
    assert (expert.id_number, expert.birth_date, expert.employer) == (ID_1980, datetime.date(1980, 6, 15), "清华大学")


def test_a_new_birth_date_typed_over_the_mask_is_checked(unit_client, unit_user):
    expert = make_expert(unit_user)
    data = expert_post(id_number=MASKED_ID, birth_date="1980-06-16", version=str(expert.version))
    data.update(management("languages", initial=1))
    data.update({"languages-0-id": str(expert.languages.get().pk), "languages-0-expert": str(expert.pk)})
    html = unit_client.post(expert.get_edit_url(), data).content.decode()
    assert "请同时填写完整的身份证号码" in html  # checked against the number only when it is typed too
    data["birth_date"] = "80/06/15"
    html = unit_client.post(expert.get_edit_url(), data).content.decode()
    assert "请按 YYYY-MM-DD 格式填写出生日期" in html
    assert Expert.objects.get(pk=expert.pk).version == expert.version


def test_the_organization_page_lists_only_the_viewers_experts_posts(unit_user, other_unit_user, unit_client,
                                                                    other_client, organization):
    expert = make_expert(unit_user, organization=organization)
    expert.positions.update(post_title="甲单位专家的执委职务")
    url = reverse("organizations:detail", args=[organization.pk])
    html = page(unit_client, url)
    assert "甲单位专家的执委职务" in html and f'href="{expert.get_absolute_url()}"' in html
    assert "甲单位专家的执委职务" not in page(other_client, url)


def test_posts_whose_term_ends_soon_are_marked(unit_client, unit_user, organization):
    expert = make_expert(unit_user, organization=organization)  # its term ends in 200 days
    assert 'data-testid="term-ending"' not in page(unit_client, reverse("experts:list"))
    expert.positions.update(term_end=clock.today() + datetime.timedelta(days=60))
    assert "任期即将届满" in page(unit_client, reverse("experts:list"))
    assert "任期即将届满" in page(unit_client, expert.get_absolute_url())


def test_revision_mode_keeps_the_masked_values_and_copies_the_posted_lists(unit_client, unit_user, platform_admin,
                                                                          organization):
    expert = make_expert(unit_user, organization=organization, approve_by=platform_admin)
    url = expert.get_edit_url() + "?revise=1"
    html = page(unit_client, url)
    assert f'value="{MASKED_ID}"' in html and ID_1980 not in html
    position = expert.positions.get()
    data = expert_post(organization, id_number=MASKED_ID, birth_date="1980-**-**", employer="清华大学", revise="1",
                       version=str(expert.version))
    data.update(management("languages", initial=1))
    data.update({"languages-0-id": str(expert.languages.get().pk), "languages-0-expert": str(expert.pk)})
    data.update(management("positions", initial=1))
    data.update({"positions-0-id": str(position.pk), "positions-0-expert": str(expert.pk)})
    response = unit_client.post(url, data)
    assert response.status_code == 302, _debug_errors(response)
    revision = Expert.objects.get(revision_of=expert)
    assert (revision.id_number, revision.birth_date, revision.employer) == (ID_1980, datetime.date(1980, 6, 15),
                                                                           "清华大学")
    assert revision.languages.count() == 1 and revision.positions.get().post_title == position.post_title
    expert.refresh_from_db()
    assert expert.employer == "北京大学" and expert.positions.get() == position


def test_the_pinyin_suggestion_takes_the_name_in_the_body_so_a_long_name_cannot_overflow_the_url(unit_client):
    """The edit page posts the name (a URL of 5,000 encoded characters is refused by the server with 414)."""
    response = unit_client.post(reverse("experts:pinyin"), {"name": "欧阳" + "娜" * 5000})
    assert response.status_code == 200
    assert response.json()["name_en"].startswith("Ouyang Nana")
    assert len(response.json()["name_en"]) < 400  # capped at the longest name a record may hold


def test_the_pinyin_suggestion_still_answers_a_short_get(unit_client):
    response = unit_client.get(reverse("experts:pinyin"), {"name": "欧阳娜娜"})
    assert response.json() == {"name_en": "Ouyang Nana"}
