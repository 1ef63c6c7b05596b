"""The background jobs of 导入 (Django's task framework, database backend: `manage.py db_worker` runs them).
Each job works on one batch in one transaction: a job killed halfway leaves nothing written, and the batch can
be validated again (重新校验)."""

from django_tasks import task

from . import services


@task()
def validate_import(batch_id: int) -> None:
    services.validate_batch(batch_id)


@task()
def commit_import(batch_id: int) -> None:
    services.commit_batch(batch_id)
