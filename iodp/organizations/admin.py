"""Django admin changelists of the registry: read-only (records change only through the workflow services),
with the columns and search of the platform's lists, so the benchmarks can compare the two (bench/pages.py)."""

from django.contrib import admin

from .models import Membership, Organization


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browse and search only: saving here would bypass the workflow, its checks and its change log."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ["name_zh", "name_en", "acronym", "nature", "category", "hq_country", "founded_year", "status"]
    list_filter = ["status", "nature", "category", "disciplines"]
    list_select_related = ["hq_country"]
    search_fields = ["name_zh", "name_en", "acronym"]
    ordering = ["sort_key", "pk"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["organization", "unit", "relation", "form", "since_year", "status"]
    list_filter = ["status", "relation"]
    list_select_related = ["organization", "unit"]
    search_fields = ["organization__name_zh", "organization__name_en", "unit__name"]
    ordering = ["organization__sort_key", "pk"]
