"""The one wiring point of the platform's URLs."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView


class FaviconView(RedirectView):
    """Browsers and bookmarks ask for /favicon.ico whatever the page links; the icon is one static SVG (its
    hashed name is looked up per request, so importing the URLs never needs collectstatic's manifest)."""

    permanent = False  # the hashed file name changes with the icon

    def get_redirect_url(self, *args, **kwargs):
        return static("iodp/img/favicon.svg")


urlpatterns = [
    path("", include("iodp.core.urls")),
    path("accounts/", include("iodp.accounts.urls")),
    path("institutions/", include("iodp.institutions.urls")),
    path("organizations/", include("iodp.organizations.urls")),
    path("experts/", include("iodp.experts.urls")),
    path("insights/", include("iodp.insights.urls")),
    path("exchange/", include("iodp.exchange.urls")),
    path("notices/", include("iodp.notices.urls")),
    path("manual/", include("iodp.manual.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("favicon.ico", FaviconView.as_view()),
]
