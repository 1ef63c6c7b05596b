from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("export/<str:list_name>/", views.export, name="export"),
    path("exports/", views.export_list, name="export_list"),
    path("exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("exports/<int:pk>/progress/", views.export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("exports/<int:pk>/retry/", views.export_retry, name="export_retry"),
    path("import/<str:kind>/", views.import_upload, name="import_upload"),
    path("template/<str:kind>/", views.template, name="template"),
    path("template/<str:kind>/form/", views.template_form, name="template_form"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
]
