"""The collective-submissions section of a person's data export."""

from __future__ import annotations

from .models import CollectiveSubmission, Signature

EXPLAINED = (
    "With each signature we keep the name, surname and personal code you entered, encrypted, "
    "so that the municipality can check the signatures. They are decrypted only when a "
    "municipal officer exports the signer list (which is logged), and deleted after the "
    "municipality has answered and the retention period has passed."
)


def _iso(value):
    return value.isoformat() if value else None


def signatures_of(user) -> dict:
    """The submissions ``user`` drafted and signed. The encrypted name, surname and personal
    code of a signature are not decrypted here (only the officers' export does that)."""
    drafted = [
        {
            "title": s.title,
            "status": s.status,
            "created_at": _iso(s.created_at),
            "representative_name": s.representative_name,
            "representative_email": s.representative_email,
            "representative_phone": s.representative_phone,
            "representative_address": s.representative_address,
        }
        for s in CollectiveSubmission.objects.filter(author=user).order_by("created_at")
    ]
    signed = [
        {
            "submission": signature.submission.title,
            "signed_at": _iso(signature.signed_at),
            "declared_eligible": signature.declared_eligible,
            "name_surname_and_personal_code_stored_encrypted": bool(signature.signer_data),
        }
        for signature in Signature.objects.filter(signer=user).select_related("submission")
    ]
    return {"drafted": drafted, "signed": signed, "explained": EXPLAINED}
