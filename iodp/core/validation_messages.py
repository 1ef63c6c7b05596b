"""Validation messages that name the field and its limit ("英文缩写最多 32 个字符"), in place of Django's
generic wording ("确保该值不超过 32 个字符"), for every form field (`PlatformFormMixin`) and every model field of
the platform's apps (`specify_model_messages`, at start-up), so a service's `full_clean` says the same thing.

Only Django's own default messages are replaced: a message a field or form chose itself is kept.
"""

from django import forms
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

#: Django's parameters left in place for `ValidationError` to fill (limit, current length, value...).
_LATER = ("limit_value", "show_value", "value", "max", "pk", "model_name", "field_label", "date_field_label",
          "lookup_type")

REQUIRED_TEXT = _("请填写%(label)s。")
REQUIRED_CHOICE = _("请选择%(label)s。")
MAX_LENGTH = _("%(label)s最多 %(limit_value)s 个字符（当前 %(show_value)s 个）。")
MIN_LENGTH = _("%(label)s至少 %(limit_value)s 个字符（当前 %(show_value)s 个）。")
MIN_VALUE = _("%(label)s不能小于 %(limit_value)s。")
MAX_VALUE = _("%(label)s不能大于 %(limit_value)s。")
STEP_SIZE = _("%(label)s须为 %(limit_value)s 的整数倍。")
INVALID_CHOICE = _("%(label)s的选项“%(value)s”无效，请从列表中选择。")
INVALID_PK = _("%(label)s的选项“%(pk)s”无效，请从列表中选择。")
INVALID_LIST = _("请从列表中选择%(label)s（可多选）。")
INVALID_DATE = _("%(label)s请填写有效的日期，例如 2024-05-01。")
INVALID_DATETIME = _("%(label)s请填写有效的日期和时间，例如 2024-05-01 09:30。")
INVALID_INTEGER = _("%(label)s请填写整数。")
INVALID_NUMBER = _("%(label)s请填写数字，例如 1500 或 12.5。")
INVALID_EMAIL = _("%(label)s请填写有效的邮箱地址，例如 name@example.org。")
INVALID_URL = _("%(label)s请填写有效的网址，例如 https://www.example.org。")
INVALID_FORMAT = _("%(label)s的格式不正确。")
MAX_DIGITS = _("%(label)s最多 %(max)s 位数字。")
MAX_DECIMALS = _("%(label)s最多保留 %(max)s 位小数。")
MAX_WHOLE_DIGITS = _("%(label)s的整数部分最多 %(max)s 位。")
UNIQUE = _("已有%(label)s相同的记录，请检查是否重复填写。")
NOT_A_DATE = _("%(label)s“%(value)s”不是存在的日期。")


class _KeepLater(dict):
    def __missing__(self, key):
        return f"%({key})s"


def _fill(template, label) -> str:
    return str(template) % _KeepLater(label=str(label).replace("%", "%%"))


fill = lazy(_fill, str)


def _is_django_default(field, code: str) -> bool:
    """Whether `field`'s message for `code` is missing or one of Django's own defaults."""
    current = field.error_messages.get(code)
    if current is None:
        return True
    return any(cls.__module__.startswith("django.") and cls.__dict__.get("default_error_messages", {}).get(code)
               is current for cls in type(field).__mro__)


def _invalid_message(field):
    if isinstance(field, (forms.DateTimeField, models.DateTimeField)):
        return INVALID_DATETIME
    if isinstance(field, (forms.DateField, models.DateField)):
        return INVALID_DATE
    if isinstance(field, (forms.IntegerField, models.IntegerField)) and not isinstance(field, forms.DecimalField):
        return INVALID_INTEGER
    if isinstance(field, (forms.DecimalField, forms.FloatField, models.DecimalField, models.FloatField)):
        return INVALID_NUMBER
    if isinstance(field, (forms.EmailField, models.EmailField)):
        return INVALID_EMAIL
    if isinstance(field, (forms.URLField, models.URLField)):
        return INVALID_URL
    return INVALID_FORMAT


def _is_choice(field) -> bool:
    if isinstance(field, forms.Field):
        return isinstance(field, (forms.ChoiceField, forms.ModelChoiceField, forms.ModelMultipleChoiceField))
    return bool(field.choices) or field.is_relation


def specific_messages(field, label) -> dict:
    """{code: message} naming `label` for a form or model field."""
    required = REQUIRED_CHOICE if _is_choice(field) else REQUIRED_TEXT
    templates = {
        "required": required, "blank": required, "null": required,
        "max_length": MAX_LENGTH, "min_length": MIN_LENGTH, "min_value": MIN_VALUE, "max_value": MAX_VALUE,
        "step_size": STEP_SIZE, "invalid_choice": INVALID_CHOICE, "invalid_pk_value": INVALID_PK,
        "invalid_list": INVALID_LIST, "invalid": _invalid_message(field), "max_digits": MAX_DIGITS,
        "max_decimal_places": MAX_DECIMALS, "max_whole_digits": MAX_WHOLE_DIGITS, "unique": UNIQUE,
        "invalid_date": NOT_A_DATE,
    }
    return {code: _specific(fill(template, label)) for code, template in templates.items()}


def _specific(message):
    message._iodp_specific = True  # set by this module (so not a message a model field chose itself)
    return message


def specify_field_messages(field, label, *, model_field=None) -> None:
    """Replace `field`'s generic Django messages (and those of its validators, which a field overrides by
    code) with ones naming `label`. A model form's field also leaves alone the codes its model field chose a
    message for: a form field's message for a code replaces the model's (ModelForm._update_errors)."""
    if not label:
        return
    chosen = _codes_with_chosen_validator_messages(field)
    if model_field is not None:
        chosen |= _codes_with_chosen_validator_messages(model_field)
        chosen |= {code for code in model_field.error_messages if not _is_django_default(model_field, code)
                   and not getattr(model_field.error_messages[code], "_iodp_specific", False)}
    for code, message in specific_messages(field, label).items():
        if code not in chosen and _is_django_default(field, code):
            field.error_messages[code] = message


def _codes_with_chosen_validator_messages(field) -> set[str]:
    """Codes of validators given a message of their own (e.g. "年份不能早于 1600 年"): a field's message for a
    code replaces its validators' messages, so those codes keep Django's (unused) default."""
    codes = set()
    for validator in field.validators:
        code, message = getattr(validator, "code", None), getattr(validator, "message", None)
        if code and message is not None and message is not getattr(type(validator), "message", None):
            codes.add(code)
    return codes


def specify_model_messages(app_prefix: str = "iodp.") -> None:
    """Give every model field of the platform's apps its specific messages (called once at start-up)."""
    from django.apps import apps

    for model in apps.get_models():
        if not model.__module__.startswith(app_prefix):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.Field) and field.concrete and hasattr(field, "error_messages"):
                specify_field_messages(field, field.verbose_name)
