"""导入 as background jobs (database backend, `manage.py db_worker`): the upload and the confirmation queue a job
and answer at once; the page shows the job's progress; the worker does the work; a failed job writes nothing and
can be validated again."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from iodp.exchange import progress, reading
from iodp.exchange.models import ImportBatch, ImportStatus
from iodp.experts.models import Expert
from iodp.reference.loader import load_reference_data

from .test_import_views import basic_row, post, upload, xlsx

# The worker commits its own transactions and checks its connection like a process of its own: outside a test
# transaction (a flushed database, so the reference tables are loaded again).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_backend(settings):
    load_reference_data()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def work():
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())


def test_the_worker_validates_then_imports(database_backend, unit_user, unit_client, organization):
    upload(unit_client, xlsx([basic_row(1), basic_row(2, "欧阳晓梅", 性别="女", 证件号码=None)],
                             positions=[post(1), post(2)]))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.QUEUED
    # one job queued for the upload (the organization's approval also queued the dashboard's: insights.tasks)
    assert DBTaskResult.objects.filter(task_path__startswith="iodp.exchange.").count() == 1
    page = unit_client.get(batch.get_absolute_url()).content.decode()
    assert 'data-testid="job-progress"' in page and "正在校验" in page and "确认导入" not in page
    assert unit_client.get(reverse("exchange:import_progress", args=[batch.pk])).json()["status"] == "queued"

    work()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.VALIDATED and batch.result["new"] == 2 and not Expert.objects.exists()

    unit_client.post(reverse("exchange:import_confirm", args=[batch.pk]), {"action": "confirm"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTING and batch.confirmed_by == unit_user
    assert "正在导入" in unit_client.get(batch.get_absolute_url()).content.decode()
    work()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and Expert.objects.count() == 2


def test_progress_is_read_while_the_job_runs_and_only_by_its_unit(database_backend, unit_user, unit_client,
                                                                  other_client, organization):
    upload(unit_client, xlsx([basic_row(1)], positions=[post(1)]))
    batch = ImportBatch.objects.get()
    progress.report("import", batch.pk, done=20, total=80)  # what the worker writes as it goes
    data = unit_client.get(reverse("exchange:import_progress", args=[batch.pk])).json()
    assert (data["done"], data["total"], data["label"]) == (20, 80, "已处理 20 / 80 位专家")
    assert other_client.get(reverse("exchange:import_progress", args=[batch.pk])).status_code == 404


@pytest.mark.parametrize(("kind", "label"), [("organizations", "已处理 3 / 9 个国际组织"),
                                            ("memberships", "已处理 3 / 9 条会员关系")])
def test_the_progress_label_names_what_the_kind_imports(database_backend, unit_user, unit_client, kind, label):
    batch = ImportBatch.objects.create(kind=kind, unit=unit_user.unit, uploaded_by=unit_user, file_name="f.xlsx",
                                       content=b"", status=ImportStatus.VALIDATING)
    progress.report("import", batch.pk, done=3, total=9)
    assert unit_client.get(reverse("exchange:import_progress", args=[batch.pk])).json()["label"] == label


def test_a_job_that_fails_writes_nothing_and_can_be_validated_again(database_backend, unit_user, unit_client,
                                                                     organization):
    upload(unit_client, xlsx([basic_row(1)], positions=[post(1)]))
    batch = ImportBatch.objects.get()
    work()
    unit_client.post(reverse("exchange:import_confirm", args=[batch.pk]), {"action": "confirm"})
    # The stored file is damaged before the worker gets to it, and the batch has no reading of it kept (as one
    # stored before batches kept it): the job says why and writes nothing.
    ImportBatch.objects.filter(pk=batch.pk).update(content=b"PK\x03\x04 not a zip any more", sheets=None)
    work()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.INVALID and "已损坏" in batch.result["problems"][0]["message"]
    assert not Expert.objects.exists()


def test_the_jobs_take_the_reading_the_upload_kept_instead_of_reading_the_file_again(database_backend, unit_user,
                                                                                      unit_client, organization):
    upload(unit_client, xlsx([basic_row(1), basic_row(2, "欧阳晓梅", 性别="女", 证件号码=None)],
                             positions=[post(1), post(2)]))
    batch = ImportBatch.objects.get()
    assert reading.reading_kept(batch.sheets) == reading.read_upload(io.BytesIO(bytes(batch.content)),
                                                                     filename=batch.file_name)
    # The stored file is damaged after the upload: neither job reads it again.
    ImportBatch.objects.filter(pk=batch.pk).update(content=b"PK\x03\x04 not a zip any more")
    work()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.VALIDATED and batch.result["new"] == 2
    unit_client.post(reverse("exchange:import_confirm", args=[batch.pk]), {"action": "confirm"})
    work()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and Expert.objects.count() == 2


def test_a_batch_whose_kept_reading_cannot_be_used_reads_its_file(database_backend, unit_user, unit_client,
                                                                  organization, caplog):
    upload(unit_client, xlsx([basic_row(1)], positions=[post(1)]))
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(sheets=reading.KEPT_READING + b"damaged")
    work()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.VALIDATED and batch.result["new"] == 1
    assert "A kept reading could not be used" in caplog.text


def test_an_interrupted_batch_is_validated_again_on_request(database_backend, unit_user, unit_client, organization):
    upload(unit_client, xlsx([basic_row(1)], positions=[post(1)]))
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.FAILED, result={
        "problems": [], "error": "导入中断（服务器错误），未写入任何内容。请重新校验后再导入。"})
    page = unit_client.get(batch.get_absolute_url()).content.decode()
    assert "导入中断" in page and "重新校验" in page
    unit_client.post(reverse("exchange:import_confirm", args=[batch.pk]), {"action": "retry"})
    work()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.VALIDATED


def test_a_batch_whose_job_went_silent_is_shown_interrupted_and_validated_again(database_backend, settings, unit_user,
                                                                               unit_client, organization):
    """The worker was killed while committing (its transaction rolled back, nothing written, no status recorded):
    after IODP_JOB_SILENCE_MINUTES without progress the batch reads 中断, and 重新校验 runs it again."""
    import datetime

    import time_machine
    from django.utils import timezone

    settings.IODP_JOB_SILENCE_MINUTES = 10
    upload(unit_client, xlsx([basic_row(1)], positions=[post(1)]))
    batch = ImportBatch.objects.get()
    work()
    unit_client.post(reverse("exchange:import_confirm", args=[batch.pk]), {"action": "confirm"})
    start = timezone.now()
    with time_machine.travel(start, tick=False):  # the job started and reported, then the worker was killed
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.COMMITTING)
        progress.report("import", batch.pk, done=0, total=1)
    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=False):
        assert unit_client.get(reverse("exchange:import_progress", args=[batch.pk])).json()["status"] == "committing"
    with time_machine.travel(start + datetime.timedelta(minutes=15), tick=False):
        page = unit_client.get(batch.get_absolute_url()).content.decode()
    assert "后台任务已停止" in page and "重新校验" in page and not Expert.objects.exists()
    unit_client.post(reverse("exchange:import_confirm", args=[batch.pk]), {"action": "retry"})
    work()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.VALIDATED
