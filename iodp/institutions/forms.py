from django import forms

from iodp.core.forms import PhoneFormField, PlatformModelForm

from .models import Institution, InstitutionContact


class InstitutionForm(PlatformModelForm):
    class Meta:
        model = Institution
        fields = ["name_zh", "name_en", "unit_type", "province", "city", "address", "website", "description",
                  "admin_name", "admin_phone", "admin_email"]
        field_classes = {"admin_phone": PhoneFormField}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


ContactFormSet = forms.inlineformset_factory(
    Institution, InstitutionContact, form=PlatformModelForm, fields=["name", "role", "phone", "email"],
    field_classes={"phone": PhoneFormField}, extra=1, can_delete=True, max_num=20, validate_max=True,
)
