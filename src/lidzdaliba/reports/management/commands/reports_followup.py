"""``lidzdaliba reports_followup``: the daily four-week follow-up of resolved reports.

Run it once a day (cron, a systemd timer, or a Kubernetes CronJob). With ``--enqueue`` it
hands the work to the task worker instead of doing it in this process.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from lidzdaliba.reports.services import reports_followup_send
from lidzdaliba.reports.tasks import reports_followup


class Command(BaseCommand):
    help = "Ask reporters whether problems resolved four weeks ago are really fixed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Run it in the task worker instead."
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = reports_followup.enqueue()
            self.stdout.write(f"Enqueued {result.id}")
            return
        asked = reports_followup_send()
        self.stdout.write(
            ngettext("Asked %(n)d reporter.", "Asked %(n)d reporters.", asked) % {"n": asked}
        )
