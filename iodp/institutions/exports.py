"""导出 of 机构管理: the platform admin's directory of units with their profiles (a unit: its own profile)."""

from django.utils.translation import gettext_lazy as _

from iodp.exchange.registry import Column, Sheet, field_columns, register_export

from .filters import DirectoryFilter
from .models import Institution, InstitutionContact
from .selectors import directory_rows

INSTITUTION_FIELDS = ["name_zh", "name_en", "unit_type", "province", "city", "address", "website", "description",
                      "admin_name", "admin_phone", "admin_email", "status", "unit"]
CONTACT_FIELDS = ["institution__name_zh", "name", "role", "phone", "email"]


@register_export("institutions:home", title=_("机构信息"))
def institution_sheets(request, *, reveal_ids=False):
    profiles = Institution.objects.visible_to(request.user).filter(revision_of__isnull=True)
    if request.user.is_platform_admin:
        units = DirectoryFilter(request.GET, queryset=directory_rows()).qs
        profiles = profiles.filter(unit__in=units.values("pk"))
    profiles = profiles.select_related("province", "unit").order_by("name_zh", "pk")
    contacts = InstitutionContact.objects.filter(institution__in=profiles.values("pk")).select_related(
        "institution").order_by("institution__name_zh", "institution_id", "id")
    columns = field_columns(Institution, INSTITUTION_FIELDS, name_zh=30, name_en=40, description=40)
    columns.append(Column(str(_("完整度")), lambda p: f"{p.completeness}%", 8))
    return [
        Sheet(str(_("机构信息")), columns, profiles),
        Sheet(str(_("联系人")), field_columns(InstitutionContact, CONTACT_FIELDS, institution__name_zh=30),
              contacts),
    ]
