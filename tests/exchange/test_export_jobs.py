"""Large 导出 as background jobs: a list longer than IODP_EXPORT_INLINE_ROWS is queued, its page shows the job's
progress and then the download; the file holds what an immediate download of the same list holds (filters and
ID masking alike); a failed or stopped job leaves no file and can be retried; old files are removed; only the
exporting unit and the platform admin see a job (404 for another unit, the login page for anonymous users)."""

import datetime
import io
import os

import openpyxl
import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from iodp.exchange import progress, services
from iodp.exchange.models import ExportLog, ExportStatus
from iodp.experts.demo import demo_id_number
from iodp.experts.models import Expert

from ..experts.conftest import BORN, ID_1980, expert_values, make_expert
from .test_background_jobs import work

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.IODP_EXPORT_DIR = tmp_path / "exports"
    return settings.IODP_EXPORT_DIR


@pytest.fixture
def experts(unit_user, organization):
    """Three experts of the unit, with their lists (positions in the registry's organization)."""
    return [make_expert(unit_user, organization=organization, name_zh=name, gender=gender,
                        id_number=demo_id_number("110105", BORN, sequence))
            for name, gender, sequence in (("周建华", "male", "013"), ("欧阳晓梅", "female", "024"),
                                           ("司马青", "male", "035"))]


def workbook(content: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def content(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX and "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def export(client, list_name="experts:list", **params):
    return client.get(reverse("exchange:export", args=[list_name]), params)


def files(folder) -> list[str]:
    return sorted(os.listdir(folder)) if folder.exists() else []


# --- small lists download at once, large ones are queued ---------------------------------------------------------

def test_a_list_within_the_limit_downloads_at_once_and_keeps_no_file(settings, experts, unit_client, export_dir):
    settings.IODP_EXPORT_INLINE_ROWS = 3
    rows = workbook(content(export(unit_client)))["基本信息"]
    assert len(rows) == 1 + 3
    log = ExportLog.objects.get()
    assert (log.status, log.rows, bool(log.file), log.is_job) == (ExportStatus.DONE, 3, False, False)
    assert files(export_dir) == []


def test_a_longer_list_is_queued_and_its_file_holds_what_a_download_at_once_holds(settings, experts, unit_user,
                                                                                  unit_client, export_dir):
    settings.IODP_EXPORT_INLINE_ROWS = 2000
    at_once = workbook(content(export(unit_client)))
    settings.IODP_EXPORT_INLINE_ROWS = 2
    response = export(unit_client)
    log = ExportLog.objects.filter(status=ExportStatus.DONE, finished_at__isnull=False).get()
    assert response.status_code == 302 and response.url == reverse("exchange:export_detail", args=[log.pk])
    assert (log.rows, log.unit, log.exported_by, log.is_job) == (3, unit_user.unit, unit_user, True)
    assert files(export_dir) == [os.path.basename(log.file.name)]  # the finished file, no temporary one
    page = unit_client.get(response.url).content.decode()
    assert "导出专家信息" in page and reverse("exchange:export_download", args=[log.pk]) in page
    from_job = workbook(content(unit_client.get(reverse("exchange:export_download", args=[log.pk]))))
    assert from_job == at_once
    assert list(from_job) == ["基本信息", "语言能力", "教育经历", "工作经历", "国际组织任职"]


def test_the_job_applies_the_lists_filters(settings, experts, unit_client):
    settings.IODP_EXPORT_INLINE_ROWS = 0
    export(unit_client, q="欧阳")
    log = ExportLog.objects.get()
    assert log.params == "q=%E6%AC%A7%E9%98%B3" and log.rows == 1
    rows = workbook(content(unit_client.get(reverse("exchange:export_download", args=[log.pk]))))["基本信息"]
    assert [row[rows[0].index("姓名")] for row in rows[1:]] == ["欧阳晓梅"]


def test_id_numbers_stay_masked_in_a_job_unless_the_platform_admin_asks(settings, unit_user, unit_client,
                                                                         admin_client_):
    settings.IODP_EXPORT_INLINE_ROWS = 0
    expert = make_expert(unit_user)

    def id_numbers(client):
        export(client, reveal_ids="1")
        log = ExportLog.objects.latest("pk")
        rows = workbook(content(client.get(reverse("exchange:export_download", args=[log.pk]))))["基本信息"]
        return log, [row[rows[0].index("证件号码")] for row in rows[1:]]

    unit_log, unit_ids = id_numbers(unit_client)
    assert unit_ids == [expert.masked_id_number] and ID_1980 not in unit_ids and not unit_log.revealed_ids
    admin_log, admin_ids = id_numbers(admin_client_)
    assert admin_ids == [ID_1980] and admin_log.revealed_ids and "reveal_ids" not in admin_log.params


# --- the job in the worker: queued, progress, done ---------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_the_page_shows_the_queued_job_and_the_worker_finishes_it(database_backend, settings, unit_user, unit_client):
    settings.IODP_EXPORT_INLINE_ROWS = 0
    make_expert(unit_user)
    detail = export(unit_client).url
    log = ExportLog.objects.get()
    assert log.status == ExportStatus.QUEUED
    page = unit_client.get(detail).content.decode()
    assert 'data-testid="job-progress"' in page and "排队中" in page and "export-download" not in page
    progress_url = reverse("exchange:export_progress", args=[log.pk])
    assert unit_client.get(progress_url).json()["status"] == "queued"
    assert unit_client.get(reverse("exchange:export_download", args=[log.pk])).status_code == 404

    work()
    log.refresh_from_db()
    assert (log.status, log.rows) == (ExportStatus.DONE, 1) and log.file
    assert unit_client.get(progress_url).json()["status"] == "done"
    assert 'data-testid="export-download"' in unit_client.get(detail).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_file_a_second_process_writes_holds_what_a_download_at_once_holds(
        database_backend, settings, monkeypatch, experts, unit_client):
    from iodp.exchange import xlsx

    settings.IODP_EXPORT_INLINE_ROWS = 2000
    at_once = workbook(content(export(unit_client)))
    settings.IODP_EXPORT_INLINE_ROWS = 0
    monkeypatch.setattr(xlsx, "PARALLEL_WRITING_ROWS", 1)  # (as a list of thousands is written: see write_workbook)
    export(unit_client)
    work()
    log = ExportLog.objects.exclude(file="").get()
    assert (log.status, log.rows) == (ExportStatus.DONE, 3)
    assert workbook(content(unit_client.get(reverse("exchange:export_download", args=[log.pk])))) == at_once


def test_the_progress_of_a_running_job_is_read_from_the_progress_cache(unit_user, unit_client):
    log = ExportLog.objects.create(list_name="experts:list", unit=unit_user.unit, exported_by=unit_user,
                                   status=ExportStatus.RUNNING)
    progress.report("export", log.pk, done=500, total=2000)
    data = unit_client.get(reverse("exchange:export_progress", args=[log.pk])).json()
    assert (data["status"], data["done"], data["total"], data["label"]) == ("running", 500, 2000, "已写入 500 / 2000 行")
    progress.report("export", log.pk, done=2000, total=2000)  # every row written, the file not yet complete
    data = unit_client.get(reverse("exchange:export_progress", args=[log.pk])).json()
    assert (data["status"], data["label"]) == ("running", "已写入全部 2000 行，正在生成文件……")


# --- failures: nothing half-written, and a retry ----------------------------------------------------------------

def test_a_failed_job_says_why_in_chinese_and_can_be_retried(settings, experts, unit_client, tmp_path):
    settings.IODP_EXPORT_INLINE_ROWS = 0
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the exports folder should be")
    settings.IODP_EXPORT_DIR = blocked
    export(unit_client)
    log = ExportLog.objects.get()
    assert log.status == ExportStatus.FAILED and not log.file
    assert log.error == "导出中断（服务器错误），未生成文件。请点击“重试”再次导出。"
    page = unit_client.get(log.get_absolute_url()).content.decode()
    assert "导出中断" in page and 'data-testid="export-retry"' in page
    assert unit_client.get(reverse("exchange:export_download", args=[log.pk])).status_code == 404

    settings.IODP_EXPORT_DIR = tmp_path / "exports"
    response = unit_client.post(reverse("exchange:export_retry", args=[log.pk]))
    assert response.status_code == 302 and response.url == log.get_absolute_url()
    log.refresh_from_db()
    assert (log.status, log.error, log.rows) == (ExportStatus.DONE, "", 3) and log.file
    content(unit_client.get(reverse("exchange:export_download", args=[log.pk])))
    # A finished job is not run again.
    unit_client.post(reverse("exchange:export_retry", args=[log.pk]))
    assert ExportLog.objects.get().file == log.file


class StoppingCache(LocMemCache):
    """The progress cache of a worker that is told to stop (its second SIGTERM: sys.exit) halfway through."""

    def set(self, key, value, *args, **kwargs):
        if value["done"]:
            raise SystemExit(1)
        super().set(key, value, *args, **kwargs)


def test_a_job_stopped_halfway_leaves_no_file_and_can_be_retried(settings, unit_user, unit_client, export_dir):
    settings.IODP_EXPORT_INLINE_ROWS = 0
    Expert.objects.bulk_create([Expert(**expert_values(unit_user.unit, name_zh=f"专家{i:03d}", id_number="",
                                                       name_pinyin=f"zhuanjia{i:03d}")) for i in range(600)])
    settings.CACHES = {**settings.CACHES, "progress": {
        "BACKEND": f"{__name__}.StoppingCache", "LOCATION": "stopping"}}
    export(unit_client)
    log = ExportLog.objects.get()
    assert log.status == ExportStatus.FAILED and not log.file and "导出中断" in log.error
    assert files(export_dir) == []  # no half-written file, not even under its temporary name

    settings.CACHES = {**settings.CACHES, "progress": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "progress"}}
    unit_client.post(reverse("exchange:export_retry", args=[log.pk]))
    log.refresh_from_db()
    assert (log.status, log.rows) == (ExportStatus.DONE, 600)
    assert len(workbook(content(unit_client.get(reverse("exchange:export_download", args=[log.pk]))))["基本信息"]) == 601


# --- old files go ----------------------------------------------------------------------------------------------

def test_files_older_than_the_keep_days_are_removed_and_their_log_stays(settings, experts, unit_client,
                                                                       export_dir):
    settings.IODP_EXPORT_INLINE_ROWS = 0
    settings.IODP_EXPORT_KEEP_DAYS = 7
    export(unit_client)
    export(unit_client, q="欧阳")
    old, recent = ExportLog.objects.order_by("pk")
    ExportLog.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    stale_part = export_dir / "99-killed.xlsx.part"  # what a job killed outright (SIGKILL) left behind
    stale_part.write_bytes(b"PK")
    eight_days_ago = (timezone.now() - datetime.timedelta(days=8)).timestamp()
    os.utime(stale_part, (eight_days_ago, eight_days_ago))
    fresh_part = export_dir / "100-running.xlsx.part"  # a job writing right now
    fresh_part.write_bytes(b"PK")

    out = io.StringIO()
    call_command("cleanup_exports", stdout=out)
    assert "已删除 2 个超过 7 天的导出文件" in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.file and recent.file and old.rows == 3  # the log is kept, without its file
    assert files(export_dir) == sorted([os.path.basename(recent.file.name), fresh_part.name])
    page = unit_client.get(old.get_absolute_url()).content.decode()
    assert "文件已超过保留期限" in page and "export-download" not in page
    assert unit_client.get(reverse("exchange:export_download", args=[old.pk])).status_code == 404


def test_queuing_an_export_removes_expired_files_on_the_way(settings, experts, unit_client):
    settings.IODP_EXPORT_INLINE_ROWS = 0
    export(unit_client)
    ExportLog.objects.update(finished_at=timezone.now() - datetime.timedelta(days=settings.IODP_EXPORT_KEEP_DAYS + 1))
    export(unit_client)
    old, new = ExportLog.objects.order_by("pk")
    assert not old.file and new.file


def test_the_service_removes_nothing_younger_than_the_keep_days(settings, experts, unit_client):
    settings.IODP_EXPORT_INLINE_ROWS = 0
    export(unit_client)
    assert services.export_cleanup() == 0
    assert services.export_cleanup(now=timezone.now() + datetime.timedelta(days=8)) == 1


# --- who sees a job ---------------------------------------------------------------------------------------------

def job_urls(log) -> dict[str, str]:
    return {name: reverse(f"exchange:{name}", args=[log.pk])
            for name in ("export_detail", "export_progress", "export_download")}


def test_the_owner_unit_and_the_platform_admin_open_the_job(settings, experts, unit_client, admin_client_):
    settings.IODP_EXPORT_INLINE_ROWS = 0
    export(unit_client)
    log = ExportLog.objects.get()
    for client in (unit_client, admin_client_):
        for name, url in job_urls(log).items():
            assert client.get(url).status_code == 200, name


def test_another_unit_gets_404_and_changes_nothing(settings, experts, unit_client, other_client):
    settings.IODP_EXPORT_INLINE_ROWS = 0
    export(unit_client)
    log = ExportLog.objects.get()
    for name, url in job_urls(log).items():
        assert other_client.get(url).status_code == 404, name
    ExportLog.objects.filter(pk=log.pk).update(status=ExportStatus.FAILED, error=services.EXPORT_INTERRUPTED)
    assert other_client.post(reverse("exchange:export_retry", args=[log.pk])).status_code == 404
    assert ExportLog.objects.get().status == ExportStatus.FAILED
    assert "周建华" not in other_client.get(reverse("exchange:export_list")).content.decode()


def test_anonymous_users_are_sent_to_the_login_page(settings, experts, unit_client, client):
    settings.IODP_EXPORT_INLINE_ROWS = 0
    export(unit_client)
    log = ExportLog.objects.get()
    for url in [*job_urls(log).values(), reverse("exchange:export_list")]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), url
    response = client.post(reverse("exchange:export_retry", args=[log.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_my_exports_lists_the_units_own_and_the_admin_sees_all(settings, unit_user, other_unit_user, unit_client,
                                                              other_client, admin_client_):
    settings.IODP_EXPORT_INLINE_ROWS = 0
    make_expert(unit_user)
    make_expert(other_unit_user, name_zh="欧阳晓梅", gender="female", id_number="")
    export(unit_client)
    export(other_client)
    mine, theirs = ExportLog.objects.order_by("pk")
    unit_page = unit_client.get(reverse("exchange:export_list")).content.decode()
    assert mine.get_absolute_url() in unit_page and theirs.get_absolute_url() not in unit_page
    assert "专家信息" in unit_page
    admin_page = admin_client_.get(reverse("exchange:export_list")).content.decode()
    assert mine.get_absolute_url() in admin_page and theirs.get_absolute_url() in admin_page
    assert reverse("exchange:export_list") in unit_client.get(reverse("exchange:import_list")).content.decode()


def test_the_pages_speak_english_in_the_english_ui(settings, unit_user, unit_client):
    log = ExportLog.objects.create(list_name="experts:list", unit=unit_user.unit, exported_by=unit_user,
                                   status=ExportStatus.FAILED, error=services.EXPORT_INTERRUPTED)
    unit_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = unit_client.get(log.get_absolute_url()).content.decode()
    assert "The export was interrupted (server error)" in page and "Retry" in page and "导出中断" not in page
    assert "My exports" in unit_client.get(reverse("exchange:export_list")).content.decode()


def test_a_job_silent_for_too_long_is_marked_interrupted_and_can_be_retried(settings, experts, unit_user,
                                                                            unit_client):
    """A worker killed outright (out of memory, a restart) records nothing: a running job that has reported no
    progress for IODP_JOB_SILENCE_MINUTES is shown as interrupted, with 重试; one that reported lately is not."""
    import time_machine

    settings.IODP_JOB_SILENCE_MINUTES = 10
    log = ExportLog.objects.create(list_name="experts:list", unit=unit_user.unit, exported_by=unit_user,
                                   status=ExportStatus.RUNNING)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        progress.report("export", log.pk, done=500, total=2000)
    progress_url = reverse("exchange:export_progress", args=[log.pk])
    with time_machine.travel(start + datetime.timedelta(minutes=9), tick=False):
        assert unit_client.get(progress_url).json()["status"] == "running"
    with time_machine.travel(start + datetime.timedelta(minutes=11), tick=False):
        assert unit_client.get(progress_url).json()["status"] == "failed"
        page = unit_client.get(log.get_absolute_url()).content.decode()
    log.refresh_from_db()
    assert log.status == ExportStatus.FAILED and "后台任务已停止" in log.error
    assert "后台任务已停止" in page and 'data-testid="export-retry"' in page
    unit_client.post(reverse("exchange:export_retry", args=[log.pk]))
    log.refresh_from_db()
    assert (log.status, log.rows) == (ExportStatus.DONE, 3)


def test_a_queued_job_that_has_not_started_is_not_marked_interrupted(settings, unit_user, unit_client):
    import time_machine

    log = ExportLog.objects.create(list_name="experts:list", unit=unit_user.unit, exported_by=unit_user,
                                   status=ExportStatus.QUEUED)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1), tick=False):
        unit_client.get(reverse("exchange:export_list"))
    log.refresh_from_db()
    assert log.status == ExportStatus.QUEUED
