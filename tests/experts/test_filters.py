"""The experts list's FilterSet: a bad value is reported and ignored, the other filters still apply."""

from iodp.experts.filters import ExpertFilter
from tests.experts.conftest import make_expert

HUGE = str(2**63)


def test_a_huge_unit_id_is_no_such_choice_and_the_other_filters_still_apply(admin_client_, unit_user):
    expert = make_expert(unit_user)
    response = admin_client_.get("/experts/", {"unit": HUGE, "kind": "reserve"})
    assert response.status_code == 200
    assert expert.name_zh not in response.content.decode()  # kind=reserve applied
    assert "部分筛选条件无效，已忽略：推荐单位" in response.content.decode()
    assert response.context["filter"].errors["unit"] == ["没有这个选项"]
    response = admin_client_.get("/experts/", {"unit": HUGE})
    assert expert.name_zh in response.content.decode()  # the bad filter is ignored


def test_unit_admins_have_no_unit_filter(unit_user, platform_admin):
    assert "unit" not in ExpertFilter({"unit": "1"}, user=unit_user).filters
    assert "unit" in ExpertFilter({"unit": "1"}, user=platform_admin).filters


def test_values_are_plain_ids(platform_admin, unit_user):
    filterset = ExpertFilter({"unit": str(unit_user.unit_id), "age_min": "200", "q": " 周 "}, user=platform_admin)
    assert filterset.values() == {"unit": unit_user.unit_id, "q": "周"}
