"""Browser journey: 新增国际组织 (search first) → 编辑组织名录 → 提交 → the platform admin approves it;
then another unit finds it by typing and records a planned join through the typeahead."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from iodp.accounts.models import Role, User
from iodp.organizations.models import ChangeProposal, Membership, Organization

from ..conftest import PASSWORD, make_unit_user
from .conftest import login, logout, shot


def test_new_organization_directory_submit_and_approval(page):
    admin = User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN,
                                     is_staff=True)
    make_unit_user("chem_society", "中国浏览器化学会", approve_by=admin, unit_type="national_society")
    make_unit_user("other_unit", "乙省科学技术协会", approve_by=admin)

    login(page, "chem_society", PASSWORD)
    page.click("[data-testid=shortcuts] >> text=新增国际组织")
    expect(page.locator("h1")).to_have_text("新增国际组织")
    expect(page.locator("[data-testid=search-first]")).to_be_visible()
    page.fill("input[name=name_zh]", "国际纯粹与应用化学联合会")
    page.fill("input[name=name_en]", "International Union of Pure and Applied Chemistry")
    page.fill("input[name=acronym]", "IUPAC")
    page.locator("[data-field=disciplines] .ts-control input").press_sequentially("化学")
    # Enter picks the highlighted match: wait for it (the list filters as one types; under load it lags)
    expect(page.locator("[data-field=disciplines] .ts-dropdown .option.active")).to_have_text("化学")
    page.locator("[data-field=disciplines] .ts-control input").press("Enter")
    expect(page.locator("[data-field=disciplines] .ts-control .item")).to_contain_text(["化学"])
    page.select_option("select[name=nature]", "global")
    page.select_option("select[name=category]", "core")
    page.select_option("select[name=hq_country]", label="美国")
    page.fill("input[name=hq_city]", "Research Triangle Park")
    page.fill("input[name=founded_year]", "1919")
    page.fill("input[name=website]", "https://iupac.org")
    page.check("input[name=membership_forms][value=national]")
    page.fill("input[name=awards-0-name]", "IUPAC 化学化工青年奖")
    shot(page, "org-01-create")
    page.click("button[value=save]")

    # Saved: the page prompts, top right, to continue with the directory profile.
    expect(page.locator("[data-testid=record-status]")).to_have_text("草稿")
    edit_directory = page.locator("[data-testid=edit-directory]")
    expect(edit_directory).to_be_visible()
    shot(page, "org-02-saved-prompt-directory")
    edit_directory.click()
    expect(page.locator("h1")).to_contain_text("编辑组织名录")
    page.fill("textarea[name=aims]", "促进化学科学的国际合作")
    page.fill("input[name=member_count]", "57")
    page.select_option("select[name=ecosoc_status]", "special")
    page.fill("input[name=governing_bodies-0-name]", "执行委员会")
    page.fill("input[name=governing_bodies-0-seats]", "11")
    page.fill("input[name=conferences-0-name]", "第 47 届 IUPAC 世界化学大会")
    page.fill("input[name=conferences-0-year]", "2019")
    page.fill("input[name=conferences-0-city]", "巴黎")
    page.click("[data-formset=conferences] [data-add-row]")
    page.fill("input[name=conferences-1-name]", "第 41 届 IUPAC 世界化学大会")
    page.fill("input[name=conferences-1-year]", "2007")
    page.fill("input[name=conferences-1-city]", "北京")
    page.check("input[name=conferences-1-hosted_in_china]")
    page.fill("input[name=conferences-1-host_unit_name]", "中国化学会")
    shot(page, "org-03-directory")
    page.click("button[value=submit]")
    expect(page.locator("[data-testid=record-status]")).to_have_text("待审核")
    expect(page.locator("[data-testid=conferences]")).to_contain_text("中国化学会")
    logout(page)

    # The platform admin approves it from the review queue.
    login(page, "center", PASSWORD)
    page.click("text=审核队列")
    page.click("[data-testid=review-queue] >> text=国际纯粹与应用化学联合会")
    page.click("[data-testid=review-panel] button:has-text('审核通过')")
    expect(page.locator("[data-testid=record-status]")).to_have_text("审核通过")
    shot(page, "org-04-approved")
    logout(page)

    # Another unit finds it by an English spelling while typing, and records a planned join.
    login(page, "other_unit", PASSWORD)
    page.click("[data-testid=shortcuts] >> text=新增计划加入国际组织")
    page.fill("[data-org-typeahead-input]", "Intl. Union of Pure & Applied Chem")
    option = page.locator("[data-org-typeahead-menu] [data-org-id]").first
    expect(option).to_contain_text("国际纯粹与应用化学联合会（IUPAC）")
    shot(page, "org-05-typeahead")
    option.click()
    page.fill("input[name=target_date]", "2030-06-30")
    page.fill("textarea[name=reason]", "参与化学命名规则制定")
    page.click("[data-testid=record-form] button[value=submit]")
    expect(page.locator("[data-testid=record-status]")).to_have_text("待审核")
    page.click("text=查看国际组织")
    expect(page.locator("[data-testid=memberships]")).to_contain_text("计划加入")
    org = Organization.objects.get(acronym="IUPAC")
    assert org.status == "approved" and org.conferences.count() == 2 and org.governing_bodies.get().seats == 11
    assert Membership.objects.get().unit.name == "乙省科学技术协会"

    # The new-organization form warns about the existing record while the name is typed.
    page.click("[data-testid=shortcuts] >> text=新增国际组织")
    page.fill("input[name=acronym]", "iupac")
    expect(page.locator("[data-testid=duplicates]")).to_contain_text("国际纯粹与应用化学联合会")
    shot(page, "org-06-duplicate-warning")

    # The unit proposes an extra award (修改建议 on a list); the platform admin accepts it.
    page.goto(page.base_url + reverse("organizations:propose", args=[org.pk]))
    expect(page.locator("input[name=awards-0-name]")).to_have_value("IUPAC 化学化工青年奖")
    page.click("[data-formset=awards] [data-add-row]")
    page.fill("input[name=awards-2-name]", "IUPAC 杰出女性化学家奖")
    page.fill("input[name=awards-2-frequency]", "每两年")
    shot(page, "org-07-propose-award")
    page.click("[data-testid=proposal-form] button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("修改建议已提交")
    proposal = ChangeProposal.objects.get(organization=org)
    assert [item.field for item in proposal.items.all()] == ["awards"]
    logout(page)
    login(page, "center", PASSWORD)
    page.goto(page.base_url + reverse("organizations:proposal_detail", args=[proposal.pk]))
    expect(page.locator("[data-field=awards] .diff-after")).to_contain_text("IUPAC 杰出女性化学家奖 · 每两年")
    page.check("#acc_awards")
    page.click("button:has-text('确认处理')")
    expect(page.locator(".alert-success")).to_contain_text("修改建议已处理")
    assert list(org.awards.values_list("name", flat=True)) == ["IUPAC 化学化工青年奖", "IUPAC 杰出女性化学家奖"]


def test_disciplines_are_picked_by_typing_with_the_keyboard(page):
    """所属学科 is a searchable picker: type 数学, Enter picks it (a chip), Backspace would remove it; saved."""
    admin = User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN,
                                     is_staff=True)
    make_unit_user("math_society", "中国浏览器数学会", approve_by=admin, unit_type="national_society")
    login(page, "math_society", PASSWORD)
    expect(page.locator("[data-testid=shortcuts]")).to_be_visible()
    page.goto(page.base_url + reverse("organizations:create"))
    page.fill("input[name=name_zh]", "国际数学联盟")
    picker = page.locator("[data-field=disciplines] .ts-control input")
    expect(picker).to_be_visible()
    expect(page.locator("select[name=disciplines]")).to_have_class(re.compile(r"\bts-hidden-accessible\b"))
    page.click("[data-field=disciplines] label")
    expect(picker).to_be_focused()
    picker.press_sequentially("数学")
    expect(page.locator("[data-field=disciplines] .ts-dropdown .option.active")).to_contain_text("数学")
    picker.press("Enter")
    chips = page.locator("[data-field=disciplines] .ts-control .item")
    expect(chips).to_have_count(1)
    expect(chips.first).to_contain_text("数学")
    shot(page, "org-disciplines-picker")
    page.click("button[value=save]")
    expect(page.locator("[data-testid=record-status]")).to_have_text("草稿")
    organization = Organization.objects.get(name_zh="国际数学联盟")
    assert list(organization.disciplines.values_list("name_zh", flat=True)) == ["数学"]


def test_the_error_summary_leads_to_each_field(page):
    """A refused 提交 opens with the list of what to fix; each line's link puts the cursor in its field."""
    admin = User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN,
                                     is_staff=True)
    make_unit_user("math_society", "中国浏览器数学会", approve_by=admin, unit_type="national_society")
    login(page, "math_society", PASSWORD)
    expect(page.locator("[data-testid=shortcuts]")).to_be_visible()
    page.goto(page.base_url + reverse("organizations:create"))
    page.fill("input[name=name_zh]", "国际数学联盟")
    page.fill("input[name=founded_year]", "1066")
    page.click("button[value=submit]")
    summary = page.locator("[data-testid=error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("年份不能早于 1600 年")
    expect(summary).to_contain_text("英文名称：提交前请填写此项。")
    expect(page.locator("input[name=name_zh]")).to_have_value("国际数学联盟")
    shot(page, "org-error-summary")
    summary.locator("a[href='#id_founded_year']").click()
    expect(page.locator("#id_founded_year")).to_be_focused()
    summary.locator("a[href='#id_disciplines']").click()
    expect(page.locator("[data-field=disciplines] .ts-control input")).to_be_focused()


def test_submit_then_fill_in_the_directory_with_the_submission(page):
    """The notice's order: basic information → 提交 → the prompt 编辑组织名录 (top right) → the directory is saved
    with the pending submission, and the reviewer sees both."""
    admin = User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN,
                                     is_staff=True)
    make_unit_user("astro_society", "中国浏览器天文学会", approve_by=admin, unit_type="national_society")

    login(page, "astro_society", PASSWORD)
    page.click("[data-testid=shortcuts] >> text=新增国际组织")
    page.fill("input[name=name_zh]", "国际天文学联合会")
    page.fill("input[name=name_en]", "International Astronomical Union")
    page.fill("input[name=acronym]", "IAU")
    page.select_option("select[name=disciplines]", label="天文学")
    page.select_option("select[name=nature]", "global")
    page.select_option("select[name=category]", "core")
    page.click("button[value=submit]")

    expect(page.locator("[data-testid=record-status]")).to_have_text("待审核")
    expect(page.locator("[data-testid=directory-with-submission]")).to_be_visible()
    shot(page, "org-08-submitted-prompt-directory")
    page.click("[data-testid=edit-directory]")
    expect(page.locator("h1")).to_contain_text("编辑组织名录")
    expect(page.locator("button[value=submit]")).to_have_count(0)
    expect(page.locator("[data-testid=saved-with-submission]")).to_be_visible()
    page.fill("textarea[name=aims]", "促进天文学的国际合作")
    page.fill("input[name=governing_bodies-0-name]", "执行委员会")
    page.fill("input[name=governing_bodies-0-seats]", "12")
    page.click("button[value=save]")
    expect(page.locator(".alert-success")).to_contain_text("随本次提交一并")
    expect(page.locator("[data-testid=record-status]")).to_have_text("待审核")
    expect(page.locator("[data-testid=directory-profile]")).to_contain_text("促进天文学的国际合作")
    logout(page)

    login(page, "center", PASSWORD)
    page.click("text=审核队列")
    page.click("[data-testid=review-queue] >> text=国际天文学联合会")
    expect(page.locator("[data-testid=directory-profile]")).to_contain_text("执行委员会（12）")
    page.click("[data-testid=review-panel] button:has-text('审核通过')")
    expect(page.locator("[data-testid=record-status]")).to_have_text("审核通过")
    org = Organization.objects.get(acronym="IAU")
    assert org.aims == "促进天文学的国际合作" and org.governing_bodies.get().seats == 12
