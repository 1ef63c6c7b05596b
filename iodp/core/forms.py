"""Form pieces shared by every module."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .validation_messages import specify_field_messages
from .validators import normalize_phone


class PhoneFormField(forms.CharField):
    """A Chinese or international phone number, stored in E.164 form (+8613800138000)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("help_text", _("手机、座机或国际号码，如 13800138000、010-68571234、+44 20 7946 0958"))
        super().__init__(**kwargs)

    def clean(self, value):
        return normalize_phone(super().clean(value))

    def prepare_value(self, value):
        from .templatetags.core_tags import phone_display

        return phone_display(value) if value and str(value).startswith("+") else value


class PlatformFormMixin:
    """What every form of the platform shares: validation messages that name the field and its limit
    (`iodp.core.validation_messages`) in place of Django's generic ones. Applied when the form is validated,
    so fields a form replaces in its own __init__ get them too."""

    def full_clean(self):
        model = getattr(getattr(self, "_meta", None), "model", None)
        model_fields = {f.name: f for f in model._meta.concrete_fields + model._meta.many_to_many} if model else {}
        for name, field in self.fields.items():
            specify_field_messages(field, field.label or name, model_field=model_fields.get(name))
        super().full_clean()


class PlatformForm(PlatformFormMixin, forms.Form):
    pass


class PlatformModelForm(PlatformFormMixin, forms.ModelForm):
    pass
