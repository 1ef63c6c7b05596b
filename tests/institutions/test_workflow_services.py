"""The shared workflow, exercised through the institution profile (its first user)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from iodp.core import workflow_services as wf
from iodp.core.workflow import RecordStatus
from iodp.institutions.models import Institution, InstitutionContact
from iodp.reference.models import Region


def complete_profile(unit, **overrides) -> Institution:
    values = dict(unit=unit, name_zh=unit.name, unit_type="provincial", province=Region.objects.get(code="110000"),
                  city="北京", admin_name="王敏", admin_phone="+8613800138001", admin_email="wm@example.cn")
    values.update(overrides)
    return Institution(**values)


def add_contact(record, name="李联系"):
    InstitutionContact.objects.create(institution=record, name=name, phone="+8613800138009")


def submitted_profile(user) -> Institution:
    record = wf.record_save(record=complete_profile(user.unit), by=user)
    add_contact(record)
    return wf.record_submit(record=record, by=user, expected_version=record.version)


def test_save_keeps_an_incomplete_draft(unit_user):
    record = wf.record_save(record=Institution(unit=unit_user.unit, name_zh="草稿单位"), by=unit_user)
    assert record.status == RecordStatus.DRAFT and record.version == 1
    (entry,) = wf.record_history(record)
    assert entry.action == "create" and entry.actor == unit_user


def test_a_draft_needs_its_identifying_field(unit_user):
    with pytest.raises(ValidationError) as error:
        wf.record_save(record=Institution(unit=unit_user.unit), by=unit_user)
    assert "name_zh" in error.value.message_dict
    assert not Institution.objects.exists()


def test_submit_runs_full_validation_and_loses_nothing(unit_user):
    draft = wf.record_save(record=Institution(unit=unit_user.unit, name_zh="甲"), by=unit_user)
    draft.city = "石家庄"
    with pytest.raises(ValidationError) as error:
        wf.record_submit(record=draft, by=unit_user, expected_version=draft.version)
    assert {"unit_type", "province", "admin_name", "contacts"} <= set(error.value.message_dict)
    assert "提交前请填写此项。" in error.value.message_dict["unit_type"]
    stored = Institution.objects.get(pk=draft.pk)
    assert stored.status == RecordStatus.DRAFT and stored.city == ""  # the failed submit changed nothing stored
    assert draft.city == "石家庄" and draft.version == 1  # ...and the caller still has what was typed


def test_submit_then_approve(unit_user, platform_admin):
    record = submitted_profile(unit_user)
    assert record.status == RecordStatus.SUBMITTED and record.submitted_at
    record = wf.record_approve(record=record, by=platform_admin)
    assert record.status == RecordStatus.APPROVED
    assert Institution.objects.official().filter(pk=record.pk).exists()


def test_return_with_reason_then_resubmit(unit_user, platform_admin):
    record = submitted_profile(unit_user)
    with pytest.raises(ValidationError):
        wf.record_return(record=record, by=platform_admin, reason=" ")
    record = wf.record_return(record=record, by=platform_admin, reason="英文名称缺失")
    assert record.status == RecordStatus.RETURNED and record.return_reason == "英文名称缺失"
    record.name_en = "Jia Association"
    record = wf.record_save(record=record, by=unit_user, expected_version=record.version)
    assert record.status == RecordStatus.RETURNED  # still returned until resubmitted
    record = wf.record_submit(record=record, by=unit_user, expected_version=record.version)
    record = wf.record_approve(record=record, by=platform_admin)
    assert record.status == RecordStatus.APPROVED and record.return_reason == ""


def test_a_unit_cannot_approve_or_return_its_own_record(unit_user):
    record = submitted_profile(unit_user)
    with pytest.raises(PermissionDenied):
        wf.record_approve(record=record, by=unit_user)
    with pytest.raises(PermissionDenied):
        wf.record_return(record=record, by=unit_user, reason="x")
    assert Institution.objects.get(pk=record.pk).status == RecordStatus.SUBMITTED


def test_a_unit_cannot_save_or_submit_another_units_record(unit_user, other_unit_user):
    record = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    record.name_zh = "篡改"
    with pytest.raises(PermissionDenied):
        wf.record_save(record=record, by=other_unit_user, expected_version=record.version)
    with pytest.raises(PermissionDenied):
        wf.record_submit(record=record, by=other_unit_user, expected_version=record.version)
    assert Institution.objects.get(pk=record.pk).name_zh == unit_user.unit.name


def test_a_pending_record_cannot_be_edited(unit_user):
    record = submitted_profile(unit_user)
    record.city = "天津"
    with pytest.raises(ValidationError) as error:
        wf.record_save(record=record, by=unit_user, expected_version=record.version)
    assert "审核中" in error.value.messages[0]


def test_only_submitted_records_can_be_reviewed(unit_user, platform_admin):
    record = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    with pytest.raises(ValidationError):
        wf.record_approve(record=record, by=platform_admin)


def test_an_approved_record_is_edited_through_a_revision(unit_user, platform_admin):
    official = wf.record_approve(record=submitted_profile(unit_user), by=platform_admin)
    with pytest.raises(ValidationError):  # no direct edits of approved data
        official.city = "上海"
        wf.record_save(record=official, by=unit_user, expected_version=official.version)
    official.refresh_from_db()

    revision = wf.record_start_revision(record=official, by=unit_user)
    assert revision.pk != official.pk and revision.revision_of == official
    assert [c.name for c in revision.contacts.all()] == ["李联系"]
    assert wf.record_start_revision(record=official, by=unit_user) == revision  # one open revision at a time

    revision.city = "上海"
    revision = wf.record_save(record=revision, by=unit_user, expected_version=revision.version)
    InstitutionContact.objects.filter(institution=revision).update(name="赵新联系")
    revision = wf.record_submit(record=revision, by=unit_user, expected_version=revision.version)

    # Until approval, the official record is unchanged: what other units and statistics see.
    official.refresh_from_db()
    assert official.city == "北京" and official.status == RecordStatus.APPROVED
    assert [c.name for c in official.contacts.all()] == ["李联系"]

    merged = wf.record_approve(record=revision, by=platform_admin)
    assert merged.pk == official.pk
    official.refresh_from_db()
    assert official.city == "上海" and [c.name for c in official.contacts.all()] == ["赵新联系"]
    assert not Institution.objects.filter(pk=revision.pk).exists()
    assert Institution.objects.filter(unit=unit_user.unit).count() == 1


def test_history_has_field_level_diffs_across_revisions(unit_user, platform_admin):
    official = wf.record_approve(record=submitted_profile(unit_user), by=platform_admin)
    revision = wf.record_start_revision(record=official, by=unit_user)
    revision.city = "广州"
    wf.record_save(record=revision, by=unit_user, expected_version=revision.version)
    history = list(wf.record_history(official))
    actions = [entry.action for entry in history]
    assert actions[:2] == ["save", "revise"] and actions[-1] == "create"
    assert {"field": "city", "label": "所在城市", "before": "北京", "after": "广州"} in history[0].changes
    versions = [entry.version for entry in history]
    assert versions == sorted(versions, reverse=True) and len(set(versions)) == len(versions)


def test_second_save_from_a_stale_page_is_refused_with_what_changed(unit_user):
    record = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    loaded_version = record.version
    first = Institution.objects.get(pk=record.pk)
    first.city = "天津"
    wf.record_save(record=first, by=unit_user, expected_version=loaded_version)

    second = Institution.objects.get(pk=record.pk)
    second.address = "某路 1 号"
    with pytest.raises(wf.RecordConflict) as conflict:
        wf.record_save(record=second, by=unit_user, expected_version=loaded_version)
    assert {"field": "city", "label": "所在城市", "before": "北京", "after": "天津"} in conflict.value.changes
    stored = Institution.objects.get(pk=record.pk)
    assert stored.city == "天津" and stored.address == ""


def test_completeness_is_computed_on_save(unit_user):
    record = wf.record_save(record=Institution(unit=unit_user.unit, name_zh="甲"), by=unit_user)
    assert 0 < record.completeness < 20
    full = complete_profile(unit_user.unit, name_en="Jia", address="路", website="https://jia.example.cn",
                            description="简介")
    Institution.objects.all().delete()
    full = wf.record_save(record=full, by=unit_user)
    add_contact(full)
    full = wf.record_save(record=full, by=unit_user, expected_version=full.version)
    assert Institution.objects.get(pk=full.pk).completeness == 100 and full.missing_recommended() == []


def test_updating_a_stored_record_requires_the_version_it_was_loaded_at(unit_user):
    """Optimistic locking is not opt-in: an update without a version is refused before anything is written."""
    record = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    record.city = "天津"
    for service in (wf.record_save, wf.record_submit):
        with pytest.raises(wf.MissingVersion):
            service(record=record, by=unit_user)
    assert Institution.objects.get(pk=record.pk).city == "北京" and record.version == 1


def test_a_caller_without_a_version_says_so_explicitly(unit_user):
    record = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    record.city = "天津"
    record = wf.record_save(record=record, by=unit_user, expected_version=wf.ANY_VERSION)
    assert Institution.objects.get(pk=record.pk).city == "天津" and record.version == 2
