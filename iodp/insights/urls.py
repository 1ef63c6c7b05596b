from django.urls import path

from . import progress_views, views

app_name = "insights"
urlpatterns = [
    path("", views.home, name="home"),
    path("summary/", views.summary, name="summary"),
    path("export/", views.export, name="export"),
    path("progress/", progress_views.progress_page, name="progress"),
    path("progress/export/", progress_views.progress_export, name="progress_export"),
    path("campaigns/", progress_views.campaigns, name="campaigns"),
    path("campaigns/new/", progress_views.campaign_edit, {"create": True}, name="campaign_create"),
    path("campaigns/active/edit/", progress_views.campaign_edit, name="campaign_edit"),
    path("campaigns/active/close/", progress_views.campaign_close, name="campaign_close"),
]
