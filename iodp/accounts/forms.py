from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from iodp.core.fields import NormalizedFormCharField
from iodp.core.forms import PlatformForm
from iodp.core.validators import normalize_phone
from iodp.reference.models import Region

from .models import Unit, UnitStatus, UnitType, User


class LoginForm(AuthenticationForm):
    """Login that refuses pending, rejected and suspended units with the reason."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        refusal = user.login_refusal()
        if refusal:
            raise forms.ValidationError(refusal, code="account_status")


class RegistrationForm(PlatformForm):
    unit_type = forms.ChoiceField(label=_("单位类型"), choices=UnitType.choices)
    unit_name = NormalizedFormCharField(label=_("单位名称"), max_length=200)
    province = forms.ModelChoiceField(label=_("所在地（省级）"), queryset=Region.objects.all(),
                                      empty_label=_("请选择"))
    admin_name = NormalizedFormCharField(label=_("单位管理员姓名"), max_length=64)
    admin_phone = forms.CharField(label=_("单位管理员电话"), max_length=32,
                                  help_text=_("手机或座机，如 13800138000、010-68571234"))
    admin_email = forms.EmailField(label=_("单位管理员邮箱"))
    username = forms.RegexField(label=_("用户名"), max_length=150, regex=r"^[\w.@+-]+\Z",
                                help_text=_("字母、数字和 @/./+/-/_，用于登录"),
                                error_messages={"invalid": _("用户名只能包含字母、数字和 @/./+/-/_ 字符。")})
    password1 = forms.CharField(label=_("密码"), strip=False, widget=forms.PasswordInput,
                                help_text=password_validation.password_validators_help_text_html())
    password2 = forms.CharField(label=_("确认密码"), strip=False, widget=forms.PasswordInput)

    def clean_unit_name(self):
        name = self.cleaned_data["unit_name"]
        if Unit.objects.filter(name__iexact=name).exclude(status=UnitStatus.REJECTED).exists():
            raise forms.ValidationError(_("该单位名称已注册。如需找回账号，请联系平台管理员。"))
        return name

    def clean_username(self):
        username = self.cleaned_data["username"]
        existing = User.objects.filter(username__iexact=username).select_related("unit").first()
        if existing is not None and existing.unit is not None and existing.unit.status == UnitStatus.REJECTED:
            # The rejected account keeps its name, so its history still reads who applied.
            raise forms.ValidationError(_("该用户名属于已被驳回的注册申请，请设置新的用户名重新注册。"))
        if existing is not None:
            raise forms.ValidationError(_("该用户名已被使用。"))
        return username

    def clean_admin_phone(self):
        return normalize_phone(self.cleaned_data["admin_phone"])

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif p1:
            probe = User(username=data.get("username", ""), email=data.get("admin_email", ""),
                         first_name=data.get("admin_name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ReasonForm(PlatformForm):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
