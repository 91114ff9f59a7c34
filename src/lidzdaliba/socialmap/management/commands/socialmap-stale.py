"""``lidzdaliba socialmap-stale``: ask organisations to confirm entries not checked for
``SOCIALMAP_CONFIRM_MONTHS`` (run daily, e.g. from cron or the task worker)."""

from django.core.management.base import BaseCommand

from lidzdaliba.socialmap.services import services_flag_stale


class Command(BaseCommand):
    help = "Flag social-map services that have not been confirmed for a year."

    def handle(self, *args, **options):
        count = services_flag_stale()
        self.stdout.write(f"{count} service(s) flagged.")
