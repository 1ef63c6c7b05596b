"""The notice form: title, body, deadline and several attachments at once."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Notice, NoticeAttachment


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type=file multiple>; cleaned to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class NoticeForm(forms.ModelForm):
    attachments = MultipleFileField(label=_("添加附件"),
                                    help_text=_("可一次选择多个文件，如通知正文的 PDF、需要填写的表格。"))
    remove_attachments = forms.ModelMultipleChoiceField(label=_("删除附件"), queryset=None, required=False,
                                                        widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Notice
        fields = ["title", "body", "deadline"]
        widgets = {"title": forms.TextInput(attrs={"class": "form-control"}),
                   "body": forms.Textarea(attrs={"class": "form-control", "rows": 12}),
                   "deadline": forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["remove_attachments"].queryset = NoticeAttachment.objects.filter(
                notice=self.instance).defer("content")
            self.fields["remove_attachments"].label_from_instance = lambda a: a.file_name
        else:
            del self.fields["remove_attachments"]
