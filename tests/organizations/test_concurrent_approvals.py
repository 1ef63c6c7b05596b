"""Two platform admins approve two units' copies of one organization at the same moment, or a unit's two sessions
register one membership at once: neither sees the other's uncommitted row, so both pass the checks; the database
makes the second wait for the first and refuses it. The second gets the rule's message (a ValidationError, its
record unchanged), not an IntegrityError page. PostgreSQL only: SQLite lets one writer in at a time, so there the
second starts after the first has committed and the ordinary checks refuse it
(tests/organizations/test_duplicates.py)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from iodp.core import workflow_services as wf
from iodp.core.workflow import RecordStatus
from iodp.organizations.models import Membership, Organization
from iodp.reference.loader import load_reference_data

from .factories import approved_organization, draft_organization

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL's"),
]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Each test here commits for real, so the database is flushed after it: the reference tables again."""
    load_reference_data()


def submitted(user, **values) -> Organization:
    record = draft_organization(user, **values)
    return wf.record_submit(record=record, by=user, expected_version=record.version)


def race(first, second):
    """Run `first()` in a transaction held open until `second()`, started meanwhile in another thread, has had
    two seconds to run its checks; then let `first` commit. Returns what `second()` returned or raised, and
    whether it was still waiting when `first` committed."""
    done_first, release = threading.Event(), threading.Event()
    outcome = {}

    def hold():
        try:
            with transaction.atomic():
                first()
                done_first.set()
                release.wait(timeout=30)  # still uncommitted while the second runs its checks
        finally:
            connections.close_all()

    def contend():
        try:
            outcome["result"] = second()
        except Exception as error:  # noqa: BLE001 -- a ValidationError is a message; anything else an error page
            outcome["result"] = error
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert done_first.wait(timeout=30)
    contender = threading.Thread(target=contend)
    contender.start()
    contender.join(timeout=2)
    waited = contender.is_alive()
    release.set()
    holder.join(timeout=30)
    contender.join(timeout=30)
    return outcome["result"], waited


def test_the_second_of_two_simultaneous_approvals_of_a_duplicate_is_refused_with_the_rule_s_message(
        unit_user, other_unit_user, platform_admin):
    # Same Chinese name; English names and acronyms apart, so only the Chinese name's rule is at stake.
    first = submitted(unit_user)
    second = submitted(other_unit_user, name_en="IUPAC (second copy)", acronym="IUPAC2")

    error, waited = race(
        lambda: wf.record_approve(record=Organization.objects.get(pk=first.pk), by=platform_admin),
        lambda: wf.record_approve(record=Organization.objects.get(pk=second.pk), by=platform_admin))

    assert waited, "the second approval waits for the first at the unique index"
    assert isinstance(error, ValidationError), f"the reviewer got {error!r}"
    assert "全国名录中已有中文名称相同的组织" in " ".join(error.messages)
    assert Organization.objects.get(pk=first.pk).status == RecordStatus.APPROVED
    assert Organization.objects.get(pk=second.pk).status == RecordStatus.SUBMITTED
    assert Organization.objects.official().filter(name_zh=first.name_zh).count() == 1


def test_a_unit_s_two_sessions_registering_one_membership_at_once_get_one_and_a_message(
        unit_user, platform_admin):
    organization = approved_organization(platform_admin, platform_admin)

    def register():
        return wf.record_save(record=Membership(organization=organization, unit=unit_user.unit), by=unit_user)

    error, _waited = race(register, register)

    assert isinstance(error, ValidationError), f"the unit got {error!r}"
    assert "本单位已登记与该组织的会员关系" in " ".join(error.messages)
    assert Membership.objects.filter(organization=organization, unit=unit_user.unit).count() == 1
