from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open; e-mails are sent in the user's language."""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """e-identification logins: the residency check runs after the login (see services)."""
