"""The one wiring point of the platform's URLs."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("iodp.core.urls")),
    path("accounts/", include("iodp.accounts.urls")),
    path("institutions/", include("iodp.institutions.urls")),
    path("organizations/", include("iodp.organizations.urls")),
    path("experts/", include("iodp.experts.urls")),
    path("insights/", include("iodp.insights.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
