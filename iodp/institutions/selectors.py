"""Reads of the institutions module (lists and the unit's current profile)."""

from django.db.models import OuterRef, Q, Subquery

from iodp.accounts.models import Unit
from iodp.core.text import normalize_text

from .models import Institution

COMPLETENESS_BANDS = {"empty": (None, None), "low": (0, 59), "mid": (60, 99), "full": (100, 100)}


def profile_for_unit(unit) -> Institution | None:
    """The unit's profile as it stands: the official one, else the one being written."""
    return Institution.objects.filter(unit=unit, revision_of__isnull=True).select_related("province").first()


def directory_rows():
    """Every unit, annotated with its profile's id, status, completeness and English name."""
    profile = Institution.objects.filter(unit=OuterRef("pk"), revision_of__isnull=True)
    units = Unit.objects.select_related("province").annotate(
        profile_id=Subquery(profile.values("pk")[:1]),
        profile_status=Subquery(profile.values("status")[:1]),
        profile_completeness=Subquery(profile.values("completeness")[:1]),
        profile_name_en=Subquery(profile.values("name_en")[:1]),
    )
    return units


def filter_directory(units, *, q="", unit_type="", province="", status="", completeness=""):
    """`directory_rows()` narrowed by the directory's filters ("none": units without a profile)."""
    q = normalize_text(q)
    if q:
        units = units.filter(Q(name__icontains=q) | Q(admin_name__icontains=q) | Q(pk__in=Institution.objects.filter(
            Q(name_zh__icontains=q) | Q(name_en__icontains=q)).values("unit_id")))
    if unit_type:
        units = units.filter(unit_type=unit_type)
    if province:
        units = units.filter(province__code=province)
    if status == "none":
        units = units.filter(profile_id__isnull=True)
    elif status:
        units = units.filter(profile_status=status)
    if completeness in COMPLETENESS_BANDS:
        low, high = COMPLETENESS_BANDS[completeness]
        units = units.filter(profile_id__isnull=True) if low is None else units.filter(
            profile_completeness__gte=low, profile_completeness__lte=high)
    return units
