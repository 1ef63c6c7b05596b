from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("export/<str:list_name>/", views.export_list, name="export"),
    path("import/<str:kind>/", views.import_upload, name="import_upload"),
    path("template/<str:kind>/", views.template, name="template"),
    path("template/<str:kind>/form/", views.template_form, name="template_form"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
]
