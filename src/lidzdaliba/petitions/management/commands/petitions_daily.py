"""Daily job of collective submissions: close those whose signing ended below the
threshold, and delete signer data past its retention period."""

from django.core.management.base import BaseCommand

from lidzdaliba.petitions import services


class Command(BaseCommand):
    help = (
        "Close collective submissions whose signing period ended below the threshold (they "
        "become ordinary submissions) and delete the encrypted signer data of submissions "
        "answered more than PETITION_SIGNER_DATA_RETENTION_DAYS ago. Run it once a day."
    )

    def handle(self, *args, **options):
        closed = services.submissions_close_due()
        purged = services.signer_data_purge()
        self.stdout.write(f"closed: {closed}, signer data deleted: {purged}")
