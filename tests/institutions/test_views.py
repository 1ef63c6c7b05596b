import pytest
from django.urls import reverse

from iodp.core import workflow_services as wf
from iodp.core.workflow import RecordStatus
from iodp.institutions.models import Institution
from iodp.reference.models import Region

from .test_workflow_services import add_contact, complete_profile

pytestmark = pytest.mark.django_db


NO_CONTACT = {"contacts-0-name": "", "contacts-0-role": "", "contacts-0-phone": "", "contacts-0-email": ""}


def form_data(**overrides):
    data = {
        "version": "", "name_zh": "甲省科学技术协会", "name_en": "", "unit_type": "provincial",
        "province": Region.objects.get(code="130000").pk, "city": "石家庄", "address": "", "website": "",
        "description": "", "admin_name": "王敏", "admin_phone": "13800138001", "admin_email": "wm@example.cn",
        "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0", "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "20", "contacts-0-name": "李联系", "contacts-0-role": "秘书长",
        "contacts-0-phone": "010-68571234", "contacts-0-email": "li@example.cn",
    }
    data.update(overrides)
    return data


def test_unit_home_leads_to_a_prefilled_new_profile(unit_client, unit_user):
    response = unit_client.get(reverse("institutions:home"))
    assert response.status_code == 302 and response.url == reverse("institutions:create")
    page = unit_client.get(response.url).content.decode()
    assert f'value="{unit_user.unit.name}"' in page and "保存" in page and "提交" in page


def test_save_a_partial_draft_and_find_it_in_the_draft_box(unit_client):
    response = unit_client.post(reverse("institutions:create"), form_data(
        action="save", unit_type="", city="", admin_name="", **NO_CONTACT))
    record = Institution.objects.get()
    assert response.status_code == 302 and response.url == record.get_absolute_url()
    assert record.status == RecordStatus.DRAFT
    drafts = unit_client.get(reverse("core:drafts")).content.decode()
    assert record.get_edit_url() in drafts and "机构信息" in drafts


def test_submit_with_missing_fields_shows_errors_beside_them_and_keeps_input(unit_client):
    response = unit_client.post(reverse("institutions:create"), form_data(
        action="submit", unit_type="", admin_email="bad-email", **{"contacts-0-name": ""}, city="保定"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "提交未成功" in page
    assert "数据库管理员邮箱请填写有效的邮箱地址，例如 name@example.org。" in page
    assert 'value="保定"' in page
    assert not Institution.objects.exists()
    response = unit_client.post(reverse("institutions:create"), form_data(action="submit", unit_type="",
                                                                          **NO_CONTACT))
    page = response.content.decode()
    assert "提交前请填写此项。" in page and "提交前请至少填写一位联系人。" in page
    assert not Institution.objects.exists()


def test_full_review_round_trip_over_http(unit_client, admin_client_, unit_user):
    response = unit_client.post(reverse("institutions:create"), form_data(action="submit"))
    record = Institution.objects.get()
    assert record.status == RecordStatus.SUBMITTED and record.admin_phone == "+8613800138001"
    assert record.contacts.get().phone == "+861068571234"

    queue = admin_client_.get(reverse("core:review_queue")).content.decode()
    assert record.get_absolute_url() in queue
    action = reverse("core:record_action", args=["institutions.institution", record.pk, "return"])
    admin_client_.post(action, {"reason": "请补充英文名称"})
    record.refresh_from_db()
    assert record.status == RecordStatus.RETURNED

    home = unit_client.get(reverse("core:home")).content.decode()
    assert "请补充英文名称" in home
    detail = unit_client.get(record.get_absolute_url()).content.decode()
    assert "请补充英文名称" in detail

    edit = reverse("institutions:edit", args=[record.pk])
    data = form_data(action="submit", version=str(record.version), name_en="Jia Association",
                     **{"contacts-INITIAL_FORMS": "1", "contacts-0-id": str(record.contacts.get().pk),
                        "contacts-0-institution": str(record.pk)})
    response = unit_client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and record.name_en == "Jia Association"

    admin_client_.post(reverse("core:record_action", args=["institutions.institution", record.pk, "approve"]))
    record.refresh_from_db()
    assert record.status == RecordStatus.APPROVED
    history = unit_client.get(record.get_absolute_url()).content.decode()
    assert "Jia Association" in history and "审核通过" in history and "退回" in history


def test_a_stale_form_is_refused_with_a_conflict_message(unit_client, unit_user):
    record = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    stale_version = record.version
    edit = reverse("institutions:edit", args=[record.pk])
    ok = unit_client.post(edit, form_data(action="save", version=str(stale_version), city="唐山",
                                          **NO_CONTACT))
    assert ok.status_code == 302
    response = unit_client.post(edit, form_data(action="save", version=str(stale_version), address="新地址",
                                                **NO_CONTACT))
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="conflict"' in page
    assert "唐山" in page and "该记录已被他人修改" in page
    record.refresh_from_db()
    assert record.city == "唐山" and record.address == ""


def test_approved_profile_is_edited_via_revision(unit_client, admin_client_, unit_user, platform_admin):
    record = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    add_contact(record)
    wf.record_submit(record=record, by=unit_user, expected_version=record.version)
    wf.record_approve(record=record, by=platform_admin)
    response = unit_client.get(reverse("institutions:edit", args=[record.pk]))
    assert response.status_code == 302  # approved data is not edited in place
    response = unit_client.post(reverse("core:record_action", args=["institutions.institution", record.pk,
                                                                    "revise"]))
    # 修改 opens the edit page in revision mode; the revision is created on its first 保存 or 提交.
    assert response.url == record.get_edit_url() + "?revise=1"
    assert unit_client.get(response.url).status_code == 200
    assert not Institution.objects.filter(revision_of=record).exists()
    assert unit_client.get(reverse("institutions:home")).url == record.get_absolute_url()


def test_another_unit_gets_404_everywhere_and_changes_nothing(other_client, unit_user, platform_admin):
    record = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    add_contact(record)
    wf.record_submit(record=record, by=unit_user, expected_version=record.version)
    for url in [reverse("institutions:detail", args=[record.pk]), reverse("institutions:edit", args=[record.pk])]:
        assert other_client.get(url).status_code == 404
    response = other_client.post(reverse("institutions:edit", args=[record.pk]),
                                 form_data(action="save", version=str(record.version), city="篡改"))
    assert response.status_code == 404
    for action in ["approve", "return", "revise"]:
        url = reverse("core:record_action", args=["institutions.institution", record.pk, action])
        assert other_client.post(url, {"reason": "x"}).status_code == 404
    assert other_client.get(reverse("core:review_queue")).status_code == 404
    assert record.get_edit_url() not in other_client.get(reverse("core:drafts")).content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and record.city == "北京"


def test_a_unit_cannot_approve_its_own_record_over_http(unit_client, unit_user):
    record = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    add_contact(record)
    wf.record_submit(record=record, by=unit_user, expected_version=record.version)
    url = reverse("core:record_action", args=["institutions.institution", record.pk, "approve"])
    assert unit_client.post(url).status_code == 404
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED


def test_record_actions_need_post_and_a_known_model(unit_client, unit_user):
    record = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    assert unit_client.get(reverse("core:record_action", args=["institutions.institution", record.pk,
                                                               "revise"])).status_code == 404
    assert unit_client.post(reverse("core:record_action", args=["auth.user", 1, "approve"])).status_code == 404


def test_admin_directory_filters_by_type_province_status_and_completeness(admin_client_, unit_user,
                                                                          other_unit_user):
    wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    url = reverse("institutions:home")
    page = admin_client_.get(url).content.decode()
    assert unit_user.unit.name in page and other_unit_user.unit.name in page
    page = admin_client_.get(url, {"status": "none"}).content.decode()
    assert unit_user.unit.name not in page and other_unit_user.unit.name in page
    page = admin_client_.get(url, {"status": "draft", "completeness": "low"}).content.decode()
    assert unit_user.unit.name in page and other_unit_user.unit.name not in page
    page = admin_client_.get(url, {"unit_type": "national_society"}).content.decode()
    assert other_unit_user.unit.name in page and unit_user.unit.name not in page
    page = admin_client_.get(url, {"province": "310000"}).content.decode()
    assert other_unit_user.unit.name in page and unit_user.unit.name not in page
    page = admin_client_.get(url, {"q": "甲省"}).content.decode()
    assert unit_user.unit.name in page and other_unit_user.unit.name not in page


def test_profile_page_shows_completeness_and_missing_fields(unit_client, unit_user):
    record = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    page = unit_client.get(record.get_absolute_url()).content.decode()
    assert 'data-testid="completeness"' in page and "官方网址" in page and "英文名称" in page


def test_html_in_names_is_escaped(unit_client, unit_user):
    record = wf.record_save(record=complete_profile(unit_user.unit, name_zh="<script>alert(1)</script>"),
                            by=unit_user)
    page = unit_client.get(record.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_home_shows_profile_completeness(unit_client, unit_user):
    wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    page = unit_client.get(reverse("core:home")).content.decode()
    assert "机构信息完整度" in page and "58%" in page


def test_demo_data_loads_once_with_an_approved_profile(platform_admin):
    from iodp.core.demo import load_demo

    assert load_demo(platform_admin) is True
    assert load_demo(platform_admin) is False
    approved = Institution.objects.official().get()
    assert approved.unit.name == "北京市科学技术协会" and approved.completeness == 100
    assert Institution.objects.filter(status=RecordStatus.DRAFT).count() == 1


@pytest.mark.parametrize("action, extra", [("approve", {}), ("return", {"reason": "请补充英文名称"})])
@pytest.mark.parametrize("target", ["https://evil.example/phish", "//evil.example/", "\\\\evil.example",
                                    "https:evil.example"])
def test_review_actions_never_redirect_off_site(admin_client_, unit_user, action, extra, target):
    record = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    add_contact(record)
    wf.record_submit(record=record, by=unit_user, expected_version=record.version)
    url = reverse("core:record_action", args=["institutions.institution", record.pk, action])
    response = admin_client_.post(url, {"next": target, **extra})
    assert response.status_code == 302
    assert response["Location"] == record.get_absolute_url()


def test_review_actions_follow_a_same_site_next(admin_client_, unit_user):
    record = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    add_contact(record)
    wf.record_submit(record=record, by=unit_user, expected_version=record.version)
    url = reverse("core:record_action", args=["institutions.institution", record.pk, "approve"])
    response = admin_client_.post(url, {"next": reverse("core:review_queue")})
    assert response["Location"] == reverse("core:review_queue")
