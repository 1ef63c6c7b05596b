"""填报进度: the reporting campaigns and, for one campaign, how far each approved unit has got."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iodp.accounts.models import Unit, UnitStatus
from iodp.core import clock
from iodp.core.caching import reused
from iodp.core.dashboard import latest_change_id
from iodp.core.models import ChangeAction, ChangeLog, log_change
from iodp.core.workflow import RecordStatus
from iodp.experts.models import Expert
from iodp.institutions.models import Institution
from iodp.organizations.models import Membership, Organization

from .models import ReportingCampaign

#: the modules a unit reports, in display order: (key, label, model)
MODULES = [
    ("institution", gettext_lazy("单位信息"), Institution),
    ("organizations", gettext_lazy("国际组织"), Organization),
    ("memberships", gettext_lazy("加入情况"), Membership),
    ("experts", gettext_lazy("专家"), Expert),
]
STATUSES = [RecordStatus.DRAFT, RecordStatus.SUBMITTED, RecordStatus.APPROVED, RecordStatus.RETURNED]
CAMPAIGN_FIELDS = ["name", "starts_on", "deadline", "notes"]


def _require_platform_admin(user) -> None:
    if not getattr(user, "is_platform_admin", False):
        raise PermissionDenied(_("只有平台管理员可以管理填报。"))


def active_campaign() -> ReportingCampaign | None:
    """The campaign in progress, if any (at most one, by the campaign_one_active constraint)."""
    return ReportingCampaign.objects.filter(is_active=True).first()


def _snapshot(campaign: ReportingCampaign) -> dict:
    return {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS + ["is_active"]}


def _changes(campaign: ReportingCampaign, before: dict) -> list[dict]:
    return [{"field": name, "label": str(campaign._meta.get_field(name).verbose_name), "before": str(before[name]),
             "after": str(getattr(campaign, name))}
            for name in CAMPAIGN_FIELDS + ["is_active"] if str(before.get(name)) != str(getattr(campaign, name))]


@transaction.atomic
def campaign_create(*, by, name: str, starts_on: datetime.date, deadline: datetime.date, notes: str = "",
                    is_active: bool = True) -> ReportingCampaign:
    """A new campaign; active by default (refused while another one is active)."""
    _require_platform_admin(by)
    campaign = ReportingCampaign(name=name, starts_on=starts_on, deadline=deadline, notes=notes,
                                 is_active=is_active, created_by=by)
    campaign.full_clean()
    campaign.save()
    log_change(obj=campaign, action=ChangeAction.CREATE, actor=by,
               changes=_changes(campaign, dict.fromkeys(CAMPAIGN_FIELDS + ["is_active"], "")))
    return campaign


@transaction.atomic
def campaign_update(*, campaign: ReportingCampaign, by, **values) -> ReportingCampaign:
    """Change the name, dates or notes of `campaign`."""
    _require_platform_admin(by)
    before = _snapshot(campaign)
    for name, value in values.items():
        if name not in CAMPAIGN_FIELDS:
            raise ValueError(name)
        setattr(campaign, name, value)
    campaign.full_clean()
    campaign.save()
    changes = _changes(campaign, before)
    if changes:
        log_change(obj=campaign, action=ChangeAction.SAVE, actor=by, changes=changes)
    return campaign


@transaction.atomic
def campaign_close(*, campaign: ReportingCampaign, by) -> ReportingCampaign:
    """End `campaign`: it is kept, no longer active, and a new one may start."""
    _require_platform_admin(by)
    if campaign.is_active:
        before = _snapshot(campaign)
        campaign.is_active = False
        campaign.save(update_fields=["is_active"])
        log_change(obj=campaign, action=ChangeAction.SUSPEND, actor=by, changes=_changes(campaign, before))
    return campaign


@dataclass
class UnitProgress:
    unit: Unit
    last_activity: datetime.datetime | None = None
    #: module key → {status: count}
    counts: dict = field(default_factory=dict)
    completeness: int = 0
    submitted_anything: bool = False
    #: submitted or approved since the campaign's start (see unit_progress)
    submitted_in_campaign: bool = False
    overdue: bool = False

    def modules(self) -> list[tuple[str, str, dict]]:
        """(module key, the model's `app_label.model_name` as the review queue's `kind`, counts) in display
        order."""
        return [(key, model._meta.label_lower, self.counts.get(key, {})) for key, _label, model in MODULES]


def _count_by_unit(model, campaign_start: datetime.datetime, unit_ids: list | None) -> dict:
    """One query: per unit (of `unit_ids` if given), the number of current records (not pending revisions) in
    each status, and how many were submitted since the campaign started."""
    aggregates = {status.value: Count("pk", filter=Q(status=status)) for status in STATUSES}
    aggregates["since_start"] = Count(
        "pk", filter=Q(status__in=[RecordStatus.SUBMITTED, RecordStatus.APPROVED], submitted_at__gte=campaign_start)
    )
    rows = (_of_units(model._base_manager.filter(unit__isnull=False, revision_of__isnull=True), unit_ids)
            .values("unit_id").annotate(**aggregates).order_by())
    return {row.pop("unit_id"): row for row in rows}


def _of_units(queryset, unit_ids: list | None):
    return queryset if unit_ids is None else queryset.filter(unit_id__in=unit_ids)


def unit_progress(campaign: ReportingCampaign, *, units=None) -> list[UnitProgress]:
    """One row per approved unit (of `units` if given), by name, in a constant number of queries.

    - counts: per module, the unit's records in 草稿 / 待审核 / 审核通过 / 已退回 (a pending revision of an
      approved record is not counted again; the record stays counted as approved);
    - completeness: the unit's institution profile's share of filled fields (Institution.completeness), 0 without;
    - submitted_anything: at least one record of any module submitted or approved, at any time;
    - overdue: the deadline has passed (today, by iodp.core.clock, is after it) and the unit has submitted
      nothing (no record submitted or approved with submitted_at on or after the campaign's start day).
      A unit that submitted after the deadline is therefore not overdue, but it is late (see submitted_at).
    """
    start = timezone.make_aware(datetime.datetime.combine(campaign.starts_on, datetime.time.min))
    qs = Unit.objects.filter(status=UnitStatus.APPROVED).order_by("name")
    unit_ids = None if units is None else [getattr(u, "pk", u) for u in units]
    if unit_ids is not None:  # one unit's home page counts its own records, not every unit's
        qs = qs.filter(pk__in=unit_ids)
    rows = {unit.pk: UnitProgress(unit=unit) for unit in qs}
    last = dict(_of_units(ChangeLog.objects.filter(unit__isnull=False), unit_ids).values("unit_id").annotate(last=Max("at"))
                .values_list("unit_id", "last").order_by())
    completeness = dict(_of_units(Institution._base_manager.filter(unit__isnull=False, revision_of__isnull=True),
                                  unit_ids).values_list("unit_id", "completeness"))
    past_deadline = clock.today() > campaign.deadline
    per_module = {key: _count_by_unit(model, start, unit_ids) for key, _label, model in MODULES}
    for pk, row in rows.items():
        row.last_activity = last.get(pk)
        row.completeness = completeness.get(pk, 0)
        since = 0
        for key, _label, _model in MODULES:
            counts = per_module[key].get(pk, {})
            since += counts.pop("since_start", 0)
            row.counts[key] = {status.value: counts.get(status.value, 0) for status in STATUSES}
            if row.counts[key][RecordStatus.SUBMITTED] or row.counts[key][RecordStatus.APPROVED]:
                row.submitted_anything = True
        row.submitted_in_campaign = since > 0
        row.overdue = past_deadline and not row.submitted_in_campaign
    return list(rows.values())


#: how long the rows of every unit are reused at most (see `services.INSIGHTS_TTL_SECONDS`): a change logged
#: through the services shows at once, since the key holds the newest ChangeLog entry.
PROGRESS_TTL_SECONDS = 60


def unit_progress_cached(campaign: ReportingCampaign) -> list[UnitProgress]:
    """`unit_progress` of every approved unit, reused while nothing new is logged: the 填报进度 page, its export
    and the platform admin's home panel read it. Keyed by the campaign, today (overdue turns at midnight) and the
    newest ChangeLog id (one index lookup; the campaign's own edits are logged too)."""
    key = f"progress:{campaign.pk}:{clock.today().isoformat()}:{latest_change_id()}"
    return reused(key, lambda: unit_progress(campaign), PROGRESS_TTL_SECONDS)


def filter_rows(rows: list[UnitProgress], *, nothing_submitted=False, unit_type="", overdue=False) -> list:
    """The 填报进度 filters: 未提交任何数据, unit type, overdue."""
    if nothing_submitted:
        rows = [row for row in rows if not row.submitted_anything]
    if unit_type:
        rows = [row for row in rows if row.unit.unit_type == unit_type]
    if overdue:
        rows = [row for row in rows if row.overdue]
    return rows
