"""The Django admin changelist of experts: view-only, with the columns and search of the platform's list (ID
numbers and birth dates are not shown), so the benchmarks can compare the two (bench/pages.py)."""

from django.contrib import admin

from iodp.organizations.admin import ReadOnlyAdmin

from .models import Expert


@admin.register(Expert)
class ExpertAdmin(ReadOnlyAdmin):
    list_display = ["name_zh", "name_en", "kind", "gender", "employer", "unit", "status"]
    list_filter = ["status", "kind", "unit"]
    list_select_related = ["unit"]
    search_fields = ["name_zh", "name_en", "name_pinyin", "employer"]
    ordering = ["name_pinyin", "pk"]
    fields = ["kind", "name_zh", "name_en", "gender", "nationality", "employer", "department", "job_title",
              "professional_title", "category", "unit", "status"]
