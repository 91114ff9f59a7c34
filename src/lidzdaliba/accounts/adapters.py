"""allauth adapters: e-identification logins verify residency; personal codes are never kept.

e-identification (provider id ``eid``, an OpenID Connect app) supplies the personal code
in the claim ``settings.EID_PERSONAL_CODE_CLAIM``. As soon as allauth has the provider's
data (``populate_user``, before anything is saved) the code is replaced by its identity
key, everywhere in ``SocialAccount.extra_data`` and in the account uid if the provider uses
the code as subject. After the login is accepted, the same census check as for a typed code
runs, with method ``eid`` (see ``services.residency_verify_identity``).
"""

from __future__ import annotations

import logging
import re

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

import personalcode

EID_PROVIDER_ID = "eid"
_MARK = "lidzdaliba"  # our key inside extra_data
logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open; e-mails are sent in the user's language."""


def _find_claim(extra_data: dict, claim: str):
    for part in ("userinfo", "id_token"):
        section = extra_data.get(part)
        if isinstance(section, dict) and section.get(claim):
            return section[claim]
    return extra_data.get(claim) or None


def _scrub(value, digits: str, raw: str):
    """``value`` without any string that carries the personal code."""
    if isinstance(value, dict):
        return {
            k: _scrub(v, digits, raw)
            for k, v in value.items()
            if not (isinstance(v, str) and _carries_code(v, digits, raw))
        }
    if isinstance(value, list):
        return [
            _scrub(v, digits, raw)
            for v in value
            if not (isinstance(v, str) and _carries_code(v, digits, raw))
        ]
    return value


def _carries_code(text: str, digits: str, raw: str) -> bool:
    return (raw and raw in text) or digits in re.sub(r"\D", "", text)


def eid_strip_personal_code(sociallogin) -> None:
    """Replace the personal code in an e-identification login's data by its identity key.

    Afterwards ``extra_data[“lidzdaliba”]`` holds ``{"personal_code": "ok" | "missing" |
    "invalid", "identity_key": …}`` and no value anywhere in ``extra_data`` or the uid
    carries the code.
    """
    account = sociallogin.account
    claim = settings.EID_PERSONAL_CODE_CLAIM
    extra_data = dict(account.extra_data or {})
    raw = _find_claim(extra_data, claim)
    for part in ("userinfo", "id_token"):
        if isinstance(extra_data.get(part), dict):
            extra_data[part] = {k: v for k, v in extra_data[part].items() if k != claim}
    extra_data.pop(claim, None)
    mark: dict = {"personal_code": "missing"}
    if raw:
        raw = str(raw).strip()
        try:
            digits = personalcode.from_semantic_identifier(raw)
        except personalcode.InvalidPersonalCode:
            digits = re.sub(r"\D", "", raw)
            mark = {"personal_code": "invalid"}
        else:
            identity_key = personalcode.identity_key(digits, key=settings.PERSONAL_CODE_HMAC_KEY)
            mark = {"personal_code": "ok", "identity_key": identity_key}
            if _carries_code(str(account.uid), digits, raw):
                account.uid = f"ik:{identity_key}"
        if len(digits) >= 6:
            extra_data = _scrub(extra_data, digits, raw)
    extra_data[_MARK] = mark
    account.extra_data = extra_data


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """e-identification logins: strip the personal code, then verify residency."""

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        if not user.full_name:
            name = data.get("name") or " ".join(
                part for part in (data.get("first_name"), data.get("last_name")) if part
            )
            user.full_name = (name or "")[:150]
        if sociallogin.account.provider == EID_PROVIDER_ID:
            eid_strip_personal_code(sociallogin)
        return user

    def pre_social_login(self, request, sociallogin):
        super().pre_social_login(request, sociallogin)
        if sociallogin.account.provider != EID_PROVIDER_ID:
            return
        if sociallogin.is_existing:
            _eid_verify(request, sociallogin.user, sociallogin)
        elif sociallogin.state.get("process") == "connect" and request.user.is_authenticated:
            _eid_verify(request, request.user, sociallogin)

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        if sociallogin.account.provider == EID_PROVIDER_ID:
            _eid_verify(request, user, sociallogin)
        return user


def _eid_verify(request, user, sociallogin) -> None:
    """Run the census check for an e-identified person and tell them the outcome; a
    failed check never stops the login."""
    from lidzdaliba.accounts import services
    from lidzdaliba.accounts.models import Residency

    mark = (sociallogin.account.extra_data or {}).get(_MARK, {})
    status = mark.get("personal_code")
    if status != "ok":
        if status == "invalid":
            message = _("Your e-identification gave a personal code that is not valid.")
        else:
            message = _(
                "Your e-identification did not tell us your personal code, so your residence "
                "could not be checked."
            )
        messages.warning(request, message)
        return
    municipality = getattr(request, "municipality", None)
    municipality = getattr(municipality, "_wrapped", municipality) if municipality else None
    try:
        residency = services.residency_verify_identity(
            user=user,
            municipality=municipality,
            identity_key=mark["identity_key"],
            method=Residency.Method.EID,
        )
    except services.AccountsError as exc:
        messages.warning(
            request,
            _("You are logged in, but your residence is not verified: %(reason)s")
            % {"reason": exc.message},
        )
        return
    messages.success(
        request,
        _("Your residence in %(municipality)s is verified (valid until %(date)s).")
        % {
            "municipality": residency.municipality.name,
            "date": date_format(timezone.localtime(residency.expires_at), "SHORT_DATE_FORMAT"),
        },
    )
