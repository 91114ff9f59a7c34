"""Encryption at rest of what a signature must let the municipality check (name, surname,
personal code).

Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) under the keys in the setting
``PETITION_SIGNER_KEY``: a string or a list of strings, the first one encrypts, all of them
decrypt (``MultiFernet``), so a key is rotated by putting a new one first and running
``lidzdaliba petitions_rotate_signer_key``. A key may be a Fernet key (44 url-safe base64
characters) or any passphrase, from which a Fernet key is derived with SHA-256. Without the
setting the key is derived from ``SECRET_KEY``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@dataclass(frozen=True)
class SignerData:
    first_name: str
    last_name: str
    personal_code: str


def _fernet_key(text: str) -> bytes:
    raw = text.encode()
    try:
        if len(base64.urlsafe_b64decode(raw)) == 32 and len(raw) == 44:
            return raw
    except (binascii.Error, ValueError):
        pass
    return base64.urlsafe_b64encode(hashlib.sha256(b"petition-signer:" + raw).digest())


def configured_keys() -> list[str]:
    value = getattr(settings, "PETITION_SIGNER_KEY", None) or [
        f"petition-signer:{settings.SECRET_KEY}"
    ]
    keys = [value] if isinstance(value, str) else list(value)
    keys = [k.strip() for k in keys if k and k.strip()]
    if not keys:
        raise ValueError("PETITION_SIGNER_KEY holds no key.")
    return keys


def _cipher() -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(k)) for k in configured_keys()])


def encrypt(data: SignerData) -> bytes:
    """The Fernet token of ``data`` under the first configured key."""
    payload = json.dumps(
        {"n": data.first_name, "s": data.last_name, "c": data.personal_code},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return _cipher().encrypt(payload.encode())


def decrypt(token: bytes | memoryview) -> SignerData:
    """The data in ``token``; raises ``cryptography.fernet.InvalidToken`` when no configured
    key opens it (or it was tampered with)."""
    payload = json.loads(_cipher().decrypt(bytes(token)))
    return SignerData(first_name=payload["n"], last_name=payload["s"], personal_code=payload["c"])


def rotate(token: bytes | memoryview) -> bytes:
    """``token`` re-encrypted under the first configured key."""
    return _cipher().rotate(bytes(token))


__all__ = ["InvalidToken", "SignerData", "configured_keys", "decrypt", "encrypt", "rotate"]
