from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "lidzdaliba.petitions"
    label = "petitions"
    verbose_name = _("Collective submissions")

    def ready(self) -> None:
        from lidzdaliba.accounts import gdpr

        from . import services  # noqa: F401  (registers the notification kinds)
        from .gdpr import signatures_of

        gdpr.register_section("collective_submissions", signatures_of)
