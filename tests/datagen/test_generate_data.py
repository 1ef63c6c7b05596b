"""`manage.py generate_data`: the benchmarks' data set is what users would have typed, the same every time."""

import datetime
import hashlib

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client

from iodp.accounts.models import Unit, UnitStatus, User
from iodp.core.workflow import RecordStatus
from iodp.datagen.generator import PASSWORD, PLATFORM_ADMIN, username_of
from iodp.experts.models import Expert, Position
from iodp.experts.pinyin import name_pinyin
from iodp.organizations.models import Conference, Membership, Organization
from iodp.organizations.selectors import organization_search
from iodp.organizations.text import normalize_search_text, pinyin_sort_key

SMALL = {"organizations": 300, "experts": 300, "units": 30, "seed": 7, "today": datetime.date(2026, 6, 1)}


def generate(**options) -> None:
    call_command("generate_data", **{k.replace("-", "_"): v for k, v in {**SMALL, **options}.items()},
                 stdout=open("/dev/null", "w"))


def fingerprint() -> str:
    """Everything generated, by natural keys (ids depend on the database's sequences, the data must not)."""
    parts = [
        Unit.objects.values_list("name", "unit_type", "status", "province__code", "admin_name"),
        Organization.objects.values_list("name_zh", "name_en", "acronym", "status", "unit__name",
                                         "hq_country__code", "founded_year", "search_text", "sort_key",
                                         "revision_of__name_zh"),
        Organization.disciplines.through.objects.values_list("organization__name_zh", "organization__status",
                                                             "discipline__code"),
        Membership.objects.values_list("unit__name", "organization__name_zh", "relation", "status",
                                       "revision_of__status", "since_year", "target_date"),
        Conference.objects.values_list("name", "year", "organization__name_zh", "unit__name"),
        Expert.objects.values_list("name_zh", "id_number", "unit__name", "kind", "status", "birth_date",
                                   "name_pinyin", "employer", "has_working_language", "revision_of__status"),
        Position.objects.values_list("expert__id_number", "expert__revision_of__status", "organization__name_zh",
                                     "role", "level", "term_start", "term_end", "status"),
    ]
    digest = hashlib.sha256()
    for rows in parts:
        for row in sorted(repr(r) for r in rows):
            digest.update(row.encode())
    return digest.hexdigest()


def fingerprint_of_a_run(**options) -> str:
    with transaction.atomic():
        generate(**options)
        result = fingerprint()
        transaction.set_rollback(True)
    return result


@pytest.fixture
def generated(db):
    generate()


@pytest.fixture
def forget_flushed_content_types():
    """--force flushes the database inside the test's transaction: the content types it recreated are rolled
    back with it, so the cached ones must not outlive the test."""
    yield
    ContentType.objects.clear_cache()


def test_the_command_fills_every_module_in_every_workflow_state(generated):
    assert Unit.objects.count() == 30
    assert set(Unit.objects.values_list("status", flat=True)) == set(UnitStatus.values)
    assert Organization.objects.filter(revision_of__isnull=True).count() == 300
    for model in (Organization, Membership, Expert):
        assert set(model.objects.values_list("status", flat=True)) == set(RecordStatus.values), model
        assert model.objects.filter(revision_of__isnull=False).exists(), model
    assert Expert.objects.filter(revision_of__isnull=True).count() == 300
    assert Position.objects.count() >= 300
    assert Conference.objects.filter(organization__isnull=True).exists()
    assert Membership.objects.filter(relation="planned").exists()


def test_records_carry_the_keys_the_models_compute(generated):
    for org in Organization.objects.order_by("pk")[:50]:
        assert org.search_text == normalize_search_text(org.name_zh, org.name_en, org.acronym)
        assert org.sort_key == pinyin_sort_key(org.name_zh or org.name_en or org.acronym)
    for expert in Expert.objects.order_by("pk")[:50]:
        assert expert.name_pinyin == name_pinyin(expert.name_zh)
        stored = (expert.name_en, expert.name_initials, expert.id_key)
        expert.fill_derived_fields()
        assert (expert.name_en, expert.name_initials, expert.id_key) == stored
        assert expert.has_working_language == expert.languages.filter(language__in=["en", "fr"]).exists()


def test_generated_experts_pass_the_platforms_own_validation(generated):
    for expert in Expert.objects.filter(revision_of__isnull=True).order_by("pk")[:100]:
        expert.full_clean()  # resident ID checksum, area code, birth date and gender agree


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(db):
    first = fingerprint_of_a_run()
    assert fingerprint_of_a_run() == first
    assert fingerprint_of_a_run(seed=8) != first


def test_it_refuses_a_database_that_holds_data(generated):
    with pytest.raises(CommandError, match="--force"):
        generate()


def test_force_empties_the_database_first_and_generates_the_same_data(generated, forget_flushed_content_types):
    before = fingerprint()
    generate(force=True)
    assert fingerprint() == before
    assert Unit.objects.count() == 30


def test_generated_accounts_log_in_with_the_documented_password(generated):
    for username in (PLATFORM_ADMIN, username_of(1)):
        client = Client()
        response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, username
        assert client.get("/").status_code == 200


def test_generated_organizations_are_found_by_the_registry_search(generated):
    unit_user = User.objects.get(username=username_of(1))
    client = Client()
    client.force_login(unit_user)
    org = Organization.objects.official().exclude(acronym="").order_by("pk")[120]
    for query in (org.name_zh, org.name_en, org.name_en.upper(), org.acronym):
        assert org in organization_search(query=query, user=unit_user), query
        assert org.name_zh in client.get("/organizations/", {"q": query}).content.decode(), query
    labels = [r["label"] for r in client.get("/organizations/search.json", {"q": org.name_zh}).json()["results"]]
    assert str(org) in labels


def test_generated_experts_are_found_and_scoped_to_their_unit(generated):
    expert = Expert.objects.filter(status=RecordStatus.APPROVED, revision_of__isnull=True).order_by("pk").first()
    owner = User.objects.get(unit=expert.unit)
    stranger = User.objects.exclude(unit=expert.unit).filter(unit__status=UnitStatus.APPROVED).order_by("pk").first()
    admin = User.objects.get(username=PLATFORM_ADMIN)
    for user, sees in ((owner, True), (admin, True), (stranger, False)):
        client = Client()
        client.force_login(user)
        listed = client.get("/experts/", {"q": expert.name_zh}).content.decode()
        assert (expert.get_absolute_url() in listed) is sees, user
        assert (expert.get_absolute_url() in client.get("/experts/", {"q": expert.name_pinyin}).content.decode()) \
            is sees, user
        assert client.get(expert.get_absolute_url()).status_code == (200 if sees else 404), user


def test_a_units_drafts_are_its_own(generated):
    draft = Organization.objects.filter(status=RecordStatus.DRAFT, unit__isnull=False).order_by("pk").first()
    owner = User.objects.get(unit=draft.unit)
    stranger = User.objects.exclude(unit=draft.unit).filter(unit__status=UnitStatus.APPROVED).order_by("pk").first()
    assert draft in Organization.objects.visible_to(owner)
    assert draft not in Organization.objects.visible_to(stranger)
    client = Client()
    client.force_login(owner)
    assert draft.get_absolute_url() in client.get("/drafts/").content.decode()
