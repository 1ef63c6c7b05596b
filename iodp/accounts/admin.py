from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Unit, User

admin.site.register(User, UserAdmin, list_display=["username", "role", "unit", "is_active"],
                    fieldsets=UserAdmin.fieldsets + (("IODP", {"fields": ("role", "unit", "phone")}),))
# A unit's status changes only through accounts.services (approve / reject / suspend), which writes the log.
admin.site.register(Unit, list_display=["name", "unit_type", "province", "status"], list_filter=["status"],
                    readonly_fields=["status", "status_reason", "reviewed_by", "reviewed_at"])
