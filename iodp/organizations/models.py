"""国际组织: one national registry of international S&T organizations, shared by every unit.

An organization record is created by a unit (or the platform admin) through the shared workflow; once
approved it is visible to all units. Units never overwrite an approved organization directly: they verify
it (核对) or propose corrections (修改建议) that the platform admin accepts or rejects field by field.
A unit's own relation to an organization (已加入 / 计划加入) is a `Membership`, visible to that unit only.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from iodp.core import clock
from iodp.core.fields import NormalizedCharField
from iodp.core.scoping import UnitScopedQuerySet
from iodp.core.text import character_pairs
from iodp.core.validators import validate_phone
from iodp.core.workflow import (
    RecordStatus,
    WorkflowQuerySet,
    WorkflowRecord,
    _display,
    official_rows_index,
    revision_index,
)
from iodp.reference.currencies import validate_currency

from .text import normalize_search_text, pinyin_sort_key

#: the rows the registry's uniqueness covers: approved official records (a revision row is not official).
OFFICIAL = Q(status=RecordStatus.APPROVED, revision_of__isnull=True)

EARLIEST_YEAR = 1600

#: true for an organization without a founding year: sorts by founding year put those last.
NO_FOUNDING_YEAR = models.ExpressionWrapper(Q(founded_year__isnull=True), output_field=models.BooleanField())

#: the 组织名录 (directory profile) part of the record, edited on its own page (编辑组织名录).
DIRECTORY_FIELDS = (
    "aims", "governance", "member_count", "member_country_count", "official_languages", "secretariat_country",
    "secretariat_city", "election_cycle_years", "regular_meetings", "ecosoc_status", "igo_relations",
    "ror_id", "uia_id",
)


def validate_not_future_year(value):
    if value is not None and value > clock.today().year:
        raise ValidationError(_("年份不能晚于今年。"), code="future_year")


def validate_not_future_date(value):
    if value is not None and value > clock.today():
        raise ValidationError(_("日期不能晚于今天。"), code="future_date")


def validate_membership_forms(value):
    if not isinstance(value, list) or any(v not in MembershipForm.values for v in value):
        raise ValidationError(_("加入形式只能从列表中选择。"), code="membership_forms")


year_validators = [MinValueValidator(EARLIEST_YEAR, _("年份不能早于 %(limit_value)s 年。")),
                   validate_not_future_year]
acronym_validator = RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9&.\-/ ']*$",
                                   _("英文缩写只能包含英文字母、数字和 & . - / 空格。"), code="acronym")
ror_validator = RegexValidator(r"^0[a-hj-km-np-tv-z0-9]{6}[0-9]{2}$",
                               _("ROR 编号为 9 位，如 04z8jg394（不含 https://ror.org/ 前缀）。"), code="ror")
uia_validator = RegexValidator(r"^[A-Z]{1,2}[0-9]{3,5}$", _("UIA 编号如 XB2012、AA0001。"), code="uia")


class Nature(models.TextChoices):
    GLOBAL = "global", _("国际间")
    REGIONAL = "regional", _("区域间")


class Category(models.TextChoices):
    CORE = "core", _("核心类")
    IMPORTANT = "important", _("重要类")
    GENERAL = "general", _("一般类")


class MembershipForm(models.TextChoices):
    NATIONAL = "national", _("国家会员")
    INSTITUTIONAL = "institutional", _("单位会员")
    INDIVIDUAL = "individual", _("个人会员")
    OTHER = "other", _("其他")


class DuesPeriod(models.TextChoices):
    ANNUAL = "annual", _("每年")
    BIENNIAL = "biennial", _("每两年")
    TERM = "term", _("每届")
    ONCE = "once", _("一次性")
    OTHER = "other", _("其他")


class YesNo(models.TextChoices):
    YES = "yes", _("已加入")
    NO = "no", _("未加入")


class EcosocStatus(models.TextChoices):
    GENERAL = "general", _("全面咨商地位")
    SPECIAL = "special", _("专门咨商地位")
    ROSTER = "roster", _("列入名册")
    NONE = "none", _("无")


#: Hong Kong, Macau, Taiwan: (code, label, field prefix). Always named so in the UI (glossary).
HMT_REGIONS = (("hk", _("中国香港")), ("mo", _("中国澳门")), ("tw", _("中国台湾")))


class OrganizationQuerySet(WorkflowQuerySet):
    def visible_to(self, user) -> "OrganizationQuerySet":
        """Approved organizations are shared by every unit; drafts, submissions and revisions only by their unit
        and the platform admin."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_platform_admin:
            return self
        # Tests of each row (`__scanned`), not indexes for SQLite to look rows up by: nearly every row is shared,
        # and it would fetch them all by their status index, then by the unit's, to count a unit's registry
        # (92 ms at 68,000; from org_official_rows_idx alone: 8 ms).
        shared = Q(status__scanned=RecordStatus.APPROVED, revision_of__isnull=True)
        return self.filter(shared | Q(unit__pk__scanned=user.unit_id) if user.unit_id else shared)


class Organization(WorkflowRecord):
    """An international organization in the national registry."""

    # --- basic information ------------------------------------------------------------------------------
    name_zh = NormalizedCharField(_("中文名称"), max_length=200, blank=True)
    name_en = NormalizedCharField(_("英文名称"), max_length=300, blank=True)
    acronym = NormalizedCharField(_("英文缩写"), max_length=32, blank=True, db_index=True,
                               validators=[acronym_validator])
    disciplines = models.ManyToManyField("reference.Discipline", verbose_name=_("所属学科"), blank=True,
                                         related_name="+")
    nature = models.CharField(_("性质"), max_length=16, choices=Nature.choices, blank=True, db_index=True)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices, blank=True, db_index=True)
    hq_country = models.ForeignKey("reference.Country", verbose_name=_("总部所在国家或地区"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    hq_city = models.CharField(_("总部所在城市"), max_length=100, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("成立年份"), null=True, blank=True, db_index=True,
                                                    validators=year_validators)
    founded_date = models.DateField(_("成立日期"), null=True, blank=True, validators=[validate_not_future_date],
                                    help_text=_("知道具体日期时填写；年份须与成立年份一致。"))
    website = models.URLField(_("官方网址"), max_length=300, blank=True)
    email = models.EmailField(_("联系邮箱"), blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True, validators=[validate_phone])
    address = models.CharField(_("通讯地址"), max_length=300, blank=True)
    membership_forms = models.JSONField(_("加入形式"), default=list, blank=True,
                                        validators=[validate_membership_forms])
    dues_payer = NormalizedCharField(_("会费承担方"), max_length=200, blank=True)
    dues_amount = models.DecimalField(_("会费金额"), max_digits=14, decimal_places=2, null=True, blank=True,
                                      validators=[MinValueValidator(0, _("会费金额不能为负数。"))])
    dues_currency = NormalizedCharField(_("会费币种"), max_length=3, blank=True, validators=[validate_currency])
    dues_period = models.CharField(_("会费周期"), max_length=16, choices=DuesPeriod.choices, blank=True)
    dues_notes = models.TextField(_("会费说明"), max_length=2000, blank=True)
    special_dues = models.TextField(_("特殊会费情况"), max_length=2000, blank=True)
    hk_member = models.CharField(_("中国香港是否加入"), max_length=3, choices=YesNo.choices, blank=True)
    hk_name = NormalizedCharField(_("中国香港加入名称"), max_length=200, blank=True)
    hk_notes = models.CharField(_("中国香港加入说明"), max_length=500, blank=True)
    mo_member = models.CharField(_("中国澳门是否加入"), max_length=3, choices=YesNo.choices, blank=True)
    mo_name = NormalizedCharField(_("中国澳门加入名称"), max_length=200, blank=True)
    mo_notes = models.CharField(_("中国澳门加入说明"), max_length=500, blank=True)
    tw_member = models.CharField(_("中国台湾是否加入"), max_length=3, choices=YesNo.choices, blank=True)
    tw_name = NormalizedCharField(_("中国台湾加入名称"), max_length=200, blank=True)
    tw_notes = models.CharField(_("中国台湾加入说明"), max_length=500, blank=True)

    # --- 组织名录 (directory profile) -----------------------------------------------------------------------
    aims = models.TextField(_("宗旨"), max_length=4000, blank=True)
    governance = models.TextField(_("组织架构"), max_length=4000, blank=True)
    member_count = models.PositiveIntegerField(_("会员数量"), null=True, blank=True)
    member_country_count = models.PositiveSmallIntegerField(
        _("会员国家和地区数量"), null=True, blank=True, validators=[MaxValueValidator(300)])
    official_languages = models.CharField(_("官方语言"), max_length=200, blank=True)
    secretariat_country = models.ForeignKey("reference.Country", verbose_name=_("秘书处所在国家或地区"),
                                            null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    secretariat_city = models.CharField(_("秘书处所在城市"), max_length=100, blank=True)
    election_cycle_years = models.PositiveSmallIntegerField(
        _("换届周期（年）"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20, _("换届周期不能超过 20 年。"))])
    regular_meetings = models.TextField(_("例会情况"), max_length=2000, blank=True)
    ecosoc_status = models.CharField(_("联合国经社理事会咨商地位"), max_length=16, choices=EcosocStatus.choices,
                                     blank=True)
    igo_relations = models.TextField(_("与政府间组织的关系"), max_length=2000, blank=True)
    ror_id = NormalizedCharField(_("ROR 编号"), max_length=9, blank=True, validators=[ror_validator])
    uia_id = NormalizedCharField(_("UIA 编号"), max_length=8, blank=True, validators=[uia_validator])

    # --- derived (search and sorting) -----------------------------------------------------------------
    search_text = models.TextField(editable=False, blank=True, default="")
    #: the character pairs of search_text (`core.text.character_pairs`): what a two-character search (化学)
    #: looks up, through a trigram index on PostgreSQL and the FTS5 index on SQLite.
    search_pairs = models.TextField(editable=False, blank=True, default="")
    sort_key = models.CharField(max_length=400, editable=False, blank=True, default="", db_index=True)

    workflow_children = ("awards", "governing_bodies", "conferences")
    draft_required_fields = ()
    #: HQ and founding year are often unverified for real organizations: recommended, not required.
    submit_required_fields = ("name_zh", "name_en", "disciplines", "nature", "category")
    url_namespace = "organizations"
    #: The notice's order is 基本信息 → 提交 → 编辑组织名录: the unit still fills in the directory profile and the
    #: lists while the submission awaits review, and the reviewer approves both together.
    editable_while_submitted_fields = DIRECTORY_FIELDS + workflow_children

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("国际组织")
        verbose_name_plural = _("国际组织")
        indexes = [
            revision_index("organization_revision_idx"),
            # counts the registry (68,000 rows, SQLite: 23 ms → 3; as a unit sees it, with its drafts: 92 → 8)
            official_rows_index("org_official_rows_idx", "status", "unit"),
            # Official rows of a status by name. Partial, not led by (status, revision_of): SQLite's statistics
            # then read `revision_of IS NULL` as a rare value (revisions point at many records, each a distinct
            # value) and took this index for every list of official rows, sorting them all: the list sorted by
            # founding year, page 100, 82 ms → 0.1 ms (bench/pages.py, SQLite, full scale).
            models.Index(fields=["status", "sort_key"], name="org_official_sort_idx",
                         condition=Q(revision_of__isnull=True)),
            # The list's sorts (filters.SORTS), each with the pk as tiebreak, so a page is an index range; only
            # the rows the registry lists (no revision rows), so a page of ids reads the index alone.
            models.Index(F("sort_key"), F("id"), name="org_pinyin_sort_idx", condition=Q(revision_of__isnull=True)),
            models.Index(NO_FOUNDING_YEAR, F("founded_year"), F("sort_key"), F("id"), name="org_founded_sort_idx",
                         condition=Q(revision_of__isnull=True)),
            models.Index(NO_FOUNDING_YEAR, F("founded_year").desc(), F("sort_key"), F("id"),
                         name="org_founded_desc_sort_idx", condition=Q(revision_of__isnull=True)),
        ]
        # One official record per organization: what `exact_duplicates` finds, the database refuses.
        constraints = [
            models.UniqueConstraint(
                "name_zh", condition=OFFICIAL & ~Q(name_zh=""), name="org_official_unique_name_zh",
                violation_error_message=_("全国名录中已有中文名称相同的组织，请合并到已有记录或作为重复驳回。"),
            ),
            models.UniqueConstraint(
                Lower("name_en"), condition=OFFICIAL & ~Q(name_en=""), name="org_official_unique_name_en",
                violation_error_message=_("全国名录中已有英文名称相同的组织（不区分大小写），请合并到已有记录或作为重复驳回。"),
            ),
            models.UniqueConstraint(
                Lower("acronym"), F("hq_country"), condition=OFFICIAL & ~Q(acronym=""),
                name="org_official_unique_acronym_hq",
                violation_error_message=_("全国名录中已有英文缩写和总部所在国家或地区都相同的组织，请合并到已有记录或作为重复驳回。"),
            ),
        ]

    def __str__(self):
        if self.acronym and self.name_zh:
            return f"{self.name_zh}（{self.acronym}）"
        if self.acronym and self.name_en:
            return f"{self.name_en} ({self.acronym})"
        return self.name_zh or self.name_en or self.acronym or str(_("未命名组织"))

    # --- derived values ---------------------------------------------------------------------------------
    def compute_derived(self) -> None:
        self.search_text = normalize_search_text(self.name_zh, self.name_en, self.acronym)
        self.search_pairs = character_pairs(self.search_text)
        self.sort_key = pinyin_sort_key(self.name_zh or self.name_en or self.acronym)
        if self.founded_date and not self.founded_year:
            self.founded_year = self.founded_date.year

    def fill_derived_fields(self) -> None:
        self.compute_derived()

    def save(self, *args, **kwargs):
        self.compute_derived()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"search_text", "search_pairs", "sort_key"}
        super().save(*args, **kwargs)

    def refresh_derived(self) -> None:
        self.compute_derived()
        type(self).objects.filter(pk=self.pk).update(search_text=self.search_text, search_pairs=self.search_pairs,
                                                     sort_key=self.sort_key)

    # --- validation -------------------------------------------------------------------------------------
    def clean(self):
        errors = {}
        if self.founded_date and self.founded_year and self.founded_date.year != self.founded_year:
            errors["founded_date"] = [_("成立日期的年份（%(year)s）与成立年份不一致。") % {
                "year": self.founded_date.year}]
        if self.founded_date and self.founded_date < datetime.date(EARLIEST_YEAR, 1, 1):
            errors["founded_date"] = [_("成立日期不能早于 %(year)s 年。") % {"year": EARLIEST_YEAR}]
        if self.dues_amount is not None and not self.dues_currency:
            errors["dues_currency"] = [_("填写会费金额时请填写币种。")]
        for code, _label in HMT_REGIONS:
            if getattr(self, f"{code}_member") != YesNo.YES and getattr(self, f"{code}_name"):
                errors[f"{code}_name"] = [_("未选择“已加入”时不需要填写加入名称。")]
        if self.dues_currency:
            self.dues_currency = self.dues_currency.upper()
        if errors:
            raise ValidationError(errors)

    def allows_revision_by(self, user) -> bool:
        """The shared registry: units propose changes (修改建议); only the platform admin revises directly."""
        return getattr(user, "is_platform_admin", False)

    def discard_blockers(self) -> list[str]:
        """A draft organization that units have joined or plan to join, or that experts hold positions in,
        stays until those rows are changed: discarding it must not silently delete another unit's data."""
        if self.is_revision:
            return []
        memberships = [_("%(unit)s的会员关系（%(status)s）") % {"unit": m.unit or "",
                                                               "status": m.get_relation_display()}
                       for m in self.memberships.select_related("unit")]
        positions = [_("专家“%(name)s”的任职") % {"name": p.expert} for p in self.expert_positions.select_related("expert")]
        return memberships + positions

    def revision_unit(self, user):
        """A revision of the shared record belongs to whoever opened it, never to the unit that created it."""
        return getattr(user, "unit", None)

    def draft_errors(self):
        errors = super().draft_errors()
        if not (self.name_zh or self.name_en):
            errors["name_zh"] = [str(_("保存草稿前请至少填写中文名称或英文名称。"))]
        return errors

    def submit_errors(self):
        errors = {
            name: [f"{self._meta.get_field(name).verbose_name}：{message}" for message in messages]
            for name, messages in super().submit_errors().items()
        }
        duplicate = self.exact_duplicates().first()
        if duplicate is not None:
            errors.setdefault("name_zh", []).append(str(_(
                "全国名录中已有该组织：%(org)s（编号 %(id)s）。请在名录中打开该组织进行核对或提出修改建议，不要重复新增。"
            ) % {"org": duplicate, "id": duplicate.pk}))
        return errors

    def approve_errors(self):
        """An exact duplicate of an official organization is never approved, whoever approves it."""
        duplicate = self.exact_duplicates().first()
        if duplicate is None:
            return {}
        return {"__all__": [str(_(
            "全国名录中已有相同的组织：%(org)s（编号 %(id)s）。不能再审核通过，请合并到已有记录或作为重复驳回。"
        ) % {"org": duplicate, "id": duplicate.pk})]}

    def exact_duplicates(self):
        """Official organizations this record would duplicate: the same Chinese name, the same English name
        (case-insensitive), or the same acronym (case-insensitive) with the same HQ country. Never itself nor
        the record it revises. The database constraints refuse the same among official rows."""
        same = Q()
        if self.name_zh:
            same |= Q(name_zh=self.name_zh)
        if self.name_en:
            same |= Q(name_en__iexact=self.name_en)
        if self.acronym and self.hq_country_id:
            same |= Q(acronym__iexact=self.acronym, hq_country_id=self.hq_country_id)
        if not same:
            return Organization.objects.none()
        others = Organization.objects.official().filter(same)
        for pk in (self.pk, self.revision_of_id):
            if pk:
                others = others.exclude(pk=pk)
        return others.order_by("pk")

    # --- display ------------------------------------------------------------------------------------------
    def get_membership_forms_display(self) -> str:
        labels = dict(MembershipForm.choices)
        return "、".join(str(labels.get(v, v)) for v in (self.membership_forms or []))

    def snapshot(self, *, related=None):
        data = super().snapshot(related=related)
        if "membership_forms" in data:
            data["membership_forms"]["value"] = self.get_membership_forms_display()
        return data

    def display_value(self, name: str) -> str:
        """One field's value as text (choices by label, lists joined), for proposals and diffs. A child list
        (workflow_children) shows one line per row, as in the snapshot."""
        if name in self.workflow_children:
            return "\n".join(str(child) for child in getattr(self, name).all()) if self.pk else ""
        field = self._meta.get_field(name)
        if name == "membership_forms":
            return self.get_membership_forms_display()
        if field.many_to_many:
            return "、".join(sorted(str(o) for o in getattr(self, name).all())) if self.pk else ""
        return _display(self, field)

    def hmt_rows(self):
        return [{"code": code, "label": label, "member": getattr(self, f"get_{code}_member_display")(),
                 "is_member": getattr(self, f"{code}_member") == YesNo.YES,
                 "name": getattr(self, f"{code}_name"), "notes": getattr(self, f"{code}_notes")}
                for code, label in HMT_REGIONS]


class Award(models.Model):
    """奖项: an award the organization gives."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="awards")
    name = NormalizedCharField(_("奖项名称"), max_length=200)
    description = models.TextField(_("奖项说明"), max_length=2000, blank=True)
    frequency = models.CharField(_("颁发周期"), max_length=100, blank=True, help_text=_("如：每年、每两年"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("奖项")
        verbose_name_plural = _("奖项情况")

    def __str__(self):
        return " · ".join(p for p in [self.name, self.frequency, self.description] if p)


class GoverningBody(models.Model):
    """A governing body (理事会, 执行委员会...) and its size."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="governing_bodies")
    name = NormalizedCharField(_("机构名称"), max_length=200)
    seats = models.PositiveSmallIntegerField(_("席位数"), null=True, blank=True,
                                             validators=[MaxValueValidator(5000)])
    notes = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("领导机构")
        verbose_name_plural = _("领导机构及人数")

    def __str__(self):
        return f"{self.name}（{self.seats}）" if self.seats else self.name


class Conference(models.Model):
    """国际会议: a meeting of an organization, or one a unit initiates without an organization."""

    organization = models.ForeignKey(Organization, verbose_name=_("国际组织"), on_delete=models.CASCADE,
                                     related_name="conferences", null=True, blank=True)
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("填报单位"), on_delete=models.PROTECT,
                             related_name="+", null=True, blank=True)
    name = NormalizedCharField(_("会议名称"), max_length=300)
    year = models.PositiveSmallIntegerField(_("年份"), validators=[MinValueValidator(EARLIEST_YEAR),
                                                                 MaxValueValidator(2100)])
    city = models.CharField(_("举办城市"), max_length=100, blank=True)
    country = models.ForeignKey("reference.Country", verbose_name=_("举办国家或地区"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    hosted_in_china = models.BooleanField(_("在华举办"), default=False)
    host_unit_name = NormalizedCharField(_("承办单位"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("国际会议")
        verbose_name_plural = _("国际会议")
        constraints = [
            models.CheckConstraint(condition=Q(organization__isnull=False) | Q(unit__isnull=False),
                                   name="conference_has_owner",
                                   violation_error_message=_("国际会议须属于一个国际组织或一个填报单位。")),
        ]

    def __str__(self):
        place = " ".join(p for p in [self.city, str(self.country or "")] if p)
        host = f"{_('在华举办')}：{self.host_unit_name}" if self.hosted_in_china else ""
        return " · ".join(p for p in [f"{self.year}", self.name, place, host] if p)

    def clean(self):
        if self.host_unit_name and not self.hosted_in_china:
            raise ValidationError({"host_unit_name": _("仅在华举办的会议需要填写承办单位。")})


class MembershipRelation(models.TextChoices):
    MEMBER = "member", _("已加入")
    PLANNED = "planned", _("计划加入")


class Membership(WorkflowRecord):
    """会员关系: a unit's relation to an organization (已加入 / 计划加入), visible to that unit only.

    Saved (保存 → 草稿箱), submitted (提交) and reviewed like every other record; counts and the registry's
    "已加入" figures use approved ones only."""

    organization = models.ForeignKey(Organization, verbose_name=_("国际组织"), on_delete=models.CASCADE,
                                     related_name="memberships")
    relation = models.CharField(_("会员状态"), max_length=16, choices=MembershipRelation.choices,
                                default=MembershipRelation.MEMBER, db_index=True)
    form = models.CharField(_("加入形式"), max_length=16, choices=MembershipForm.choices, blank=True)
    since_year = models.PositiveSmallIntegerField(_("加入年份"), null=True, blank=True, validators=year_validators)
    dues_amount = models.DecimalField(_("本会员缴纳会费"), max_digits=14, decimal_places=2, null=True, blank=True,
                                      validators=[MinValueValidator(0, _("会费金额不能为负数。"))])
    dues_currency = NormalizedCharField(_("币种"), max_length=3, blank=True, validators=[validate_currency])
    target_date = models.DateField(_("计划加入时间"), null=True, blank=True)
    reason = models.TextField(_("计划加入理由"), max_length=2000, blank=True)
    notes = models.TextField(_("备注"), max_length=2000, blank=True)

    draft_required_fields = ("organization",)
    submit_required_fields = ("organization", "relation")
    url_namespace = "organizations"

    class Meta:
        ordering = ["organization__sort_key", "id"]
        verbose_name = _("会员关系")
        verbose_name_plural = _("会员关系")
        indexes = [revision_index("membership_revision_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "unit"], condition=Q(unit__isnull=False, revision_of__isnull=True),
                name="membership_one_per_unit_and_organization",
                violation_error_message=_("本单位已登记与该组织的会员关系，请编辑已有记录。"),
            ),
        ]

    def __str__(self):
        who = str(self.unit or "")
        return f"{who} · {self.organization} · {self.get_relation_display()}"

    # --- where its pages are (in the organizations namespace) ---
    def get_absolute_url(self) -> str:
        return reverse("organizations:membership_detail", args=[self.pk])

    def get_edit_url(self) -> str:
        return reverse("organizations:membership_edit", args=[self.pk])

    @property
    def is_plan(self) -> bool:
        return self.relation == MembershipRelation.PLANNED

    def access_errors(self, user) -> dict[str, list[str]]:
        """A membership names an organization its unit may see: an approved one or the unit's own entry."""
        if self.organization_id and not Organization.objects.visible_to(user).filter(
                pk=self.organization_id).exists():
            return {"organization": [str(_("请从名录中选择国际组织。"))]}
        return {}

    def clean(self):
        """Rules between the fields, checked on every save (drafts too); what is required waits for 提交."""
        errors = {}
        if self.relation == MembershipRelation.PLANNED:
            if self.target_date and self.target_date < clock.today() and self._target_date_changed():
                errors["target_date"] = [_("计划加入时间不能早于今天。")]
            if self.since_year:
                errors["since_year"] = [_("计划加入的组织不需要填写加入年份。")]
        elif self.relation == MembershipRelation.MEMBER and self.target_date:
            errors["target_date"] = [_("已加入的组织不需要填写计划加入时间。")]
        if self.dues_amount is not None and not self.dues_currency:
            errors["dues_currency"] = [_("填写会费金额时请填写币种。")]
        if self.dues_currency:
            self.dues_currency = self.dues_currency.upper()
        if errors:
            raise ValidationError(errors)

    def _target_date_changed(self) -> bool:
        """A stored plan whose date has passed can still be saved unchanged (e.g. its notes edited)."""
        source = self.revision_of_id or self.pk
        if source is None:
            return True
        stored = Membership.objects.filter(pk=source).values_list("target_date", flat=True).first()
        return stored != self.target_date

    def submit_errors(self):
        errors = super().submit_errors()
        if self.relation == MembershipRelation.PLANNED:
            if not self.target_date:
                errors["target_date"] = [str(_("计划加入请填写目标时间。"))]
            if not (self.reason or "").strip():
                errors["reason"] = [str(_("请填写计划加入的理由。"))]
        return errors

    def approve_errors(self):
        """An organization a unit entered itself is reviewed first: a membership links to the registry."""
        errors = super().approve_errors()
        if not Organization.objects.official().filter(pk=self.organization_id).exists():
            errors["organization"] = [str(_("该国际组织尚未审核通过：请先审核“%(name)s”，再审核本会员关系。")
                                          % {"name": self.organization})]
        return errors


class Verification(models.Model):
    """核对: a unit confirmed on a date that the shared record is accurate."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="verifications")
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("核对单位"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核对人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    verified_at = models.DateTimeField(_("核对时间"), auto_now_add=True, db_index=True)
    version = models.PositiveIntegerField(_("核对时的版本"))
    comment = models.CharField(_("说明"), max_length=500, blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-verified_at", "-id"]
        verbose_name = _("核对记录")
        verbose_name_plural = _("核对记录")

    def __str__(self):
        return f"{self.unit or ''} · {self.verified_at:%Y-%m-%d}"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    DECIDED = "decided", _("已处理")


class Decision(models.TextChoices):
    PENDING = "pending", _("待处理")
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("未采纳")


class ChangeProposal(models.Model):
    """修改建议: a unit's corrections to an approved organization, decided field by field by the platform admin."""

    organization = models.ForeignKey(Organization, verbose_name=_("国际组织"), on_delete=models.CASCADE,
                                     related_name="proposals")
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("提出单位"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True, db_index=True)
    base_version = models.PositiveIntegerField(_("基于版本"))
    comment = models.TextField(_("修改说明"), max_length=2000, blank=True)
    status = models.CharField(_("处理状态"), max_length=16, choices=ProposalStatus.choices,
                              default=ProposalStatus.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_comment = models.TextField(_("处理意见"), max_length=2000, blank=True)

    unit_scope_field = "unit"
    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("修改建议")
        verbose_name_plural = _("修改建议")

    def __str__(self):
        return f"{self.organization} · {self.unit or ''} · {self.created_at:%Y-%m-%d}"


class ProposalItem(models.Model):
    """One field of a change proposal: the value when proposed, the proposed value, and the decision."""

    proposal = models.ForeignKey(ChangeProposal, on_delete=models.CASCADE, related_name="items")
    field = models.CharField(_("字段"), max_length=64)
    label = models.CharField(_("字段名称"), max_length=200)
    current_display = models.TextField(_("原值"), blank=True)
    proposed_value = models.JSONField(_("建议值"), null=True, blank=True)
    proposed_display = models.TextField(_("建议值（显示）"), blank=True)
    decision = models.CharField(_("处理结果"), max_length=16, choices=Decision.choices, default=Decision.PENDING)

    class Meta:
        ordering = ["id"]
        verbose_name = _("修改建议项")
        verbose_name_plural = _("修改建议项")
        constraints = [models.UniqueConstraint(fields=["proposal", "field"], name="proposal_item_one_per_field")]

    def __str__(self):
        return f"{self.label}: {self.current_display} → {self.proposed_display}"
