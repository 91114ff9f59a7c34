from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetingConfig(AppConfig):
    name = "lidzdaliba.budgeting"
    label = "budgeting"
    verbose_name = _("Participatory budget")

    def ready(self) -> None:
        from . import services  # noqa: F401  (registers notification kinds and comment targets)
        from .gdpr import register_ideas_gdpr

        register_ideas_gdpr()
