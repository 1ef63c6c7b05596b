"""通知公告 pages: the platform admin writes and follows receipts; a unit reads, downloads and confirms; another
unit's or an anonymous user's requests get nothing."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from iodp.notices import services
from iodp.notices.models import Notice, NoticeAttachment, NoticeReceipt, NoticeStatus

from ..conftest import logged_in


@pytest.fixture
def published(platform_admin):
    return services.notice_save(
        by=platform_admin, publish=True, title="关于开展国际组织数据填报的通知", body="各单位：\n请按时填报。",
        deadline=datetime.date(2022, 9, 30),
        attachments=[SimpleUploadedFile("填报通知.pdf", b"%PDF-1.4 the notice")])


@pytest.fixture
def draft(platform_admin):
    return services.notice_save(by=platform_admin, title="草稿：下一轮填报", body="未发布")


def test_the_admin_writes_a_notice_with_attachments_and_publishes_it(admin_client_, unit_user):
    response = admin_client_.post(reverse("notices:create"), {
        "title": "关于开展2022年度填报的通知", "body": "各单位：\n请于9月30日前完成。", "deadline": "2022-09-30",
        "attachments": [SimpleUploadedFile("通知.pdf", b"%PDF-1.4 a"), SimpleUploadedFile("附表.xlsx", b"PK..")],
        "publish": "1"})
    notice = Notice.objects.get()
    assert response.status_code == 302 and response.url == reverse("notices:detail", args=[notice.pk])
    assert notice.status == NoticeStatus.PUBLISHED
    assert sorted(notice.attachments.values_list("file_name", flat=True)) == ["通知.pdf", "附表.xlsx"]
    page = admin_client_.get(response.url)
    assert "已签收 0/1 个单位" in page.text and "通知.pdf" in page.text


def test_saving_keeps_a_draft_and_publishing_is_a_separate_step(admin_client_, unit_client):
    admin_client_.post(reverse("notices:create"), {"title": "草稿通知", "body": "正文", "save": "1"})
    notice = Notice.objects.get()
    assert notice.status == NoticeStatus.DRAFT
    assert unit_client.get(reverse("notices:detail", args=[notice.pk])).status_code == 404
    admin_client_.post(reverse("notices:publish", args=[notice.pk]))
    assert unit_client.get(reverse("notices:detail", args=[notice.pk])).status_code == 200


def test_a_form_error_keeps_what_was_typed(admin_client_):
    response = admin_client_.post(reverse("notices:create"), {"title": "", "body": "写好的正文", "publish": "1"})
    assert response.status_code == 200 and "写好的正文" in response.text and "这个字段是必填项" in response.text
    assert not Notice.objects.exists()


@override_settings(IODP_NOTICE_ATTACHMENT_MAX_BYTES=10)
def test_a_refused_attachment_shows_its_reason_and_saves_nothing(admin_client_):
    response = admin_client_.post(reverse("notices:create"), {
        "title": "通知", "body": "正文", "attachments": [SimpleUploadedFile("大文件.pdf", b"x" * 100)], "publish": "1"})
    assert response.status_code == 200 and "附件“大文件.pdf”超过" in response.text
    assert not Notice.objects.exists()


def test_editing_removes_and_adds_attachments(admin_client_, published):
    old = published.attachments.get()
    response = admin_client_.post(reverse("notices:edit", args=[published.pk]), {
        "title": published.title, "body": published.body, "deadline": "2022-10-08",
        "remove_attachments": [old.pk], "attachments": [SimpleUploadedFile("更正.pdf", b"%PDF new")], "save": "1"})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.deadline == datetime.date(2022, 10, 8) and published.status == NoticeStatus.PUBLISHED
    assert list(published.attachments.values_list("file_name", flat=True)) == ["更正.pdf"]


def test_a_unit_sees_the_notice_on_its_home_page_until_it_confirms(unit_client, published):
    home = unit_client.get(reverse("core:home"))
    assert 'data-testid="notice-panel"' in home.text and published.title in home.text and "1 条未签收" in home.text
    page = unit_client.get(reverse("notices:detail", args=[published.pk]))
    assert "请按时填报" in page.text and 'data-testid="notice-acknowledge"' in page.text
    assert not NoticeReceipt.objects.exists()  # reading the page is not confirming
    response = unit_client.post(reverse("notices:acknowledge", args=[published.pk]))
    assert response.status_code == 302
    assert NoticeReceipt.objects.get().unit.name == "甲省科学技术协会"
    assert "签收" in unit_client.get(reverse("notices:detail", args=[published.pk])).text
    assert 'data-testid="notice-panel"' not in unit_client.get(reverse("core:home")).text


def test_a_unit_downloads_an_attachment_under_its_own_name(unit_client, published):
    attachment = published.attachments.get()
    response = unit_client.get(reverse("notices:attachment", args=[attachment.pk]))
    assert response.status_code == 200 and response.content == b"%PDF-1.4 the notice"
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and "filename*=utf-8''" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_the_unit_list_marks_read_and_unread(unit_client, published, platform_admin):
    other = services.notice_save(by=platform_admin, publish=True, title="第二条通知", body="正文")
    unit_client.post(reverse("notices:acknowledge", args=[published.pk]))
    response = unit_client.get(reverse("notices:list"))
    assert [n.title for n in response.context["page"]] == ["第二条通知", published.title]
    unread = unit_client.get(reverse("notices:list"), {"unread": "1"})
    assert [n.pk for n in unread.context["page"]] == [other.pk]


def test_the_admin_follows_receipts_and_exports_them(admin_client_, unit_user, other_unit_user, published):
    services.notice_acknowledge(notice=published, by=other_unit_user)
    page = admin_client_.get(reverse("notices:receipts", args=[published.pk]))
    assert "已签收 1/2 个单位" in page.text
    assert [(r.unit.name, bool(r.receipt)) for r in page.context["rows"]] == [("乙学会", True), ("甲省科学技术协会", False)]
    unread = admin_client_.get(reverse("notices:receipts", args=[published.pk]), {"unread": "1"})
    assert [r.unit.name for r in unread.context["rows"]] == ["甲省科学技术协会"]
    export = admin_client_.get(reverse("notices:receipts_export", args=[published.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert ["单位名称", "单位类型", "签收状态", "签收时间", "签收人"] in values
    assert any(row[:3] == ("乙学会", "全国学会", "已签收") for row in map(tuple, values))
    assert any(row[:3] == ("甲省科学技术协会", "省级科协", "未签收") for row in map(tuple, values))
    home = admin_client_.get(reverse("core:home"))
    assert 'data-testid="notice-panel"' in home.text and "已签收 1/2" in home.text


def test_withdraw_and_delete_from_the_detail_page(admin_client_, unit_client, published, draft):
    admin_client_.post(reverse("notices:withdraw", args=[published.pk]))
    assert unit_client.get(reverse("notices:detail", args=[published.pk])).status_code == 404
    response = admin_client_.post(reverse("notices:delete", args=[published.pk]), follow=True)
    assert "已发布过的通知不能删除" in response.text and Notice.objects.filter(pk=published.pk).exists()
    admin_client_.post(reverse("notices:delete", args=[draft.pk]))
    assert not Notice.objects.filter(pk=draft.pk).exists()


def admin_only_urls(notice):
    return [reverse("notices:create"), reverse("notices:edit", args=[notice.pk]),
            reverse("notices:receipts", args=[notice.pk]), reverse("notices:receipts_export", args=[notice.pk])]


def test_a_unit_cannot_write_or_follow_receipts(unit_client, published, draft):
    for url in admin_only_urls(published):
        assert unit_client.get(url).status_code == 404, url
    for name in ("publish", "withdraw", "delete"):
        assert unit_client.post(reverse(f"notices:{name}", args=[draft.pk])).status_code == 404
    assert unit_client.post(reverse("notices:create"), {"title": "伪造", "body": "x", "publish": "1"}).status_code == 404
    assert Notice.objects.count() == 2 and Notice.objects.get(pk=draft.pk).status == NoticeStatus.DRAFT
    assert unit_client.get(reverse("notices:detail", args=[draft.pk])).status_code == 404
    draft_attachment = services.notice_save(by=draft.created_by, notice=draft, title=draft.title, body=draft.body,
                                            attachments=[SimpleUploadedFile("草稿附件.pdf", b"x")]).attachments.get()
    assert unit_client.get(reverse("notices:attachment", args=[draft_attachment.pk])).status_code == 404


def test_another_unit_confirming_does_not_confirm_for_this_one(other_client, unit_user, published):
    other_client.post(reverse("notices:acknowledge", args=[published.pk]))
    assert services.unread_for(unit_user) == ([published], 1)
    assert NoticeReceipt.objects.get().unit.name == "乙学会"


def test_anonymous_users_are_sent_to_log_in(client, published):
    attachment = published.attachments.get()
    urls = admin_only_urls(published) + [reverse("notices:list"), reverse("notices:detail", args=[published.pk]),
                                         reverse("notices:attachment", args=[attachment.pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), url
    response = client.post(reverse("notices:acknowledge", args=[published.pk]))
    assert response.status_code == 302 and not NoticeReceipt.objects.exists()


def test_the_list_pages_in_a_constant_number_of_queries(admin_client_, platform_admin, unit_user,
                                                         django_assert_max_num_queries):
    for i in range(25):
        services.notice_save(by=platform_admin, publish=True, title=f"通知{i}", body="正文")
    with django_assert_max_num_queries(12):
        response = admin_client_.get(reverse("notices:list"))
    assert len(response.context["page"]) == 20
    unit = logged_in(unit_user)
    with django_assert_max_num_queries(12):
        unit.get(reverse("notices:list"))


def test_the_body_is_shown_as_text_not_html(unit_client, platform_admin):
    notice = services.notice_save(by=platform_admin, publish=True, title="<b>标题</b>", body="<script>x()</script>")
    page = unit_client.get(reverse("notices:detail", args=[notice.pk])).text
    assert "<script>x()</script>" not in page and "&lt;script&gt;" in page


def test_an_attachment_is_deleted_with_its_draft(admin_client_, draft):
    services.notice_save(by=draft.created_by, notice=draft, title=draft.title, body=draft.body,
                         attachments=[SimpleUploadedFile("a.pdf", b"x")])
    admin_client_.post(reverse("notices:delete", args=[draft.pk]))
    assert not NoticeAttachment.objects.exists()
