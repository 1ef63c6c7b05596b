"""One visibility rule per model: `visible_to(user)` / `editable_by(user)` on every unit-owned model's queryset."""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from iodp.accounts.models import Unit
from iodp.core.scoping import can_edit
from iodp.organizations.models import Membership, Organization
from tests.organizations.factories import approved_organization, draft_organization, saved_membership

pytestmark = pytest.mark.django_db


def unit_owned_models():
    """Every model of the platform whose rows belong to a unit (a foreign key to Unit, or a declared path)."""
    for model in apps.get_models():
        if not model.__module__.startswith("iodp.") or model is Unit:
            continue
        owns = any(getattr(f, "related_model", None) is Unit and f.name == "unit"
                   for f in model._meta.get_fields() if f.concrete)
        if owns or hasattr(model, "unit_scope_field"):
            yield model


def test_every_unit_owned_model_answers_visible_to_and_editable_by():
    models = list(unit_owned_models())
    assert {m.__name__ for m in models} >= {"Institution", "Organization", "Expert", "Membership", "Conference",
                                            "ChangeProposal", "Verification", "Position"}
    for model in models:
        assert hasattr(model.objects.all(), "visible_to"), model
        assert hasattr(model.objects.all(), "editable_by"), model


def test_a_unit_sees_and_edits_its_own_rows_the_admin_all_strangers_none(unit_user, other_unit_user, platform_admin):
    iupac = approved_organization(platform_admin, platform_admin)
    mine = saved_membership(unit_user, iupac)
    theirs = saved_membership(other_unit_user, iupac)
    assert list(Membership.objects.visible_to(unit_user)) == [mine]
    assert list(Membership.objects.editable_by(unit_user)) == [mine]
    assert set(Membership.objects.visible_to(platform_admin)) == {mine, theirs}
    assert not Membership.objects.visible_to(AnonymousUser()).exists()
    assert can_edit(unit_user, mine) and not can_edit(unit_user, theirs) and can_edit(platform_admin, theirs)
    assert not can_edit(AnonymousUser(), mine)
    assert can_edit(unit_user, Membership(organization=iupac, unit=unit_user.unit))  # not stored yet


def test_the_shared_registry_is_visible_to_all_units_but_editable_only_by_its_owner(unit_user, other_unit_user,
                                                                                     platform_admin):
    shared = approved_organization(unit_user, platform_admin)
    draft = draft_organization(unit_user, name_zh="甲的草稿", name_en="A Draft", acronym="AD")
    assert set(Organization.objects.visible_to(other_unit_user)) == {shared}
    assert not Organization.objects.editable_by(other_unit_user).exists()
    assert set(Organization.objects.visible_to(unit_user)) == {shared, draft}
    assert set(Organization.objects.editable_by(unit_user)) == {shared, draft}
    assert not Organization.objects.visible_to(AnonymousUser()).exists()
