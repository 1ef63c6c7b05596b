"""Load the reference tables from the project's data files and pycountry. Idempotent: safe to run any time."""

import csv
import gettext
from pathlib import Path

import pycountry
from pypinyin import lazy_pinyin

DATA_DIR = Path(__file__).resolve().parent / "data"

# pycountry's zh_CN names for these read 香港 / 澳门 / 中国台湾省; the platform always shows them so.
CHINA_REGION_NAMES = {"HK": "中国香港", "MO": "中国澳门", "TW": "中国台湾"}
# Listed right after 中国, never as its peers in the alphabetical run.
CHINA_SORT_KEYS = {"CN": "zhong guo", "HK": "zhong guo 1", "MO": "zhong guo 2", "TW": "zhong guo 3"}


def read_csv(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def country_rows() -> list[dict]:
    """Every ISO 3166-1 entry with its Chinese name from pycountry's zh_CN catalogue."""
    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    rows = []
    for country in pycountry.countries:
        name_en = getattr(country, "common_name", None) or country.name
        name_zh = CHINA_REGION_NAMES.get(country.alpha_2) or zh.gettext(country.name)
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
