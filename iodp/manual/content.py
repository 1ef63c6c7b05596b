"""使用手册: the sections of the in-app manual and the screenshots they show.

Each section is a template under templates/manual/sections/; a screenshot is placed with
`{% figure "name" "caption" %}` and is the browser tests' `shot(page, "name")` of the real page, copied into
static/manual/screens/ by `make manual` (tests/e2e/conftest.py), so the pictures are the pages as they are.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

SCREENS_DIR = Path(__file__).resolve().parent / "static" / "manual" / "screens"
PDF_NAME = "manual/iodp-manual.pdf"
PDF_PATH = Path(__file__).resolve().parent / "static" / PDF_NAME


class Audience:
    UNIT = _("单位管理员")
    PLATFORM = _("平台管理员")
    EVERYONE = _("全部用户")


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    audience: str

    @property
    def template(self) -> str:
        return f"manual/sections/{self.slug}.html"


SECTIONS = [
    Section("overview", _("平台简介与用户角色"), Audience.EVERYONE),
    Section("register", _("注册与登录"), Audience.UNIT),
    Section("home", _("首页、导航与语言"), Audience.EVERYONE),
    Section("workflow", _("保存、提交与审核流程"), Audience.EVERYONE),
    Section("institutions", _("机构管理：本单位信息"), Audience.UNIT),
    Section("organizations", _("国际组织：名录、加入与计划加入"), Audience.UNIT),
    Section("experts", _("专家信息：已任职专家与后备专家"), Audience.UNIT),
    Section("excel", _("Excel 模板、导入与导出"), Audience.UNIT),
    Section("insights", _("统计分析"), Audience.EVERYONE),
    Section("progress", _("填报进度"), Audience.EVERYONE),
    Section("notices", _("通知公告"), Audience.EVERYONE),
    Section("platform", _("平台管理员的工作"), Audience.PLATFORM),
    Section("faq", _("常见问题"), Audience.EVERYONE),
]

_FIGURE = re.compile(r"""\{%\s*figure\s+["']([\w-]+)["']""")


def section_sources() -> dict[str, str]:
    """Each section's template source, by slug."""
    root = Path(settings.BASE_DIR) / "iodp" / "templates"
    return {section.slug: (root / section.template).read_text(encoding="utf-8") for section in SECTIONS}


def referenced_screens() -> list[str]:
    """Every screenshot name the manual shows, in order of first appearance."""
    names: list[str] = []
    for source in section_sources().values():
        for name in _FIGURE.findall(source):
            if name not in names:
                names.append(name)
    return names


def screen_path(name: str) -> Path:
    return SCREENS_DIR / f"{name}.jpg"
