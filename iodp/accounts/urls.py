from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("register/done/", views.register_done, name="register_done"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_review, name="unit_review"),
    path("units/<int:pk>/password-reset/", views.unit_password_reset, name="unit_password_reset"),
    path("units/<int:pk>/<slug:action>/", views.unit_action, name="unit_action"),
]
