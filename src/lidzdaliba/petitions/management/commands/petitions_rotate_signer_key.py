"""Re-encrypt stored signer data under the first key of PETITION_SIGNER_KEY."""

from django.core.management.base import BaseCommand

from lidzdaliba.petitions import services


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored signer record under the first key of PETITION_SIGNER_KEY. "
        "Put the new key first, keep the old ones after it, run this, then drop the old keys."
    )

    def handle(self, *args, **options):
        rotated = services.signer_key_rotate()
        self.stdout.write(f"re-encrypted {rotated} signature(s)")
