import datetime

from django.utils import timezone
from playwright.sync_api import expect

from iodp.accounts.models import Role, User
from iodp.core import clock
from iodp.core.workflow import RecordStatus
from iodp.experts.demo import demo_id_number
from iodp.organizations.models import Organization

from ..conftest import PASSWORD, make_unit_user
from .conftest import login, logout, shot


def test_reserve_expert_draft_submit_approve_and_eligibility_in_the_list(page):
    admin = User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN, is_staff=True)
    make_unit_user("unit_exp", "己省科学技术协会", approve_by=admin)
    Organization.objects.create(name_zh="国际科学理事会", name_en="International Science Council", acronym="ISC",
                                status=RecordStatus.APPROVED, approved_at=timezone.now())
    born = clock.today().replace(year=clock.today().year - 38, day=1)
    id_number = demo_id_number("110105", born, "024")  # even 17th digit: female

    # 新增后备专家 from the sidebar: basic data, a language, education and a target level; 保存.
    login(page, "unit_exp", PASSWORD)
    page.click("#sidebar >> text=新增后备专家")
    expect(page.locator("h1")).to_have_text("新增后备专家")
    page.fill("input[name=name_zh]", "欧阳晓梅")
    page.locator("input[name=name_zh]").blur()
    expect(page.locator("input[name=name_en]")).to_have_value("Ouyang Xiaomei")  # suggested, editable
    page.select_option("select[name=gender]", "female")
    page.fill("input[name=birth_date]", born.isoformat())
    page.fill("input[name=id_number]", id_number)
    page.fill("input[name=phone]", "13912345678")
    page.fill("input[name=employer]", "己省科学院")
    page.select_option("select[name=category]", "scholar")
    page.fill("input[name=foreign_affairs_years]", "1.5")
    page.check("input[name=target_levels][value=mid_level]")
    page.fill("[data-org-multi-input]", "ISC")
    page.click("[data-org-multi-menu] [data-org-id]")
    expect(page.locator("[data-org-chips]")).to_contain_text("国际科学理事会")
    page.select_option("select[name=languages-0-language]", "en")
    page.select_option("select[name=languages-0-proficiency]", "working")
    page.fill("input[name=languages-0-certificate]", "IELTS 7.5")
    page.fill("input[name=education-0-institution]", "北京大学")
    page.fill("input[name=education-0-start]", "2004-09-01")
    page.fill("input[name=education-0-end]", "2008-07-01")
    page.click("[data-formset=education] [data-add-row]")
    page.fill("input[name=education-1-institution]", "日内瓦大学")
    page.fill("input[name=education-1-start]", "2008-09-01")
    page.fill("input[name=education-1-end]", "2013-07-01")
    shot(page, "20-reserve-expert-edit")
    page.click("button[value=save]")
    expect(page.locator(".alert-success")).to_contain_text("已保存到草稿箱")

    # The page masks the ID and shows the flags: 1.5 years of foreign-affairs work is below the threshold.
    expect(page.locator("[data-testid=id-number]")).to_contain_text("110105********")
    expect(page.locator("[data-testid=id-number]")).not_to_contain_text(id_number)
    expect(page.locator("[data-testid=eligibility]")).to_contain_text("涉外工作 1.5 年，不足 2 年")
    expect(page.locator("[data-testid=targets]")).to_contain_text("中层")
    expect(page.locator("[data-testid=targets]")).to_contain_text("国际科学理事会")
    page.click("[data-testid=reveal]")
    expect(page.locator("[data-testid=id-number]")).to_contain_text(id_number)

    # Correct the years and submit.
    page.goto(page.url.replace("/reveal/", "/edit/"))
    page.fill("input[name=foreign_affairs_years]", "3")
    page.click("button[value=submit]")
    expect(page.locator("[data-testid=record-status]")).to_have_text("待审核")
    logout(page)

    # The platform admin approves.
    login(page, "center", PASSWORD)
    page.goto(page.base_url + "/review/")
    page.click("[data-testid=review-queue] >> text=审核")
    page.click("button:has-text('审核通过')")
    expect(page.locator("[data-testid=record-status]")).to_have_text("审核通过")
    logout(page)

    # The unit finds the expert in the reserve list, eligible, with its flags.
    login(page, "unit_exp", PASSWORD)
    page.goto(page.base_url + "/experts/")
    page.select_option("select[name=kind]", "reserve")
    page.select_option("select[name=eligibility]", "eligible")
    page.click("[data-testid=expert-filters] button")
    row = page.locator("[data-testid=expert-list] tbody tr").first
    expect(row).to_contain_text("欧阳晓梅")
    expect(row).to_contain_text("符合")
    expect(row).to_contain_text("年龄 38，不超过 50")
    expect(row).to_contain_text("涉外工作 3 年，不少于 2 年")
    expect(row).to_contain_text("110105********")
    shot(page, "21-reserve-list")
    page.fill("input[name=q]", "oyxm")
    page.click("[data-testid=expert-filters] button")
    expect(page.locator("[data-testid=expert-list] tbody tr").first).to_contain_text("欧阳晓梅")


def test_serving_expert_with_posts_chosen_from_the_registry(page):
    admin = User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN, is_staff=True)
    make_unit_user("unit_srv", "庚学会", approve_by=admin, unit_type="national_society")
    for name_zh, name_en, acronym in [("国际纯粹与应用化学联合会", "International Union of Pure and Applied Chemistry",
                                       "IUPAC"), ("国际科学理事会", "International Science Council", "ISC")]:
        Organization.objects.create(name_zh=name_zh, name_en=name_en, acronym=acronym, status=RecordStatus.APPROVED,
                                    approved_at=timezone.now())
    born = datetime.date(1970, 4, 2)

    login(page, "unit_srv", PASSWORD)
    page.click("#sidebar >> text=新增专家")
    expect(page.locator("h1")).to_have_text("新增专家")
    page.fill("input[name=name_zh]", "钱学文")
    page.select_option("select[name=gender]", "male")
    page.fill("input[name=birth_date]", born.isoformat())
    page.fill("input[name=id_number]", demo_id_number("310104", born, "031"))
    page.fill("input[name=phone]", "021-64321234")
    page.fill("input[name=employer]", "复旦大学")
    page.select_option("select[name=category]", "scholar")
    page.select_option("select[name=languages-0-language]", "fr")
    page.select_option("select[name=languages-0-proficiency]", "fluent")
    # A current post, then a former one in a row added with 添加一行; both chosen by typing.
    page.fill("[data-formset=positions] [data-org-typeahead-input] >> nth=0", "IUPAC")
    page.click("[data-formset=positions] [data-org-typeahead-menu] [data-org-id] >> nth=0")
    page.select_option("select[name=positions-0-role]", "vice_president")
    page.select_option("select[name=positions-0-level]", "leadership")
    page.fill("input[name=positions-0-term_start]", "2024-01-01")
    page.fill("input[name=positions-0-term_end]", "2027-12-31")
    page.click("[data-formset=positions] [data-add-row]")
    page.fill("[data-formset=positions] [data-org-typeahead-input] >> nth=1", "Science Council")
    page.click("[data-formset=positions] [data-org-typeahead-menu]:visible [data-org-id] >> nth=0")
    page.select_option("select[name=positions-1-role]", "member")
    page.select_option("select[name=positions-1-level]", "mid_level")
    page.fill("input[name=positions-1-term_start]", "2016-01-01")
    page.fill("input[name=positions-1-term_end]", "2019-12-31")
    page.select_option("select[name=positions-1-status]", "former")
    page.click("button[value=submit]")
    expect(page.locator("[data-testid=record-status]")).to_have_text("待审核")
    positions = page.locator("[data-testid=positions]")
    expect(positions).to_contain_text("国际纯粹与应用化学联合会")
    expect(positions).to_contain_text("副主席")
    expect(positions).to_contain_text("国际科学理事会")
    expect(positions).to_contain_text("曾任")
    shot(page, "22-serving-expert")
