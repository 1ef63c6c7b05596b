from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.home, name="home"),
    path("summary/", views.summary, name="summary"),
    path("export/", views.export, name="export"),
]
