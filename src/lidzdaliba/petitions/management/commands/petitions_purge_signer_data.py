"""Delete the encrypted names and personal codes of answered collective submissions once
the retention period has passed."""

from django.core.management.base import BaseCommand

from lidzdaliba.petitions import services


class Command(BaseCommand):
    help = (
        "Delete the encrypted signer data (name, surname, personal code) of collective "
        "submissions answered more than PETITION_SIGNER_DATA_RETENTION_DAYS ago; the "
        "signature counts stay. Safe to run repeatedly."
    )

    def handle(self, *args, **options):
        purged = services.signer_data_purge()
        self.stdout.write(f"signer data deleted for {purged} submission(s)")
