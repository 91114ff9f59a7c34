from django.core.management.base import BaseCommand

from lidzdaliba.core.demo.load import DEMO_PASSWORD, load_all


class Command(BaseCommand):
    help = "Load (or refresh) the Liepāja demo data: places, organisations, people."

    def handle(self, *args, **options):
        municipality = load_all()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready for {municipality.name}. "
                f"Demo logins use the password {DEMO_PASSWORD!r} (see README.md)."
            )
        )
