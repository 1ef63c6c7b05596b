"""The dashboard's filters: which unit (the platform admin only), as of which day, and whether submitted
records count."""

from django import forms
from django.utils.translation import gettext_lazy as _

from iodp.accounts.models import Unit, UnitStatus


class InsightsFilterForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("填报单位"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("全平台"))
    as_of = forms.DateField(label=_("统计日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                            help_text=_("留空为今天。"))
    include_submitted = forms.BooleanField(label=_("包含待审核数据"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_platform_admin:
            self.fields["unit"].queryset = Unit.objects.filter(status=UnitStatus.APPROVED).order_by("name")
        else:
            del self.fields["unit"]  # a unit admin sees its own unit's figures: any ?unit= is ignored

    def scope(self, user) -> dict:
        """The arguments of `insights_compute`: invalid filters fall back to their defaults."""
        data = self.cleaned_data if self.is_valid() else {}
        unit = data.get("unit") if user.is_platform_admin else user.unit
        return {"unit": unit, "as_of": data.get("as_of"), "include_submitted": bool(data.get("include_submitted"))}
