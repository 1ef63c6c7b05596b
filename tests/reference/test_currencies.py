"""Currencies are typed or picked by Chinese name or ISO 4217 code, stored as the code, shown with the name."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from iodp.reference.currencies import currency_choices, currency_display, parse_currency


@pytest.mark.parametrize("typed", ["EUR", "eur", " Eur ", "欧元", "欧元 EUR", "欧元（EUR）", "欧元 (eur)", "ＥＵＲ",
                                   "EUR 欧元", "Euro"])
def test_a_currency_is_read_from_its_code_or_name(typed):
    assert parse_currency(typed) == "EUR"


@pytest.mark.parametrize("typed,code", [("美元", "USD"), ("美金", "USD"), ("瑞士法郎", "CHF"), ("英镑", "GBP"),
                                        ("人民币", "CNY"), ("日元", "JPY"), ("港币", "HKD"), ("特别提款权", "XDR")])
def test_common_names(typed, code):
    assert parse_currency(typed) == code


@pytest.mark.parametrize("typed", ["XYZ", "欧", "欧元 USD", "euros and dollars", "XTS", "XAU", "12"])
def test_unknown_or_contradictory_input_is_refused_with_a_hint(typed):
    with pytest.raises(ValidationError) as error:
        parse_currency(typed)
    assert "请选择或输入币种，例如 欧元 EUR" in error.value.messages[0]


def test_empty_input_is_no_currency():
    assert parse_currency("") == "" and parse_currency(None) == ""


def test_the_list_offers_current_currencies_with_chinese_names_common_ones_first():
    with translation.override("zh-hans"):
        choices = currency_choices()
    assert choices[:5] == ["人民币 CNY", "美元 USD", "欧元 EUR", "瑞士法郎 CHF", "英镑 GBP"]
    assert "日元 JPY" in choices and "韩元 KRW" in choices
    assert not any(label.endswith((" XTS", " XXX", " XAU", " USN", " DEM")) for label in choices)
    assert len(choices) == len(set(choices)) > 140


def test_a_stored_code_is_shown_with_its_name():
    with translation.override("zh-hans"):
        assert currency_display("EUR") == "欧元（EUR）"
        assert currency_display("") == ""
        assert currency_display("QQQ") == "QQQ"
    with translation.override("en"):
        assert currency_display("EUR") == "Euro (EUR)"
