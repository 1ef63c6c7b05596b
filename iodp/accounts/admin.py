from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Unit, User

admin.site.register(User, UserAdmin, list_display=["username", "role", "unit", "is_active"],
                    fieldsets=UserAdmin.fieldsets + (("IODP", {"fields": ("role", "unit", "phone")}),))
admin.site.register(Unit, list_display=["name", "unit_type", "province", "status"], list_filter=["status"])
