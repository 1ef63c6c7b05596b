"""Browser journey: a unit admin fills in an organization the way a first-time secretary would: picks 韩国 from
the country list, types 欧元 as the dues currency (the list suggests 欧元 EUR), a Beijing number as she dials it;
the saved record shows 韩国, 欧元（EUR） and 010 6857 1234, also in its history."""

from playwright.sync_api import expect

from iodp.accounts.models import Role, User
from iodp.organizations.models import Organization

from ..conftest import PASSWORD, make_unit_user
from .conftest import login, shot


def test_country_currency_and_phone_read_as_people_write_them(page):
    admin = User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN,
                                     is_staff=True)
    make_unit_user("geo_society", "中国浏览器地理学会", approve_by=admin, unit_type="national_society")

    login(page, "geo_society", PASSWORD)
    page.click("[data-testid=shortcuts] >> text=新增国际组织")
    page.fill("input[name=name_zh]", "亚洲地理学会")
    page.fill("input[name=acronym]", "AGA")
    page.select_option("select[name=hq_country]", label="韩国")
    expect(page.locator("select[name=hq_country] option", has_text="大韩民国")).to_have_count(0)
    page.fill("input[name=phone]", "010-68571234")
    page.fill("input[name=dues_amount]", "1000")
    currency = page.locator("input[name=dues_currency]")
    list_id = currency.get_attribute("list")
    expect(page.locator(f"datalist#{list_id} option[value='欧元 EUR']")).to_have_count(1)
    currency.fill("欧元")
    shot(page, "ref-01-currency")
    page.click("button[value=save]")

    expect(page.locator("[data-testid=record-status]")).to_have_text("草稿")
    assert Organization.objects.get().dues_currency == "EUR"
    main = page.locator("main")
    expect(main).to_contain_text("韩国")
    expect(main).to_contain_text("1000.00 欧元（EUR）")
    expect(main).to_contain_text("010 6857 1234")
    expect(page.locator("[data-testid=history]")).to_contain_text("010 6857 1234")
    expect(page.locator("[data-testid=history]")).not_to_contain_text("+86")
    shot(page, "ref-02-saved")

    # Editing shows the stored values the same way.
    page.goto(page.url.split("?")[0].rstrip("/") + "/edit/")
    expect(currency).to_have_value("欧元 EUR")
    expect(page.locator("input[name=phone]")).to_have_value("010 6857 1234")
