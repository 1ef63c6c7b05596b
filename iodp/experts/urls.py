from django.urls import path

from . import views

app_name = "experts"
urlpatterns = [
    path("", views.expert_list, name="list"),
    path("new/", views.ExpertEditView.as_view(), name="create"),
    path("reserve/new/", views.ReserveExpertEditView.as_view(), name="reserve_create"),
    path("<int:pk>/", views.ExpertDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ExpertEditView.as_view(), name="edit"),
    path("<int:pk>/reveal/", views.ExpertRevealView.as_view(), name="reveal"),
    path("pinyin.json", views.pinyin_suggestion, name="pinyin"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/merge/", views.merge, name="merge"),
]
