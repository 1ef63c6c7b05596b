"""Finding an organization in the registry: by acronym, Chinese name, English name, any spelling, fuzzy."""

import pytest
from django.urls import reverse

from iodp.organizations.selectors import organization_search

from .factories import approved_organization, draft_organization


@pytest.fixture
def registry(unit_user, platform_admin):
    iupac = approved_organization(platform_admin, platform_admin)
    iupap = approved_organization(platform_admin, platform_admin, name_zh="国际纯粹与应用物理联合会",
                                  name_en="International Union of Pure and Applied Physics", acronym="IUPAP")
    iau = approved_organization(platform_admin, platform_admin, name_zh="国际天文学联合会",
                                name_en="International Astronomical Union", acronym="IAU")
    return {"iupac": iupac, "iupap": iupap, "iau": iau}


@pytest.mark.parametrize("query", [
    "IUPAC", "iupac", "国际纯粹与应用化学联合会", "Intl. Union of Pure & Applied Chemistry",
    "International Union of Pure and Applied Chemistry", "INTERNATIONAL UNION OF PURE AND APPLIED CHEMISTRY",
    "纯粹与应用化学", "Internatonal Union Pure Aplied Chemistry", "  IUPAC  ",
])
def test_every_way_of_writing_iupac_finds_it_first(registry, unit_user, query):
    results = organization_search(query=query, user=unit_user)
    assert results and results[0] == registry["iupac"], [str(r) for r in results]


def test_exact_acronym_ranks_before_similar_acronyms(registry, unit_user):
    results = organization_search(query="IUPAP", user=unit_user)
    assert results[0] == registry["iupap"]


def test_unrelated_query_finds_nothing_and_empty_query_finds_nothing(registry, unit_user):
    assert organization_search(query="Zoological Society of Quux", user=unit_user) == []
    assert organization_search(query="   ", user=unit_user) == []


def test_another_units_draft_is_not_found(registry, unit_user, other_unit_user):
    draft_organization(other_unit_user, name_zh="乙单位草稿组织", name_en="Secret Draft Federation", acronym="SDF")
    assert organization_search(query="SDF", user=unit_user) == []
    assert [str(o) for o in organization_search(query="SDF", user=other_unit_user)] == ["乙单位草稿组织（SDF）"]


def test_search_json_answers_the_typeahead(registry, unit_client):
    response = unit_client.get(reverse("organizations:search_json"), {"q": "iupac"})
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first == {"id": registry["iupac"].pk, "label": "国际纯粹与应用化学联合会（IUPAC）",
                     "name_en": "International Union of Pure and Applied Chemistry", "acronym": "IUPAC",
                     "status": "approved", "url": f"/organizations/{registry['iupac'].pk}/"}


def test_search_json_needs_login(client):
    response = client.get(reverse("organizations:search_json"), {"q": "iupac"})
    assert response.status_code == 302


@pytest.mark.parametrize("query", ["Internatonal Union Pure Aplied Chemistry", "Internatinal Unoin of Pure Chemisty",
                                   "国际纯粹与应用化学联盟"])
def test_the_list_finds_a_misspelled_name_as_the_typeahead_does(registry, unit_client, query):
    """One search serves both: a misspelling the typeahead resolves is also a row of the list's q=."""
    typeahead = unit_client.get(reverse("organizations:search_json"), {"q": query}).json()["results"]
    assert typeahead and typeahead[0]["id"] == registry["iupac"].pk
    listed = {org.pk for org in unit_client.get(reverse("organizations:list"), {"q": query}).context["page"]}
    assert {row["id"] for row in typeahead} <= listed


def test_the_list_finds_every_row_having_all_terms(registry, unit_client):
    """The strict reading is not capped like the typeahead: every organization with all the terms is listed."""
    listed = unit_client.get(reverse("organizations:list"), {"q": "pure applied"}).context["page"]
    assert {org.pk for org in listed} == {registry["iupac"].pk, registry["iupap"].pk}


@pytest.mark.parametrize(("query", "expected"), [
    ("化学", {"iupac"}), ("天文", {"iau"}), ("联合", {"iupac", "iupap", "iau"}), ("物理 联合", {"iupap"}),
    ("会", {"iupac", "iupap", "iau"}), ("化 学", {"iupac"}), ("学联", {"iupac", "iau"}), ("理联", {"iupap"}),
])
def test_a_two_character_word_is_found_through_the_pairs_as_by_its_letters(registry, unit_client, query, expected):
    """化学 has no trigram: it is looked up as " 化学 " in the stored character pairs, and finds what LIKE finds."""
    from iodp.organizations.models import Organization

    listed = {org.pk for org in unit_client.get(reverse("organizations:list"), {"q": query}).context["page"]}
    assert listed == {registry[name].pk for name in expected}
    for word in query.split():
        assert {org.pk for org in Organization.objects.filter(search_text__contains=word)} >= listed


def test_the_pairs_follow_every_change_of_the_names(registry, platform_admin):
    from iodp.core.text import character_pairs
    from iodp.organizations.models import Organization

    iau = registry["iau"]
    assert iau.search_pairs == character_pairs(iau.search_text) and " 天文 " in iau.search_pairs
    iau.name_zh = "国际地理联合会"
    iau.save(update_fields=["name_zh"])
    iau.refresh_from_db()
    assert " 地理 " in iau.search_pairs and " 天文 " not in iau.search_pairs
    assert Organization.objects.filter(search_pairs__contains=" 地理 ").get() == iau


@pytest.mark.parametrize(("query", "expected"), [("学", {"iupac", "iau"}), ("会", {"iupac", "iupap", "iau"}),
                                                 ("物", {"iupap"}), ("天 化", set())])
def test_a_one_character_word_is_found_through_the_pairs(registry, unit_client, query, expected):
    listed = {org.pk for org in unit_client.get(reverse("organizations:list"), {"q": query}).context["page"]}
    assert listed == {registry[name].pk for name in expected}
