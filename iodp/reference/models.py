"""Reference data every module shares: disciplines (GB/T 13745), provinces (GB/T 2260), countries (ISO 3166)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class LocalizedNameMixin:
    """`str()` shows the Chinese name, or the English one when the UI is in English and it exists."""

    def __str__(self):
        return self.name_in(get_language())

    def name_in(self, language: str | None) -> str:
        """`str()` in `language` (the active one, when the caller holds it)."""
        return localized_name(self.name_zh, self.name_en, language)

    @staticmethod
    def choices(queryset, key: str = "pk") -> list[tuple]:
        """(key, `str()`) of each row of `queryset`, read as plain values (a drop-down's options without a model
        instance each)."""
        language = get_language()
        return [(value, localized_name(name_zh, name_en, language))
                for value, name_zh, name_en in queryset.values_list(key, "name_zh", "name_en")]


def localized_name(name_zh: str, name_en: str, language: str | None) -> str:
    """The Chinese name, or the English one when `language` is English and it exists."""
    if (language or "").startswith("en") and name_en:
        return name_en
    return name_zh


class Discipline(LocalizedNameMixin, models.Model):
    """A first-level discipline of GB/T 13745-2009 (e.g. 150 化学)."""

    code = models.CharField(_("代码"), max_length=8, unique=True)
    name_zh = models.CharField(_("中文名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=128, blank=True)
    category = models.CharField(_("门类"), max_length=32)

    class Meta:
        ordering = ["code"]
        verbose_name = _("学科")
        verbose_name_plural = _("学科")


class Region(LocalizedNameMixin, models.Model):
    """A provincial-level division of GB/T 2260 (e.g. 110000 北京市)."""

    code = models.CharField(_("代码"), max_length=6, unique=True)
    name_zh = models.CharField(_("中文名称"), max_length=32)
    name_en = models.CharField(_("英文名称"), max_length=64, blank=True)
    kind = models.CharField(_("类型"), max_length=32)
    iso3166_2 = models.CharField("ISO 3166-2", max_length=8, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("省级行政区")
        verbose_name_plural = _("省级行政区")


class Country(LocalizedNameMixin, models.Model):
    """An ISO 3166-1 country or territory, with its Chinese name (中国香港/中国澳门/中国台湾 relabelled)."""

    code = models.CharField(_("代码"), max_length=2, unique=True, help_text="ISO 3166-1 alpha-2")
    alpha3 = models.CharField(max_length=3)
    name_zh = models.CharField(_("中文名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=128)
    sort_key = models.CharField(max_length=200, db_index=True, help_text="pinyin of the Chinese name")

    class Meta:
        ordering = ["sort_key"]
        verbose_name = _("国家或地区")
        verbose_name_plural = _("国家或地区")
