from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "lidzdaliba.reports"
    label = "reports"
    verbose_name = _("Citizen reports")

    def ready(self):
        from lidzdaliba.accounts import gdpr

        from . import services

        gdpr.register_section("reports", services.personal_data_of)
        gdpr.register_eraser("reports", services.personal_data_erase)
