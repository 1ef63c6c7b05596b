"""Load the reference tables from the project's data files, pycountry (codes) and Babel (CLDR Chinese names).

Idempotent: safe to run any time; a later run corrects names that an earlier version of this file stored.
"""

import csv
from pathlib import Path

import babel
import pycountry
from pypinyin import lazy_pinyin

DATA_DIR = Path(__file__).resolve().parent / "data"

# Country names are CLDR's Simplified Chinese ones (close to the Ministry of Foreign Affairs' country list;
# pycountry's zh_CN catalogue has misspellings such as 柬埔塞 and formal names such as 大韩民国).
CLDR_LOCALE = "zh_Hans_CN"
# The platform always shows these so (CLDR: 中国香港特别行政区 / 中国澳门特别行政区 / 台湾).
CHINA_REGION_NAMES = {"HK": "中国香港", "MO": "中国澳门", "TW": "中国台湾"}
# Where CLDR's name is not the short name of the Ministry of Foreign Affairs' country list.
MFA_SHORT_NAMES = {
    "AE": "阿联酋",  # CLDR: 阿拉伯联合酋长国
    "BA": "波黑",  # CLDR: 波斯尼亚和黑塞哥维那
    "CF": "中非",  # CLDR: 中非共和国
    "DO": "多米尼加",  # CLDR: 多米尼加共和国
    "FM": "密克罗尼西亚联邦",  # CLDR: 密克罗尼西亚
    "PS": "巴勒斯坦",  # CLDR: 巴勒斯坦领土
}
NAME_OVERRIDES = {**MFA_SHORT_NAMES, **CHINA_REGION_NAMES}
# Listed right after 中国, never as its peers in the alphabetical run.
CHINA_SORT_KEYS = {"CN": "zhong guo", "HK": "zhong guo 1", "MO": "zhong guo 2", "TW": "zhong guo 3"}


def read_csv(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def country_name_zh(code: str) -> str:
    """The Chinese short name of an ISO 3166-1 alpha-2 code, as the platform shows it."""
    return NAME_OVERRIDES.get(code) or babel.Locale.parse(CLDR_LOCALE).territories[code]


def country_rows() -> list[dict]:
    """Every ISO 3166-1 entry with its Chinese short name (see country_name_zh)."""
    rows = []
    for country in pycountry.countries:
        name_en = getattr(country, "common_name", None) or country.name
        name_zh = country_name_zh(country.alpha_2)
        sort_key = CHINA_SORT_KEYS.get(country.alpha_2) or " ".join(lazy_pinyin(name_zh))
        rows.append(
            {"code": country.alpha_2, "alpha3": country.alpha_3, "name_zh": name_zh, "name_en": name_en,
             "sort_key": sort_key}
        )
    return rows


def _sync(model, rows: list[dict], key: str) -> int:
    """Insert missing rows and update changed ones; never deletes (records may point at them)."""
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    to_create, to_update, fields = [], [], [f for f in rows[0] if f != key]
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            to_create.append(model(**row))
        elif any(getattr(obj, f) != row[f] for f in fields):
            for f in fields:
                setattr(obj, f, row[f])
            to_update.append(obj)
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, fields)
    return len(to_create) + len(to_update)


def load_all(Discipline, Region, Country) -> dict[str, int]:
    """Load all three tables (models passed in so data migrations can use historical models)."""
    disciplines = [
        {"code": r["code"], "name_zh": r["name_zh"], "name_en": r["name_en"], "category": r["category"]}
        for r in read_csv("disciplines.csv")
    ]
    regions = [
        {"code": r["code"], "name_zh": r["name_zh"], "name_en": r["name_en"], "kind": r["kind"],
         "iso3166_2": r["iso3166_2"]}
        for r in read_csv("regions.csv")
    ]
    return {
        "disciplines": _sync(Discipline, disciplines, "code"),
        "regions": _sync(Region, regions, "code"),
        "countries": _sync(Country, country_rows(), "code"),
    }


def load_reference_data() -> dict[str, int]:
    from .models import Country, Discipline, Region

    return load_all(Discipline, Region, Country)
