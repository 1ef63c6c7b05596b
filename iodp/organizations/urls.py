from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("search.json", views.search_json, name="search_json"),
    path("new/", views.OrganizationEditView.as_view(), name="create"),
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.OrganizationEditView.as_view(), name="edit"),
    path("<int:pk>/directory/", views.OrganizationDirectoryEditView.as_view(), name="directory"),
    path("<int:pk>/verify/", views.organization_verify, name="verify"),
    path("<int:pk>/propose/", views.proposal_create, name="propose"),
    path("<int:pk>/merge/", views.organization_merge_into, name="merge_into"),
    path("<int:pk>/reject-duplicate/", views.organization_reject_duplicate, name="reject_duplicate"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("memberships/", views.membership_list, name="membership_list"),
    path("memberships/new/", views.MembershipEditView.as_view(), name="membership_create"),
    path("memberships/<int:pk>/", views.MembershipDetailView.as_view(), name="membership_detail"),
    path("memberships/<int:pk>/edit/", views.MembershipEditView.as_view(), name="membership_edit"),
    path("memberships/<int:pk>/delete/", views.membership_delete, name="membership_delete"),
    path("plans/new/", views.MembershipEditView.as_view(planned=True), name="plan_create"),
    path("conferences/", views.conference_list, name="conference_list"),
    path("conferences/new/", views.conference_edit, name="conference_create"),
    path("conferences/<int:pk>/edit/", views.conference_edit, name="conference_edit"),
    path("conferences/<int:pk>/delete/", views.conference_delete, name="conference_delete"),
]
