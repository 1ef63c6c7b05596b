"""Migration 0007 on a database that already holds memberships: each stays its unit's, keeps whether it is a
membership or a plan, and becomes an approved workflow record; and the migration runs back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from iodp.core.workflow import RecordStatus
from iodp.organizations.models import Membership, MembershipRelation
from iodp.reference.loader import load_reference_data

from ..conftest import make_unit_user
from .factories import approved_organization

BEFORE = [("organizations", "0006_names_and_codes_normalized")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    """Every app back at its last migration (0007 and what came after it): the tests that run next in this
    process meet the schema they were written for."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_stored_memberships_become_approved_records_of_their_unit(django_user_model):
    platform_admin = django_user_model.objects.create_user(username="center", password="x", role="platform_admin")
    load_reference_data()  # a transactional test starts from a flushed database
    member = make_unit_user("migrating", "中国迁移测试学会", approve_by=platform_admin)
    unit = member.unit
    organization = approved_organization(member, platform_admin, name_zh="国际迁移联盟", name_en="Migration Union",
                                         acronym="MU")
    second = approved_organization(member, platform_admin, name_zh="国际第二联盟", name_en="Second Union", acronym="SU")
    try:
        old = migrate(BEFORE).get_model("organizations", "Membership")
        old.objects.create(organization_id=organization.pk, member_unit_id=unit.pk, status="member",
                           since_year=1990)
        old.objects.create(organization_id=second.pk, member_unit_id=unit.pk, status="planned",
                           reason="参与标准制定")
    finally:
        migrate_to_latest()

    rows = {m.organization_id: m for m in Membership.objects.all()}
    assert rows[organization.pk].relation == MembershipRelation.MEMBER and rows[organization.pk].since_year == 1990
    assert rows[second.pk].relation == MembershipRelation.PLANNED and rows[second.pk].reason == "参与标准制定"
    assert {m.unit_id for m in rows.values()} == {unit.pk}
    assert {m.status for m in rows.values()} == {RecordStatus.APPROVED}
    assert all(m.approved_at is not None for m in rows.values())

    # And back: the unit returns to member_unit, the member/planned value to `status`.
    try:
        old = migrate(BEFORE).get_model("organizations", "Membership")
        assert sorted(old.objects.values_list("member_unit_id", "status")) == [(unit.pk, "member"),
                                                                               (unit.pk, "planned")]
    finally:
        migrate_to_latest()
