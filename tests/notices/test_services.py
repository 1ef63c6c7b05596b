"""通知公告 services: who may write, publish, withdraw and confirm; attachments' limits; receipts per unit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from iodp.accounts import services as account_services
from iodp.core.models import ChangeAction, ChangeLog
from iodp.notices import services
from iodp.notices.models import Notice, NoticeAttachment, NoticeReceipt, NoticeStatus

from ..conftest import make_unit_user


def pdf(name="通知.pdf", content=b"%PDF-1.4 notice"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def new_notice(admin, *, publish=True, **values):
    values = {"title": "关于开展2022年度国际组织数据填报的通知", "body": "各单位：\n请于9月30日前完成填报。",
              "deadline": datetime.date(2022, 9, 30), **values}
    return services.notice_save(by=admin, publish=publish, **values)


def test_only_the_platform_admin_writes_notices(platform_admin, unit_user):
    with pytest.raises(PermissionDenied):
        new_notice(unit_user)
    notice = new_notice(platform_admin, publish=False)
    for call in (services.notice_publish, services.notice_withdraw, services.notice_delete):
        with pytest.raises(PermissionDenied):
            call(notice=notice, by=unit_user)
    assert Notice.objects.count() == 1


def test_a_draft_is_seen_by_no_unit_until_published(platform_admin, unit_user):
    notice = new_notice(platform_admin, publish=False, attachments=[pdf()])
    assert notice.status == NoticeStatus.DRAFT and notice.published_at is None
    assert not Notice.objects.visible_to(unit_user).exists()
    assert not NoticeAttachment.objects.visible_to(unit_user).exists()
    assert services.unread_for(unit_user) == ([], 0)
    services.notice_publish(notice=notice, by=platform_admin)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED and notice.published_at is not None
    assert list(Notice.objects.visible_to(unit_user)) == [notice]
    assert NoticeAttachment.objects.visible_to(unit_user).count() == 1
    assert services.unread_for(unit_user) == ([notice], 1)
    with pytest.raises(ValidationError):
        services.notice_publish(notice=notice, by=platform_admin)


def test_withdrawing_hides_a_notice_and_keeps_its_receipts(platform_admin, unit_user):
    notice = new_notice(platform_admin)
    services.notice_acknowledge(notice=notice, by=unit_user)
    services.notice_withdraw(notice=notice, by=platform_admin)
    assert not Notice.objects.visible_to(unit_user).exists()
    with pytest.raises(PermissionDenied):
        services.notice_acknowledge(notice=notice, by=unit_user)
    with pytest.raises(ValidationError):
        services.notice_delete(notice=notice, by=platform_admin)  # once published, withdraw instead
    services.notice_publish(notice=notice, by=platform_admin)
    assert NoticeReceipt.objects.filter(notice=notice).count() == 1


def test_only_drafts_can_be_deleted(platform_admin):
    draft = new_notice(platform_admin, publish=False, attachments=[pdf()])
    services.notice_delete(notice=draft, by=platform_admin)
    assert not Notice.objects.exists() and not NoticeAttachment.objects.exists()
    assert ChangeLog.objects.filter(action=ChangeAction.DELETE, object_repr=draft.title).exists()


def test_a_unit_confirms_once_and_the_first_receipt_stays(platform_admin, unit_user):
    notice = new_notice(platform_admin)
    first = services.notice_acknowledge(notice=notice, by=unit_user)
    colleague_session = services.notice_acknowledge(notice=notice, by=unit_user)
    assert first.pk == colleague_session.pk and first.unit_id == unit_user.unit_id and first.user == unit_user
    assert NoticeReceipt.objects.count() == 1
    assert services.unread_for(unit_user) == ([], 0)
    assert ChangeLog.objects.filter(action=ChangeAction.ACKNOWLEDGE, unit=unit_user.unit).count() == 1


def test_the_platform_admin_cannot_confirm_for_a_unit(platform_admin):
    notice = new_notice(platform_admin)
    with pytest.raises(PermissionDenied):
        services.notice_acknowledge(notice=notice, by=platform_admin)


def test_receipts_list_every_approved_unit_confirmed_first(platform_admin, unit_user, other_unit_user,
                                                         pending_user):
    notice = new_notice(platform_admin)
    services.notice_acknowledge(notice=notice, by=other_unit_user)
    rows = services.receipts(notice)
    assert [(row.unit.name, row.receipt is not None) for row in rows] == [("乙学会", True), ("甲省科学技术协会", False)]
    assert [row.unit.name for row in services.receipts(notice, unread_only=True)] == ["甲省科学技术协会"]
    assert services.audience_count() == 2  # the pending unit is not sent notices


def test_a_suspended_units_receipt_still_shows(platform_admin, unit_user):
    notice = new_notice(platform_admin)
    services.notice_acknowledge(notice=notice, by=unit_user)
    account_services.unit_suspend(unit=unit_user.unit, by=platform_admin, reason="合并")
    assert [(row.unit.name, row.receipt is not None) for row in services.receipts(notice)] == [("甲省科学技术协会", True)]


def test_unread_counts_beyond_the_panel_limit(platform_admin, unit_user):
    notices = [new_notice(platform_admin, title=f"通知{i}") for i in range(7)]
    services.notice_acknowledge(notice=notices[0], by=unit_user)
    shown, count = services.unread_for(unit_user, limit=5)
    assert count == 6 and [n.title for n in shown] == ["通知6", "通知5", "通知4", "通知3", "通知2"]


def test_notices_for_annotates_receipts(platform_admin, unit_user, other_unit_user):
    notice = new_notice(platform_admin)
    services.notice_acknowledge(notice=notice, by=unit_user)
    assert services.notices_for(platform_admin).get().receipt_count == 1
    assert services.notices_for(unit_user).get().read_at is not None
    assert services.notices_for(other_unit_user).get().read_at is None


def test_editing_logs_each_change_and_attachments(platform_admin):
    notice = new_notice(platform_admin, attachments=[pdf()])
    attachment = notice.attachments.get()
    services.notice_save(by=platform_admin, notice=notice, title="更正：" + notice.title, body=notice.body,
                         deadline=datetime.date(2022, 10, 15), attachments=[pdf("更正通知.pdf")],
                         remove_attachments=[attachment.pk])
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED and notice.title.startswith("更正：")
    assert list(notice.attachments.values_list("file_name", flat=True)) == ["更正通知.pdf"]
    entry = ChangeLog.objects.filter(action=ChangeAction.SAVE).get()
    assert {c["field"] for c in entry.changes} == {"title", "deadline", "attachments"}
    assert {(c["before"], c["after"]) for c in entry.changes if c["field"] == "attachments"} == {
        ("通知.pdf", ""), ("", "更正通知.pdf")}


@pytest.mark.parametrize("upload,reason", [
    (SimpleUploadedFile("virus.exe", b"MZ"), "类型不允许"),
    (SimpleUploadedFile("empty.pdf", b""), "空文件"),
    (SimpleUploadedFile("big.pdf", b"x" * 2048), "超过"),
])
@override_settings(IODP_NOTICE_ATTACHMENT_MAX_BYTES=1024)
def test_a_bad_attachment_is_refused_and_nothing_is_written(platform_admin, upload, reason):
    with pytest.raises(ValidationError) as error:
        new_notice(platform_admin, attachments=[pdf(), upload])
    assert reason in error.value.messages[0]
    assert not Notice.objects.exists() and not NoticeAttachment.objects.exists() and not ChangeLog.objects.filter(
        content_type__model="notice").exists()


@override_settings(IODP_NOTICE_ATTACHMENTS_MAX=2)
def test_at_most_the_allowed_number_of_attachments(platform_admin):
    with pytest.raises(ValidationError, match="最多 2 个附件"):
        new_notice(platform_admin, attachments=[pdf("1.pdf"), pdf("2.pdf"), pdf("3.pdf")])


def test_file_names_lose_paths_and_control_characters():
    assert services.clean_file_name("C:\\Users\\x\\附件1\u202e.pdf") == "附件1.pdf"
    assert services.clean_file_name("../../etc/passwd.txt") == "passwd.txt"
    assert len(services.clean_file_name("长" * 300 + ".docx")) == 255
    assert services.clean_file_name("长" * 300 + ".docx").endswith(".docx")


def test_a_notice_needs_a_title_and_a_body(platform_admin):
    with pytest.raises(ValidationError) as error:
        new_notice(platform_admin, title="  ", body="")
    assert set(error.value.error_dict) == {"title", "body"}


def test_a_unit_registered_later_sees_earlier_notices(platform_admin):
    notice = new_notice(platform_admin)
    late = make_unit_user("unit_late", "戊学会", approve_by=platform_admin, unit_type="national_society")
    assert services.unread_for(late) == ([notice], 1)


def test_a_unit_reads_only_its_own_receipts(platform_admin, unit_user, other_unit_user):
    notice = new_notice(platform_admin)
    mine = services.notice_acknowledge(notice=notice, by=unit_user)
    theirs = services.notice_acknowledge(notice=notice, by=other_unit_user)
    assert list(NoticeReceipt.objects.visible_to(unit_user)) == [mine]
    assert set(NoticeReceipt.objects.visible_to(platform_admin)) == {mine, theirs}
