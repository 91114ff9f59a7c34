"""Glue for django-axes (log-in lockout)."""


def axes_username(request, credentials=None) -> str | None:
    """The account name a log-in attempt is for, lower-cased.

    allauth authenticates with ``email=…`` (not the form field name ``login``), so axes'
    default lookup finds no user name and would lock out by IP address alone — every
    resident behind one address (a library, a client-service centre) at once.
    """
    for source in (credentials or {}, getattr(request, "POST", None) or {}):
        for field in ("email", "login", "username"):
            value = source.get(field)
            if value:
                return str(value).strip().lower()
    return None
