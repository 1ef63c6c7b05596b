from playwright.sync_api import expect

from iodp.accounts.models import Role, User
from iodp.core import workflow_services as wf
from iodp.institutions.models import Institution

from ..conftest import PASSWORD, make_unit_user
from ..institutions.test_workflow_services import complete_profile, submitted_profile
from .conftest import login


def test_revise_then_cancel_leaves_nothing_and_a_revision_draft_is_discarded_from_the_draft_box(page):
    admin = User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN, is_staff=True)
    user = make_unit_user("unit_e2e", "戊省科学技术协会", approve_by=admin)
    official = wf.record_approve(record=submitted_profile(user), by=admin)
    login(page, "unit_e2e", PASSWORD)

    # 修改 opens the approved record for editing; 取消 leaves no revision behind.
    page.goto(page.base_url + official.get_absolute_url())
    page.click("button:has-text('修改')")
    expect(page.locator("[data-testid=revision-mode]")).to_contain_text("点击“保存”或“提交”后才会生成修订版本")
    page.click("[data-testid=record-form] a:has-text('取消')")
    expect(page.locator("[data-testid=record-status]")).to_have_text("审核通过")
    assert not Institution.objects.filter(revision_of=official).exists()

    # 保存 creates the revision, which then waits in the draft box.
    page.click("button:has-text('修改')")
    page.fill("input[name=city]", "长沙")
    page.click("button[value=save]")
    expect(page.locator(".alert-success")).to_contain_text("修订已保存到草稿箱")
    assert Institution.objects.filter(revision_of=official).count() == 1

    # In the draft box, 放弃修订 asks first: cancelling keeps it, confirming discards it.
    page.click("#sidebar >> text=草稿箱")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("[data-testid=discard]")
    expect(page.locator("[data-testid=drafts]")).to_contain_text("戊省科学技术协会")
    assert Institution.objects.filter(revision_of=official).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=discard]")
    expect(page.locator(".alert-success")).to_contain_text("已放弃修订，原记录保持不变")
    assert not Institution.objects.filter(revision_of=official).exists()
    official.refresh_from_db()
    assert official.city == "北京"


def test_a_draft_is_deleted_from_the_draft_box_after_confirming(page):
    admin = User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN, is_staff=True)
    user = make_unit_user("unit_e2e", "戊省科学技术协会", approve_by=admin)
    wf.record_save(record=complete_profile(user.unit), by=user)
    login(page, "unit_e2e", PASSWORD)
    page.click("#sidebar >> text=草稿箱")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=discard]")
    expect(page.locator(".alert-success")).to_contain_text("已删除草稿")
    expect(page.locator("[data-testid=drafts]")).to_contain_text("草稿箱是空的")
    assert not Institution.objects.exists()
