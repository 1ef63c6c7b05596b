"""The organization picker other modules (experts' positions) reuse: a typeahead over the registry."""

from django import forms

from iodp.organizations.forms import OrganizationChoiceField, limit_organization_fields
from iodp.organizations.models import Organization

from .factories import approved_organization, draft_organization


class PositionLikeForm(forms.Form):
    organization = OrganizationChoiceField()


def test_renders_a_text_box_a_hidden_id_and_the_create_link(unit_user, platform_admin):
    iupac = approved_organization(platform_admin, platform_admin)
    html = str(PositionLikeForm(initial={"organization": iupac.pk})["organization"])
    assert f'type="hidden" name="organization" value="{iupac.pk}"' in html
    assert 'value="国际纯粹与应用化学联合会（IUPAC）"' in html and "data-org-typeahead-input" in html
    assert 'data-search-url="/organizations/search.json"' in html
    assert "新增国际组织" in html and "名录中没有要选的国际组织时，请先新增" in html
    assert 'aria-describedby="id_organization_createhint"' in html and 'id="id_organization_createhint"' in html
    assert "iodp/js/org-typeahead.js" in str(PositionLikeForm().media)


def test_accepts_an_approved_organization_and_refuses_others_drafts(unit_user, other_unit_user, platform_admin):
    iupac = approved_organization(platform_admin, platform_admin)
    others_draft = draft_organization(other_unit_user, name_zh="乙草稿", name_en="B Draft", acronym="BD")
    assert PositionLikeForm({"organization": iupac.pk}).is_valid()
    form = PositionLikeForm({"organization": others_draft.pk})
    limit_organization_fields(form, unit_user)
    assert not form.is_valid()
    assert "请从检索结果中选择国际组织" in form.errors["organization"][0]


def test_a_unit_may_choose_its_own_draft_once_limited_to_it(unit_user):
    mine = draft_organization(unit_user)
    form = PositionLikeForm({"organization": mine.pk})
    assert not form.is_valid()  # unscoped: approved organizations only
    form = PositionLikeForm({"organization": mine.pk})
    limit_organization_fields(form, unit_user)
    assert form.is_valid() and form.cleaned_data["organization"] == mine


def test_typed_text_without_a_choice_is_a_clear_error(db):
    form = PositionLikeForm({"organization": ""})
    assert not form.is_valid()
    assert form.errors["organization"] == ["请输入名称并从检索结果中选择国际组织。"]
    assert Organization.objects.count() == 0


def test_html_in_a_name_is_escaped_in_the_widget(unit_user, platform_admin):
    org = approved_organization(platform_admin, platform_admin, name_zh="<script>alert(1)</script>组织",
                                name_en="Script Org", acronym="SO")
    html = str(PositionLikeForm(initial={"organization": org.pk})["organization"])
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_works_in_an_inline_formset_and_its_empty_form(unit_user, platform_admin):
    iupac = approved_organization(platform_admin, platform_admin)
    formset_class = forms.formset_factory(PositionLikeForm, extra=1)
    formset = formset_class({"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-0-organization": iupac.pk,
                             "form-1-organization": iupac.pk})
    limit_organization_fields(formset, unit_user)
    assert formset.is_valid()
    assert 'name="form-__prefix__-organization"' in str(formset.empty_form["organization"])


def test_the_picker_never_names_an_organization_the_user_may_not_see(unit_user, other_unit_user):
    """A prefilled or re-rendered picker shows a name only for organizations its user may choose."""
    others_draft = draft_organization(other_unit_user, name_zh="乙单位未提交草稿", name_en="B Secret Draft", acronym="BSD")
    mine = draft_organization(unit_user, name_zh="甲单位草稿", name_en="A Draft", acronym="AD")
    form = PositionLikeForm({"organization": others_draft.pk})
    limit_organization_fields(form, unit_user)
    assert "乙单位未提交草稿" not in str(form["organization"])
    assert "乙单位未提交草稿" not in str(PositionLikeForm(initial={"organization": others_draft.pk})["organization"])
    form = PositionLikeForm(initial={"organization": mine.pk})
    limit_organization_fields(form, unit_user)
    assert "甲单位草稿" in str(form["organization"])


def test_prefilled_pages_never_name_another_units_draft(unit_client, other_unit_user):
    from django.urls import reverse

    others_draft = draft_organization(other_unit_user, name_zh="乙单位未提交草稿", name_en="B Secret Draft", acronym="BSD")
    for url in (reverse("organizations:membership_create"), reverse("organizations:plan_create"),
                reverse("experts:list"), reverse("experts:create")):
        response = unit_client.get(url, {"organization": others_draft.pk})
        assert response.status_code == 200, url
        assert "乙单位未提交草稿" not in response.content.decode(), url


def test_the_expert_target_organizations_show_only_visible_ones(unit_user, other_unit_user):
    from iodp.organizations.forms import OrganizationMultiWidget

    others_draft = draft_organization(other_unit_user, name_zh="乙单位未提交草稿", name_en="B Secret Draft", acronym="BSD")
    mine = draft_organization(unit_user, name_zh="甲单位草稿", name_en="A Draft", acronym="AD")
    widget = forms.ModelMultipleChoiceField(queryset=Organization.objects.visible_to(unit_user),
                                            widget=OrganizationMultiWidget).widget
    assert "甲单位草稿" in widget.render("target_organizations", [mine.pk])
    assert "乙单位未提交草稿" not in widget.render("target_organizations", [others_draft.pk])
    assert "乙单位未提交草稿" not in OrganizationMultiWidget().render("target_organizations", [others_draft.pk])
