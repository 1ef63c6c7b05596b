"""Browser journey of 导入: from the experts list, download the template, upload the filled file, read the preview
(nothing written yet), 确认导入, and find the experts in the list; a file with an error shows where it is."""

from playwright.sync_api import expect

from iodp.accounts.models import Role, User
from iodp.experts.models import Expert

from ..conftest import PASSWORD, make_unit_user
from ..exchange.test_expert_import import basic_row, post
from ..exchange.test_import_views import xlsx
from ..experts.conftest import approved_organization
from .conftest import login, shot

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_download_the_template_upload_preview_and_confirm(page, tmp_path):
    admin = User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN, is_staff=True)
    make_unit_user("import_unit", "中国导入测试学会", approve_by=admin, unit_type="national_society")
    approved_organization()

    login(page, "import_unit", PASSWORD)
    page.click("[data-testid=modules] >> text=专家信息")
    page.click("[data-testid=import]")
    expect(page.locator("h1")).to_have_text("导入专家信息")
    with page.expect_download() as download:
        page.click("[data-testid=template]")
    assert download.value.suggested_filename == "专家信息导入模板.xlsx"
    shot(page, "import-01-form")

    # A file with a mistake: the preview says where, and nothing can be confirmed.
    page.set_input_files("input[name=file]", files=[{
        "name": "专家名单.xlsx", "mimeType": XLSX,
        "buffer": xlsx([basic_row(1, 性别="未知")], positions=[post(1)])}])
    page.click("[data-testid=upload]")
    problems = page.locator("[data-testid=import-problems]")
    expect(problems).to_contain_text("基本信息")
    expect(problems).to_contain_text("“未知”不是可选的值")
    expect(page.locator("[data-testid=confirm]")).to_have_count(0)
    shot(page, "import-02-problems")

    # The corrected file: preview, then 确认导入.
    page.goto(page.base_url + "/exchange/import/experts/")
    page.set_input_files("input[name=file]", files=[{
        "name": "专家名单.xlsx", "mimeType": XLSX,
        "buffer": xlsx([basic_row(1), basic_row(2, "欧阳晓梅", 性别="女", 证件号码=None)],
                       positions=[post(1), post(2)], languages=[[1, "英语", "工作语言", None]])}])
    page.click("[data-testid=upload]")
    expect(page.locator("[data-testid=count-new]")).to_have_text("2")
    expect(page.locator("[data-testid=import-status]")).to_have_text("已校验，待确认")
    assert not Expert.objects.exists()
    shot(page, "import-03-preview")
    page.click("[data-testid=confirm]")
    expect(page.locator(".alert-success").first).to_contain_text("导入完成：新增 2 条")
    expect(page.locator("[data-testid=import-status]")).to_have_text("已导入")
    shot(page, "import-04-done")
    page.click("text=查看列表")
    expect(page.locator("[data-testid=expert-list]")).to_contain_text("司马青")
    expect(page.locator("[data-testid=expert-list]")).to_contain_text("欧阳晓梅")


def test_the_worker_validates_and_imports_while_the_page_shows_the_progress_bar(page, settings):
    """Upload → the validation job's progress bar (it survives a reload, and moves as the job reports) → the
    preview, when the worker is done (the page notices by itself) → 确认导入 → the import job's bar → 已导入."""
    import io

    from django.core.management import call_command

    from iodp.exchange import progress
    from iodp.exchange.models import ImportBatch, ImportStatus

    def work():
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    admin = User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN, is_staff=True)
    make_unit_user("import_unit", "中国导入测试学会", approve_by=admin, unit_type="national_society")
    approved_organization()
    work()  # (what the approvals queued)

    login(page, "import_unit", PASSWORD)
    page.goto(page.base_url + "/exchange/import/experts/")
    page.set_input_files("input[name=file]", files=[{
        "name": "专家名单.xlsx", "mimeType": XLSX,
        "buffer": xlsx([basic_row(1), basic_row(2, "欧阳晓梅", 性别="女", 证件号码=None)],
                       positions=[post(1), post(2)])}])
    page.click("[data-testid=upload]")
    bar = page.locator("[data-testid=job-progress]")
    expect(page.locator("[data-testid=import-status]")).to_have_text("等待校验")
    expect(bar).to_contain_text("正在校验：不会写入任何内容")
    expect(page.locator("[data-testid=confirm]")).to_have_count(0)
    page.reload()  # the state is in the database: the bar is still there
    expect(bar).to_be_visible()
    batch = ImportBatch.objects.get()
    progress.report("import", batch.pk, done=1, total=2)  # what the job reports as it goes
    expect(bar.locator("[data-job-label]")).to_have_text("已处理 1 / 2 位专家")
    expect(bar.locator(".progress-bar")).to_have_attribute("aria-valuenow", "50")
    shot(page, "import-05-validating")

    work()  # the validation job; the page reloads by itself and shows the preview
    expect(page.locator("[data-testid=import-status]")).to_have_text("已校验，待确认")
    expect(page.locator("[data-testid=count-new]")).to_have_text("2")
    assert not Expert.objects.exists()
    page.click("[data-testid=confirm]")
    expect(page.locator("[data-testid=import-status]")).to_have_text("导入中")
    expect(bar).to_contain_text("正在导入：全部完成后才会写入")
    shot(page, "import-06-committing")

    work()  # the import job
    expect(page.locator("[data-testid=import-status]")).to_have_text("已导入")
    expect(page.locator("[data-testid=count-new]")).to_have_text("2")
    assert ImportBatch.objects.get().status == ImportStatus.COMMITTED and Expert.objects.count() == 2
    shot(page, "import-07-done")
