"""Browser tests: Playwright (Python) driving Debian's Chromium against the live test server.

Run by `make test` with the rest of the suite; skipped with a clear reason where Chromium is missing.
Screenshots of key pages land in test-artifacts/screenshots/ (the user manual reuses them).
"""

import os
from pathlib import Path

import pytest

from iodp.manual.content import referenced_screens, screen_path
from iodp.reference.loader import load_reference_data

CHROMIUM = os.environ.get("IODP_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "screenshots"

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                  "--no-first-run", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def reference_data(transactional_db):
    """Live-server tests flush the database between tests; put the reference tables back."""
    load_reference_data()


@pytest.fixture
def two_units(reference_data):
    """The platform admin `center` and two approved units: 戊省科学技术协会 (unit_e2e, a provincial association) and
    己学会 (unit_e2e2, a national society); the password is tests.conftest.PASSWORD."""
    from iodp.accounts.models import Role, User

    from ..conftest import PASSWORD, make_unit_user

    admin = User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN, is_staff=True)
    make_unit_user("unit_e2e", "戊省科学技术协会", approve_by=admin)
    make_unit_user("unit_e2e2", "己学会", approve_by=admin, unit_type="national_society")
    return admin


@pytest.fixture
def page(browser, live_server, reference_data):
    context = browser.new_context(viewport={"width": 1366, "height": 860}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    # Whatever the Content-Security-Policy blocks (an inline script, handler or style) is a bug of the page.
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield page
    context.close()
    assert violations == []


def shot(page, name: str) -> None:
    """Save the page as test-artifacts/screenshots/NAME.png; under `make manual` (IODP_MANUAL_BUILD=1) a screen
    the user manual shows is also written, as a compact JPEG, where the manual reads it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    if os.environ.get("IODP_MANUAL_BUILD") and name in referenced_screens():
        page.screenshot(path=str(screen_path(name)), full_page=True, type="jpeg", quality=70)


def login(page, username: str, password: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def logout(page) -> None:
    page.context.clear_cookies()
