"""Move participatory-budget cycles to the phase their dates say (run it every few
minutes from cron or a systemd timer, e.g. ``*/5 * * * * lidzdaliba budgeting_phases``)."""

from django.core.management.base import BaseCommand

from lidzdaliba.budgeting.services.cycles import cycle_advance_on_schedule


class Command(BaseCommand):
    help = (
        "Move every participatory-budget cycle whose next phase's date has passed into that "
        "phase (several steps if needed), with a phase change and an audit record for each. "
        "Safe to run often and from several machines at once."
    )

    def handle(self, *args, **options):
        steps = cycle_advance_on_schedule()
        self.stdout.write(f"phase steps: {steps}")
