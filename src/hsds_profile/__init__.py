"""Līdzdalība's profile of Open Referral HSDS 3.0, as pure Python (no Django).

* :mod:`hsds_profile.hours` — weekly opening hours: parse the text people type, format it,
  say whether a place is open, and turn it into HSDS ``schedule`` objects.
* :mod:`hsds_profile.validate` — validate HSDS JSON against the official modular schemas.
* :mod:`hsds_profile.tabular` — flatten full HSDS services into the tabular datapackage.

The profile: HSDS has no multilingual fields, so an exported ``organization``, ``service``,
``location`` or ``taxonomy_term`` may carry ``"translations": {"en": {"name": …}, …}`` with
the same field names in other languages; the plain fields hold the requested language
(Latvian by default). Opening hours are local time in ``Europe/Riga``.
"""

HSDS_VERSION = "3.0"
PROFILE_URL = "https://github.com/lidzdaliba/lidzdaliba/blob/main/docs/socialmap.md"
