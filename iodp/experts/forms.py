"""Forms of the experts module: the expert record, its four child lists, and the list filters."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from iodp.core.forms import PhoneFormField, PlatformModelForm
from iodp.organizations.forms import OrganizationChoiceField, OrganizationMultiWidget
from iodp.organizations.models import Organization
from iodp.reference.models import Country, Discipline

from .models import (
    Education,
    Employment,
    Expert,
    ExpertKind,
    ExpertLanguage,
    IdType,
    Language,
    Level,
    Position,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UNKNOWN_ORGANIZATION = _("请从国际组织名录中选择。名录中没有该组织时，请先新增国际组织，再填写任职信息。")


def organization_field(user, **kwargs):
    """The organization picker: the registry's typeahead, limited to what `user` may choose."""
    field = OrganizationChoiceField(user=user, **kwargs)
    field.widget.create_hint = _("填写专家任职信息前请务必先填写任职的国际组织信息")
    field.error_messages["invalid_choice"] = UNKNOWN_ORGANIZATION
    return field


class ExpertForm(PlatformModelForm):
    """The expert record; the reserve targets appear only for a reserve expert."""

    target_levels = forms.MultipleChoiceField(label=_("目标层级"), choices=Level.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Expert
        fields = ["name_zh", "name_en", "gender", "birth_date", "nationality", "id_type", "id_number", "phone",
                  "email", "employer", "department", "job_title", "professional_title", "category", "disciplines",
                  "foreign_affairs_years", "has_intl_org_experience", "foreign_affairs_description",
                  "target_organizations", "target_disciplines"]
        field_classes = {"phone": PhoneFormField}
        widgets = {
            "birth_date": DATE,
            "foreign_affairs_description": forms.Textarea(attrs={"rows": 3}),
            "disciplines": forms.SelectMultiple(attrs={"size": 6}),
            "target_disciplines": forms.SelectMultiple(attrs={"size": 6}),
            "target_organizations": OrganizationMultiWidget,
            "foreign_affairs_years": forms.NumberInput(attrs={"step": "0.5", "min": "0"}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["nationality"].queryset = Country.objects.all()
        self.fields["disciplines"].queryset = Discipline.objects.all()
        self.fields["id_type"].choices = IdType.choices
        self.fields["id_number"].help_text = _("居民身份证号码将按 GB 11643 校验，并与出生日期、性别核对；页面上默认隐藏部分号码。")
        if not self.instance.pk and not self.initial.get("nationality"):
            self.initial["nationality"] = Country.objects.filter(code="CN").values_list("pk", flat=True).first()
        if self.instance.kind == ExpertKind.RESERVE:
            self.fields["target_disciplines"].queryset = Discipline.objects.all()
            self.fields["target_organizations"].queryset = Organization.objects.visible_to(user).order_by("name_zh")
            self.fields["target_organizations"].error_messages["invalid_choice"] = UNKNOWN_ORGANIZATION
            self.initial.setdefault("target_levels", self.instance.target_levels)
        else:
            for name in ("target_levels", "target_organizations", "target_disciplines"):
                del self.fields[name]
        self.order_fields(list(self.Meta.fields[:-2]) + ["target_levels", "target_organizations",
                                                           "target_disciplines"])
        self._mask_stored_personal_data()

    def _mask_stored_personal_data(self):
        """Personal data stays masked on the edit page too: the stored ID number and birth date are shown as
        110105********1234 / 1980-**-**, and sending the mask back keeps the stored value (see the clean_ methods).
        Seeing them in full is the audited reveal on the expert's page."""
        stored = self.instance
        self.masked = {}
        self.sent_masked = set()  # fields sent back as their mask (the stored value is kept)
        if stored.pk and stored.id_number:
            self.masked["id_number"] = stored.masked_id_number
            self.initial["id_number"] = stored.masked_id_number
        if stored.pk and stored.birth_date:
            self.masked["birth_date"] = stored.masked_birth_date
            self.fields["birth_date"] = forms.CharField(
                label=self.fields["birth_date"].label, required=False,
                help_text=_("已隐藏。如需修改，请按 YYYY-MM-DD 格式填写新的出生日期。"))
            self.initial["birth_date"] = stored.masked_birth_date

    def clean_name_zh(self):
        return (self.cleaned_data.get("name_zh") or "").strip()

    def clean_id_number(self):
        value = (self.cleaned_data.get("id_number") or "").strip()
        if self.masked.get("id_number") and value == self.masked["id_number"]:
            self.sent_masked.add("id_number")
            return self.instance.id_number
        return value

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        if "birth_date" not in self.masked:
            return value
        value = (value or "").strip()
        if value == self.masked["birth_date"]:
            self.sent_masked.add("birth_date")
            return self.instance.birth_date
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError(_("请按 YYYY-MM-DD 格式填写出生日期，如 1975-03-08。")) from None

    def clean(self):
        cleaned_data = super().clean()
        self.refuse_checks_against_masked_values(cleaned_data)
        return cleaned_data

    def refuse_checks_against_masked_values(self, cleaned_data):
        """See `masked_value_errors` (the importer applies the same rule)."""
        if "id_number" in self.errors:
            cleaned_data = {**cleaned_data, "id_number": ""}
        for name, message in masked_value_errors(
                stored=self.instance, sent_masked=self.sent_masked, id_type=cleaned_data.get("id_type"),
                birth_date=cleaned_data.get("birth_date"), id_number=cleaned_data.get("id_number")).items():
            self.add_error(name, message)

    def _post_clean(self):
        self.instance.shown_masked = frozenset(self.sent_masked)
        if "target_levels" in self.fields:
            chosen = set(self.cleaned_data.get("target_levels") or [])
            for value in Level.values:
                setattr(self.instance, f"target_{value}", value in chosen)
        super()._post_clean()


def masked_value_errors(*, stored, sent_masked, id_type, birth_date, id_number) -> dict[str, str]:
    """A typed birth date is checked against the ID number only when the number is typed too, and the
    reverse: against a masked stored value, "does not match" or "saved" for each guess would yield the hidden
    digits (the mask shows the year and the check digit, leaving some thirty candidates) without the audited
    reveal. The answer depends only on which fields were typed, never on the stored values. `sent_masked`: the
    fields sent back as their mask (the stored value kept). Used by the edit form and the importer."""
    stored_type = stored.id_type if stored is not None else ""
    if stored_type != IdType.RESIDENT_ID and id_type != IdType.RESIDENT_ID:
        return {}
    if "id_number" in sent_masked and id_type != stored_type:
        return {"id_number": _("证件类型已修改：请重新填写完整的证件号码。")}
    if "id_number" in sent_masked and "birth_date" not in sent_masked and birth_date:
        return {"id_number": _("出生日期已修改：请同时填写完整的身份证号码，以便核对两者是否一致。")}
    if "birth_date" in sent_masked and "id_number" not in sent_masked and id_number:
        return {"birth_date": _("身份证号码已修改：请同时填写完整的出生日期，以便核对两者是否一致。")}
    return {}


def duplicate_language_error(languages) -> str:
    """"" or why a list of languages is refused (one row per language; 其他 may repeat). Form and importer."""
    seen = set()
    for language in languages:
        if language and language != Language.OTHER:
            if language in seen:
                return _("同一语种请只填写一行。")
            seen.add(language)
    return ""


class LanguageForm(PlatformModelForm):
    class Meta:
        model = ExpertLanguage
        fields = ["language", "proficiency", "certificate"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class EducationForm(PlatformModelForm):
    class Meta:
        model = Education
        fields = ["start", "end", "institution", "country", "degree", "major"]
        widgets = {"start": DATE, "end": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class EmploymentForm(PlatformModelForm):
    class Meta:
        model = Employment
        fields = ["start", "end", "institution", "country", "post"]
        widgets = {"start": DATE, "end": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class PositionForm(PlatformModelForm):
    class Meta:
        model = Position
        fields = ["organization", "post_title", "role", "level", "term_start", "term_end", "status"]
        widgets = {"term_start": DATE, "term_end": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_field(user, label=_("国际组织"))


class LanguageFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        message = duplicate_language_error(
            form.cleaned_data.get("language") for form in self.forms
            if hasattr(form, "cleaned_data") and not form.cleaned_data.get("DELETE") and form.has_changed())
        if message:
            raise forms.ValidationError(message)


def _formset(model, form, **kwargs):
    return forms.inlineformset_factory(Expert, model, form=form, extra=1, can_delete=True, max_num=30,
                                       validate_max=True, **kwargs)


LanguageFormSetClass = _formset(ExpertLanguage, LanguageForm, formset=LanguageFormSet)
EducationFormSet = _formset(Education, EducationForm)
EmploymentFormSet = _formset(Employment, EmploymentForm)
PositionFormSet = _formset(Position, PositionForm)

FORMSETS = {"languages": LanguageFormSetClass, "education": EducationFormSet, "employment": EmploymentFormSet,
            "positions": PositionFormSet}
