"""ID documents of experts: validation of resident IDs (GB 11643), masking, and the duplicate key."""

import datetime
import functools
import hashlib
import re

from django.utils.translation import gettext
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from iodp.core.text import normalize_text

RESIDENT_ID = "resident_id"
_DOCUMENT = re.compile(r"^[A-Z0-9()（）-]{5,32}$")


def normalize_id_number(value: str) -> str:
    """Resident ID as stored: no spaces, upper-case X."""
    return re.sub(r"\s+", "", normalize_text(value)).upper()


def id_key(id_type: str, id_number: str) -> str:
    """The indexed key that finds the same document across units without comparing the numbers themselves."""
    if not id_number:
        return ""
    kind = "ric" if id_type == RESIDENT_ID else "doc"
    return hashlib.sha256(f"{kind}:{id_number}".encode()).hexdigest()


def id_number_errors(id_type: str, id_number: str, *, birth_date=None, gender="",
                     disclose: bool = True) -> list[tuple[str, str]]:
    """[(field, message)] for a document number that is malformed or contradicts the birth date or gender.

    With disclose=False (the number is stored and the user sees it masked) a contradiction is named without
    quoting what the number says: "the ID number's birth date is 1980-06-15" would hand over the digits the
    mask hides, which only the audited reveal may show."""
    if id_type != RESIDENT_ID:
        if not _DOCUMENT.match((id_number or "").strip().upper()):
            return [("id_number", gettext("证件号码格式不正确：应为 5–32 位字母或数字。"))]
        return []
    number = normalize_id_number(id_number)
    try:
        _validate_ric(number)
    except InvalidLength:
        return [("id_number", gettext("居民身份证号码应为 18 位，当前为 %(n)s 位。") % {"n": len(number)})]
    except InvalidChecksum:
        return [("id_number", gettext("居民身份证号码校验位不正确，请核对最后一位。"))]
    except InvalidComponent:
        return [("id_number", gettext("居民身份证号码中的出生日期或地区码无效。"))]
    except (InvalidFormat, ValidationError):
        return [("id_number", gettext("居民身份证号码格式不正确：应为 17 位数字加 1 位数字或 X。"))]
    errors = []
    born = ric.get_birth_date(number)
    if birth_date and born != birth_date:
        errors.append(("birth_date", gettext("出生日期与身份证号码不一致：身份证号码中的出生日期为 %(id_date)s。")
                       % {"id_date": born.isoformat()} if disclose else gettext("出生日期与身份证号码不一致。")))
    id_gender = id_gender_of(number)
    if gender and id_gender and gender != id_gender:
        errors.append(("gender", gettext("性别与身份证号码不一致：身份证号码第 17 位表示%(gender)s性。")
                       % {"gender": gettext("男") if id_gender == "male" else gettext("女")} if disclose
                       else gettext("性别与身份证号码不一致。")))
    return errors


def _validate_ric(number: str) -> None:
    """`stdnum.cn.ric.validate` (the same checks, in the same order, raising the same errors), its look-up of
    the birth place (the region code in the birth year: a search of python-stdnum's table) made once per region
    and year rather than once per number. Anything but plain upper-case ASCII goes to the library itself."""
    if not (number.isascii() and number.isalnum() and number == number.upper()):
        ric.validate(number)
        return
    if len(number) != 18:
        raise InvalidLength()
    if not number[:-1].isdigit():
        raise InvalidFormat()
    if number[-1] != ric.calc_check_digit(number):
        raise InvalidChecksum()
    try:
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidComponent() from None
    _check_birth_place(number[:6], number[6:10])


@functools.lru_cache(maxsize=8192)
def _check_birth_place(region: str, year: str) -> None:
    ric.get_birth_place(f"{region}{year}0101")  # what it reads of a number: the region and the birth year


def id_gender_of(number: str) -> str:
    """"male" or "female" from the 17th digit of a resident ID (odd: male)."""
    digit = number[16:17]
    if not digit.isdigit():
        return ""
    return "male" if int(digit) % 2 else "female"


def mask_id_number(value: str) -> str:
    """110105********1234: the first six and last four characters only."""
    value = value or ""
    if not value:
        return ""
    if len(value) <= 8:
        return value[:1] + "*" * (len(value) - 2) + value[-1:] if len(value) > 2 else "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else \
        value[:2] + "*" * (len(value) - 4) + value[-2:]


def mask_birth_date(value) -> str:
    """1975-**-**: the year only."""
    return f"{value.year}-**-**" if value else ""
