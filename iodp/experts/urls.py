from django.urls import path
from django.views.decorators.cache import never_cache as personal_data

from . import views

# Every page of this module shows experts' personal data (a revealed ID number above all). personal_data
# (Django's never_cache) answers with Cache-Control: no-store, so neither the browser's cache nor a proxy keeps
# a copy for the next user of the machine. New pages and exports of experts are wrapped the same way.
app_name = "experts"
urlpatterns = [
    path("", personal_data(views.expert_list), name="list"),
    path("new/", personal_data(views.ExpertEditView.as_view()), name="create"),
    path("reserve/new/", personal_data(views.ReserveExpertEditView.as_view()), name="reserve_create"),
    path("<int:pk>/", personal_data(views.ExpertDetailView.as_view()), name="detail"),
    path("<int:pk>/edit/", personal_data(views.ExpertEditView.as_view()), name="edit"),
    path("<int:pk>/verify/", personal_data(views.expert_verify), name="verify"),
    path("<int:pk>/reveal/", personal_data(views.ExpertRevealView.as_view()), name="reveal"),
    path("<int:pk>/registration-form/", personal_data(views.expert_registration_form), name="registration_form"),
    path("export/selected/", personal_data(views.export_selected), name="export_selected"),
    path("pinyin.json", personal_data(views.pinyin_suggestion), name="pinyin"),
    path("duplicates/", personal_data(views.duplicates), name="duplicates"),
    path("duplicates/merge/", personal_data(views.merge), name="merge"),
]
