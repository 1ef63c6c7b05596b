from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "iodp.core"
    verbose_name = _("平台核心")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import lookups, workflow_dashboard  # noqa: F401  (registers `__scanned`, the home-page figures)
        from .validation_messages import specify_model_messages

        specify_model_messages()

        from .sessions import touch_on_login

        user_logged_in.connect(touch_on_login, dispatch_uid="iodp.core.sessions.touch_on_login")
