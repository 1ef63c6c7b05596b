"""专家信息: experts recommended by a unit (serving experts and reserve experts), with their languages,
education, employment and posts in international organizations. Each expert is a workflow record owned
by its recommending unit (`unit`)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from iodp.core import clock
from iodp.core.fields import NormalizedCharField
from iodp.core.scoping import UnitScopedQuerySet
from iodp.core.text import character_pairs, normalize_text
from iodp.core.validators import validate_phone
from iodp.core.workflow import WorkflowRecord, choice_label, official_rows_index, revision_index

from . import identity
from .eligibility import ExpertQuerySet


class ExpertKind(models.TextChoices):
    SERVING = "serving", _("已任职专家")
    RESERVE = "reserve", _("后备专家")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MO_TW = "hk_mo_tw", _("港澳台证件")
    OTHER = "other", _("其他")


class PersonCategory(models.TextChoices):
    SCHOLAR = "scholar", _("专家学者")
    FOREIGN_AFFAIRS_STAFF = "foreign_affairs_staff", _("外事工作人员")


class Level(models.TextChoices):
    LEADERSHIP = "leadership", _("决策层")
    MID_LEVEL = "mid_level", _("中层")
    SECRETARIAT = "secretariat", _("秘书处")


class Role(models.TextChoices):
    PRESIDENT = "president", _("主席")
    VICE_PRESIDENT = "vice_president", _("副主席")
    PAST_PRESIDENT = "past_president", _("前主席")
    PRESIDENT_ELECT = "president_elect", _("候任主席")
    EXECUTIVE_MEMBER = "executive_member", _("执委")
    SECRETARY_GENERAL = "secretary_general", _("秘书长")
    MEMBER = "member", _("委员")
    OTHER = "other", _("其他")


class PositionStatus(models.TextChoices):
    CURRENT = "current", _("现任")
    FORMER = "former", _("曾任")
    ELECTED = "elected", _("已当选未就任")


class Language(models.TextChoices):
    # English and French first: they are the working languages the reserve criteria ask for.
    ENGLISH = "en", _("英语")
    FRENCH = "fr", _("法语")
    SPANISH = "es", _("西班牙语")
    RUSSIAN = "ru", _("俄语")
    ARABIC = "ar", _("阿拉伯语")
    GERMAN = "de", _("德语")
    JAPANESE = "ja", _("日语")
    KOREAN = "ko", _("韩语")
    PORTUGUESE = "pt", _("葡萄牙语")
    OTHER = "other", _("其他语种")


class Proficiency(models.TextChoices):
    WORKING = "working", _("工作语言")
    FLUENT = "fluent", _("熟练")
    NATIVE = "native", _("母语")


#: languages that satisfy the reserve criterion "working English or French".
CRITERION_LANGUAGES = (Language.ENGLISH, Language.FRENCH)


def adult_age(birth_date: datetime.date, today: datetime.date) -> int:
    """Age in whole years on `today`."""
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


#: the fields of an expert that `derived_values` works from, in its arguments' order
DERIVED_INPUTS = ("name_zh", "name_en", "id_type", "id_number", "employer")


def derived_values(name_zh, name_en, id_type, id_number, employer) -> dict:
    """What `Expert.fill_derived_fields` sets, from the values of `DERIVED_INPUTS`: a function of them alone (no
    query, no clock), which another process can work out ahead (an import's, see `Expert.worked_ahead`)."""
    from .pinyin import name_initials, name_pinyin, suggest_name_en

    name_zh = normalize_text(name_zh)
    if name_zh and not (name_en or "").strip():
        name_en = suggest_name_en(name_zh)
    if id_type == IdType.RESIDENT_ID:
        id_number = identity.normalize_id_number(id_number)
    else:
        id_number = normalize_text(id_number).upper()
    return {"name_zh": name_zh, "name_en": name_en, "name_pinyin": name_pinyin(name_zh),
            "name_initials": name_initials(name_zh), "id_number": id_number,
            "id_key": identity.id_key(id_type, id_number),
            "search_pairs": character_pairs(name_zh, name_en, employer)}


def id_errors_of(id_type, id_number, birth_date, gender, disclose) -> list[tuple[str, str]]:
    """`Expert.id_errors`: a function of its arguments alone."""
    return identity.id_number_errors(id_type, id_number, birth_date=birth_date, gender=gender, disclose=disclose)


class Expert(WorkflowRecord):
    """An expert recommended by a unit: a serving expert (holds a post now) or a reserve expert (a candidate)."""

    kind = models.CharField(_("专家类型"), max_length=16, choices=ExpertKind.choices, default=ExpertKind.SERVING,
                            db_index=True)
    name_zh = NormalizedCharField(_("姓名"), max_length=64)
    name_en = NormalizedCharField(_("姓名拼音/英文名"), max_length=128, blank=True,
                               help_text=_("留空时按中文姓名自动生成拼音，可修改。"))
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True, db_index=True)
    nationality = models.ForeignKey("reference.Country", verbose_name=_("国籍"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    id_type = models.CharField(_("证件类型"), max_length=16, choices=IdType.choices, default=IdType.RESIDENT_ID,
                               blank=True)
    id_number = NormalizedCharField(_("证件号码"), max_length=32, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True, validators=[validate_phone])
    email = models.EmailField(_("邮箱"), blank=True)
    employer = NormalizedCharField(_("工作单位"), max_length=200, blank=True)
    department = NormalizedCharField(_("所在部门"), max_length=200, blank=True)
    job_title = models.CharField(_("职务"), max_length=100, blank=True)
    professional_title = models.CharField(_("职称"), max_length=100, blank=True)
    disciplines = models.ManyToManyField("reference.Discipline", verbose_name=_("所属学科"), blank=True,
                                         related_name="+")
    category = models.CharField(_("人员类别"), max_length=32, choices=PersonCategory.choices, blank=True)

    # 涉外工作经历
    foreign_affairs_years = models.DecimalField(_("涉外工作年限"), max_digits=4, decimal_places=1, null=True,
                                                blank=True)
    has_intl_org_experience = models.BooleanField(_("有多边或国际组织工作经历"), default=False)
    foreign_affairs_description = models.TextField(_("涉外工作经历说明"), max_length=4000, blank=True)

    # 后备专家: what the candidate is put forward for.
    target_leadership = models.BooleanField(_("目标层级：决策层"), default=False)
    target_mid_level = models.BooleanField(_("目标层级：中层"), default=False)
    target_secretariat = models.BooleanField(_("目标层级：秘书处"), default=False)
    target_organizations = models.ManyToManyField("organizations.Organization", verbose_name=_("目标国际组织"),
                                                  blank=True, related_name="+")
    target_disciplines = models.ManyToManyField("reference.Discipline", verbose_name=_("目标学科领域"),
                                                blank=True, related_name="+")

    # Derived, stored for search, sorting and SQL filters (refreshed on every save).
    name_pinyin = models.CharField(max_length=300, editable=False, blank=True, db_index=True)
    name_initials = models.CharField(max_length=64, editable=False, blank=True, db_index=True)
    id_key = models.CharField(max_length=64, editable=False, blank=True, db_index=True)
    #: the character pairs of the name, English name and employer (`core.text.character_pairs`): what a
    #: two-character search looks up (a trigram index on PostgreSQL).
    search_pairs = models.TextField(editable=False, blank=True, default="")
    has_working_language = models.BooleanField(default=False, editable=False, db_index=True)

    # 核对: when and by whom the approved record was last confirmed accurate as it stands (services.expert_verify).
    # Not editable: a mark on the record, never in its snapshot, diffs or a revision's values.
    last_verified_at = models.DateTimeField(_("最近核对时间"), null=True, blank=True, editable=False, db_index=True)
    last_verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("最近核对人"), null=True,
                                         blank=True, editable=False, on_delete=models.SET_NULL, related_name="+")

    objects = ExpertQuerySet.as_manager()

    workflow_children = ("languages", "education", "employment", "positions")
    draft_required_fields = ("name_zh",)
    # name_en is not listed: it is filled from the Chinese name's pinyin whenever it is left empty.
    submit_required_fields = ("name_zh", "gender", "birth_date", "nationality", "id_type", "id_number",
                              "phone", "employer", "category")
    url_namespace = "experts"
    #: fields shown masked unless revealed (personal data).
    sensitive_fields = ("id_number", "birth_date")
    #: of those, the ones whose stored value the person editing sent back as the mask (set by the edit form):
    #: validation then quotes nothing from them and compares them only with values not typed either.
    shown_masked: frozenset[str] = frozenset()
    form_state_attributes = ("shown_masked",)

    class Meta:
        verbose_name = _("专家")
        verbose_name_plural = _("专家")
        indexes = [
            models.Index(fields=["name_zh", "birth_date"], name="expert_name_birth_idx"),
            models.Index(fields=["kind", "unit", "name_pinyin"], name="expert_kind_unit_pinyin_idx"),
            # Everything the reserve criteria and the age filters test, after the birth date they range over:
            # counting 符合推荐条件 or an age band reads this index alone, not one table row per match
            # (bench/experts_list.py, SQLite, 100,000 experts: reserve + eligible count 106 ms → 5 ms).
            # With the id last, an age band filtered by `pk IN (…)` (a language) is counted from this index alone on
            # PostgreSQL too (100,000 experts, English + 30–45: 105 ms → 55; SQLite's indexes hold the rowid).
            models.Index(fields=["birth_date", "revision_of", "kind", "has_working_language",
                                 "foreign_affairs_years", "id"], name="expert_birth_criteria_idx"),
            # A unit's counted experts (official rows in the counted statuses) from the index alone: every post
            # figure of 统计分析 for one unit joins the posts to them (bench/insights.py, SQLite, full scale, one
            # unit: each post query 48 ms → 9 ms, insights_compute 790 ms → 400 ms). The unit leads: led by
            # revision_of the platform-wide figures took it too and read the posts out of order (+30 %).
            models.Index(fields=["unit", "revision_of", "status"], name="expert_unit_counted_idx"),
            revision_index("expert_revision_idx"),
            official_rows_index("expert_official_rows_idx"),
            # The experts aiming at a level (a few of 100,000): the list's level filter reads them from these,
            # not from every expert row.
            *(models.Index(fields=["id"], condition=models.Q(**{f"target_{level}": True}),
                           name=f"expert_target_{level}_idx") for level in Level.values),
        ]

    def __str__(self):
        return self.name_zh or str(_("未命名专家"))

    @classmethod
    def kind_label(cls) -> str:
        return str(_("专家"))

    # --- derived values -------------------------------------------------------------------------------
    @property
    def target_levels(self) -> list[str]:
        return [value for value in Level.values if getattr(self, f"target_{value}")]

    def get_target_levels_display(self) -> str:
        return "、".join(str(Level(value).label) for value in self.target_levels)

    def age(self, today: datetime.date | None = None) -> int | None:
        if self.birth_date is None:
            return None
        return adult_age(self.birth_date, today or clock.today())

    @property
    def masked_id_number(self) -> str:
        return identity.mask_id_number(self.id_number)

    @property
    def masked_birth_date(self) -> str:
        return identity.mask_birth_date(self.birth_date)

    #: {"derived": (inputs, values), "id_errors": (arguments, errors), "fields": ...}: `derived_values` and
    #: `id_errors_of` of this expert's values as another process worked them out ahead (an import that parses
    #: ahead, `experts.imports.expert_checks_ahead`): taken where the inputs are this expert's, else worked out
    #: here; "fields": `core.bulk.RowCleaner.fields_pass`, read by the cleaner
    worked_ahead: dict | None = None

    def _ahead(self, what: str, inputs: tuple):
        found = (self.worked_ahead or {}).get(what)
        return found[1] if found is not None and found[0] == inputs else None

    def fill_derived_fields(self) -> None:
        """Values computed from the row itself (before saving): pinyin, initials, the duplicate key
        (`derived_values`)."""
        inputs = tuple(getattr(self, name) for name in DERIVED_INPUTS)
        if getattr(self, "_derived_from", None) == inputs:
            return  # already filled from these values (clean() and save() both ask)
        values = self._ahead("derived", inputs)
        for name, value in (values if values is not None else derived_values(*inputs)).items():
            setattr(self, name, value)
        self._derived_from = tuple(getattr(self, name) for name in DERIVED_INPUTS)

    def refresh_derived(self) -> None:
        """Stored flags that depend on child rows (after the record and its children are saved)."""
        self.has_working_language = self.languages.filter(language__in=CRITERION_LANGUAGES).exists()
        type(self).objects.filter(pk=self.pk).update(has_working_language=self.has_working_language)

    @classmethod
    def refresh_derived_batch(cls, records: list) -> None:
        pks = [record.pk for record in records]
        with_language = set(ExpertLanguage.objects.filter(expert__in=pks, language__in=CRITERION_LANGUAGES)
                            .values_list("expert_id", flat=True))
        # The batch writer has just stored each record as it is in memory: only the flags that change are
        # written again.
        changed = {True: [], False: []}
        for record in records:
            value = record.pk in with_language
            if record.has_working_language != value:
                changed[value].append(record.pk)
            record.has_working_language = value
        for value, changed_pks in changed.items():
            if changed_pks:
                cls.objects.filter(pk__in=changed_pks).update(has_working_language=value)

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    # --- validation -----------------------------------------------------------------------------------
    def clean(self):
        super().clean()
        self.fill_derived_fields()
        errors: dict[str, list[str]] = {}
        today = clock.today()
        if self.birth_date:
            if self.birth_date > today:
                errors.setdefault("birth_date", []).append(gettext("出生日期不能晚于今天。"))
            elif adult_age(self.birth_date, today) < 18:
                errors.setdefault("birth_date", []).append(
                    gettext("专家年龄应不小于 18 岁（按出生日期计算为 %(age)s 岁），请核对出生日期。")
                    % {"age": adult_age(self.birth_date, today)})
        if self.id_number:
            # A typed birth date checked against a masked number (or the reverse) would answer "does it match?"
            # for each guess, and about thirty guesses give the full number: the edit form asks for both in
            # full instead (ExpertForm.refuse_checks_against_masked_values).
            masked = self.shown_masked
            like_with_like = ("id_number" in masked) == ("birth_date" in masked)
            for field, message in self.id_errors(birth_date=self.birth_date if like_with_like else None,
                                                 disclose="id_number" not in masked):
                errors.setdefault(field, []).append(message)
        if self.foreign_affairs_years is not None and self.foreign_affairs_years < 0:
            errors.setdefault("foreign_affairs_years", []).append(gettext("涉外工作年限不能为负数。"))
        if errors:
            raise ValidationError(errors)

    def id_errors(self, *, birth_date, disclose: bool) -> list[tuple[str, str]]:
        """`identity.id_number_errors` of this expert's document number (worked out ahead, or here)."""
        arguments = (self.id_type, self.id_number, birth_date, self.gender, disclose)
        errors = self._ahead("id_errors", arguments)
        return errors if errors is not None else id_errors_of(*arguments)

    def submit_errors(self):
        errors = super().submit_errors()
        if self.kind == ExpertKind.SERVING:
            # Read through .all(): a batch has them prefetched (`records_save_batch`), a page reads them once.
            if not any(p.status == PositionStatus.CURRENT for p in self.positions.all()):
                errors["positions"] = [gettext("已任职专家提交前请至少填写一条“现任”的国际组织任职信息。")]
        elif not self.target_levels:
            errors["target_leadership"] = [gettext("后备专家提交前请至少选择一个目标层级。")]
        if not self.languages.all():
            errors["languages"] = [gettext("提交前请至少填写一种外语能力。")]
        return errors

    #: what a reserve expert is put forward for; a serving expert has none (kept in the row, never shown).
    nomination_target_fields = ("target_organizations", "target_disciplines")

    def snapshot_many_to_many(self):
        fields = super().snapshot_many_to_many()
        if self.kind == ExpertKind.SERVING:  # not read at all: snapshot() would drop them
            fields = [f for f in fields if f.name not in self.nomination_target_fields]
        return fields

    def snapshot(self, *, related=None):
        """Personal data enters history and diffs only masked; a serving expert has no nomination targets."""
        data = super().snapshot(related=related)
        if self.kind == ExpertKind.SERVING:
            for name in ("target_leadership", "target_mid_level", "target_secretariat", "target_organizations",
                         "target_disciplines"):
                data.pop(name, None)
        if "id_number" in data:
            data["id_number"]["value"] = self.masked_id_number
        if "birth_date" in data:
            data["birth_date"]["value"] = self.masked_birth_date
        return data


def _check_dates(start, end, *, start_field="start", end_field="end", label=None) -> dict:
    """`label`: the message for an end before the start (translated only when it is needed)."""
    if start and end and end < start:
        return {end_field: [gettext("结束时间不能早于开始时间。") if label is None else gettext(label)]}
    return {}


class ExpertLanguage(models.Model):
    """A language the expert speaks (外语能力) and how well, with a certificate if any."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("语种"), max_length=16, choices=Language.choices)
    proficiency = models.CharField(_("熟练程度"), max_length=16, choices=Proficiency.choices)
    certificate = models.CharField(_("证书"), max_length=200, blank=True, help_text=_("如 IELTS 7.5、DALF C1"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("外语能力")
        verbose_name_plural = _("外语能力")
        indexes = [models.Index(fields=["language", "expert"], name="expertlanguage_lang_idx")]

    def __str__(self):
        return self.snapshot_line(get_language())

    def snapshot_line(self, language: str) -> str:
        """`str()`, the labels in `language` (the active one: a snapshot holds it for all its lines)."""
        parts = [choice_label(self, "language", language), choice_label(self, "proficiency", language),
                 self.certificate]
        return " · ".join(str(p) for p in parts if p)


class Education(models.Model):
    """One period of study (教育经历)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="education")
    start = models.DateField(_("开始时间"), null=True, blank=True)
    end = models.DateField(_("结束时间"), null=True, blank=True)
    institution = NormalizedCharField(_("学校/机构"), max_length=200)
    country = models.ForeignKey("reference.Country", verbose_name=_("国家或地区"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    degree = models.CharField(_("学位/学历"), max_length=64, blank=True)
    major = models.CharField(_("专业"), max_length=100, blank=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("教育经历")
        verbose_name_plural = _("教育经历")

    def __str__(self):
        return self.snapshot_line(get_language())

    def snapshot_line(self, language: str) -> str:
        """`str()`, the country's name in `language` (the active one: a snapshot holds it for all its lines)."""
        period = f"{self.start or ''}–{self.end or _('至今')}"
        country = self.country.name_in(language) if self.country_id else ""
        return " · ".join(str(p) for p in [period, self.institution, country, self.degree, self.major] if p)

    def clean(self):
        errors = _check_dates(self.start, self.end)
        if errors:
            raise ValidationError(errors)


class Employment(models.Model):
    """One job (工作经历)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="employment")
    start = models.DateField(_("开始时间"), null=True, blank=True)
    end = models.DateField(_("结束时间"), null=True, blank=True)
    institution = NormalizedCharField(_("工作单位"), max_length=200)
    country = models.ForeignKey("reference.Country", verbose_name=_("国家或地区"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    post = models.CharField(_("职务"), max_length=100, blank=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("工作经历")
        verbose_name_plural = _("工作经历")

    def __str__(self):
        return self.snapshot_line(get_language())

    def snapshot_line(self, language: str) -> str:
        """`str()`, the country's name in `language` (the active one: a snapshot holds it for all its lines)."""
        period = f"{self.start or ''}–{self.end or _('至今')}"
        country = self.country.name_in(language) if self.country_id else ""
        return " · ".join(str(p) for p in [period, self.institution, country, self.post] if p)

    def clean(self):
        errors = _check_dates(self.start, self.end)
        if errors:
            raise ValidationError(errors)


class Position(models.Model):
    """A post the expert holds or held in an international organization (任职情况), with its term."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="positions")
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("国际组织"),
                                     on_delete=models.PROTECT, related_name="expert_positions")
    post_title = models.CharField(_("职务名称"), max_length=200, blank=True)
    role = models.CharField(_("职位"), max_length=32, choices=Role.choices)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    term_start = models.DateField(_("任期开始"), null=True, blank=True)
    term_end = models.DateField(_("任期结束"), null=True, blank=True, db_index=True)
    status = models.CharField(_("任职状态"), max_length=16, choices=PositionStatus.choices,
                              default=PositionStatus.CURRENT, db_index=True)

    unit_scope_field = "expert__unit"
    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["term_start", "id"]
        verbose_name = _("国际组织任职情况")
        verbose_name_plural = _("国际组织任职情况")
        indexes = [
            models.Index(fields=["organization", "status"], name="position_org_status_idx"),
            # The list's filters by level and by role read the experts' ids from the index alone.
            models.Index(fields=["level", "expert"], name="position_level_expert_idx"),
            models.Index(fields=["role", "expert"], name="position_role_expert_idx"),
            # Level and role together: whether a role is held at other levels, and the experts of one (see
            # `selectors.filter_experts`).
            models.Index(fields=["role", "level", "expert"], name="position_role_level_idx"),
        ]

    def __str__(self):
        return self.snapshot_line(get_language())

    def snapshot_line(self, language: str) -> str:
        """`str()`, the labels in `language` (the active one: a snapshot holds it for all its lines)."""
        period = f"{self.term_start or ''}–{self.term_end or ''}"
        parts = [str(self.organization) if self.organization_id else "", self.post_title,
                 choice_label(self, "role", language), choice_label(self, "level", language), period,
                 choice_label(self, "status", language)]
        return " · ".join(str(p) for p in parts if p)

    @property
    def ends_soon(self) -> bool:
        """A current post whose term ends within IODP_TERM_ENDING_MONTHS (6) months: 任期届满 is near."""
        from django.conf import settings

        from .selectors import add_months

        if self.status != PositionStatus.CURRENT or self.term_end is None:
            return False
        today = clock.today()
        return today <= self.term_end <= add_months(today, int(getattr(settings, "IODP_TERM_ENDING_MONTHS", 6)))

    @property
    def organization_url(self) -> str:
        """The organization's page."""
        return self.organization.get_absolute_url()

    def clean(self):
        errors = _check_dates(self.term_start, self.term_end, start_field="term_start", end_field="term_end",
                              label=gettext_noop("任期结束不能早于任期开始。"))
        today = clock.today()
        if self.status == PositionStatus.FORMER and self.term_start and self.term_start > today:
            errors.setdefault("status", []).append(gettext("任期尚未开始，不能为“曾任”。"))
        if self.status == PositionStatus.CURRENT and self.term_end and self.term_end < today:
            errors.setdefault("status", []).append(gettext("任期已于 %(date)s 结束，请改为“曾任”。")
                                                   % {"date": self.term_end.isoformat()})
        if errors:
            raise ValidationError(errors)
