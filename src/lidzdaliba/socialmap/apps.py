from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialmapConfig(AppConfig):
    name = "lidzdaliba.socialmap"
    label = "socialmap"
    verbose_name = _("Social map")

    def ready(self) -> None:
        from .cache import connect_signals

        connect_signals()
