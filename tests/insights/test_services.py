"""Each figure of the dashboard against the hand-built world of conftest.py, where the right numbers are known."""

import datetime

import pytest

from iodp.insights.services import insights_compute, insights_summary

from .conftest import BEFORE_YESTERDAY, TODAY


def rows(insights, key) -> dict:
    """A table as {first cell: the other cells}."""
    return {row[0]: row[1:] for row in insights.table(key).rows}


def test_organizations_joined_by_units_or_experts(world):
    f = insights_compute().figures
    assert f["registry_total"] == 6
    # O1 and O2 by membership (乙's as 个人会员), O3 only through an expert's post; O5's membership was returned
    # and O6's is still submitted; O4 is only planned.
    assert f["joined"] == 3
    assert (f["joined_core"], f["core_total"], f["joined_core_share"]) == (2, 2, 100.0)
    assert (f["joined_important"], f["important_total"], f["joined_important_share"]) == (1, 2, 50.0)
    assert (f["planned"], f["planned_organizations"]) == (1, 1)
    assert f["hq_in_china"] == 1 and f["joined_hq_in_china"] == 1


def test_organizations_by_category_nature_country_and_discipline(world):
    insights = insights_compute()
    assert rows(insights, "organizations_by_category") == {
        "核心类": [2, 2, 100.0], "重要类": [2, 1, 50.0], "一般类": [2, 0, 0.0]}
    assert rows(insights, "organizations_by_nature") == {"国际间": [5, 2], "区域间": [1, 1]}
    assert rows(insights, "organizations_by_country") == {"美国": [2], "中国": [1]}
    assert rows(insights, "organizations_by_discipline") == {"化学": ["150", 3], "数学": ["110", 1]}


def test_posts_at_executive_level_and_above(world):
    f = insights_compute().figures
    # E1's two posts in O1 are 2 人次 and one organization covered; E2's post ended yesterday; E4 was returned.
    assert f["posts"] == 4
    assert (f["leadership_posts"], f["leadership_presidium"], f["leadership_executive"]) == (2, 1, 1)
    assert f["leadership_experts"] == 1
    assert f["presidents"] == 1
    assert (f["covered"], f["coverage"]) == (1, 33.3)


def test_posts_by_level_organization_discipline_and_unit(world):
    insights = insights_compute()
    assert rows(insights, "positions_by_level") == {"决策层": [2, 1], "中层": [1, 1], "秘书处": [1, 1]}
    assert rows(insights, "positions_by_organization") == {
        "国际一号组织": ["OA", 2, 2, 1], "国际二号组织": ["OB", 1, 0, 1], "国际三号组织": ["OC", 1, 0, 1]}
    assert rows(insights, "positions_by_discipline") == {"化学": ["150", 4, 2], "数学": ["110", 2, 2]}
    assert rows(insights, "positions_by_unit") == {world.a.unit.name: [3, 2, 2], world.b.unit.name: [1, 0, 1]}
    presidents = insights.table("current_presidents").rows
    assert [(r[0], r[1]) for r in presidents] == [("赵一鸣", "国际一号组织")]


def test_conferences_hosted_in_china_by_year(world):
    insights = insights_compute()
    assert rows(insights, "conferences_by_year") == {2024: [1], 2025: [2]}
    assert insights.figures["conferences_in_china"] == 3


def test_experts_serving_reserve_age_language_and_discipline(world):
    insights = insights_compute()
    f = insights.figures
    assert (f["experts"], f["serving"], f["reserve"], f["reserve_eligible"]) == (6, 4, 2, 1)
    assert rows(insights, "reserve_by_level") == {"决策层": [1, 1], "中层": [1, 0], "秘书处": [0, 0], "合计（人）": [2, 1]}
    ages = rows(insights, "experts_by_age")
    assert ages["45–54 岁"] == [5, 4, 1] and ages["65 岁及以上"] == [1, 0, 1] and ages["34 岁及以下"] == [0, 0, 0]
    assert rows(insights, "experts_by_language") == {"英语": [5, 1], "法语": [1, 1]}


def test_submitted_records_count_only_when_asked(world):
    f = insights_compute(include_submitted=True).figures
    # 乙's submitted membership of O6 and E5's submitted 副主席 post there; E4 (returned) still does not count.
    assert f["joined"] == 4
    assert (f["leadership_posts"], f["leadership_presidium"], f["leadership_executive"]) == (3, 2, 1)
    assert (f["covered"], f["coverage"]) == (2, 50.0)
    assert (f["experts"], f["serving"]) == (7, 5)


def test_as_of_a_day_before_a_post_ended(world):
    f = insights_compute(as_of=BEFORE_YESTERDAY).figures
    # E2's 执委 post in O2 was still held ten days ago.
    assert (f["leadership_posts"], f["leadership_presidium"], f["leadership_executive"]) == (3, 1, 2)
    assert (f["covered"], f["coverage"]) == (2, 66.7)


def test_as_of_a_day_before_the_memberships_and_posts(world):
    insights = insights_compute(as_of=datetime.date(2019, 6, 1))
    f = insights.figures
    # 甲 joined O1 in 2020; 乙's membership of O2 has no year; no post had started; no plan had been recorded.
    assert f["joined"] == 1 and f["posts"] == 0 and f["planned"] == 0
    assert f["conferences_in_china"] == 0
    assert insights.as_of == datetime.date(2019, 6, 1)


def test_one_units_figures(world):
    f = insights_compute(unit=world.a.unit).figures
    assert f["registry_total"] == 6  # the registry is national
    assert f["joined"] == 2  # O1 by membership, O3 through E3
    assert (f["leadership_posts"], f["covered"], f["coverage"]) == (2, 1, 50.0)
    assert (f["experts"], f["serving"], f["reserve"]) == (4, 3, 1)
    assert f["conferences_in_china"] == 1  # its own 2025 研讨会
    other = insights_compute(unit=world.b.unit).figures
    assert (other["joined"], other["posts"], other["leadership_posts"], other["experts"]) == (1, 1, 0, 2)


def test_the_summary_states_the_figures_in_the_associations_words(world):
    text = insights_summary(insights_compute())
    assert f"截至 {TODAY.year} 年 {TODAY.month} 月 {TODAY.day} 日，全国" in text
    assert "在已加入的 3 个国际组织中任执委以上重要职务的共有 2 人次，其中主席、副主席、前主席、候任主席 1 人次，执委 1 人次；" in text
    assert "覆盖率 33.3%" in text and "后备专家 2 人" in text


@pytest.mark.parametrize("extra", [0, 1])
def test_a_constant_number_of_queries(world, django_assert_num_queries, extra, platform_admin):
    from .conftest import organization, post, serving_expert

    if extra:
        for i in range(5):
            org = organization(f"追加组织{i}", f"X{i}", category="general")
            expert = serving_expert(world.a, org, 10 + i, approve_by=platform_admin, name_zh=f"追加专家{i}")
            post(expert, org, role="executive_member", level="leadership")
    with django_assert_num_queries(15):
        insights_compute()
