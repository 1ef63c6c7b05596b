"""Services and selectors of the experts module: workflow with child rows, reveal audit, duplicates across
units without leaking, merge, eligibility at its boundaries (Python and SQL), list filters, figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from iodp.core import clock
from iodp.core import workflow_services as wf
from iodp.core.dashboard import home_counts, unit_figures
from iodp.core.models import ChangeAction, ChangeLog
from iodp.core.versioning import MissingVersion, RecordConflict
from iodp.core.workflow import RecordStatus
from iodp.experts import selectors, services
from iodp.experts.demo import demo_id_number
from iodp.experts.eligibility import expert_flags, is_eligible
from iodp.experts.models import Education, Expert, ExpertKind, ExpertLanguage, Position
from iodp.reference.models import Discipline

from .conftest import BORN, ID_1980, approved_organization, expert_values, make_expert, years_ago

TODAY = datetime.date(2026, 3, 10)


# --- workflow ------------------------------------------------------------------------------------------------

def test_serving_expert_save_submit_approve_with_positions(unit_user, platform_admin, organization):
    expert = make_expert(unit_user, organization=organization, approve_by=platform_admin)
    assert expert.status == RecordStatus.APPROVED
    assert Expert.objects.official().filter(pk=expert.pk).exists()
    assert expert.positions.get().organization == organization
    assert expert.has_working_language is True


def test_a_revision_keeps_the_official_record_until_approved(unit_user, platform_admin, organization):
    expert = make_expert(unit_user, organization=organization, approve_by=platform_admin)
    revision = wf.record_start_revision(record=expert, by=unit_user)
    assert revision.positions.count() == 1 and revision.languages.count() == 1
    revision.employer = "清华大学"
    wf.record_save(record=revision, by=unit_user, expected_version=revision.version)
    ExpertLanguage.objects.create(expert=revision, language="fr", proficiency="fluent")
    revision = wf.record_submit(record=revision, by=unit_user, expected_version=revision.version)
    assert Expert.objects.get(pk=expert.pk).employer == "北京大学"
    assert selectors.expert_duplicates(revision) == []  # a revision is not a duplicate of its own record
    official = wf.record_approve(record=revision, by=platform_admin)
    assert official.pk == expert.pk and official.employer == "清华大学"
    assert sorted(official.languages.values_list("language", flat=True)) == ["en", "fr"]
    assert Expert.objects.count() == 1


def test_expert_save_service_returns_the_duplicates(unit_user, other_unit_user):
    make_expert(other_unit_user)
    expert, check = services.expert_save(expert=Expert(unit=unit_user.unit, name_zh="张三", birth_date=BORN,
                                                       gender="male", id_number=ID_1980), by=unit_user)
    assert expert.pk and len(check.duplicates) == 1 and check.duplicates[0].expert is None


# --- personal data -------------------------------------------------------------------------------------------

def test_history_keeps_personal_data_masked(unit_user):
    expert = make_expert(unit_user)
    entries = ChangeLog.objects.filter(object_id=expert.pk, content_type__model="expert")
    text = str([e.snapshot for e in entries]) + str([e.changes for e in entries])
    assert ID_1980 not in text and "1980-06-15" not in text
    assert "110105********" + ID_1980[-4:] in text and "1980-**-**" in text


def test_reveal_is_audited(unit_user):
    expert = make_expert(unit_user)
    revealed = services.expert_reveal(expert=expert, by=unit_user)
    assert revealed == {"id_number": ID_1980, "birth_date": "1980-06-15"}
    entry = ChangeLog.objects.get(action=ChangeAction.REVEAL)
    assert entry.object_id == expert.pk and entry.actor == unit_user and entry.unit == unit_user.unit


def test_the_platform_admin_may_reveal_and_it_is_audited(unit_user, platform_admin):
    expert = make_expert(unit_user)
    services.expert_reveal(expert=expert, by=platform_admin)
    assert ChangeLog.objects.filter(action=ChangeAction.REVEAL, actor=platform_admin).count() == 1


def test_another_unit_cannot_reveal(unit_user, other_unit_user):
    expert = make_expert(unit_user)
    with pytest.raises(PermissionDenied):
        services.expert_reveal(expert=expert, by=other_unit_user)
    assert not ChangeLog.objects.filter(action=ChangeAction.REVEAL).exists()


# --- duplicates ----------------------------------------------------------------------------------------------

def test_same_id_in_another_unit_is_reported_without_its_details(unit_user, other_unit_user, platform_admin):
    theirs = make_expert(other_unit_user, name_zh="张三", employer="乙学会的秘密单位")
    mine = make_expert(unit_user, name_zh="张叁")  # same ID, different name
    assert selectors.duplicate_report(mine, unit_user) == []  # the read shows only what the unit may open
    (report,) = services.expert_duplicate_check(expert=mine, by=unit_user).duplicates
    assert report.expert is None and report.unit_name == "" and report.reason == "证件号码相同"
    (admin_view,) = selectors.duplicate_report(mine, platform_admin)
    assert admin_view.expert == theirs and admin_view.unit_name == other_unit_user.unit.name


def test_same_name_and_birth_date_is_reported(unit_user, other_unit_user):
    make_expert(other_unit_user, id_type="passport", id_number="E99887766")
    mine = make_expert(unit_user, id_type="passport", id_number="G12345678")
    (report,) = services.expert_duplicate_check(expert=mine, by=unit_user).duplicates
    assert report.reason == "姓名和出生日期相同" and report.expert is None


def test_duplicates_in_the_own_unit_are_shown_in_full(unit_user):
    first = make_expert(unit_user)
    second = make_expert(unit_user)
    (report,) = selectors.duplicate_report(second, unit_user)
    assert report.expert == first


def test_different_people_are_not_duplicates(unit_user, other_unit_user):
    make_expert(other_unit_user)
    other_born = datetime.date(1981, 2, 3)
    mine = make_expert(unit_user, birth_date=other_born, id_number=demo_id_number("110105", other_born, "011"))
    assert selectors.duplicate_report(mine, unit_user) == []


def test_the_platform_admin_merges_duplicates(unit_user, other_unit_user, platform_admin, organization):
    keep = make_expert(unit_user, organization=organization)
    other_org = approved_organization("国际科学理事会", "International Science Council", "ISC")
    duplicate = make_expert(other_unit_user, organization=other_org, languages=(("en", "working"), ("fr", "fluent")),
                            department="化学系")
    Education.objects.create(expert=duplicate, institution="北京大学", start=datetime.date(1998, 9, 1))
    (group_kind, group), = selectors.duplicate_groups()
    assert group_kind == "id" and [e.pk for e in group] == [keep.pk, duplicate.pk]
    with pytest.raises(PermissionDenied):
        services.expert_merge(keep=keep, duplicate=duplicate, by=unit_user, keep_version=keep.version,
                              duplicate_version=duplicate.version)
    with pytest.raises(MissingVersion):
        services.expert_merge(keep=keep, duplicate=duplicate, by=platform_admin, keep_version=None,
                              duplicate_version=duplicate.version)
    with pytest.raises(RecordConflict):  # the reviewer saw an older state of the duplicate
        services.expert_merge(keep=keep, duplicate=duplicate, by=platform_admin, keep_version=keep.version,
                              duplicate_version=duplicate.version - 1)
    assert Expert.objects.filter(pk=duplicate.pk).exists()
    merged = services.expert_merge(keep=keep, duplicate=duplicate, by=platform_admin, keep_version=keep.version,
                                   duplicate_version=duplicate.version)
    assert not Expert.objects.filter(pk=duplicate.pk).exists()
    assert set(merged.positions.values_list("organization__acronym", flat=True)) == {"IUPAC", "ISC"}
    assert sorted(merged.languages.values_list("language", flat=True)) == ["en", "fr"]
    assert merged.education.count() == 1 and merged.department == "化学系"
    assert ChangeLog.objects.filter(action=ChangeAction.MERGE).count() == 2
    assert selectors.duplicate_groups() == []


def test_merge_refuses_records_that_are_not_duplicates(unit_user, other_unit_user, platform_admin):
    keep = make_expert(unit_user)
    born = datetime.date(1970, 1, 1)
    other = make_expert(other_unit_user, name_zh="李四", birth_date=born,
                        id_number=demo_id_number("110105", born, "011"))
    with pytest.raises(ValidationError):
        services.expert_merge(keep=keep, duplicate=other, by=platform_admin, keep_version=keep.version,
                              duplicate_version=other.version)
    assert Expert.objects.count() == 2


# --- eligibility ---------------------------------------------------------------------------------------------

def reserve(user, *, age=40, years="3", languages=(("en", "working"),), intl=False, today=TODAY, **extra):
    born = years_ago(age, today)
    return make_expert(user, kind=ExpertKind.RESERVE, birth_date=born, id_type="passport", id_number=f"P{age}{years.replace('.', '')}X",
                       foreign_affairs_years=Decimal(years), languages=languages, has_intl_org_experience=intl,
                       target_mid_level=True, **extra)


def flags_of(expert, today=TODAY) -> dict:
    expert.refresh_from_db()
    return {flag.key: (flag.ok, flag.text) for flag in expert_flags(expert, today)}


def sql_eligible(today=TODAY) -> set[int]:
    return set(Expert.objects.eligible(today).values_list("pk", flat=True))


def test_exactly_50_is_eligible_and_51_is_flagged(unit_user):
    fifty = reserve(unit_user, age=50)
    older = reserve(unit_user, age=51, name_zh="李四")
    assert flags_of(fifty)["age"] == (True, "年龄 50，不超过 50")
    assert flags_of(older)["age"] == (False, "年龄 51，超过 50")
    assert sql_eligible() == {fifty.pk}


def test_the_day_before_the_51st_birthday_is_still_50(unit_user):
    born = years_ago(51, TODAY) + datetime.timedelta(days=1)
    expert = make_expert(unit_user, kind=ExpertKind.RESERVE, birth_date=born, id_number="", target_mid_level=True)
    assert flags_of(expert)["age"] == (True, "年龄 50，不超过 50")
    assert expert.pk in sql_eligible()


def test_two_years_of_foreign_affairs_work_is_enough_and_1_9_is_not(unit_user):
    two = reserve(unit_user, years="2")
    short = reserve(unit_user, years="1.9", name_zh="王五")
    assert flags_of(two)["years"] == (True, "涉外工作 2 年，不少于 2 年")
    assert flags_of(short)["years"] == (False, "涉外工作 1.9 年，不足 2 年")
    assert sql_eligible() == {two.pk}
    assert set(Expert.objects.failing("years", TODAY).values_list("pk", flat=True)) == {short.pk}


def test_working_english_or_french_is_required(unit_user):
    french = reserve(unit_user, languages=(("fr", "working"),))
    russian = reserve(unit_user, languages=(("ru", "native"),), name_zh="赵六")
    assert flags_of(french)["language"][0] is True
    assert flags_of(russian)["language"] == (False, "未填写英语或法语工作语言能力")
    assert sql_eligible() == {french.pk}


def test_international_organization_experience_is_preferred_not_required(unit_user):
    without = reserve(unit_user, intl=False)
    flags = expert_flags(Expert.objects.get(pk=without.pk), TODAY)
    assert is_eligible(flags)
    assert [f for f in flags if f.key == "intl"][0].text == "无多边或国际组织工作经历（优先条件，非必需）"


def test_missing_data_is_flagged_not_eligible(unit_user):
    expert = make_expert(unit_user, kind=ExpertKind.RESERVE, birth_date=None, id_number="",
                         foreign_affairs_years=None, target_mid_level=True)
    flags = flags_of(expert)
    assert flags["age"] == (False, "未填写出生日期，无法判断年龄")
    assert flags["years"] == (False, "未填写涉外工作年限")
    assert sql_eligible() == set()


@override_settings(IODP_RESERVE_MAX_AGE=45, IODP_RESERVE_MIN_FOREIGN_YEARS=3)
def test_thresholds_are_settings(unit_user):
    expert = reserve(unit_user, age=46, years="2.5")
    flags = flags_of(expert)
    assert flags["age"] == (False, "年龄 46，超过 45") and flags["years"] == (False, "涉外工作 2.5 年，不足 3 年")


def test_language_flag_follows_the_saved_child_rows(unit_user):
    expert = reserve(unit_user, languages=(("ru", "fluent"),))
    assert Expert.objects.get(pk=expert.pk).has_working_language is False
    ExpertLanguage.objects.create(expert=expert, language="en", proficiency="working")
    wf.record_save(record=expert, by=unit_user, expected_version=expert.version)
    assert Expert.objects.get(pk=expert.pk).has_working_language is True


# --- list selector -------------------------------------------------------------------------------------------

def ids(queryset) -> list[int]:
    return [e.pk for e in queryset]


def test_the_list_is_scoped_to_the_unit(unit_user, other_unit_user, platform_admin):
    mine = make_expert(unit_user)
    theirs = make_expert(other_unit_user, name_zh="李四", id_number="", birth_date=None)
    assert ids(selectors.expert_list(user=unit_user)) == [mine.pk]
    assert ids(selectors.expert_list(user=other_unit_user)) == [theirs.pk]
    assert set(ids(selectors.expert_list(user=platform_admin))) == {mine.pk, theirs.pk}


def test_the_list_sorts_by_pinyin_and_searches_names_initials_and_employer(unit_user):
    a = make_expert(unit_user, name_zh="赵一", id_number="", birth_date=None, employer="中国科学院化学所")
    b = make_expert(unit_user, name_zh="安二", id_number="", birth_date=None)
    c = make_expert(unit_user, name_zh="欧阳三", id_number="", birth_date=None)
    assert ids(selectors.expert_list(user=unit_user)) == [b.pk, c.pk, a.pk]
    assert ids(selectors.expert_list(user=unit_user, q="欧阳")) == [c.pk]
    assert ids(selectors.expert_list(user=unit_user, q="ouyang")) == [c.pk]
    assert ids(selectors.expert_list(user=unit_user, q="Zhao Yi")) == [a.pk]
    assert ids(selectors.expert_list(user=unit_user, q="oys")) == [c.pk]
    assert ids(selectors.expert_list(user=unit_user, q="化学所")) == [a.pk]


def test_the_list_filters(unit_user, organization):
    other_org = approved_organization("国际科学理事会", "International Science Council", "ISC")
    serving = make_expert(unit_user, organization=organization, id_number="", birth_date=datetime.date(1960, 1, 1))
    serving.disciplines.set([Discipline.objects.get(code="150")])
    young = reserve(unit_user, age=35, languages=(("fr", "working"),), name_zh="李四", today=clock.today())
    young.target_organizations.set([other_org])
    old = reserve(unit_user, age=58, languages=(("en", "native"),), name_zh="王五", today=clock.today())

    def query(**filters):
        return set(ids(selectors.expert_list(user=unit_user, **filters)))

    assert query(kind="serving") == {serving.pk}
    assert query(kind="reserve") == {young.pk, old.pk}
    assert query(level="leadership") == {serving.pk}
    assert query(level="mid_level") == {young.pk, old.pk}  # the reserve experts' target level
    assert query(role="executive_member") == {serving.pk}
    assert query(organization=organization.pk) == {serving.pk}
    assert query(organization=other_org.pk) == {young.pk}
    assert query(discipline=Discipline.objects.get(code="150").pk) == {serving.pk}
    assert query(language="fr") == {young.pk}
    assert query(age_min=30, age_max=40) == {young.pk}
    assert query(age_min=55) == {serving.pk, old.pk}
    assert query(eligibility="eligible") == {young.pk}
    assert query(eligibility="age") == {serving.pk, old.pk}
    assert query(term_months=12) == {serving.pk}  # its term ends in 200 days
    assert query(term_months=3) == set()
    assert query(province="110000") == {serving.pk, young.pk, old.pk}
    assert query(province="310000") == set()
    assert query(unit=unit_user.unit_id) == {serving.pk, young.pk, old.pk}
    assert query(status="draft") == {serving.pk, young.pk, old.pk}


def test_the_list_does_not_show_open_revisions(unit_user, platform_admin, organization):
    expert = make_expert(unit_user, organization=organization, approve_by=platform_admin)
    wf.record_start_revision(record=expert, by=unit_user)
    assert ids(selectors.expert_list(user=unit_user)) == [expert.pk]


COUNTED_FILTERS = [
    {}, {"kind": "reserve"}, {"age_min": 30, "age_max": 40}, {"age_min": 55}, {"age_max": 45},
    {"language": "en", "age_min": 30, "age_max": 60}, {"language": "fr", "age_max": 40},
    {"kind": "reserve", "age_min": 50, "province": "110000"}, {"level": "mid_level", "age_min": 30},
    {"eligibility": "eligible", "age_max": 40}, {"q": "李四", "age_max": 40}, {"age_min": 120},
]


@pytest.mark.parametrize("filters", COUNTED_FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "all")
def test_the_list_counted_for_its_count_holds_the_same_experts_as_its_pages(unit_user, filters):
    """`filter_experts(counting=True)` (what the list's page count reads) finds the experts its pages show."""
    make_expert(unit_user, id_number="", birth_date=datetime.date(1960, 1, 1))
    reserve(unit_user, age=35, languages=(("fr", "working"),), name_zh="李四", today=clock.today())
    reserve(unit_user, age=58, languages=(("en", "native"),), name_zh="王五", today=clock.today())
    reserve(unit_user, age=45, languages=(("en", "working"),), name_zh="赵六", today=clock.today())
    make_expert(unit_user, name_zh="钱七", id_number="", birth_date=None)  # no age: never in an age band
    scoped = selectors.visible_experts(unit_user)
    listed = set(ids(selectors.filter_experts(scoped, **filters)))
    counted = selectors.filter_experts(scoped, counting=True, **filters)
    assert set(ids(counted)) == listed and counted.count() == len(listed)



def test_positions_of_an_organization_are_scoped(unit_user, other_unit_user, platform_admin, organization):
    mine = make_expert(unit_user, organization=organization)
    make_expert(other_unit_user, organization=organization, name_zh="李四", id_number="", birth_date=None)
    assert [p.expert_id for p in selectors.positions_for_organization(organization=organization, user=unit_user)] \
        == [mine.pk]
    assert selectors.positions_for_organization(organization=organization, user=platform_admin).count() == 2


def test_timeline_overlaps_are_reported(unit_user):
    expert = make_expert(unit_user)
    Education.objects.create(expert=expert, institution="北京大学", start=datetime.date(2000, 9, 1),
                             end=datetime.date(2004, 7, 1))
    Education.objects.create(expert=expert, institution="清华大学", start=datetime.date(2003, 9, 1),
                             end=datetime.date(2006, 7, 1))
    assert selectors.timeline_warnings(expert) == ["教育经历时间重叠：“北京大学”与“清华大学”。"]


# --- figures and demo ----------------------------------------------------------------------------------------

def test_home_counts_and_unit_figures(unit_user, other_unit_user, platform_admin, organization):
    make_expert(unit_user, organization=organization)
    reserve(unit_user)
    make_expert(other_unit_user, id_number="", birth_date=None)
    mine = {f["label"]: f["value"] for f in home_counts(unit_user) if "专家" in f["label"]}
    assert mine == {"已任职专家": 1, "后备专家": 1}
    national = {f["label"]: f["value"] for f in home_counts(platform_admin) if "专家" in f["label"]}
    assert national == {"已任职专家": 2, "后备专家": 1}
    figures = {f["label"]: f["value"] for f in unit_figures(other_unit_user.unit) if "专家" in f["label"]}
    assert figures == {"已任职专家": 1, "后备专家": 0}


def test_the_demo_loader_creates_experts_through_the_workflow(platform_admin):
    from iodp.core.demo import load_demo

    assert load_demo(platform_admin) is True
    assert Expert.objects.filter(kind=ExpertKind.SERVING, status=RecordStatus.APPROVED).count() >= 2
    assert Expert.objects.filter(kind=ExpertKind.RESERVE).count() >= 3
    assert Position.objects.exists()


def test_the_batch_duplicate_look_up_finds_what_the_one_expert_look_up_finds(unit_user, other_unit_user):
    """`selectors.expert_duplicates_many` (an import's chunk) finds, for each expert, the records
    `expert_duplicates` finds: by ID number, and by name with birth date (not by a name of the batch with
    another expert's birth date of the batch)."""
    born, other_born = datetime.date(1975, 3, 8), datetime.date(1981, 6, 1)
    same_pair = make_expert(other_unit_user, name_zh="李明", birth_date=born, id_type="passport", id_number="E10000001")
    make_expert(other_unit_user, name_zh="李明", birth_date=datetime.date(1990, 1, 1), id_type="passport",
                id_number="E10000002")  # the name of the batch, another birth date
    make_expert(other_unit_user, name_zh="王芳", birth_date=born, id_type="passport", id_number="E10000003")
    batch = [Expert(**expert_values(unit_user.unit, name_zh="李明", birth_date=born, id_type="passport",
                                    id_number="G10000001")),
             Expert(**expert_values(unit_user.unit, name_zh="赵强", birth_date=other_born, id_type="passport",
                                    id_number="G10000002"))]
    for expert in batch:
        expert.fill_derived_fields()
    found = selectors.expert_duplicates_many(batch)
    assert found == [selectors.expert_duplicates(expert) for expert in batch]
    assert [[o.pk for o in others] for others in found] == [[same_pair.pk], []]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_snapshots_lines_read_as_the_rows_labels_in_the_active_language(unit_user, language):
    """The history's lines of an expert's lists (`snapshot_line`, given the language once per snapshot): the
    rows' labels and country names as `get_FOO_display()` and the country give them in the active language."""
    from django.utils import translation

    from iodp.reference.models import Country

    expert = make_expert(unit_user, organization=approved_organization(), languages=(("fr", "fluent"),))
    Education.objects.create(expert=expert, start=datetime.date(1990, 9, 1), end=datetime.date(1994, 7, 1),
                             institution="北京大学", country=Country.objects.get(code="CN"), degree="学士")
    expert = Expert.objects.get(pk=expert.pk)
    with translation.override(language):
        snapshot = expert.snapshot()
        language_row, education, position = (expert.languages.get(), expert.education.get(),
                                             expert.positions.get())
        assert snapshot["languages"]["value"] == (
            f"{language_row.get_language_display()} · {language_row.get_proficiency_display()}")
        china = "China" if language == "en" else "中国"
        assert snapshot["education"]["value"] == f"1990-09-01–1994-07-01 · 北京大学 · {china} · 学士"
        assert snapshot["positions"]["value"] == " · ".join(
            [str(position.organization), position.get_role_display(), position.get_level_display(),
             f"{position.term_start}–{position.term_end}", position.get_status_display()])
        assert [str(row) for row in (language_row, education, position)] == [
            snapshot["languages"]["value"], snapshot["education"]["value"], snapshot["positions"]["value"]]
