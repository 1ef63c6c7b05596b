"""Browser journey of a large 导出: 导出 Excel on a list longer than IODP_EXPORT_INLINE_ROWS lands on the export's
page with its progress bar (the job is queued, the database backend holds it); the page survives a reload; when
the worker has run the job, the page shows the download link by itself, and the file downloads; 我的导出
lists it."""

import io

from django.core.management import call_command
from playwright.sync_api import expect

from iodp.accounts.models import Role, User
from iodp.exchange.models import ExportLog, ExportStatus

from ..conftest import PASSWORD, make_unit_user
from ..experts.conftest import make_expert
from .conftest import login, shot


def test_a_large_export_shows_its_progress_then_the_download(page, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IODP_EXPORT_INLINE_ROWS = 1
    settings.IODP_EXPORT_DIR = tmp_path / "exports"
    admin = User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN, is_staff=True)
    unit_user = make_unit_user("export_unit", "中国导出测试学会", approve_by=admin, unit_type="national_society")
    make_expert(unit_user)
    make_expert(unit_user, name_zh="欧阳晓梅", gender="female", id_number="")

    login(page, "export_unit", PASSWORD)
    page.goto(page.base_url + "/experts/")
    page.click("[data-testid=export]")
    expect(page.locator("h1")).to_have_text("导出专家信息")
    expect(page.locator("[data-testid=export-status]")).to_have_text("排队中")
    expect(page.locator("[data-testid=job-progress]")).to_contain_text("排队中，等待后台任务开始")
    expect(page.locator("[data-testid=export-download]")).to_have_count(0)
    shot(page, "export-01-queued")
    page.reload()  # the state is in the database: the bar is still there
    expect(page.locator("[data-testid=job-progress]")).to_be_visible()
    assert ExportLog.objects.get().status == ExportStatus.QUEUED

    # The worker runs the job; the page notices by itself (it polls) and shows the download.
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())
    expect(page.locator("[data-testid=export-status]")).to_have_text("已完成")
    expect(page.locator("[data-testid=export-rows]")).to_have_text("2")
    shot(page, "export-02-done")
    with page.expect_download() as download:
        page.click("[data-testid=export-download]")
    assert download.value.suggested_filename.startswith("专家信息-")

    page.click("text=我的导出")
    expect(page.locator("[data-testid=export-list]")).to_contain_text("专家信息")
    expect(page.locator("[data-testid=export-list]")).to_contain_text("已完成")
