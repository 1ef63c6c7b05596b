"""Organizations for tests, created through the real workflow services (no shortcuts past validation)."""

from iodp.core import workflow_services as wf
from iodp.organizations.models import Category, Nature, Organization
from iodp.reference.models import Country, Discipline


def complete_values(**overrides) -> dict:
    values = dict(name_zh="国际纯粹与应用化学联合会", name_en="International Union of Pure and Applied Chemistry",
                  acronym="IUPAC", nature=Nature.GLOBAL, category=Category.CORE,
                  hq_country=Country.objects.get(code="US"), hq_city="Research Triangle Park", founded_year=1919)
    values.update(overrides)
    return values


def draft_organization(user, *, disciplines=("150",), **overrides) -> Organization:
    values = complete_values(**overrides)
    record = Organization(unit=user.unit, **values)

    def save_related(saved):
        saved.disciplines.set(Discipline.objects.filter(code__in=disciplines))

    return wf.record_save(record=record, by=user, save_related=save_related)


def approved_organization(user, admin, **overrides) -> Organization:
    record = draft_organization(user, **overrides)
    record = wf.record_submit(record=record, by=user, expected_version=record.version)
    return wf.record_approve(record=record, by=admin)


def saved_membership(user, organization, **values):
    """A unit's membership (default 已加入) saved as a draft through the workflow."""
    from iodp.organizations.models import Membership

    return wf.record_save(record=Membership(organization=organization, unit=user.unit, **values), by=user)


def approved_membership(user, admin, organization, **values):
    """A unit's membership or plan, submitted by the unit and approved by the platform admin."""
    from iodp.organizations.models import Membership

    record = wf.record_submit(record=Membership(organization=organization, unit=user.unit, **values), by=user)
    return wf.record_approve(record=record, by=admin)
