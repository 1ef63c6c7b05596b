from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("export/<str:list_name>/", views.export_list, name="export"),
]
