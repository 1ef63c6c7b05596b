"""`core.bulk.RowCleaner` and `core.bulk.memoized`: what an import checks its hundred thousand rows with. The same
values and the same errors as Django's `full_clean` and as the parser itself, each distinct value worked out once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from iodp.core.bulk import MEMO_LIMIT, RowCleaner, _pure_model_field, full_clean_checks, memoized
from iodp.exchange.importing import _pure_column
from iodp.experts.forms import EducationForm, ExpertForm
from iodp.experts.models import Education, Expert, ExpertLanguage, Position
from iodp.reference.models import Discipline

pytestmark = pytest.mark.django_db

LONG = "长" * 300

#: rows of each list model: valid ones, and ones each field of which is wrong in its own way (too long, not a
#: choice, empty where required, end before start), each twice so the second is read from the memo
ROWS = {
    ExpertLanguage: [
        {"language": "en", "proficiency": "working"},
        {"language": "xx", "proficiency": "working"},
        {"language": "", "proficiency": ""},
        {"language": "fr", "proficiency": "native", "certificate": LONG},
    ],
    Education: [
        {"institution": "北京大学", "start": datetime.date(1990, 9, 1), "end": datetime.date(1994, 7, 1)},
        {"institution": "北京大学", "start": datetime.date(1994, 9, 1), "end": datetime.date(1990, 7, 1)},
        {"institution": "", "degree": LONG},
        {"institution": " 清华  大学 ", "major": "化学"},
    ],
    Position: [
        {"role": "chair", "level": "leadership", "status": "current"},
        {"role": "nobody", "level": "leadership", "status": "current", "post_title": LONG},
        {"role": "", "level": "", "status": ""},
        {"role": "member", "level": "middle", "status": "current", "term_start": datetime.date(2030, 1, 1),
         "term_end": datetime.date(2020, 1, 1)},
    ],
}


def outcome(check, model, values):
    """(the row's values after the check, its errors) for a new row of `model` checked by `check`."""
    row = model(**values)
    try:
        check(row)
    except ValidationError as error:
        errors = error.message_dict
    else:
        errors = {}
    return {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields}, errors


@pytest.mark.parametrize("model", list(ROWS), ids=lambda m: m.__name__)
def test_the_cleaner_gives_what_full_clean_gives(model):
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
    cleaner = RowCleaner(model, relations)
    checks = full_clean_checks(model, frozenset(relations))
    found_errors = False
    for values in ROWS[model] * 2:  # the second round reads the valid values from the memo
        expected = outcome(lambda row: row.full_clean(exclude=relations, **checks), model, values)
        assert outcome(cleaner.full_clean, model, values) == expected, values
        found_errors = found_errors or bool(expected[1])
    assert found_errors  # the samples do reach the errors
    assert any(memo for _field, memo in cleaner.fields if memo)  # and the memo was used


def test_the_cleaner_gives_what_full_clean_gives_for_an_expert(unit_user):
    """A model with its own `clean` (an expert's ID number, phone and derived fields): a valid one, then a wrong
    one (bad ID number, e-mail and gender), read twice."""
    from tests.experts.conftest import expert_values

    excluded = [f.name for f in Expert._meta.concrete_fields if f.is_relation and f.editable]
    cleaner = RowCleaner(Expert, excluded)
    checks = full_clean_checks(Expert, frozenset(excluded))
    good = expert_values(unit_user.unit)
    bad = {**good, "id_number": "110105197001011234", "email": "not-an-address", "gender": "x"}
    for values in [good, bad, good, bad]:
        expected = outcome(lambda row: row.full_clean(exclude=excluded, **checks), Expert, values)
        assert outcome(cleaner.full_clean, Expert, values) == expected
    assert outcome(cleaner.full_clean, Expert, bad)[1].keys() >= {"email", "gender"}


def test_a_unique_rule_is_still_checked(platform_admin):
    """A model with a unique column (a discipline's code): the cleaner runs its unique check as full_clean does."""
    Discipline.objects.create(code="999", name_zh="测试学科", name_en="Test")
    cleaner = RowCleaner(Discipline)
    twin = Discipline(code="999", name_zh="另一个", name_en="Other")
    with pytest.raises(ValidationError) as raised:
        cleaner.full_clean(twin)
    assert "code" in raised.value.message_dict


def test_only_a_field_checked_by_its_value_alone_is_memoized():
    class Odd(models.CharField):
        def validate(self, value, model_instance):
            super().validate(value, model_instance)

    assert _pure_model_field(Education._meta.get_field("institution"))  # (a field of the platform's own)
    assert _pure_model_field(Education._meta.get_field("start"))
    assert not _pure_model_field(Education._meta.get_field("country"))  # a relation: looked up
    assert not _pure_model_field(models.CharField(max_length=5, validators=[lambda value: None]))
    assert _pure_model_field(models.CharField(max_length=5, validators=[RegexValidator("a")]))
    assert not _pure_model_field(Odd(max_length=5))


def test_only_a_column_parsed_by_its_cell_alone_is_memoized(unit_user):
    expert_form = ExpertForm(instance=Expert(kind="reserve"), user=unit_user)
    education_form = EducationForm(user=unit_user)
    assert _pure_column(Education._meta.get_field("start"), education_form.fields["start"])
    assert _pure_column(Education._meta.get_field("institution"), education_form.fields["institution"])
    assert _pure_column(Expert._meta.get_field("gender"), expert_form.fields.get("gender"))  # a coded column
    assert not _pure_column(Expert._meta.get_field("phone"), expert_form.fields["phone"])  # its own clean
    assert not _pure_column(Expert._meta.get_field("disciplines"), expert_form.fields["disciplines"])  # a list


def test_memoized_parses_each_distinct_value_once_and_never_keeps_an_error():
    calls = []

    def parse(raw):
        calls.append(raw)
        if raw == "bad":
            raise ValidationError("不对")
        return str(raw).strip()

    parse_memoized = memoized(parse)
    assert [parse_memoized(v) for v in [" a ", " a ", 1, 1.0, True, " a "]] == ["a", "a", "1", "1.0", "True", "a"]
    assert calls == [" a ", 1, 1.0, True]  # 1, 1.0 and True are different cells
    for _round in range(2):
        with pytest.raises(ValidationError, match="不对"):
            parse_memoized("bad")
    assert calls.count("bad") == 2
    assert parse_memoized(datetime.date(2020, 1, 1)) == "2020-01-01"


def test_memoized_keeps_no_list_and_stops_growing_at_its_limit():
    made = []

    def listed(raw):
        made.append(raw)
        return [raw]

    parse_memoized = memoized(listed)
    first, second = parse_memoized("x"), parse_memoized("x")
    assert first == second == ["x"] and first is not second and made == ["x", "x"]  # a list: made anew each time

    counted = []
    bounded = memoized(lambda raw: counted.append(raw) or raw, limit=2)
    for value in ["a", "b", "c", "a", "b", "c"]:
        bounded(value)
    assert counted == ["a", "b", "c", "c"]  # "c" came after the memo was full
    assert MEMO_LIMIT >= 1000


def test_equal_values_written_differently_are_memoized_apart():
    """Decimal("3") == Decimal("3.0"), 0.0 == -0.0 and 12:00+08:00 == 04:00 UTC, yet each shows differently:
    a memo hands each its own result."""
    import decimal

    beijing, utc = datetime.timezone(datetime.timedelta(hours=8)), datetime.UTC
    pairs = [(decimal.Decimal("3"), decimal.Decimal("3.0")), (0.0, -0.0),
             (datetime.datetime(2020, 1, 1, 12, tzinfo=beijing), datetime.datetime(2020, 1, 1, 4, tzinfo=utc)),
             (datetime.time(12, tzinfo=beijing), datetime.time(12, tzinfo=utc))]
    shown = memoized(str)
    for first, second in pairs:
        assert (shown(first), shown(second), shown(first)) == (str(first), str(second), str(first))


def test_the_batch_writers_cleaner_keeps_a_decimal_as_each_record_writes_it(unit_user):
    """`core.bulk.batch_cleaner`: one cleaner per model for every batch; a value equal to one it has seen but
    written differently (3.0 after 3) comes back as it was written."""
    import decimal

    from iodp.core.bulk import batch_cleaner
    from tests.experts.conftest import expert_values

    excluded = frozenset(f.name for f in Expert._meta.concrete_fields if f.is_relation and f.editable)
    cleaner = batch_cleaner(Expert, excluded)
    assert batch_cleaner(Expert, excluded) is cleaner
    for years in (decimal.Decimal("3"), decimal.Decimal("3.0"), decimal.Decimal("3")):
        expert = Expert(**{**expert_values(unit_user.unit), "foreign_affairs_years": years})
        cleaner.full_clean(expert)
        assert str(expert.foreign_affairs_years) == str(years)


def test_fields_found_to_pass_ahead_are_taken_only_for_those_values(unit_user):
    """`RowCleaner.fields_pass`: the values of a row whose every field passes as it is (None for a row with an
    error, or a value its field's clean changes); `full_clean` takes it (`worked_ahead["fields"]`) for a row
    whose values, and their types, are those, and cleans every field of any other."""
    import decimal

    from tests.experts.conftest import expert_values

    excluded = [f.name for f in Expert._meta.concrete_fields if f.is_relation and f.editable]
    cleaner = RowCleaner(Expert, excluded)
    good = Expert(**expert_values(unit_user.unit))
    key = cleaner.fields_pass(good)
    assert key is not None and key == cleaner.values_key(good)
    assert cleaner.fields_pass(Expert(**{**expert_values(unit_user.unit), "email": "not-an-address"})) is None
    changed = Expert(**{**expert_values(unit_user.unit), "foreign_affairs_years": "3"})  # cleaned to a Decimal
    assert cleaner.fields_pass(changed) is None and changed.foreign_affairs_years == decimal.Decimal("3")

    wrong = Expert(**{**expert_values(unit_user.unit), "email": "not-an-address"})
    wrong.worked_ahead = {"fields": cleaner.values_key(wrong)}  # (said to pass: taken as it is)
    cleaner.full_clean(wrong)
    wrong.worked_ahead = {"fields": key}  # for other values: not taken
    with pytest.raises(ValidationError) as refused:
        cleaner.full_clean(wrong)
    assert "email" in refused.value.message_dict
    as_text = Expert(**{**expert_values(unit_user.unit), "foreign_affairs_years": 3})
    as_decimal = Expert(**{**expert_values(unit_user.unit), "foreign_affairs_years": decimal.Decimal(3)})
    as_text.worked_ahead = {"fields": cleaner.fields_pass(as_decimal)}  # equal values of another type: not taken
    cleaner.full_clean(as_text)
    assert type(as_text.foreign_affairs_years) is decimal.Decimal
