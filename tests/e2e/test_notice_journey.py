"""The notice, end to end in a browser, with its own labels: a unit registers and is approved; it enters an
organization (基本信息 → 提交 → 编辑组织名录), registers that its unit has joined it (登记本单位已加入), plans to
join another (新增计划加入国际组织) and enters a reserve expert (新增后备专家), each by 提交; the platform admin
finds all four in the 审核队列 and approves them; the unit sees the approved records. Screenshots of every
step land in test-artifacts/screenshots/notice-*.png."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from iodp.accounts.models import Role, User
from iodp.core import clock
from iodp.core.workflow import RecordStatus
from iodp.experts.demo import demo_id_number
from iodp.experts.models import Expert
from iodp.organizations.models import Membership, MembershipRelation, Organization

from ..conftest import PASSWORD
from .conftest import login, logout, shot


def approve_from_queue(page, row_text: str) -> None:
    page.click("#sidebar >> text=审核队列")
    page.locator("[data-testid=review-queue] tbody tr", has_text=row_text).locator("a:has-text('审核')").click()
    page.click("[data-testid=review-panel] button:has-text('审核通过')")
    expect(page.locator("[data-testid=record-status]")).to_have_text("审核通过")


def test_the_notice_from_registration_to_reviewed_records(page):
    User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN, is_staff=True)
    Organization.objects.create(name_zh="国际科学理事会", name_en="International Science Council", acronym="ISC",
                                status=RecordStatus.APPROVED, approved_at=timezone.now())

    # 1. 注册: the society registers its one account.
    page.goto(page.base_url + "/accounts/register/")
    page.select_option("select[name=unit_type]", "national_society")
    page.fill("input[name=unit_name]", "中国通知测试学会")
    page.select_option("select[name=province]", label="北京市")
    page.fill("input[name=admin_name]", "李秘书")
    page.fill("input[name=admin_phone]", "13912345678")
    page.fill("input[name=admin_email]", "secretary@example.cn")
    page.fill("input[name=username]", "notice_society")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    shot(page, "notice-01-register")
    page.click("button[type=submit]")
    expect(page.locator("h2")).to_have_text("注册申请已提交")

    # 2. The platform admin approves the registration (待审核 → 已通过).
    login(page, "center", PASSWORD)
    page.click("text=去审核")
    page.click("text=中国通知测试学会")
    page.click("button:has-text('通过')")
    expect(page.locator(".alert-success")).to_contain_text("已批准")
    shot(page, "notice-02-registration-approved")
    logout(page)

    # 3. 新增国际组织: basic information, 提交; the prompt 编辑组织名录 at the top right leads to the directory,
    #    which is saved with the pending submission.
    login(page, "notice_society", PASSWORD)
    page.click("[data-testid=shortcuts] >> text=新增国际组织")
    page.fill("input[name=name_zh]", "国际地理联合会")
    page.fill("input[name=name_en]", "International Geographical Union")
    page.fill("input[name=acronym]", "IGU")
    page.locator("[data-field=disciplines] .ts-control input").press_sequentially("地球科学")
    # Enter picks the highlighted match: wait for it (the list filters as one types; under load it lags)
    expect(page.locator("[data-field=disciplines] .ts-dropdown .option.active")).to_have_text("地球科学")
    page.locator("[data-field=disciplines] .ts-control input").press("Enter")
    expect(page.locator("[data-field=disciplines] .ts-control .item")).to_contain_text(["地球科学"])
    page.select_option("select[name=nature]", "global")
    page.select_option("select[name=category]", "important")
    page.select_option("select[name=hq_country]", label="美国")
    page.fill("input[name=founded_year]", "1922")
    page.click("button[value=submit]")
    expect(page.locator("[data-testid=record-status]")).to_have_text("待审核")
    prompt = page.locator("[data-testid=edit-directory]")
    expect(prompt).to_be_visible()
    shot(page, "notice-03-organization-submitted")
    prompt.click()
    expect(page.locator("h1")).to_contain_text("编辑组织名录")
    page.fill("textarea[name=aims]", "推动地理学研究与国际合作")
    page.fill("input[name=governing_bodies-0-name]", "执行委员会")
    page.fill("input[name=governing_bodies-0-seats]", "9")
    shot(page, "notice-04-directory")
    page.click("button[value=save]")
    expect(page.locator(".alert-success")).to_contain_text("随本次提交一并")
    expect(page.locator("[data-testid=directory-profile]")).to_contain_text("推动地理学研究与国际合作")

    # 4. 登记本单位已加入, from the organization's page: the organization is chosen already.
    page.click("text=登记本单位已加入")
    expect(page.locator("[data-org-typeahead-input]")).to_have_value("国际地理联合会（IGU）")
    page.fill("input[name=since_year]", "1979")
    page.click("[data-testid=record-form] button[value=submit]")
    expect(page.locator("[data-testid=record-status]")).to_have_text("待审核")
    shot(page, "notice-05-membership-submitted")

    # 5. 新增计划加入国际组织 from the sidebar, the organization found by typing.
    page.click("#sidebar >> text=新增计划加入国际组织")
    page.fill("[data-org-typeahead-input]", "Science Council")
    page.locator("[data-org-typeahead-menu] [data-org-id]").first.click()
    page.fill("input[name=target_date]", (clock.today() + datetime.timedelta(days=400)).isoformat())
    page.fill("textarea[name=reason]", "推荐专家参与理事会工作")
    shot(page, "notice-06-plan")
    page.click("[data-testid=record-form] button[value=submit]")
    expect(page.locator("[data-testid=record-status]")).to_have_text("待审核")

    # 6. 新增后备专家 from the sidebar, 提交.
    born = clock.today().replace(year=clock.today().year - 40, day=1)
    page.click("#sidebar >> text=新增后备专家")
    expect(page.locator("h1")).to_have_text("新增后备专家")
    page.fill("input[name=name_zh]", "司马青")
    page.select_option("select[name=gender]", "male")
    page.fill("input[name=birth_date]", born.isoformat())
    page.fill("input[name=id_number]", demo_id_number("110108", born, "013"))
    page.fill("input[name=phone]", "13812345678")
    page.fill("input[name=employer]", "中国科学院地理科学与资源研究所")
    page.select_option("select[name=category]", "scholar")
    page.fill("input[name=foreign_affairs_years]", "4")
    page.check("input[name=target_levels][value=leadership]")
    page.fill("[data-org-multi-input]", "IGU")
    page.click("[data-org-multi-menu] [data-org-id]")
    page.select_option("select[name=languages-0-language]", "en")
    page.select_option("select[name=languages-0-proficiency]", "fluent")
    page.fill("input[name=education-0-institution]", "北京大学")
    page.fill("input[name=education-0-start]", "2003-09-01")
    page.fill("input[name=education-0-end]", "2007-07-01")
    shot(page, "notice-07-reserve-expert")
    page.click("button[value=submit]")
    expect(page.locator("[data-testid=record-status]")).to_have_text("待审核")
    logout(page)

    # 7. The platform admin finds all four in the 审核队列 and approves them: the organization (with its directory)
    #    first, since a membership can only be approved for an organization in the registry.
    login(page, "center", PASSWORD)
    page.click("#sidebar >> text=审核队列")
    queue = page.locator("[data-testid=review-queue]")
    for text in ["国际地理联合会", "国际地理联合会（IGU） · 已加入", "国际科学理事会（ISC） · 计划加入", "司马青"]:
        expect(queue).to_contain_text(text)
    shot(page, "notice-08-review-queue")
    page.locator("[data-testid=review-queue] tbody tr", has_text="国际组织").locator("a:has-text('审核')").click()
    expect(page.locator("[data-testid=directory-profile]")).to_contain_text("执行委员会（9）")
    page.click("[data-testid=review-panel] button:has-text('审核通过')")
    expect(page.locator("[data-testid=record-status]")).to_have_text("审核通过")
    for row_text in ["国际地理联合会（IGU） · 已加入", "国际科学理事会（ISC） · 计划加入", "司马青"]:
        approve_from_queue(page, row_text)
    page.click("#sidebar >> text=审核队列")
    expect(page.locator("[data-testid=review-queue]")).to_contain_text("没有待审核的记录。")
    logout(page)

    # 8. The unit sees its approved records: the organization counts it as a member.
    login(page, "notice_society", PASSWORD)
    organization = Organization.objects.get(acronym="IGU")
    page.goto(page.base_url + organization.get_absolute_url())
    expect(page.locator("[data-testid=record-status]")).to_have_text("审核通过")
    expect(page.locator("[data-testid=memberships]")).to_contain_text("共 1 个单位已加入（审核通过）")
    shot(page, "notice-09-organization-approved")

    assert organization.status == RecordStatus.APPROVED and organization.aims == "推动地理学研究与国际合作"
    memberships = {m.relation: m for m in Membership.objects.filter(unit__name="中国通知测试学会")}
    assert set(memberships) == {MembershipRelation.MEMBER, MembershipRelation.PLANNED}
    assert all(m.status == RecordStatus.APPROVED for m in memberships.values())
    assert memberships[MembershipRelation.PLANNED].organization.acronym == "ISC"
    expert = Expert.objects.get(name_zh="司马青")
    assert expert.status == RecordStatus.APPROVED and expert.unit.name == "中国通知测试学会"
