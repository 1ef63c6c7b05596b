"""Forms of the organizations module, and the organization picker other modules reuse.

`OrganizationChoiceField` is how any form (e.g. an expert's positions) chooses an organization: a text
input with a typeahead over the registry that stores the chosen id in a hidden input.
"""

from django import forms
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from iodp.core.filters import SafeModelChoiceField, parse_id
from iodp.core.forms import PhoneFormField, PlatformModelForm
from iodp.core.workflow import RecordStatus
from iodp.reference.forms import CurrencyFormField
from iodp.reference.models import Discipline

from .models import DIRECTORY_FIELDS as ORGANIZATION_DIRECTORY_FIELDS
from .models import (
    Award,
    Conference,
    GoverningBody,
    Membership,
    MembershipForm,
    MembershipRelation,
    Organization,
)

TYPEAHEAD_JS = "iodp/js/org-typeahead.js"


def choosable_organizations(widget):
    """What a picker widget may name: its field's queryset (ModelChoiceField hands it to the widget as
    `choices`), else only the approved registry. A prefilled or re-rendered id outside it shows no name."""
    queryset = getattr(getattr(widget, "choices", None), "queryset", None)
    return queryset if queryset is not None else Organization.objects.official()


class OrganizationTypeaheadWidget(forms.Widget):
    """A text box that searches the registry as the user types; the chosen organization's id goes in a hidden
    input. Behaviour is attached by event delegation (org-typeahead.js), so rows added to a formset work too."""

    class Media:
        js = [TYPEAHEAD_JS]

    def __init__(self, attrs=None, *, show_create_link: bool = True, create_hint=None):
        super().__init__(attrs)
        self.show_create_link = show_create_link
        self.create_hint = create_hint  # what the "新增国际组织" link is for on this form

    def id_for_label(self, id_):
        return id_

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def _label_for(self, value) -> str:
        if value in (None, ""):
            return ""
        pk = value.pk if isinstance(value, Organization) else parse_id(value)
        if pk is None:
            return ""
        found = choosable_organizations(self).only("name_zh", "name_en", "acronym").filter(pk=pk).first()
        return "" if found is None else str(found)

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        input_id = attrs.pop("id", f"id_{name}")
        classes = attrs.pop("class", "").split()
        css = " ".join(classes + ([] if "form-control" in classes else ["form-control"]))
        value = "" if value is None else (value.pk if isinstance(value, Organization) else value)
        link = ""
        described_by = attrs.get("aria-describedby", "")
        if self.show_create_link:
            link_id = f"{input_id}_createhint"
            described_by = f"{described_by} {link_id}".strip()
            link = format_html(
                '<div class="form-text" id="{}"><a href="{}" target="_blank" rel="noopener">{}</a> · {}</div>',
                link_id, reverse("organizations:create"), _("新增国际组织"),
                self.create_hint or _("名录中没有要选的国际组织时，请先新增（在新标签页中打开）。"))
        return format_html(
            '<div class="org-typeahead position-relative" data-org-typeahead data-search-url="{url}">'
            '<input type="hidden" name="{name}" value="{value}" data-org-typeahead-value>'
            '<input type="text" id="{id}" class="{css}" value="{label}" autocomplete="off" role="combobox" '
            'aria-autocomplete="list" aria-expanded="false" placeholder="{placeholder}"{described_by} '
            'data-org-typeahead-input>'
            '<div class="list-group position-absolute w-100 shadow-sm org-typeahead-menu"'
            ' role="listbox" hidden data-org-typeahead-menu></div>{link}</div>',
            url=reverse("organizations:search_json"), name=name, value=value, id=input_id, css=css,
            label=self._label_for(value), placeholder=_("输入中文名称、英文名称或英文缩写检索"), link=link,
            described_by=format_html(' aria-describedby="{}"', described_by) if described_by else "",
        )


class OrganizationMultiWidget(forms.Widget):
    """Several organizations chosen by typing (registry search), shown as removable chips. Only the chosen
    organizations are rendered, never the whole registry (68,000 rows)."""

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty list means "none chosen"

    def render(self, name, value, attrs=None, renderer=None):
        pks = [v.pk if isinstance(v, Organization) else v for v in (value or [])]
        pks = [pk for pk in map(parse_id, pks) if pk is not None]
        chosen = {o.pk: o for o in choosable_organizations(self).filter(pk__in=pks)}
        chips = format_html_join(
            "", '<span class="badge text-bg-light border me-1 mb-1" data-org-chip>{}'
            '<input type="hidden" name="{}" value="{}"> <button type="button" class="btn-close btn-close-sm" '
            'aria-label="{}" data-org-chip-remove></button></span>',
            ((str(chosen[pk]), name, pk, _("移除")) for pk in pks if pk in chosen))
        attrs = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<div class="position-relative" data-org-typeahead data-org-multiple data-org-multi data-name="{}" '
            'data-search-url="{}"><div data-org-chips>{}</div>'
            '<input type="text" id="{}" class="form-control" autocomplete="off" placeholder="{}" '
            'data-org-typeahead-input data-org-multi-input>'
            '<div class="list-group position-absolute w-100 shadow-sm org-typeahead-menu" hidden '
            'data-org-typeahead-menu data-org-multi-menu></div></div>',
            name, reverse("organizations:search_json"), chips, attrs.get("id", f"id_{name}"),
            _("输入中文名称、英文名称或英文缩写检索，可选多个"))


class OrganizationChoiceField(SafeModelChoiceField):
    """Choose an organization of the registry by typing. Without `user` only approved organizations are
    accepted; with `user` (or after `limit_to(user)`), also that unit's own drafts."""

    widget = OrganizationTypeaheadWidget
    default_error_messages = {
        "invalid_choice": _("请从检索结果中选择国际组织；如名录中没有，请先点击“新增国际组织”。"),
        "required": _("请输入名称并从检索结果中选择国际组织。"),
    }

    def __init__(self, *, user=None, queryset=None, **kwargs):
        kwargs.setdefault("label", _("国际组织"))
        if queryset is None:
            queryset = self.queryset_for(user)
        super().__init__(queryset=queryset, **kwargs)

    @staticmethod
    def queryset_for(user):
        if user is None:
            return Organization.objects.filter(status=RecordStatus.APPROVED, revision_of__isnull=True)
        return Organization.objects.visible_to(user).filter(revision_of__isnull=True)

    def limit_to(self, user) -> "OrganizationChoiceField":
        self.queryset = self.queryset_for(user)
        return self


def limit_organization_fields(form, user) -> None:
    """Scope every OrganizationChoiceField of `form` (or of each form of a formset) to what `user` may see."""
    forms_ = list(form) if isinstance(form, forms.BaseFormSet) else [form]
    if isinstance(form, forms.BaseFormSet):
        forms_.append(form.empty_form)
    for f in forms_:
        for field in f.fields.values():
            if isinstance(field, OrganizationChoiceField):
                field.limit_to(user)


# --- the organization record -----------------------------------------------------------------------------

BASIC_FIELDS = [
    "name_zh", "name_en", "acronym", "disciplines", "nature", "category", "hq_country", "hq_city",
    "founded_year", "founded_date", "website", "email", "phone", "address", "membership_forms",
    "dues_payer", "dues_amount", "dues_currency", "dues_period", "dues_notes", "special_dues",
    "hk_member", "hk_name", "hk_notes", "mo_member", "mo_name", "mo_notes", "tw_member", "tw_name", "tw_notes",
]
DIRECTORY_FIELDS = list(ORGANIZATION_DIRECTORY_FIELDS)
TEXTAREA = forms.Textarea(attrs={"rows": 3})


class OrganizationSearchForm(forms.Form):
    """The typeahead's query string: ?q= (what was typed) and ?limit= (how many results, at most 50)."""

    q = forms.CharField(required=False)
    limit = forms.IntegerField(required=False)

    def clean_limit(self):
        return max(1, min(self.cleaned_data["limit"] or 20, 50))


class OrganizationFieldsMixin:
    """Widgets and input clean-up shared by the basic, directory and proposal forms."""

    def tidy(self):
        if "disciplines" in self.fields:
            self.fields["disciplines"].widget = forms.SelectMultiple(attrs={"size": 8})
            self.fields["disciplines"].queryset = Discipline.objects.all()
            self.fields["disciplines"].error_messages["invalid_choice"] = _("学科代码 %(value)s 不存在，请从列表中选择。")
            self.fields["disciplines"].error_messages["invalid_pk_value"] = _("学科代码 %(pk)s 不存在，请从列表中选择。")
            self.fields["disciplines"].help_text = _("可多选：输入学科名称或代码筛选，回车或点击选中。")
        if "membership_forms" in self.fields:
            self.fields["membership_forms"] = forms.MultipleChoiceField(
                label=_("加入形式"), choices=MembershipForm.choices, required=False,
                widget=forms.CheckboxSelectMultiple, initial=self.initial.get("membership_forms"))
            if self.instance and self.instance.pk and "membership_forms" not in self.initial:
                self.initial["membership_forms"] = self.instance.membership_forms
        if "website" in self.fields:
            self.fields["website"].widget.attrs["placeholder"] = "https://"
            self.fields["website"].assume_scheme = "https"
        if "ror_id" in self.fields:
            # People paste the full https://ror.org/... link; clean_ror_id keeps the 9-character id.
            self.fields["ror_id"] = forms.CharField(label=self.fields["ror_id"].label, required=False, max_length=60,
                                                    help_text=_("如 04z8jg394，可粘贴 https://ror.org/ 链接"))
        for name in ("founded_date",):
            if name in self.fields:
                self.fields[name].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def clean_acronym(self):
        return (self.cleaned_data.get("acronym") or "").strip()

    def clean_ror_id(self):
        value = (self.cleaned_data.get("ror_id") or "").strip()
        return value.removeprefix("https://ror.org/").removeprefix("http://ror.org/").removeprefix("ror.org/")

    def clean_uia_id(self):
        return (self.cleaned_data.get("uia_id") or "").strip().upper()


class OrganizationForm(OrganizationFieldsMixin, PlatformModelForm):
    """基本信息."""

    class Meta:
        model = Organization
        fields = BASIC_FIELDS
        field_classes = {"phone": PhoneFormField, "dues_currency": CurrencyFormField}
        widgets = {"dues_notes": TEXTAREA, "special_dues": TEXTAREA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tidy()


class OrganizationDirectoryForm(OrganizationFieldsMixin, PlatformModelForm):
    """组织名录 (directory profile)."""

    class Meta:
        model = Organization
        fields = DIRECTORY_FIELDS
        widgets = {"aims": TEXTAREA, "governance": TEXTAREA, "regular_meetings": TEXTAREA,
                   "igo_relations": TEXTAREA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tidy()


class ProposalForm(OrganizationFieldsMixin, PlatformModelForm):
    """修改建议: every field of the record, prefilled with the official values; only changed ones are proposed."""

    comment = forms.CharField(label=_("修改说明"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("说明依据（如官方网站、年报），便于平台管理员核实。"))

    class Meta:
        model = Organization
        fields = BASIC_FIELDS + DIRECTORY_FIELDS
        field_classes = {"phone": PhoneFormField, "dues_currency": CurrencyFormField}
        widgets = {"dues_notes": TEXTAREA, "special_dues": TEXTAREA, "aims": TEXTAREA, "governance": TEXTAREA,
                   "regular_meetings": TEXTAREA, "igo_relations": TEXTAREA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tidy()

    def proposed_changes(self) -> dict:
        """{field: cleaned value} of the fields the user changed (after validation)."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.Meta.fields}


AwardFormSet = forms.inlineformset_factory(
    Organization, Award, form=PlatformModelForm, fields=["name", "description", "frequency"], extra=1, can_delete=True, max_num=50,
    validate_max=True, widgets={"description": forms.TextInput()},
)
GoverningBodyFormSet = forms.inlineformset_factory(
    Organization, GoverningBody, form=PlatformModelForm, fields=["name", "seats", "notes"], extra=1, can_delete=True, max_num=30,
    validate_max=True,
)


class ConferenceForm(PlatformModelForm):
    class Meta:
        model = Conference
        fields = ["name", "year", "city", "country", "hosted_in_china", "host_unit_name"]


ConferenceFormSet = forms.inlineformset_factory(
    Organization, Conference, form=ConferenceForm, extra=1, can_delete=True, max_num=200, validate_max=True,
)

#: the record's lists (Organization.workflow_children), by relation name: edited on the edit pages and proposed
#: as a whole on the change proposal page.
LIST_FORMSETS = {"awards": AwardFormSet, "governing_bodies": GoverningBodyFormSet, "conferences": ConferenceFormSet}


def proposed_list_rows(formset) -> list[dict]:
    """The rows a valid list formset proposes, in page order: deleted and untouched blank rows left out."""
    rows = []
    for form in formset.forms:
        if formset.can_delete and formset._should_delete_form(form):
            continue
        if not form.has_changed() and form.instance.pk is None:
            continue
        rows.append({name: form.cleaned_data.get(name) for name in formset.form._meta.fields
                     if name != formset.fk.name})
    return rows


# --- memberships ----------------------------------------------------------------------------------------

class MembershipEditForm(PlatformModelForm):
    """A unit's membership (已加入) or plan (计划加入) for one organization."""

    class Meta:
        model = Membership
        fields = ["organization", "relation", "form", "since_year", "dues_amount", "dues_currency", "target_date",
                  "reason", "notes"]
        field_classes = {"organization": OrganizationChoiceField, "dues_currency": CurrencyFormField}
        widgets = {"target_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "reason": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, planned: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].limit_to(user)
        member_hint, plan_hint = _("已加入时填写。"), _("计划加入时填写。")
        for name in ("since_year", "dues_amount", "dues_currency"):
            self.fields[name].help_text = member_hint
        self.fields["target_date"].help_text = plan_hint
        self.fields["reason"].help_text = plan_hint
        if planned:
            self.fields["relation"].initial = MembershipRelation.PLANNED
            self.fields["relation"].widget = forms.HiddenInput()
            for name in ("since_year", "dues_amount", "dues_currency"):
                del self.fields[name]  # not joined yet: no year joined, no dues
            self.fields["target_date"].help_text = _("预计加入的日期，不能早于今天。")
            self.fields["reason"].help_text = _("如：参与国际标准制定、推荐专家任职。")
            self.fields["organization"].widget.show_create_link = False
            self.fields["organization"].help_text = format_html(
                '{} <a href="{}?plan=1" data-testid="create-for-plan">{}</a>{}',
                _("输入组织名称检索全国名录并选择。名录中没有时，请"), reverse("organizations:create"),
                _("先新增国际组织"), _("，保存后会回到本页继续填写。"))
        if self.instance.pk:
            self.fields["organization"].disabled = True


class StandaloneConferenceForm(PlatformModelForm):
    """A conference a unit initiates without an organization."""

    class Meta:
        model = Conference
        fields = ["name", "year", "city", "country", "hosted_in_china", "host_unit_name"]
