"""The Django admin changelists of experts and of their posts: view-only, with the columns and search of the platform's list (ID
numbers and birth dates are not shown), so the benchmarks can compare the two (bench/pages.py); the posts'
changelist is the peer of the statistics pages (bench/insights.py)."""

from django.contrib import admin

from iodp.organizations.admin import ReadOnlyAdmin

from .models import Expert, Position


@admin.register(Expert)
class ExpertAdmin(ReadOnlyAdmin):
    list_display = ["name_zh", "name_en", "kind", "gender", "employer", "unit", "status"]
    list_filter = ["status", "kind", "unit"]
    list_select_related = ["unit"]
    search_fields = ["name_zh", "name_en", "name_pinyin", "employer"]
    ordering = ["name_pinyin", "pk"]
    fields = ["kind", "name_zh", "name_en", "gender", "nationality", "employer", "department", "job_title",
              "professional_title", "category", "unit", "status"]


@admin.register(Position)
class PositionAdmin(ReadOnlyAdmin):
    list_display = ["expert", "organization", "post_title", "role", "level", "term_start", "term_end", "status"]
    list_filter = ["level", "status", "role"]
    list_select_related = ["expert", "organization"]
    search_fields = ["post_title", "expert__name_zh", "organization__acronym"]
    ordering = ["pk"]
