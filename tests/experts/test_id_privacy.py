"""A masked ID number stays masked: no consistency message tells the owner more than the audited reveal does,
neither in its wording nor by answering differently to right and wrong guesses."""

import datetime

from django.urls import reverse

from iodp.experts.demo import demo_id_number
from iodp.experts.models import Expert

from .conftest import BORN, ID_1980, make_expert
from .test_views import MASKED_ID, expert_post, management

ID_DIGITS_OF_BIRTH = "19800615"  # digits 7-14 of ID_1980, hidden by the mask


def edit_post(expert, **overrides) -> dict:
    """The edit form as the owner sends it back: personal data still masked, unless overridden."""
    data = expert_post(id_number=MASKED_ID, birth_date="1980-**-**", version=str(expert.version))
    data.update(management("languages", initial=1))
    data.update({"languages-0-id": str(expert.languages.get().pk), "languages-0-expert": str(expert.pk)})
    data.update(overrides)
    return data


def discloses_stored_number(html: str) -> bool:
    return any(text in html for text in (ID_1980, ID_DIGITS_OF_BIRTH, "1980-06-15", "第 17 位"))


# --- (1) consistency messages against a stored, masked number ---------------------------------------------

def test_a_new_birth_date_against_the_masked_number_discloses_no_digit(unit_client, unit_user):
    expert = make_expert(unit_user)
    response = unit_client.post(expert.get_edit_url(), edit_post(expert, birth_date="1981-01-01"))
    html = response.content.decode()
    assert response.status_code == 200 and not discloses_stored_number(html)
    assert "请同时填写完整的身份证号码" in html
    assert Expert.objects.get(pk=expert.pk).birth_date == BORN


def test_trying_birth_dates_against_the_masked_number_gets_the_same_answer_right_or_wrong(unit_client, unit_user):
    expert = make_expert(unit_user)
    wrong = unit_client.post(expert.get_edit_url(), edit_post(expert, birth_date="1980-06-14"))
    right = unit_client.post(expert.get_edit_url(), edit_post(expert, birth_date="1980-06-15"))
    assert wrong.status_code == right.status_code == 200
    assert wrong.context["form"].errors == right.context["form"].errors
    assert "请同时填写完整的身份证号码" in right.content.decode()


def test_trying_id_numbers_against_the_masked_birth_date_gets_the_same_answer_right_or_wrong(unit_client, unit_user):
    expert = make_expert(unit_user)
    other_day = demo_id_number("110105", datetime.date(1980, 6, 16), "013")
    answers = []
    for typed in (other_day, ID_1980):
        response = unit_client.post(expert.get_edit_url(), edit_post(expert, id_number=typed))
        html = response.content.decode()
        assert response.status_code == 200 and "请同时填写完整的出生日期" in html
        assert "1980-06-15" not in html
        answers.append(response.context["form"].errors)
    assert answers[0] == answers[1]
    assert Expert.objects.get(pk=expert.pk).id_number == ID_1980


def test_a_new_gender_against_the_masked_number_is_refused_without_naming_the_digit(unit_client, unit_user):
    expert = make_expert(unit_user)
    response = unit_client.post(expert.get_edit_url(), edit_post(expert, gender="female"))
    html = response.content.decode()
    assert response.status_code == 200 and "性别与身份证号码不一致" in html
    assert not discloses_stored_number(html)


def test_a_changed_id_type_with_the_masked_number_asks_for_the_number(unit_client, unit_user):
    expert = make_expert(unit_user)
    response = unit_client.post(expert.get_edit_url(), edit_post(expert, id_type="passport"))
    assert response.status_code == 200 and "请重新填写完整的证件号码" in response.content.decode()
    assert Expert.objects.get(pk=expert.pk).id_type == "resident_id"


def test_a_stored_inconsistent_pair_is_reported_without_digits(unit_user):
    """Old or imported data may disagree; editing anything else must not quote the stored number."""
    expert = make_expert(unit_user)
    Expert.objects.filter(pk=expert.pk).update(birth_date=datetime.date(1981, 1, 1))
    expert.refresh_from_db()
    from iodp.experts.forms import ExpertForm

    data = edit_post(expert, birth_date="1981-**-**", employer="清华大学")
    form = ExpertForm(data, instance=expert, user=unit_user)
    assert not form.is_valid()
    text = str(form.errors)
    assert "出生日期与身份证号码不一致" in text and not discloses_stored_number(text)


def test_a_number_typed_in_the_same_submission_gets_the_helpful_message(unit_client):
    response = unit_client.post(reverse("experts:create"), expert_post(birth_date="1981-01-01"))
    assert "身份证号码中的出生日期为 1980-06-15" in response.content.decode()


def test_both_typed_in_full_are_checked_and_saved(unit_client, unit_user):
    expert = make_expert(unit_user)
    corrected = demo_id_number("110105", datetime.date(1980, 6, 16), "013")
    response = unit_client.post(expert.get_edit_url(),
                                edit_post(expert, id_number=corrected, birth_date="1980-06-16"))
    assert response.status_code == 302
    assert Expert.objects.get(pk=expert.pk).id_number == corrected


def test_the_error_page_does_not_echo_the_stored_number(unit_client, unit_user):
    expert = make_expert(unit_user)
    response = unit_client.post(expert.get_edit_url(), edit_post(expert, email="not-an-email"))
    html = response.content.decode()
    assert response.status_code == 200 and "邮箱" in html
    assert f'value="{MASKED_ID}"' in html and not discloses_stored_number(html)
