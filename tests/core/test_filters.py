"""The shared filtering pieces: ids the database cannot hold are "no such choice", never a database error."""

import pytest
from django.core.exceptions import ValidationError

from iodp.accounts.models import Unit
from iodp.core.filters import NO_SUCH_CHOICE, SafeModelChoiceField, SafeModelMultipleChoiceField, parse_id


@pytest.mark.parametrize("value", [str(2**63), str(2**64), "0", "-1", str(-2**63 - 1), "abc", "1\x00", " ", "１"])
def test_parse_id_refuses_what_is_not_a_positive_64_bit_id(value):
    assert parse_id(value) is None


def test_parse_id_reads_ids():
    assert parse_id("42") == 42
    assert parse_id(str(2**63 - 1)) == 2**63 - 1


@pytest.mark.parametrize("value", [str(2**63), str(-2**63 - 1), "1\x00", "abc"])
def test_safe_model_choice_field_refuses_ids_out_of_range(db, value):
    field = SafeModelChoiceField(queryset=Unit.objects.all(), required=False)
    with pytest.raises(ValidationError):
        field.clean(value)


def test_safe_model_multiple_choice_field_refuses_a_huge_id_among_others(unit_user):
    field = SafeModelMultipleChoiceField(queryset=Unit.objects.all(), required=False)
    with pytest.raises(ValidationError):
        field.clean([str(unit_user.unit_id), str(2**64)])
    assert list(field.clean([str(unit_user.unit_id)])) == [unit_user.unit]


def test_list_pages_say_no_such_choice(admin_client_):
    response = admin_client_.get("/organizations/memberships/", {"relation": "nonsense"})
    assert response.status_code == 200
    assert str(NO_SUCH_CHOICE) in response.content.decode()


def test_the_registry_sort_survives_a_bad_filter_beside_it(admin_client_):
    response = admin_client_.get("/organizations/", {"sort": "-pinyin", "hq_country": str(2**63)})
    assert response.status_code == 200
    assert '"sort_key" DESC' in str(response.context["page"].paginator.object_list.query)
    assert response.context["filter"].errors["hq_country"] == ["没有这个选项"]
