from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "iodp.accounts"
    verbose_name = _("账号与单位")

    def ready(self):
        from . import dashboard  # noqa: F401  (registers the home-page figures)
