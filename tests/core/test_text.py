"""One normalization for every stored name and code: what `normalize_text` keeps, drops and folds."""

import pytest

from iodp.core.text import character_pairs, normalize_text


@pytest.mark.parametrize("raw, expected", [
    ("国际数学联盟\u200b", "国际数学联盟"),                      # zero-width space
    ("\ufeff国际\u200d数学\u2060联盟\u200e", "国际数学联盟"),     # BOM, joiner, word joiner, bidi mark
    ("国际\u00ad数学联盟", "国际数学联盟"),                       # soft hyphen
    ("\u202e国际数学联盟\u202c", "国际数学联盟"),                 # bidi override
    ("国际\x00数学\x07联盟", "国际数学联盟"),                     # control characters
    ("ＩＵＭ", "IUM"),                                        # full-width letters
    ("ＩＵＰＡＣ－２０２４", "IUPAC-2024"),                        # full-width digits and punctuation
    ("  国际   数学联盟 ", "国际 数学联盟"),                      # runs of spaces, ends
    ("国际\u3000数学\u00a0联盟\t会", "国际 数学 联盟 会"),          # ideographic space, NBSP, tab
    ("国际\n数学\r\n联盟", "国际 数学 联盟"),                      # a name is one line
    ("\uf9f4", "\u6797"),                                     # CJK compatibility ideograph → unified
    ("葛\U000e0100", "葛"),                                   # ideographic variation selector
    ("International Union", "International Union"),           # nothing to do
    ("", ""),
])
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_none_is_empty_text():
    assert normalize_text(None) == ""


def test_multi_line_text_keeps_its_line_breaks_but_loses_invisible_characters():
    raw = "第一行\u200b  说明 \r\n\r\n第二行\u3000\u3000结束\n"
    assert normalize_text(raw, keep_newlines=True) == "第一行 说明\n\n第二行 结束"


def test_normalizing_twice_changes_nothing():
    raw = " ＩＵＰＡＣ\u200b  国际\u3000纯粹 "
    assert normalize_text(normalize_text(raw)) == normalize_text(raw)


def test_a_value_asked_again_gives_the_same_and_the_kept_values_stay_bounded():
    """The values kept between calls (a name is normalized by its form field, its model field and its save)
    change no answer: asked a second time, long or short, one line or many, each value gives what it gave."""
    from iodp.core import text

    values = [" ＩＵＭ ", "国际\u200b数学", "a" * (text._RECENT_LENGTH + 1) + "\u3000b", "x\ny", "IUM"]
    first = [normalize_text(v) for v in values] + [normalize_text(v, keep_newlines=True) for v in values]
    again = [normalize_text(v) for v in values] + [normalize_text(v, keep_newlines=True) for v in values]
    assert first == again
    assert first[:2] == ["IUM", "国际数学"] and first[2].endswith("a b") and first[3] == "x y" and first[8] == "x\ny"
    for number in range(text._RECENT_MAX + 10):
        normalize_text(f"名称{number}")
    assert len(text._RECENT) <= text._RECENT_MAX
    assert normalize_text("ＩＵＭ") == "IUM"


def _pairs_char_by_char(*values):
    """character_pairs as its docstring defines it, one character at a time."""
    words = []
    for value in values:
        for i, char in enumerate(value or ""):
            if char.isspace():
                continue
            following = value[i + 1:i + 2]
            words.append(char + following if following and not following.isspace() else char)
    pairs = dict.fromkeys(words)
    return f" {' '.join(pairs)} " if pairs else ""


def test_character_pairs_are_every_adjacent_pair_and_each_words_last_character_once():
    assert character_pairs("王伟明", "北京 大学") == " 王伟 伟明 明 北京 京 大学 学 "
    assert character_pairs("王伟", "王伟") == " 王伟 伟 "
    assert character_pairs("", None, "   ") == ""
    assert character_pairs("a") == " a "
    every_space = "".join(chr(c) for c in range(0x3100) if chr(c).isspace())
    samples = [("张 三\u3000丰", "x\ty\nz"), (f"中{every_space}国", "Chinese Academy  of Sciences "),
               ("\u3000北京\u00a0大学\u2003化学系", None), ("ab", "b a", "abc abc")]
    for values in samples:
        assert character_pairs(*values) == _pairs_char_by_char(*values), values
