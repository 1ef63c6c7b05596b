from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "iodp.exchange"
    verbose_name = _("导入导出")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("exports")  # each module's lists register what their export holds
        autodiscover_modules("imports")  # and what its files import
