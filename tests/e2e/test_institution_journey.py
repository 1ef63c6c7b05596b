from playwright.sync_api import expect

from iodp.accounts.models import Role, User

from ..conftest import PASSWORD, make_unit_user
from .conftest import login, logout, shot


def test_profile_draft_submit_return_fix_approve(page):
    admin = User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN, is_staff=True)
    make_unit_user("unit_e2e", "戊省科学技术协会", approve_by=admin)

    # The unit fills its profile partly and saves a draft.
    login(page, "unit_e2e", PASSWORD)
    page.click("[data-testid=modules] >> text=机构管理")
    expect(page.locator("input[name=name_zh]")).to_have_value("戊省科学技术协会")
    page.fill("input[name=city]", "")
    page.fill("input[name=name_en]", "Wu Provincial Association for Science and Technology")
    shot(page, "10-institution-edit")
    page.click("button[value=save]")
    expect(page.locator(".alert-success")).to_contain_text("已保存到草稿箱")

    # It is in the draft box; continue from there and submit with a missing field: errors, nothing lost.
    page.click("#sidebar >> text=草稿箱")
    shot(page, "11-drafts")
    page.click("[data-testid=drafts] >> text=继续编辑")
    page.click("button[value=submit]")
    expect(page.locator(".alert-danger").first).to_contain_text("提交未成功")
    expect(page.locator("[data-field=city] .invalid-feedback")).to_contain_text("提交前请填写此项")
    expect(page.locator("input[name=name_en]")).to_have_value("Wu Provincial Association for Science and Technology")

    # Complete it (city and a contact added with the "添加一行" row) and submit.
    page.fill("input[name=city]", "长沙")
    page.fill("input[name=contacts-0-name]", "孙联系")
    page.fill("input[name=contacts-0-phone]", "0731-84567890")
    page.click("[data-formset=contacts] [data-add-row]")
    page.fill("input[name=contacts-1-name]", "周助理")
    page.click("button[value=submit]")
    expect(page.locator("[data-testid=record-status]")).to_have_text("待审核")
    logout(page)

    # The platform admin returns it with a reason.
    login(page, "center", PASSWORD)
    page.click("#sidebar >> text=审核队列")
    shot(page, "12-review-queue")
    page.click("[data-testid=review-queue] >> text=审核")
    page.fill("textarea[name=reason]", "请填写通讯地址")
    page.click("button:has-text('退回修改')")
    expect(page.locator("[data-testid=record-status]")).to_have_text("已退回")
    logout(page)

    # The unit sees the reason on its home page, fixes and resubmits.
    login(page, "unit_e2e", PASSWORD)
    expect(page.locator("[data-testid=returned-records]")).to_contain_text("请填写通讯地址")
    shot(page, "13-home-returned")
    page.click("[data-testid=returned-records] a")
    expect(page.locator("[data-testid=return-reason]")).to_contain_text("请填写通讯地址")
    page.fill("input[name=address]", "长沙市岳麓区某路 1 号")
    page.click("button[value=submit]")
    expect(page.locator("[data-testid=record-status]")).to_have_text("待审核")
    logout(page)

    # The admin approves; the history shows every step.
    login(page, "center", PASSWORD)
    page.goto(page.base_url + "/review/")
    page.click("[data-testid=review-queue] >> text=审核")
    page.click("button:has-text('审核通过')")
    expect(page.locator("[data-testid=record-status]")).to_have_text("审核通过")
    history = page.locator("[data-testid=history]")
    for action in ["审核通过", "提交", "退回", "新建"]:
        expect(history).to_contain_text(action)
    expect(history).to_contain_text("长沙市岳麓区某路 1 号")
    shot(page, "14-institution-approved")
