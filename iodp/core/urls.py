from django.urls import path

from . import views, workflow_views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("drafts/", workflow_views.drafts, name="drafts"),
    path("review/", workflow_views.review_queue, name="review_queue"),
    path("session/keepalive/", views.session_keepalive, name="session_keepalive"),
    path("records/<str:label>/<int:pk>/<slug:action>/", workflow_views.record_action, name="record_action"),
]
