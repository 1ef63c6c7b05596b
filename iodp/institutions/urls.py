from django.urls import path

from . import views

app_name = "institutions"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.InstitutionEditView.as_view(), name="create"),
    path("<int:pk>/", views.InstitutionDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.InstitutionEditView.as_view(), name="edit"),
]
