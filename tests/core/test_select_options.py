"""The filter drop-downs written in Python (`select_options`): escaped labels, the chosen value kept selected,
as the template loop they replace did (the platform admin's experts list: 300 units on every request)."""

from django.template import Context, Template

from tests.conftest import make_unit_user


def render(choices, selected):
    return Template("{% load core_tags %}{% select_options choices selected %}").render(
        Context({"choices": choices, "selected": selected}))


def test_options_escape_values_and_labels_and_mark_the_chosen_one():
    html = render([(1, "中国<化学>会"), (12, 'A "quoted" & co')], "12")
    assert html == ('<option value="1">中国&lt;化学&gt;会</option>'
                    '<option value="12" selected>A &quot;quoted&quot; &amp; co</option>')


def test_integer_values_match_the_query_string_and_nothing_chosen_selects_nothing():
    assert render([(7, "x")], 7) == '<option value="7" selected>x</option>'
    assert "selected" not in render([(7, "x"), (8, "y")], None)


def test_experts_list_keeps_the_chosen_unit_and_province(admin_client_, platform_admin):
    other = make_unit_user("isc_unit", "选项测试学会", approve_by=platform_admin)
    page = admin_client_.get("/experts/", {"unit": other.unit.pk, "province": "310000"}).content.decode()
    assert f'<option value="{other.unit.pk}" selected>选项测试学会</option>' in page
    assert '<option value="310000" selected>上海市</option>' in page
    assert '<option value="110000">北京市</option>' in page


def test_unit_admin_gets_no_unit_drop_down(unit_client):
    page = unit_client.get("/experts/", {"province": "110000"}).content.decode()
    assert 'name="unit"' not in page
    assert '<option value="110000" selected>北京市</option>' in page


def test_directory_keeps_the_chosen_province(admin_client_):
    page = admin_client_.get("/institutions/", {"province": "110000"}).content.decode()
    assert '<option value="110000" selected>北京市</option>' in page
