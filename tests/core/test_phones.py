"""Phone numbers show in one format everywhere: national for Chinese numbers, international for others."""

import pytest
from django.urls import reverse

from iodp.core.phones import format_phone
from iodp.institutions.models import Institution

from ..institutions.test_views import form_data


@pytest.mark.parametrize("stored,shown", [
    ("+861068571234", "010 6857 1234"),
    ("+8613800138001", "138 0013 8001"),
    ("13800138001", "138 0013 8001"),
    ("010-68571234", "010 6857 1234"),
    ("+862164871234", "021 6487 1234"),
    ("+85223456789", "+852 2345 6789"),
    ("+19194858700", "+1 919-485-8700"),
    ("+442079460958", "+44 20 7946 0958"),
])
def test_format_phone(stored, shown):
    assert format_phone(stored) == shown


@pytest.mark.parametrize("prefix", range(100, 200))
def test_chinese_mobile_numbers_are_shown_as_phonenumbers_formats_them(prefix):
    """The shortcut for +86 mobile numbers agrees with a full parse, for every prefix and both edges of each."""
    import phonenumbers

    from iodp.core.phones import _parsed_format

    for rest in ("00000000", "01234567", "40512345", "99999999", "10000000", "74050000"):
        value = f"+86{prefix}{rest}"
        parsed = phonenumbers.parse(value, "CN")
        expected = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL) \
            if phonenumbers.is_valid_number(parsed) else value
        assert format_phone(value) == expected == _parsed_format(value), value


@pytest.mark.parametrize("value", ["", None, "not a number", "12345"])
def test_what_is_no_valid_number_is_shown_as_stored(value):
    assert format_phone(value) == (value or "")


@pytest.mark.django_db
def test_detail_page_and_history_show_the_national_format(unit_client):
    unit_client.post(reverse("institutions:create"), form_data(action="save"))
    record = Institution.objects.get()
    assert record.admin_phone == "+8613800138001" and record.contacts.get().phone == "+861068571234"
    unit_client.post(record.get_edit_url(), form_data(
        action="save", version=str(record.version), admin_phone="+44 20 7946 0958",
        **{"contacts-INITIAL_FORMS": "1", "contacts-0-id": str(record.contacts.get().pk),
           "contacts-0-phone": "021-64871234"}))
    page = unit_client.get(record.get_absolute_url()).content.decode()
    assert "+44 20 7946 0958" in page and "021 6487 1234" in page
    history = page[page.index('data-testid="history"'):]
    assert "138 0013 8001" in history and "010 6857 1234" in history and "021 6487 1234" in history
    assert "+86" not in history and "+44 20 7946 0958" in history


@pytest.mark.django_db
def test_the_edit_form_shows_the_stored_number_in_the_same_format(unit_client):
    unit_client.post(reverse("institutions:create"), form_data(action="save"))
    page = unit_client.get(Institution.objects.get().get_edit_url()).content.decode()
    assert 'value="138 0013 8001"' in page and 'value="010 6857 1234"' in page


@pytest.mark.django_db
def test_an_organization_and_an_expert_show_the_same_format(unit_client, admin_client_, unit_user, platform_admin):
    from iodp.experts.models import Expert

    from ..organizations.factories import approved_organization

    org = approved_organization(platform_admin, platform_admin, phone="+861068571234")
    page = unit_client.get(org.get_absolute_url()).content.decode()
    assert "010 6857 1234" in page and "+861068571234" not in page
    page = admin_client_.get(org.get_absolute_url()).content.decode()
    assert "010 6857 1234" in page[page.index('data-testid="history"'):] and "+861068571234" not in page
    expert = Expert(unit=unit_user.unit, name_zh="王专家", phone="+8613800138001")
    expert.save()
    page = unit_client.get(expert.get_absolute_url()).content.decode()
    assert "138 0013 8001" in page and "+8613800138001" not in page


@pytest.mark.parametrize("prefix", range(100, 200))
def test_chinese_mobile_numbers_are_normalized_as_phonenumbers_parses_them(prefix):
    """The shortcut for typed and stored +86 mobile numbers agrees with a full parse (`_e164`), for every prefix
    and both edges of each: valid ones in the same E.164 form, the others refused alike."""
    from django.core.exceptions import ValidationError

    from iodp.core.validators import _e164, normalize_phone

    for rest in ("00000000", "01234567", "40512345", "99999999", "10000000", "74050000", "0000000", "000000000"):
        for typed in (f"{prefix}{rest}", f"+86{prefix}{rest}"):
            expected = _e164(typed)
            if expected is None:
                with pytest.raises(ValidationError):
                    normalize_phone(typed)
            else:
                assert normalize_phone(typed) == expected, typed


def test_a_mobile_number_typed_in_full_width_digits_takes_the_full_parse():
    from iodp.core.validators import normalize_phone

    assert normalize_phone("１３８００１３８００１") == "+8613800138001"
