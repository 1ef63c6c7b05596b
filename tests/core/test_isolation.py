"""The isolation harness: every URL of the platform, on real objects of another unit in every workflow state,
requested as anonymous, as an intruding unit and as the owner.

The world is built once per module through the services: the owning unit (乙) has institutions,
organizations, experts, memberships, plans, conferences, change proposals and verifications in every state,
each carrying a unique marker (ZZB-MARKER-nnn). For every URL pattern (walked from the URL conf, so a new
page is covered the day it is added) and every state of the objects its parameters name:

- anonymous: GET and POST answer a redirect to the login page, 403, 404 or 405; never 200 with data, never 500;
- the intruding unit (甲): no 500, no marker of the owner's private data in the body, no change in the database;
- the owner: GET does not fail.

Approved official organizations are the shared registry: their markers are not a leak, and 核对 / 修改建议
on them legitimately write rows.
"""

import dataclasses
import datetime
import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from iodp.accounts import services as account_services
from iodp.accounts.models import Role, User
from iodp.accounts.views import ACTIONS as UNIT_ACTIONS
from iodp.core import workflow_services as wf
from iodp.core.workflow import workflow_models
from iodp.exchange import services as exchange_services
from iodp.exchange.models import ExportLog, ExportStatus
from iodp.exchange.registry import export_for, registered_exports, registered_imports
from iodp.exchange.xlsx import Column, Sheet, write_workbook
from iodp.experts.demo import demo_id_number
from iodp.experts.forms import FORMSETS as EXPERT_FORMSETS
from iodp.experts.models import Education, ExpertKind
from iodp.institutions.models import Institution, InstitutionContact
from iodp.notices import services as notice_services
from iodp.organizations import services as org_services
from iodp.organizations.forms import LIST_FORMSETS
from iodp.organizations.models import Award, Conference, Membership, MembershipRelation, Organization
from iodp.reference.models import Region

from ..conftest import PASSWORD
from ..experts.conftest import make_expert
from ..harness import (
    PUBLIC_URL_NAMES,
    STATIC_APPS,
    body_text,
    database_fingerprint,
    fingerprint_changes,
    parametrized_patterns,
    platform_models,
    url_parameters,
)
from ..organizations.factories import draft_organization

MARKER = re.compile(r"ZZB-MARKER-\d{3}", re.IGNORECASE)

# --- which objects a URL's parameters name ----------------------------------------------------------------

#: URL name prefix -> the kind of object its `pk` names (the longest prefix wins). A URL with parameters
#: and no entry here fails `test_every_url_with_parameters_is_mapped`, so a new page cannot skip the harness.
URL_KINDS = {
    "accounts:unit_": "unit",
    "core:record_action": "record",
    "experts:": "expert",
    "institutions:": "institution",
    "organizations:": "organization",
    "organizations:proposal_": "proposal",
    "organizations:membership_": "membership",
    "organizations:conference_": "conference",
    "exchange:export": "export",
    # an export job of the owner (its page, progress, file and retry): longer than "exchange:export", so it wins
    "exchange:export_detail": "export_job",
    "exchange:export_progress": "export_job",
    "exchange:export_download": "export_job",
    "exchange:export_retry": "export_job",
    # 我的导出 takes no parameters: a page without ids (asked with the owner's references like the others)
    "exchange:export_list": "export_job",
    "exchange:import_": "import",
    # the upload page and the blank template of each kind of import: no object of a unit
    "exchange:import_upload": "import_kind",
    "exchange:template": "import_kind",
    # 通知公告: the platform admin's notices (every unit reads the published ones) and their attachments
    "notices:": "notice",
    "notices:attachment": "notice_attachment",
}

#: the states each kind of object exists in, in the world below.
STATES = {
    "organization": ["draft", "submitted", "returned", "approved", "revision"],
    "expert": ["draft", "submitted", "returned", "approved", "revision", "reserve_draft"],
    "institution": ["draft", "submitted", "returned", "approved", "revision"],
    "proposal": ["pending", "rejected"],
    "membership": ["draft", "submitted", "returned", "approved", "revision"],
    "conference": ["standalone"],
    "unit": ["approved", "pending"],
    # the downloads: each exportable list, whole (its rows must be the reader's own or shared ones)
    "export": sorted(registered_exports()),
    "import": ["validated", "committed", "organizations", "memberships"],
    "export_job": ["done", "failed", "running"],
    "import_kind": sorted(registered_imports()),
    "notice": ["published", "draft", "withdrawn"],
    "notice_attachment": ["published", "draft"],
}

#: workflow model label -> kind (core:record_action names the model by its label).
RECORD_KINDS = {"organizations.organization": "organization", "experts.expert": "expert",
                "institutions.institution": "institution", "organizations.membership": "membership"}
RECORD_ACTIONS = ["revise", "discard", "approve", "return"]

#: (URL name, kind, state) where the intruder's POST legitimately writes: the shared registry.
SHARED_WRITES = {("organizations:verify", "approved"), ("organizations:propose", "approved"),
                 ("notices:acknowledge", "published")}  # 甲 confirms it has read a notice sent to every unit

#: Known defects the harness found and that are left to other work; each strict, so a fix makes it pass.
KNOWN_DEFECTS: dict[tuple[str, str, str], str] = {}


def url_kind(name: str) -> str | None:
    matches = [prefix for prefix in URL_KINDS if name.startswith(prefix)]
    return URL_KINDS[max(matches, key=len)] if matches else None


def variants(name: str, pattern) -> list[str]:
    """The cases of one URL: a state of the object its parameters name (or that its query/POST refers to)."""
    if not pattern.pattern.converters:
        return STATES["organization"]  # pages without ids get ?organization= / POST references in each state
    kind = url_kind(name)
    if kind == "record":
        return [f"{label}/{state}/{action}" for label, kind in RECORD_KINDS.items()
                for state in STATES[kind] for action in RECORD_ACTIONS]
    if kind == "unit" and "action" in pattern.pattern.converters:
        return [f"{state}/{action}" for state in STATES["unit"] for action in UNIT_ACTIONS]
    return STATES[kind] if kind else ["unmapped"]


CASES = [(name, variant) for name, pattern in parametrized_patterns() for variant in variants(name, pattern)]


def _role_cases(role: str) -> list[tuple[str, str]]:
    """The intruder gets every case; anonymous users and owners the distinct pages (their answer does not depend
    on which organization a page without ids refers to, nor on which review action is asked for)."""
    if role == "other unit":
        return CASES
    first_state = STATES["organization"][0]
    return [(name, variant) for name, variant in CASES
            if (name, variant) in _object_cases() or variant == first_state and not url_parameters(name)
            or variant.endswith(f"/{RECORD_ACTIONS[0]}")]


def _object_cases() -> set:
    return {(name, variant) for name, variant in CASES
            if url_parameters(name) and url_kind(name) != "record"}


def case_params(role: str):
    params = []
    for name, variant in _role_cases(role):
        reason = KNOWN_DEFECTS.get((role, name, variant))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(name, variant, marks=marks, id=f"{name}[{variant}]"))
    return params


# --- the world ----------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Entry:
    obj: object
    owner: User
    shared: bool = False  # part of the shared registry: visible to every unit


@dataclasses.dataclass
class World:
    admin: User
    owner: User  # 乙: owns almost everything
    intruder: User  # 甲: another unit, owns nothing of the above
    entries: dict = dataclasses.field(default_factory=dict)  # (kind, state) -> Entry
    markers: dict = dataclasses.field(default_factory=dict)  # marker -> what carries it
    shared_markers: set = dataclasses.field(default_factory=set)
    baseline: dict | None = None  # the whole fingerprint, reference tables included
    dynamic_baseline: dict | None = None  # without the reference tables: checked after every request

    def mark(self, what: str, *, shared: bool = False) -> str:
        marker = f"ZZB-MARKER-{len(self.markers) + 1:03d}"
        self.markers[marker] = what
        if shared:
            self.shared_markers.add(marker)
        return marker

    def add(self, kind, state, obj, owner=None, *, shared=False):
        self.entries[(kind, state)] = Entry(obj, owner or self.owner, shared)
        return obj

    def leaks(self, body: str) -> list[str]:
        found = {m.upper() for m in MARKER.findall(body)}
        return [f"{m} ({self.markers.get(m, '?')})" for m in sorted(found - self.shared_markers)]


def _user(username, unit_name, admin, *, email=None, approve=True, province="310000"):
    user = account_services.unit_register(
        unit_name=unit_name, unit_type="national_society", province=Region.objects.get(code=province),
        admin_name="李四", admin_phone="+8613900139000", admin_email=email or f"{username}@example.cn",
        username=username, password=PASSWORD)
    if approve:
        account_services.unit_approve(unit=user.unit, by=admin)
        user.refresh_from_db()
    return user


def _organizations(world: World):
    admin, owner = world.admin, world.owner

    def org(state, *, shared=False):
        marker = world.mark(f"name of 乙's {state} organization", shared=shared)
        award = world.mark(f"award of 乙's {state} organization", shared=shared)
        record = draft_organization(owner, name_zh=f"{marker} 组织", name_en=f"{marker} Union",
                                    acronym=f"ZB{len(world.markers)}")
        Award.objects.create(organization=record, name=award)
        return record

    world.add("organization", "draft", org("draft"))
    submitted = org("submitted")
    world.add("organization", "submitted", wf.record_submit(record=submitted, by=owner,
                                                            expected_version=submitted.version))
    returned = org("returned")
    returned = wf.record_submit(record=returned, by=owner, expected_version=returned.version)
    world.add("organization", "returned", wf.record_return(record=returned, by=admin,
                                                           reason=world.mark("return reason of an organization")))
    approved = org("approved", shared=True)
    approved = wf.record_submit(record=approved, by=owner, expected_version=approved.version)
    approved = wf.record_approve(record=approved, by=admin)
    world.add("organization", "approved", approved, shared=True)
    revision = wf.record_start_revision(record=approved, by=admin)
    revision.name_zh = world.mark("name in the platform admin's open revision of an organization")
    revision = wf.record_save(record=revision, by=admin, expected_version=revision.version)
    world.add("organization", "revision", revision, owner=admin)
    return approved


def _experts(world: World, organization):
    admin, owner = world.admin, world.owner
    born = datetime.date(1975, 3, 9)

    def expert(state, sequence, **extra):
        name = world.mark(f"name of 乙's {state} expert")
        email = world.mark(f"email of 乙's {state} expert").lower()
        record = make_expert(owner, organization=organization, languages=(("en", "working"), ("fr", "basic")),
                             name_zh=name, name_en=f"{name} Pinyin", email=f"{email}@example.cn",
                             employer=world.mark(f"employer of 乙's {state} expert"),
                             id_number=demo_id_number("310101", born, f"{sequence:03d}"), birth_date=born,
                             **extra)
        Education.objects.create(expert=record, institution=world.mark(f"school of 乙's {state} expert"),
                                 degree="博士", start=datetime.date(1995, 9, 1), end=datetime.date(2000, 7, 1))
        return record

    world.add("expert", "draft", expert("draft", 11))
    world.add("expert", "reserve_draft", expert("reserve draft", 13, kind=ExpertKind.RESERVE))
    submitted = expert("submitted", 15)
    world.add("expert", "submitted", wf.record_submit(record=submitted, by=owner, expected_version=submitted.version))
    returned = expert("returned", 17)
    returned = wf.record_submit(record=returned, by=owner, expected_version=returned.version)
    world.add("expert", "returned", wf.record_return(record=returned, by=admin,
                                                     reason=world.mark("return reason of an expert")))
    approved = expert("approved", 19)
    approved = wf.record_submit(record=approved, by=owner, expected_version=approved.version)
    approved = wf.record_approve(record=approved, by=admin)
    world.add("expert", "approved", approved)
    revision = wf.record_start_revision(record=approved, by=owner)
    revision.employer = world.mark("employer in 乙's open revision of an expert")
    world.add("expert", "revision", wf.record_save(record=revision, by=owner, expected_version=revision.version))


def _memberships(world: World, owner, approved):
    """乙's membership of the approved organization (approved, with an open revision) and its plans to join its
    own draft, submitted and returned organizations (a plan may name the unit's own entry)."""
    admin = world.admin
    member = Membership(organization=approved, unit=owner.unit, relation=MembershipRelation.MEMBER,
                        notes=world.mark("notes of 乙's membership"))
    member = wf.record_approve(record=wf.record_submit(record=member, by=owner), by=admin)
    world.add("membership", "approved", member, owner=owner)
    revision = wf.record_start_revision(record=member, by=owner)
    revision.notes = world.mark("notes in an open revision of 乙's membership")
    world.add("membership", "revision", wf.record_save(record=revision, by=owner, expected_version=revision.version),
              owner=owner)
    for state in ("draft", "submitted", "returned"):
        organization = Organization.objects.get(pk=world.entries[("organization", state)].obj.pk)
        plan = Membership(organization=organization, unit=owner.unit, relation=MembershipRelation.PLANNED,
                          target_date=datetime.date(2027, 6, 1),
                          reason=world.mark(f"reason of 乙's {state} plan to join"))
        plan = wf.record_save(record=plan, by=owner)
        if state != "draft":
            plan = wf.record_submit(record=plan, by=owner, expected_version=plan.version)
        if state == "returned":
            plan = wf.record_return(record=plan, by=admin, reason=world.mark("return reason of 乙's plan"))
        world.add("membership", state, plan, owner=owner)


def _institution(world: World, user, state):
    admin = world.admin

    def save_related(saved):
        InstitutionContact.objects.create(
            institution=saved, name=world.mark(f"contact of the {state} institution"), role="秘书长",
            phone="+8613700137000", email=world.mark(f"contact email of the {state} institution").lower()
            + "@example.cn")

    record = Institution(unit=user.unit, name_zh=world.mark(f"name of the {state} institution"),
                         unit_type="national_society", province=Region.objects.get(code="310000"),
                         city="上海", address=world.mark(f"address of the {state} institution"),
                         admin_name="李四", admin_phone="+8613900139000",
                         admin_email=world.mark(f"admin email of the {state} institution").lower() + "@example.cn")
    record = wf.record_save(record=record, by=user, save_related=save_related)
    if state == "draft":
        return world.add("institution", state, record, owner=user)
    record = wf.record_submit(record=record, by=user, expected_version=record.version)
    if state == "returned":
        record = wf.record_return(record=record, by=admin, reason=world.mark("return reason of an institution"))
    elif state in ("approved", "revision"):
        record = wf.record_approve(record=record, by=admin)
    world.add("institution", "submitted" if state == "submitted" else state, record, owner=user)
    if state == "revision":
        approved = record
        world.add("institution", "approved", approved, owner=user)
        revision = wf.record_start_revision(record=approved, by=user)
        revision.address = world.mark("address in an open revision of an institution")
        world.add("institution", "revision", wf.record_save(record=revision, by=user,
                                                            expected_version=revision.version), owner=user)


def build_world() -> World:
    admin = User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN,
                                     is_staff=True)
    intruder = _user("unit_a", "甲省科学技术协会", admin, province="110000")
    world = World(admin=admin, owner=None, intruder=intruder)
    owner = _user("unit_b", "乙学会", admin, email=world.mark("contact email of unit 乙").lower() + "@example.cn")
    world.owner = owner
    world.add("unit", "approved", owner.unit, owner=admin)
    pending = _user("unit_p", "丙大学科学技术协会", admin, approve=False,
                    email=world.mark("contact email of a pending unit").lower() + "@example.cn")
    world.add("unit", "pending", pending.unit, owner=admin)

    # Institutions: one profile per unit, so each state belongs to a unit of its own (乙 has the approved one).
    _institution(world, owner, "revision")
    for index, state in enumerate(["draft", "submitted", "returned"]):
        _institution(world, _user(f"unit_i{index}", f"丁{index}学会", admin), state)

    approved = _organizations(world)
    _experts(world, approved)

    # 乙's own relation to the registry: memberships and plans in every review state, a standalone conference.
    _memberships(world, owner, approved)
    conference = Conference(unit=owner.unit, name=world.mark("name of 乙's standalone conference"), year=2025, hosted_in_china=True,
                            host_unit_name=world.mark("host of 乙's standalone conference"))
    world.add("conference", "standalone", org_services.conference_save(conference=conference, by=owner))

    # 核对 and 修改建议 of the shared record.
    org_services.organization_verify(organization=approved, by=owner, comment=world.mark("comment of 乙's 核对"))
    pending_proposal = org_services.proposal_create(
        organization=approved, by=owner, changes={"hq_city": world.mark("city proposed by 乙 (pending)")},
        comment=world.mark("comment of 乙's pending proposal"))
    world.add("proposal", "pending", pending_proposal)
    rejected = org_services.proposal_create(
        organization=Organization.objects.get(pk=approved.pk), by=owner,
        changes={"address": world.mark("address proposed by 乙 (rejected)")},
        comment=world.mark("comment of 乙's rejected proposal"))
    rejected = org_services.proposal_decide(proposal=rejected, decisions={"address": "rejected"}, by=admin)
    world.add("proposal", "rejected", rejected)
    _exchange(world, owner)
    _notices(world)
    return world


def _notices(world: World) -> None:
    """The platform admin's notices: one published (乙 has confirmed it), a draft and a withdrawn one, whose
    titles, bodies and attachments no unit may see."""
    admin = world.admin

    def notice(state, *, publish):
        secret = state != "published"
        return notice_services.notice_save(
            by=admin, publish=publish, title=world.mark(f"title of the {state} notice", shared=not secret),
            body=world.mark(f"body of the {state} notice", shared=not secret),
            attachments=[SimpleUploadedFile(world.mark(f"file of the {state} notice", shared=not secret) + ".pdf",
                                            world.mark(f"content of the {state} notice's attachment",
                                                       shared=not secret).encode())])

    published = notice("published", publish=True)
    notice_services.notice_acknowledge(notice=published, by=world.owner)
    world.add("notice", "published", published, owner=admin, shared=True)
    world.add("notice_attachment", "published", published.attachments.get(), owner=admin, shared=True)
    draft = notice("draft", publish=False)
    world.add("notice", "draft", draft, owner=admin)
    world.add("notice_attachment", "draft", draft.attachments.get(), owner=admin)
    withdrawn = notice("withdrawn", publish=True)
    world.add("notice", "withdrawn", notice_services.notice_withdraw(notice=withdrawn, by=admin), owner=admin)


def _exchange(world: World, owner: User) -> None:
    """乙's 导入 (a file validated and not yet confirmed, one imported) and 导出."""
    for state in ("validated", "committed"):
        buffer = io.BytesIO()
        name = world.mark(f"name of an expert in 乙's {state} import file")
        write_workbook(buffer, [Sheet("基本信息", [Column("序号", lambda row: row[0]), Column("姓名", lambda row: row[1])],
                                      [(1, name)])])
        batch = exchange_services.import_upload(
            kind="experts", content=buffer.getvalue(), file_name=world.mark(f"file name of 乙's {state} import") + ".xlsx",
            user=owner, unit=owner.unit)
        if state == "committed":
            batch = exchange_services.import_confirm(batch=batch, by=owner)
        assert batch.status == state, batch.result
        world.add("import", state, batch)
    # The registry and the memberships imports (validated, or refused with problems on the preview).
    organization = world.entries[("organization", "approved")].obj
    files = {
        "organizations": Sheet("国际组织", [Column("中文名称", lambda row: row[0]), Column("英文名称", lambda row: row[1])],
                               [(world.mark("name of an organization in 乙's organizations import file"),
                                 world.mark("English name of an organization in 乙's organizations import file"))]),
        "memberships": Sheet("会员关系", [Column("中文名称", lambda row: row[0]), Column("会员状态", lambda row: row[1]),
                                      Column("备注", lambda row: row[2])],
                             [(organization.name_zh, "已加入", world.mark("notes in 乙's memberships import file"))]),
    }
    for kind, sheet in files.items():
        buffer = io.BytesIO()
        write_workbook(buffer, [sheet])
        batch = exchange_services.import_upload(
            kind=kind, content=buffer.getvalue(), file_name=world.mark(f"file name of 乙's {kind} import") + ".xlsx",
            user=owner, unit=owner.unit)
        assert batch.status in ("validated", "invalid"), batch.result
        world.add("import", kind, batch)
    ExportLog.objects.create(list_name="experts:list", params="q=" + world.mark("filter of 乙's export"),
                             unit=owner.unit, exported_by=owner)
    # Export jobs: one done (its file holds the owner's expert, found by a marker), one failed, one running.
    expert = world.entries[("expert", "draft")].obj
    request = RequestFactory().get("/", {"q": expert.name_zh})
    request.user = owner
    done = exchange_services.export_queue(export=export_for("experts:list"), request=request)
    assert done.status == ExportStatus.DONE and done.rows == 1, done.error
    world.add("export_job", "done", done)
    for status in (ExportStatus.FAILED, ExportStatus.RUNNING):
        world.add("export_job", status.value, ExportLog.objects.create(
            list_name="experts:list", params="q=" + world.mark(f"filter of 乙's {status.value} export job"),
            unit=owner.unit, exported_by=owner, status=status,
            error=exchange_services.EXPORT_INTERRUPTED if status == ExportStatus.FAILED else ""))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at the end; each test runs in a
    savepoint of it (pytest-django's `db`), so whatever a request writes is undone after the test."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            built.baseline = database_fingerprint()
            built.dynamic_baseline = database_fingerprint(static=False)
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- requests -------------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Target:
    url: str
    what: str  # which object, for failure messages
    kind: str | None
    state: str
    entry: Entry | None
    query: dict
    payload: dict


def _refs(world: World, state: str) -> dict:
    """Query and POST values that point at the owner's objects in `state` (the picker, merge, filters)."""
    org = world.entries[("organization", state)].obj
    expert_state = state if ("expert", state) in world.entries else "draft"
    expert = world.entries[("expert", expert_state)].obj
    return {"organization": org.pk, "expert": expert.pk, "keep": expert.pk,
            "duplicate": world.entries[("expert", "reserve_draft")].obj.pk, "unit": world.owner.unit_id,
            "relation": MembershipRelation.MEMBER, "target_date": "2027-01-01", "reason": "intruder", "action": "submit"}


def _management_forms() -> dict:
    data = {}
    for prefix in {*EXPERT_FORMSETS, *LIST_FORMSETS, "contacts"}:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
                     f"{prefix}-MAX_NUM_FORMS": "1000"})
    return data


def target(world: World, name: str, variant: str) -> Target:
    pattern = dict(parametrized_patterns())[name]
    kind = url_kind(name) if pattern.pattern.converters else None
    if kind is None:
        org_entry = world.entries[("organization", variant)]
        refs = _refs(world, variant)
        return Target(reverse(name), f"no object (query/POST refer to 乙's {variant} organization "
                                     f"#{org_entry.obj.pk})", None, variant, org_entry,
                      {**refs, "q": "ZZB-MARKER", "page": "1"}, refs)
    kwargs = {}
    if kind == "record":
        label, state, action = variant.split("/")
        entry = world.entries[(RECORD_KINDS[label], state)]
        kwargs = {"label": label, "pk": entry.obj.pk, "action": action}
    elif kind == "unit" and "action" in pattern.pattern.converters:
        state, action = variant.split("/")
        entry = world.entries[("unit", state)]
        kwargs = {"pk": entry.obj.pk, "action": action}
    elif kind == "export":
        entry = world.entries[("organization", "draft")]  # the owner's: the export must not hold its rows
        url = reverse(name, kwargs={"list_name": variant})
        return Target(url, f"the export of {variant}", kind, variant, entry, {"q": "ZZB-MARKER"}, {})
    elif kind == "import_kind":
        entry = world.entries[("organization", "draft")]  # the page must not name it
        url = reverse(name, kwargs={"kind": variant})
        return Target(url, f"the {variant} import page", kind, variant, entry, {"q": "ZZB-MARKER"},
                      _refs(world, "draft"))
    else:
        state = variant
        entry = world.entries[(kind, state)]
        kwargs = {"pk": entry.obj.pk}
    obj = entry.obj
    payload = {**_refs(world, "draft"), **_management_forms(), "name_zh": "甲改名", "name_en": "Intruder",
               "name": "甲的会议", "year": "2025", "comment": "甲", "reason": "甲退回",
               "version": getattr(obj, "version", "")}
    what = f"{type(obj).__name__} #{obj.pk} ({state}, owned by {entry.owner.username})"
    return Target(reverse(name, kwargs=kwargs), what, kind, state, entry, {"q": "ZZB-MARKER"}, payload)


def send(client: Client, t: Target, *, login_as=None, anonymous=False):
    """(description, response) of each request of a case, logged in again before each one (a logout page must
    not turn the rest anonymous). A page without ids is asked with a query and a POST that refer to the
    owner's objects in each state; its plain GET and empty POST are the same in every state, so they are sent
    in the first state only. The query GET adds nothing for an anonymous user or on a page with ids."""
    first = t.kind is not None or t.state == STATES["organization"][0]
    calls = [("GET", lambda: client.get(t.url))] if first else []
    if t.kind is None and not anonymous:
        calls.append((f"GET ?{t.query}", lambda: client.get(t.url, t.query)))
    if first:
        calls.append(("POST {}", lambda: client.post(t.url, {})))
    calls.append(("POST plausible data", lambda: client.post(t.url, t.payload)))
    for method, call in calls:
        if login_as is not None:
            client.force_login(login_as)
        yield method, call()


def _login_url() -> str:
    return reverse(settings.LOGIN_URL)


def _may_write(name: str, t: Target) -> bool:
    if t.kind is None:
        return t.entry.shared  # a page without ids referring to a shared organization (登记会员关系 with it)
    return (name, t.state) in SHARED_WRITES


def _failure(role, name, t, method, problem):
    return f"{role} {method} {name} {t.url} on {t.what}: {problem}"


# --- the cases ---------------------------------------------------------------------------------------------------

def test_every_url_with_parameters_is_mapped():
    """A new URL with an id must say which model the id names (URL_KINDS), else the harness cannot fill it."""
    unmapped = [name for name, pattern in parametrized_patterns()
                if pattern.pattern.converters and url_kind(name) is None]
    assert not unmapped, f"URLs with parameters and no entry in URL_KINDS: {unmapped}"
    for name, pattern in parametrized_patterns():
        known = {"pk"} | ({"label", "action"} if url_kind(name) == "record" else set()) | (
            {"action"} if url_kind(name) == "unit" else set()) | ({"list_name"} if url_kind(name) == "export" else set()) | (
            {"kind"} if url_kind(name) == "import_kind" else set())
        extra = set(pattern.pattern.converters) - known
        assert not extra, f"{name}: the harness does not know how to fill {sorted(extra)}"


def test_every_workflow_model_is_in_the_world():
    labels = {m._meta.label_lower for m in workflow_models()}
    assert labels == set(RECORD_KINDS), f"workflow models missing from RECORD_KINDS: {labels - set(RECORD_KINDS)}"


def _check_database(world, role, name, t, method, failures) -> bool:
    changes = fingerprint_changes(world.dynamic_baseline, database_fingerprint(static=False))
    if changes:
        failures.append(_failure(role, name, t, method, f"changed the database: {changes}"))
    return not changes


def _static_part(fingerprint: dict) -> dict:
    return {label: value for label, value in fingerprint.items() if label.split(".")[0] in STATIC_APPS}


def _check_static_data(world, role, name, t, failures) -> None:
    changes = fingerprint_changes(_static_part(world.baseline), _static_part(database_fingerprint()))
    if changes:
        failures.append(_failure(role, name, t, "a request", f"changed the database: {changes}"))


def test_the_world_has_every_kind_of_unit_data(world, db):
    """A new model holding a unit's data must get rows of the owner in the world, or the harness never sees it."""
    from iodp.accounts.models import Unit

    missing = []
    for model in platform_models():
        unit_fields = [f.name for f in model._meta.concrete_fields
                       if f.is_relation and f.related_model is Unit and model is not Unit]
        if unit_fields and not any(model._base_manager.filter(**{f: world.owner.unit}).exists() for f in unit_fields):
            missing.append(model._meta.label)
    assert not missing, f"no rows of unit 乙 in the isolation world for {missing}: add them in build_world()"


@pytest.mark.parametrize("name,variant", case_params("anonymous"))
def test_anonymous_gets_nothing(world, db, name, variant):
    t = target(world, name, variant)
    failures = []
    for method, response in send(Client(), t, anonymous=True):
        if response.status_code >= 500:
            failures.append(_failure("anonymous", name, t, method, f"answered {response.status_code}"))
        elif name not in PUBLIC_URL_NAMES:
            if response.status_code == 302 and not response.url.startswith(_login_url()):
                failures.append(_failure("anonymous", name, t, method, f"redirected to {response.url}"))
            elif response.status_code not in (302, 403, 404, 405):
                failures.append(_failure("anonymous", name, t, method, f"answered {response.status_code}"))
        if leaks := world.leaks(body_text(response)):
            failures.append(_failure("anonymous", name, t, method, f"body shows {leaks}"))
        if not _check_database(world, "anonymous", name, t, method, failures):
            break
    _check_static_data(world, "anonymous", name, t, failures)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name,variant", case_params("other unit"))
def test_another_unit_sees_and_changes_nothing(world, db, name, variant):
    t = target(world, name, variant)
    failures = []
    for method, response in send(Client(), t, login_as=world.intruder):
        if response.status_code >= 500:
            failures.append(_failure("unit 甲", name, t, method, f"answered {response.status_code}"))
        if leaks := world.leaks(body_text(response)):
            failures.append(_failure("unit 甲", name, t, method, f"body shows 乙's {leaks}"))
        if method.startswith("POST") and _may_write(name, t):
            continue
        if not _check_database(world, "unit 甲", name, t, method, failures):
            break
    else:
        _check_static_data(world, "unit 甲", name, t, failures)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name,variant", case_params("owner"))
def test_the_owner_can_open_every_page(world, db, name, variant):
    t = target(world, name, variant)
    owner = t.entry.owner if t.kind is not None else world.owner
    client = Client()
    client.force_login(owner)
    response = client.get(t.url)
    assert response.status_code < 500, _failure(owner.username, name, t, "GET", f"answered {response.status_code}")
