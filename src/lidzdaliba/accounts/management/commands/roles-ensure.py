from django.core.management.base import BaseCommand

from lidzdaliba.accounts.services import roles_ensure


class Command(BaseCommand):
    help = "Create the staff groups and give them their permissions (run after new modules)."

    def handle(self, *args, **options):
        for name, count in roles_ensure().items():
            self.stdout.write(f"{name}: {count}")
