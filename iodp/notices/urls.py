from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("new/", views.notice_edit, name="create"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/edit/", views.notice_edit, name="edit"),
    path("<int:pk>/publish/", views.notice_publish, name="publish"),
    path("<int:pk>/withdraw/", views.notice_withdraw, name="withdraw"),
    path("<int:pk>/delete/", views.notice_delete, name="delete"),
    path("<int:pk>/acknowledge/", views.notice_acknowledge, name="acknowledge"),
    path("<int:pk>/receipts/", views.notice_receipts, name="receipts"),
    path("<int:pk>/receipts/export/", views.notice_receipts_export, name="receipts_export"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
