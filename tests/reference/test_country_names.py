"""Country and region names are the short Chinese names in official use (CLDR via Babel, plus the platform's
conventions), never the misspelt or unusual forms of the old translation table, and stored rows get corrected."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from iodp.reference.loader import country_rows
from iodp.reference.models import Country

pytestmark = pytest.mark.django_db

KNOWN_BAD = ["柬埔塞", "马尔他", "瓜地马拉", "吉尔吉斯坦", "大韩民国", "朝鲜民主主义人民共和国", "香港", "澳门",
             "中国台湾省", "台湾", "阿拉伯叙利亚共和国", "伊朗伊斯兰共和国", "老挝人民民主共和国", "巴勒斯坦领土",
             "中国香港特别行政区", "法属玻利尼西亚", "特里尼达和多巴哥"]
EXPECTED = {"KH": "柬埔寨", "MT": "马耳他", "GT": "危地马拉", "KG": "吉尔吉斯斯坦", "KR": "韩国", "KP": "朝鲜",
            "CZ": "捷克", "MK": "北马其顿", "CI": "科特迪瓦", "CV": "佛得角", "SZ": "斯威士兰", "IR": "伊朗",
            "SY": "叙利亚", "LA": "老挝", "CD": "刚果（金）", "CG": "刚果（布）", "AE": "阿联酋", "PS": "巴勒斯坦",
            "BA": "波黑", "DO": "多米尼加", "CF": "中非", "HK": "中国香港", "MO": "中国澳门", "TW": "中国台湾",
            "CN": "中国", "US": "美国", "GB": "英国", "RU": "俄罗斯", "TT": "特立尼达和多巴哥"}


def test_the_loaded_names_are_the_official_short_names():
    names = dict(Country.objects.values_list("code", "name_zh"))
    for code, name in EXPECTED.items():
        assert names[code] == name, code
    assert not set(KNOWN_BAD) & set(names.values())


def test_every_iso_country_has_a_chinese_name():
    rows = country_rows()
    assert len(rows) == Country.objects.count() >= 249
    assert all(row["name_zh"] and not row["name_zh"].isascii() for row in rows)


def test_china_and_its_regions_lead_the_list():
    codes = list(Country.objects.values_list("code", flat=True))
    start = codes.index("CN")
    assert codes[start:start + 4] == ["CN", "HK", "MO", "TW"]


def _store_old_names():
    Country.objects.filter(code="KH").update(name_zh="柬埔塞", sort_key="jian pu sai")
    Country.objects.filter(code="KR").update(name_zh="大韩民国", sort_key="da han min guo")


def test_the_data_migration_corrects_stored_names():
    _store_old_names()
    migration = importlib.import_module("iodp.reference.migrations.0003_official_short_country_names")
    migration.correct_country_names(apps, None)
    assert Country.objects.get(code="KH").name_zh == "柬埔寨"
    assert Country.objects.get(code="KR").name_zh == "韩国"
    assert Country.objects.get(code="KR").sort_key == "han guo"


def test_load_reference_corrects_stored_names_and_is_idempotent(capsys):
    _store_old_names()
    call_command("load_reference")
    assert "countries: 2 changed" in capsys.readouterr().out
    assert Country.objects.get(code="KH").name_zh == "柬埔寨"
    call_command("load_reference")
    assert "countries: 0 changed" in capsys.readouterr().out


def test_the_organization_form_offers_the_official_names(unit_client):
    page = unit_client.get(reverse("organizations:create")).content.decode()
    for name in ["柬埔寨", "马耳他", "危地马拉", "吉尔吉斯斯坦", "韩国", "朝鲜", "中国香港", "中国台湾"]:
        assert f">{name}</option>" in page, name
    for name in ["柬埔塞", "马尔他", "瓜地马拉", "吉尔吉斯坦", "大韩民国", "中国台湾省"]:
        assert f">{name}</option>" not in page, name
