from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "iodp.organizations"
    verbose_name = _("国际组织")
