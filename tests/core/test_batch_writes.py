"""`records_save_batch`: the rules of `record_save` / `record_submit` for many records at once (what an import
calls), all or nothing, with a number of queries that does not grow with the records."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iodp.core import workflow_services as wf
from iodp.core.models import ChangeAction, ChangeLog
from iodp.core.versioning import MissingVersion
from iodp.core.workflow import RecordStatus
from iodp.experts.demo import demo_id_number
from iodp.experts.models import Expert, ExpertLanguage, Position
from iodp.reference.models import Discipline
from tests.experts.conftest import approved_organization, expert_values, make_expert

pytestmark = pytest.mark.django_db


def person(unit, index: int, **overrides) -> Expert:
    born = datetime.date(1970 + index % 30, 1 + index % 12, 1 + index % 28)
    values = expert_values(unit, name_zh=f"测试专家{index:03d}", birth_date=born,
                           id_number=demo_id_number("110105", born, f"{(index % 499) * 2 + 1:03d}"),
                           phone=f"+86139{index:08d}")
    values.update(overrides)
    return Expert(**values)


def item(expert: Expert, **related) -> wf.BatchItem:
    return wf.BatchItem(expert, expert.version if expert.pk else None, **related)


def history(expert: Expert):
    return ChangeLog.objects.filter(content_type__model="expert", object_id=expert.pk).order_by("id")


def test_new_records_are_written_as_drafts_with_their_lists_and_a_history_entry(unit_user):
    discipline = Discipline.objects.first()
    first, second = person(unit_user.unit, 1), person(unit_user.unit, 2)
    saved = wf.records_save_batch([
        item(first, many={"disciplines": [discipline.pk]},
             children={"languages": [ExpertLanguage(language="en", proficiency="working")]}),
        item(second),
    ], by=unit_user)
    assert [e.pk for e in saved] == [first.pk, second.pk] and first.pk and second.pk
    stored = Expert.objects.get(pk=first.pk)
    assert (stored.status, stored.version, stored.created_by, stored.updated_by) == (
        RecordStatus.DRAFT, 1, unit_user, unit_user)
    assert list(stored.disciplines.all()) == [discipline]
    assert list(stored.languages.values_list("language", flat=True)) == ["en"]
    assert stored.has_working_language is True  # refreshed from the child rows
    assert Expert.objects.get(pk=second.pk).has_working_language is False
    assert stored.name_pinyin == "ceshizhuanjia001" and stored.id_key  # derived values filled, as save() fills them
    entry = history(stored).get()
    assert (entry.action, entry.version, entry.actor, entry.unit) == (ChangeAction.CREATE, 1, unit_user,
                                                                      unit_user.unit)
    assert entry.snapshot["languages"]["value"] == str(stored.languages.get())
    assert entry.snapshot["disciplines"]["value"] == str(discipline)
    assert entry.snapshot["id_number"]["value"] == stored.masked_id_number  # masked, as record_save writes it


def test_the_history_written_equals_what_record_save_writes(unit_user):
    by_batch = person(unit_user.unit, 3)
    wf.records_save_batch([item(by_batch, children={"languages": [ExpertLanguage(language="fr",
                                                                                 proficiency="fluent")]})],
                          by=unit_user)

    def languages(saved):
        ExpertLanguage.objects.create(expert=saved, language="fr", proficiency="fluent")

    one_by_one = wf.record_save(record=person(unit_user.unit, 3), by=unit_user,
                                save_related=languages)
    assert history(by_batch).get().snapshot == history(one_by_one).get().snapshot
    assert history(by_batch).get().changes == history(one_by_one).get().changes == []  # a creation: its snapshot
    assert [c["field"] for c in history(by_batch).get().shown_changes()] == [
        c["field"] for c in history(one_by_one).get().shown_changes()]


def test_a_creation_stores_its_values_once_and_shows_each_as_a_change(unit_user, unit_client):
    """The history entry of a new record holds its values in its snapshot only (not again as changes from
    nothing): shown, on the record's page, as a change of each value it has; an entry written before, with its
    changes stored, shows those."""
    created = wf.records_save_batch([item(person(unit_user.unit, 4, employer="北京大学"))], by=unit_user)[0]
    entry = history(created).get()
    assert entry.action == ChangeAction.CREATE and entry.changes == []
    shown = {c["field"]: (c["label"], c["before"], c["after"]) for c in entry.localized_changes()}
    assert shown["employer"] == ("工作单位", "", "北京大学")
    assert shown["name_zh"] == ("姓名", "", created.name_zh)
    assert "disciplines" not in shown  # (no value: no change)
    assert shown["id_number"][2] == created.masked_id_number  # as the snapshot has it: masked
    page = unit_client.get(created.get_absolute_url()).content.decode()
    history_part = page[page.index('data-testid="history"'):]
    assert "工作单位" in history_part and "北京大学" in history_part and created.masked_id_number in history_part
    assert created.id_number not in page
    ChangeLog.objects.filter(pk=entry.pk).update(changes=[
        {"field": "employer", "label": "工作单位", "before": "", "after": "北京大学"}])
    entry.refresh_from_db()
    assert [c["field"] for c in entry.shown_changes()] == ["employer"]


def test_a_stored_draft_is_updated_with_its_version_and_a_diff(unit_user):
    expert = Expert.objects.get(pk=make_expert(unit_user).pk)
    expert.employer = "清华大学"
    wf.records_save_batch([item(expert)], by=unit_user)
    stored = Expert.objects.get(pk=expert.pk)
    assert (stored.employer, stored.version) == ("清华大学", 2)
    assert list(stored.languages.values_list("language", flat=True)) == ["en"]  # lists not given stay
    entry = history(expert).last()
    assert entry.action == ChangeAction.SAVE
    assert [(c["field"], c["before"], c["after"]) for c in entry.changes] == [("employer", "北京大学", "清华大学")]


def test_one_refused_record_leaves_the_whole_batch_unwritten_and_says_which(unit_user):
    good = person(unit_user.unit, 4)
    bad = person(unit_user.unit, 5, birth_date=datetime.date(2999, 1, 1), email="not an address")
    with pytest.raises(wf.BatchRefused) as refused:
        wf.records_save_batch([item(good), item(bad)], by=unit_user)
    assert set(refused.value.errors) == {1}
    assert {"email", "birth_date"} <= set(refused.value.errors[1].message_dict)  # every field's rule at once
    assert not Expert.objects.exists() and not ChangeLog.objects.filter(content_type__model="expert").exists()
    assert good.pk is None and good.version == 0  # in-memory state restored, as record_save restores it


def test_submit_checks_the_submit_rules_after_the_lists_are_written(unit_user):
    organization = approved_organization()
    ready, lacking = person(unit_user.unit, 6), person(unit_user.unit, 7)
    lists = {"languages": [ExpertLanguage(language="en", proficiency="working")],
             "positions": [Position(organization=organization, role="executive_member", level="leadership",
                                    term_start=datetime.date(2022, 1, 1), status="current")]}
    with pytest.raises(wf.BatchRefused) as refused:
        wf.records_save_batch([item(ready, children=lists), item(lacking)], by=unit_user, submit=True)
    assert set(refused.value.errors) == {1}
    assert set(refused.value.errors[1].message_dict) >= {"positions", "languages"}
    assert not Expert.objects.exists()

    lists = {"languages": [ExpertLanguage(language="en", proficiency="working")],
             "positions": [Position(organization=organization, role="executive_member", level="leadership",
                                    term_start=datetime.date(2022, 1, 1), status="current")]}
    saved = wf.records_save_batch([item(person(unit_user.unit, 6), children=lists)], by=unit_user, submit=True)
    stored = Expert.objects.get(pk=saved[0].pk)
    assert stored.status == RecordStatus.SUBMITTED and stored.submitted_at is not None
    assert history(stored).get().action == ChangeAction.CREATE


def test_a_stale_version_is_a_conflict_and_a_missing_one_a_programming_error(unit_user):
    expert = make_expert(unit_user)
    stale = Expert.objects.get(pk=expert.pk)
    expert.employer = "清华大学"
    wf.records_save_batch([item(expert)], by=unit_user)
    stale.employer = "复旦大学"
    with pytest.raises(wf.BatchRefused) as refused:
        wf.records_save_batch([item(stale)], by=unit_user)
    assert isinstance(refused.value.errors[0].error_dict["__all__"][0], wf.ValidationError)
    assert "已被他人修改" in refused.value.errors[0].messages[0]
    assert Expert.objects.get(pk=expert.pk).employer == "清华大学"
    with pytest.raises(MissingVersion):
        wf.records_save_batch([wf.BatchItem(Expert.objects.get(pk=expert.pk))], by=unit_user)


def test_records_awaiting_review_or_approved_are_refused(unit_user, platform_admin):
    organization = approved_organization()
    submitted = make_expert(unit_user, organization=organization, submit=True)
    approved = make_expert(unit_user, organization=organization, approve_by=platform_admin,
                           name_zh="王芳", gender="female", birth_date=datetime.date(1975, 3, 8),
                           id_number=demo_id_number("110105", datetime.date(1975, 3, 8), "024"))
    with pytest.raises(wf.BatchRefused) as refused:
        wf.records_save_batch([item(Expert.objects.get(pk=submitted.pk)), item(Expert.objects.get(pk=approved.pk))],
                              by=unit_user)
    assert "正在审核中" in refused.value.errors[0].messages[0]
    assert "审核通过" in refused.value.errors[1].messages[0]


def test_another_units_record_is_not_written(unit_user, other_unit_user):
    theirs = make_expert(other_unit_user)
    theirs.employer = "改动"
    with pytest.raises(PermissionDenied):
        wf.records_save_batch([item(theirs)], by=unit_user)
    with pytest.raises(PermissionDenied):
        wf.records_save_batch([item(person(other_unit_user.unit, 8))], by=unit_user)
    assert Expert.objects.get(pk=theirs.pk).employer == "北京大学"


def test_a_foreign_key_to_no_row_is_refused_on_its_field(unit_user):
    expert = person(unit_user.unit, 9)
    expert.nationality_id = 999999
    with pytest.raises(wf.BatchRefused) as refused:
        wf.records_save_batch([item(expert)], by=unit_user)
    assert "nationality" in refused.value.errors[0].message_dict


def test_the_number_of_queries_does_not_grow_with_the_records(unit_user):
    organization = approved_organization()

    def batch(start: int, count: int) -> int:
        items = [item(person(unit_user.unit, start + i), many={"disciplines": [Discipline.objects.first().pk]},
                      children={"languages": [ExpertLanguage(language="en", proficiency="working")],
                                "positions": [Position(organization=organization, role="member", level="mid_level",
                                                       term_start=datetime.date(2020, 1, 1), status="current")]})
                 for i in range(count)]
        with CaptureQueriesContext(connection) as queries:
            wf.records_save_batch(items, by=unit_user)
        return len(queries.captured_queries)

    few, many = batch(100, 3), batch(200, 60)
    # The same statements for 60 records as for 3, but for SQLite's cap on parameters per INSERT (999), which
    # splits a wide table's bulk insert into a few statements.
    assert many <= few + 4, (few, many)
    assert Expert.objects.count() == 63 and Position.objects.count() == 63


def test_check_only_runs_the_checks_and_writes_nothing(unit_user):
    good, bad = person(unit_user.unit, 10), person(unit_user.unit, 11, email="not an address")
    with pytest.raises(wf.BatchRefused) as refused:
        wf.records_save_batch([item(good), item(bad)], by=unit_user, check_only=True)
    assert set(refused.value.errors) == {1}
    checked = wf.records_save_batch([item(good)], by=unit_user, check_only=True)
    assert checked == [good] and good.pk is None and good.status == RecordStatus.DRAFT and good.version == 0
    assert not Expert.objects.exists() and not ChangeLog.objects.filter(content_type__model="expert").exists()
    with pytest.raises(ValueError):
        wf.records_save_batch([item(good)], by=unit_user, submit=True, check_only=True)


def test_insert_rows_stores_every_value_as_save_would_and_sets_the_keys(unit_user):
    """`core.bulk.insert_rows` (what the batch writer inserts with): the same row as `save()`, keys read back."""
    from iodp.core.bulk import insert_rows

    saved, inserted = person(unit_user.unit, 1), [person(unit_user.unit, i) for i in range(2, 40)]
    for expert in [saved, *inserted]:
        expert.fill_derived_fields()
        expert.version = 1
    saved.save()
    insert_rows(Expert, inserted, returning=True)
    assert all(e.pk and not e._state.adding for e in inserted)
    assert len({e.pk for e in inserted}) == len(inserted)
    columns = [f.attname for f in Expert._meta.concrete_fields if f.attname not in ("id", "created_at", "updated_at")]
    stored = {e.pk: e for e in Expert.objects.filter(pk__in=[e.pk for e in inserted])}
    for expert in inserted:
        assert [getattr(stored[expert.pk], c) for c in columns] == [getattr(expert, c) for c in columns]
        assert stored[expert.pk].created_at and stored[expert.pk].updated_at
    reference, like_saved = Expert.objects.get(pk=saved.pk), stored[inserted[0].pk]
    assert [type(getattr(like_saved, c)) for c in columns] == [type(getattr(reference, c)) for c in columns]
    content_type = ContentType.objects.get_for_model(Expert)
    entries = [ChangeLog(content_type=content_type, object_id=e.pk, object_repr=str(e),
                         action=ChangeAction.CREATE, snapshot={"name_zh": {"label": "姓名", "value": e.name_zh}},
                         changes=[{"field": "name_zh", "before": "", "after": e.name_zh}])
               for e in inserted]
    insert_rows(ChangeLog, entries)
    written = ChangeLog.objects.filter(object_id__in=[e.pk for e in inserted], action=ChangeAction.CREATE)
    assert sorted((c.object_id, c.snapshot["name_zh"]["value"], c.changes[0]["after"]) for c in written) == sorted(
        (e.pk, e.name_zh, e.name_zh) for e in inserted)
    assert all(c.at for c in written)
    with pytest.raises(ValueError):
        insert_rows(Expert, [saved])


SAMPLES = {str: ["", "王伟", " x ", "王\u3000 伟\u200b"], bool: [True, False], int: [0, 1, 12345], type(None): [None],
           datetime.date: [datetime.date(1975, 3, 8)],
           datetime.datetime: [datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)]}


def test_insert_rows_fast_path_gives_each_fields_own_database_value():
    """`core.bulk._fast_path`: for every field of every model it takes a shortcut for, each value type it
    shortcuts gives what the field's own `get_db_prep_save(pre_save(...))` gives, on this database (for an
    auto_now field: of the value its pre_save sets)."""
    from django.apps import apps

    from iodp.core.bulk import _fast_path, _stamped

    checked = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            fast = _fast_path(field, connection)
            for kind, convert in fast.items():
                for value in SAMPLES[kind]:
                    obj = model()
                    setattr(obj, field.attname, value)
                    if field.null or value is not None:
                        # (an auto_now field's shortcut takes the value its pre_save has set)
                        source = value if _stamped(field) else field.pre_save(obj, True)
                        expected = field.get_db_prep_save(source, connection)
                        got = value if convert is None else convert(value)
                        assert got == expected and type(got) is type(expected), (model, field.name, value)
                checked.add(type(field).__name__)
    # the kinds of field the imports write most: each has its shortcut
    assert {"CharField", "NormalizedCharField", "TextField", "BooleanField", "ForeignKey", "DateField",
            "DateTimeField", "PositiveSmallIntegerField", "BigAutoField"} <= checked, checked
    assert _fast_path(ChangeLog._meta.get_field("changes"), connection) == {}  # JSON: its own encoder


def test_insert_rows_stores_the_time_an_auto_now_field_sets(unit_user):
    """`core.bulk._stamped`: an auto_now / auto_now_add field stores the time its pre_save sets on insert,
    not the value the attribute held."""
    from iodp.core.bulk import _stamped, insert_rows

    assert _stamped(ChangeLog._meta.get_field("at")) and _stamped(Expert._meta.get_field("updated_at"))
    assert not _stamped(Expert._meta.get_field("submitted_at")) and not _stamped(Expert._meta.get_field("name_zh"))
    expert = person(unit_user.unit, 1)
    expert.fill_derived_fields()
    expert.version = 1
    long_ago = datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC)
    expert.created_at = expert.updated_at = long_ago
    insert_rows(Expert, [expert], returning=True)
    stored = Expert.objects.get(pk=expert.pk)
    assert stored.created_at > long_ago and stored.updated_at > long_ago
    assert (stored.created_at, stored.updated_at) == (expert.created_at, expert.updated_at)


def test_insert_rows_stamps_the_rows_of_one_call_with_one_time_on_each_instance_and_stored(unit_user):
    """The rows of one `insert_rows` call get one time for each auto_now / auto_now_add field: the time of the
    call, set on every instance and stored as it is."""
    from django.utils import timezone

    from iodp.core.bulk import insert_rows

    experts = []
    for index in range(1, 4):
        expert = person(unit_user.unit, index)
        expert.fill_derived_fields()
        expert.version = 1
        experts.append(expert)
    before = timezone.now()
    insert_rows(Expert, experts, returning=True)
    after = timezone.now()
    stamped = {(e.created_at, e.updated_at) for e in experts}
    assert len(stamped) == 1
    created, updated = stamped.pop()
    assert before <= created == updated <= after
    stored = Expert.objects.filter(pk__in=[e.pk for e in experts])
    assert {(e.created_at, e.updated_at) for e in stored} == {(created, updated)}


def test_insert_rows_stores_each_rows_own_time_where_rows_share_or_alternate_timestamps(unit_user):
    """The aware-datetime shortcut keeps the last value it adapted (a batch's rows share one `now`): rows
    that alternate between two times, and rows with times equal but not the same object, each store their own."""
    from iodp.core.bulk import insert_rows

    first = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    second = datetime.datetime(2026, 6, 7, 8, 9, 10, tzinfo=datetime.UTC)
    times = [first, second, second, first, datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)]
    experts = []
    for index, when in enumerate(times, start=1):
        expert = person(unit_user.unit, index)
        expert.fill_derived_fields()
        expert.version = 1
        expert.submitted_at = when
        experts.append(expert)
    insert_rows(Expert, experts, returning=True)
    stored = dict(Expert.objects.filter(pk__in=[e.pk for e in experts]).values_list("pk", "submitted_at"))
    assert [stored[e.pk] for e in experts] == times


def test_insert_rows_stores_a_naive_datetime_as_save_would(unit_user):
    """A naive datetime leaves the shortcut: the field's own path (warning, made aware) stores it."""
    from iodp.core.bulk import insert_rows

    expert = person(unit_user.unit, 1)
    expert.fill_derived_fields()
    expert.version = 1
    expert.submitted_at = datetime.datetime(2026, 1, 2, 3, 4, 5)
    with pytest.warns(RuntimeWarning, match="naive datetime"):
        insert_rows(Expert, [expert], returning=True)
    assert Expert.objects.get(pk=expert.pk).submitted_at.utcoffset() is not None


def test_insert_rows_stores_a_normalized_field_normalized_whatever_its_instance_holds(unit_user):
    """A `NormalizedCharField` is stored in its normalized form, as `save()` stores it, also where the value was
    put in the instance's `__dict__` without its attribute (which normalizes)."""
    from iodp.core.bulk import insert_rows

    expert = person(unit_user.unit, 1)
    expert.fill_derived_fields()
    expert.version = 1
    expert.__dict__["employer"] = "  中国科学院\u3000 化学研究所\u200b "
    insert_rows(Expert, [expert], returning=True)
    assert Expert.objects.values_list("employer", flat=True).get(pk=expert.pk) == "中国科学院 化学研究所"


def test_insert_rows_checks_the_related_objects_a_row_holds_as_save_does(unit_user):
    """A row holding an unsaved object of a foreign key is refused (as `save()` refuses it: its key would be
    lost); one holding an object saved after it was assigned takes its key; one holding nothing is written."""
    from iodp.core.bulk import insert_rows

    experts = [person(unit_user.unit, i) for i in range(3)]
    for expert in experts:
        expert.fill_derived_fields()
        expert.version = 1
    unsaved = ExpertLanguage(language="en", proficiency="working")
    unsaved.expert = experts[0]
    with pytest.raises(ValueError, match="unsaved related object"):
        insert_rows(ExpertLanguage, [unsaved])
    insert_rows(Expert, experts[:1], returning=True)
    insert_rows(ExpertLanguage, [unsaved])  # its expert, saved since: the row takes its key
    assert unsaved.expert_id == experts[0].pk
    held = ExpertLanguage(language="fr", proficiency="fluent", expert_id=experts[0].pk)
    held.__dict__["_state"].fields_cache["expert"] = experts[1]  # an object that is not the row's key's
    insert_rows(Expert, experts[1:2], returning=True)
    insert_rows(ExpertLanguage, [held])
    assert held.__dict__["_state"].fields_cache.get("expert") is None  # forgotten, as save() forgets it
    assert ExpertLanguage.objects.get(language="fr").expert_id == experts[0].pk
    assert sorted(ExpertLanguage.objects.values_list("expert_id", "language")) == [(experts[0].pk, "en"),
                                                                                    (experts[0].pk, "fr")]


def test_insert_rows_reads_loaded_values_from_the_instance_where_that_is_what_reading_the_attribute_does():
    """`core.bulk._plain_attribute`: Django's own field attributes (read from the instance's values) yes; an
    attribute a model computes (a property) no."""
    from iodp.core.bulk import _plain_attribute

    assert all(_plain_attribute(Expert, f.attname) for f in Expert._meta.concrete_fields)
    assert all(_plain_attribute(ChangeLog, f.attname) for f in ChangeLog._meta.concrete_fields)
    assert not _plain_attribute(Expert, "masked_id_number")
    assert not _plain_attribute(Expert, "no_such_attribute")


def test_a_batchs_child_rows_name_their_written_record(unit_user):
    """The rows `records_save_batch` writes for a record hold its key and the record itself (read without a
    query), as `row.expert = record` would leave them."""
    experts = [person(unit_user.unit, i) for i in range(3)]
    languages = [[ExpertLanguage(language="en", proficiency="working"),
                  ExpertLanguage(language="fr", proficiency="fluent")] for _expert in experts]
    wf.records_save_batch([item(e, children={"languages": rows}) for e, rows in zip(experts, languages, strict=True)],
                          by=unit_user)
    with CaptureQueriesContext(connection) as queries:
        for expert, rows in zip(experts, languages, strict=True):
            assert all(row.expert is expert and row.expert_id == expert.pk and row.pk for row in rows)
    assert len(queries) == 0
    assert sorted(ExpertLanguage.objects.filter(expert__in=experts).values_list("expert_id", "language")) == sorted(
        (e.pk, language) for e in experts for language in ("en", "fr"))


def test_full_clean_checks_leave_out_only_checks_with_nothing_to_check():
    """`core.bulk.full_clean_checks`: unique rules beyond the key and constraints are checked where a model has
    them; the same errors as a plain `full_clean` either way."""
    from iodp.core.bulk import full_clean_checks
    from iodp.institutions.models import Institution

    assert full_clean_checks(Expert) == {"validate_unique": False, "validate_constraints": False}
    assert full_clean_checks(ExpertLanguage, frozenset({"expert"})) == {
        "validate_unique": False, "validate_constraints": False}
    assert full_clean_checks(Discipline)["validate_unique"] is True  # its code is unique
    assert full_clean_checks(Institution)["validate_constraints"] is True  # one per unit
    existing = Discipline.objects.first()
    twin = Discipline(code=existing.code, name_zh="重复", category=existing.category)
    with pytest.raises(ValidationError) as plain:
        twin.full_clean()
    with pytest.raises(ValidationError) as lean:
        twin.full_clean(**full_clean_checks(Discipline))
    assert lean.value.message_dict == plain.value.message_dict
    assert "code" in lean.value.message_dict


def test_history_entries_keep_chinese_text_as_it_is_and_read_back_the_same(unit_user):
    """The change log's JSON is written with its text as UTF-8, not as \\u escapes (a third less room for a
    Chinese snapshot), and reads back equal."""
    import json

    from iodp.core.models import TextAsIsEncoder

    snapshot = {"name_zh": {"label": "姓名", "value": "王伟"}, "note": {"label": "说明", "value": 'a "quote"\n'}}
    assert json.dumps(snapshot, cls=TextAsIsEncoder) == json.dumps(snapshot, ensure_ascii=False)
    assert "\\u" not in json.dumps(snapshot, cls=TextAsIsEncoder)
    expert = make_expert(unit_user)
    entry = ChangeLog.objects.create(
        content_type=ContentType.objects.get_for_model(Expert), object_id=expert.pk, action=ChangeAction.SAVE,
        actor=unit_user, snapshot=snapshot, changes=[{"field": "name_zh", "label": "姓名", "before": "", "after": "王伟"}])
    stored = ChangeLog.objects.get(pk=entry.pk)
    assert stored.snapshot == snapshot
    assert stored.changes == [{"field": "name_zh", "label": "姓名", "before": "", "after": "王伟"}]
    if connection.vendor == "sqlite":  # (PostgreSQL keeps jsonb, whatever text it was sent)
        with connection.cursor() as cursor:
            cursor.execute("SELECT snapshot FROM core_changelog WHERE id = %s", [entry.pk])
            assert "王伟" in cursor.fetchone()[0]
