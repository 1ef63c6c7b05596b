from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from iodp.accounts.models import Unit, UnitStatus
from iodp.core.forms import PlatformForm

ACCEPTED = ".xlsx,.xls,.csv"


class ImportForm(PlatformForm):
    file = forms.FileField(label=_("选择文件"), allow_empty_file=True, help_text=_("Excel（.xlsx、.xls）或 CSV（UTF-8 或 GBK 编码）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED}))
    submit = forms.BooleanField(label=_("导入后直接提交审核"), required=False,
                                help_text=_("不勾选时，导入的记录保存到草稿箱，可检查后再提交。"))
    unit = forms.ModelChoiceField(label=_("导入到单位"), queryset=Unit.objects.filter(status=UnitStatus.APPROVED))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_platform_admin:
            del self.fields["unit"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IODP_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(_("文件大小 %(size).1f MB，超过上限 %(limit)d MB。请拆分后分批导入。") % {
                "size": upload.size / 1024 / 1024, "limit": limit // 1024 // 1024})
        return upload
