"""The dashboard page, its Excel export and its text summary: who sees which figures."""

import io

import openpyxl
import pytest
from django.urls import reverse

from ..conftest import logged_in


@pytest.mark.parametrize("name", ["insights:home", "insights:summary", "insights:export"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_platform_admin_sees_the_whole_platform(world, admin_client_):
    response = admin_client_.get(reverse("insights:home"))
    assert response.status_code == 200
    assert response.context["figures"]["joined"] == 3
    page = response.content.decode()
    assert "在已加入的 3 个国际组织中任执委以上重要职务的共有 2 人次" in page
    assert "<svg" in page and 'name="unit"' in page
    assert "建设中" not in page


def test_the_platform_admin_picks_a_unit_a_day_and_submitted_records(world, admin_client_):
    response = admin_client_.get(reverse("insights:home"), {"unit": world.a.unit.pk})
    assert response.context["figures"]["joined"] == 2
    response = admin_client_.get(reverse("insights:home"), {"include_submitted": "on"})
    assert response.context["figures"]["leadership_posts"] == 3
    response = admin_client_.get(reverse("insights:home"), {"as_of": "2019-06-01"})
    assert response.context["figures"]["posts"] == 0


def test_a_unit_sees_only_its_own_figures_and_cannot_pick_another_unit(world):
    """The unit parameter is ignored for a unit admin: its own unit's figures, whatever it asks."""
    client = logged_in(world.b)
    for params in ({}, {"unit": world.a.unit.pk}):
        response = client.get(reverse("insights:home"), params)
        assert response.status_code == 200
        assert response.context["insights"].unit == world.b.unit
        assert response.context["figures"]["experts"] == 2
    page = response.content.decode()
    assert 'name="unit"' not in page
    assert world.a.unit.name not in page
    export = client.get(reverse("insights:export"), {"unit": world.a.unit.pk})
    assert world.a.unit.name not in sheet_values(export)


def sheet_values(response) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return "\n".join(str(cell) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True)
                     for cell in row if cell is not None)


def test_the_export_holds_every_table_with_the_same_numbers(world, admin_client_):
    response = admin_client_.get(reverse("insights:export"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    dashboard = admin_client_.get(reverse("insights:home")).context["insights"]
    assert len(workbook.worksheets) == 1 + len(dashboard.tables)
    overview = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True) if row[1] is not None}
    assert overview["已加入国际组织数"] == 3
    assert overview["执委以上任职人次"] == 2
    assert overview["执委以上任职覆盖率（%）"] == 33.3
    by_level = workbook["任职人次（按层级）"]
    assert [c.value for c in by_level[1]] == ["层级", "任职人次", "任职专家人数"]
    assert [[c.value for c in row] for row in by_level.iter_rows(min_row=2)] == [
        ["决策层", 2, 1], ["中层", 1, 1], ["秘书处", 1, 1]]


def test_the_summary_page_offers_the_text_to_copy(world, admin_client_):
    response = admin_client_.get(reverse("insights:summary"), {"include_submitted": "on"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<textarea" in page
    assert "在已加入的 4 个国际组织中任执委以上重要职务的共有 3 人次，其中主席、副主席、前主席、候任主席 2 人次，执委 1 人次；" in page


def test_an_invalid_day_falls_back_to_today(world, admin_client_):
    response = admin_client_.get(reverse("insights:home"), {"as_of": "not-a-date"})
    assert response.status_code == 200
    assert response.context["figures"]["joined"] == 3


def test_the_dashboard_in_english(world, admin_client_):
    admin_client_.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = admin_client_.get(reverse("insights:home")).content.decode()
    assert "Posts by level" in page and "Generate text summary" in page
    assert "in the 3 international organizations joined, experts hold 2 posts" in page
    assert "任职人次（按层级）" not in page
    export = admin_client_.get(reverse("insights:export"))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert workbook.sheetnames[:2] == ["Overview", "Organizations joined, by catego"]  # 31 characters at most
    assert len(set(name.lower() for name in workbook.sheetnames)) == len(workbook.sheetnames)
