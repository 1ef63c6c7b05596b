from django.contrib import admin

from .models import Country, Discipline, Region

admin.site.register(Discipline, list_display=["code", "name_zh", "category"], search_fields=["code", "name_zh"])
admin.site.register(Region, list_display=["code", "name_zh", "kind"], search_fields=["code", "name_zh"])
admin.site.register(Country, list_display=["code", "name_zh", "name_en"], search_fields=["code", "name_zh", "name_en"])
