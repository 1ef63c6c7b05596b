"""The background jobs of 导入 and of large 导出 (Django's task framework, database backend: `manage.py db_worker`
runs them). An import job works on one batch in one transaction: a job killed halfway leaves nothing written,
and the batch can be validated again (重新校验). An export job's file appears only once complete (重试 on failure)."""

from django_tasks import task

from . import services


@task()
def validate_import(batch_id: int) -> None:
    services.validate_batch(batch_id)


@task()
def commit_import(batch_id: int) -> None:
    services.commit_batch(batch_id)


@task()
def run_export(log_id: int) -> None:
    """A large list export (导出): the file is written under a temporary name and appears only when complete."""
    services.export_run(log_id)
