from django.urls import path
from django.utils.translation import gettext_lazy as _

from iodp.core.views import placeholder

from . import views

app_name = "organizations"
urlpatterns = [
    path("", placeholder(_("国际组织"), _("全国共享的国际科技组织名录。")), name="list"),
    path("search.json", views.search_json, name="search_json"),
    path("new/", placeholder(_("新增国际组织"), _("先检索全国名录。")), name="create"),
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.OrganizationEditView.as_view(), name="edit"),
    path("<int:pk>/directory/", views.OrganizationDirectoryEditView.as_view(), name="directory"),
    path("<int:pk>/verify/", views.organization_verify, name="verify"),
    path("<int:pk>/propose/", views.proposal_create, name="propose"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("memberships/", views.membership_list, name="membership_list"),
    path("memberships/new/", views.membership_create, name="membership_create"),
    path("memberships/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("memberships/<int:pk>/delete/", views.membership_delete, name="membership_delete"),
    path("plans/new/", placeholder(_("新增计划加入国际组织"), _("记录本单位计划加入的国际组织。")), name="plan_create"),
    path("conferences/", views.conference_list, name="conference_list"),
    path("conferences/new/", views.conference_edit, name="conference_create"),
    path("conferences/<int:pk>/edit/", views.conference_edit, name="conference_edit"),
    path("conferences/<int:pk>/delete/", views.conference_delete, name="conference_delete"),
]
