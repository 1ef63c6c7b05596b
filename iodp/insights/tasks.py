"""统计分析 computed ahead: after an approval (or a merge or deletion) commits, the background worker computes the
platform admin's default dashboard (the whole platform, today, approved records) into the shared cache, so the
next visit reads it instead of paying the computation (about a second at national scale, see the README)."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django_tasks import task

from iodp.core.models import ChangeAction

#: the logged actions after which the default dashboard's figures have changed
WARMING_ACTIONS = (ChangeAction.APPROVE, ChangeAction.MERGE, ChangeAction.DELETE)


@task()
def warm_dashboard() -> None:
    """The whole platform's figures for today, in the interface's default language: computed unless a process
    already did so since the last change (then this costs one cache read)."""
    from .services import insights_cached

    with translation.override(settings.LANGUAGE_CODE):
        insights_cached()


def warm_after_change(sender, instance, created, **kwargs) -> None:
    """post_save of ChangeLog: once the approval's transaction commits, queue `warm_dashboard`."""
    if created and instance.action in WARMING_ACTIONS:
        transaction.on_commit(warm_dashboard.enqueue)
