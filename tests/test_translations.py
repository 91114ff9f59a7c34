"""The translation catalogues are complete and up to date.

Latvian is the default language, so every user-interface string must be translated into
Latvian, Russian and Ukrainian (the English catalogue stays empty: its msgids are the text).

If ``test_catalogues_are_up_to_date`` fails, a string was added to or changed in the code or
templates without regenerating the catalogues: run ``make makemessages``, translate the new
entries in ``src/lidzdaliba/locale/{lv,ru,uk}/LC_MESSAGES/django.po`` (and remove any
``#, fuzzy`` flag after checking the translation), then ``make messages``.
"""

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

import lidzdaliba

PACKAGE = Path(lidzdaliba.__file__).resolve().parent
LOCALE = PACKAGE / "locale"
TRANSLATED = ["lv", "ru", "uk"]
ALL = ["lv", "en", "ru", "uk"]
NPLURALS = {"lv": 3, "en": 2, "ru": 4, "uk": 4}
HOW_TO_FIX = (
    "Run `make makemessages`, translate the new entries in src/lidzdaliba/locale/{lv,ru,uk}/"
    "LC_MESSAGES/django.po (no `#, fuzzy` left), then `make messages`."
)

_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$')


def catalogue(path: Path) -> dict[tuple[str | None, str], dict]:
    """A tiny PO reader: {(msgctxt, msgid): {"plural": ..., "msgstr": [...], "fuzzy": bool}}."""
    entries: dict[tuple[str | None, str], dict] = {}
    current: dict = {}
    field = None

    def flush():
        nonlocal current
        if "msgid" in current and not current.get("obsolete"):
            entries[(current.get("msgctxt"), current["msgid"])] = current
        current = {}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            current["obsolete"] = True
            continue
        if line.startswith("#,"):
            current["fuzzy"] = "fuzzy" in line
            continue
        if line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match:
            keyword, text = match.group(1), ast.literal_eval(match.group(2))
            if keyword in ("msgctxt", "msgid") and "msgstr" in current:
                flush()
            if keyword.startswith("msgstr"):
                current.setdefault("msgstr", []).append(text)
                field = ("msgstr", len(current["msgstr"]) - 1)
            else:
                current[keyword] = text
                field = (keyword, None)
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            name, index = field
            if index is None:
                current[name] += text
            else:
                current[name][index] += text
    flush()
    return entries


def describe(keys, limit=15) -> str:
    shown = sorted(keys, key=lambda k: (k[1], k[0] or ""))[:limit]
    lines = [f"  {'[' + ctxt + '] ' if ctxt else ''}{msgid!r}" for ctxt, msgid in shown]
    if len(keys) > limit:
        lines.append(f"  … and {len(keys) - limit} more")
    return "\n".join(lines)


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_is_fully_translated(language):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip(
            "msgfmt (GNU gettext) is not installed: `apt-get install gettext` to check the catalogues"
        )
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"msgfmt --check failed for {language}:\n{output}"
    untranslated = [
        key
        for key, entry in catalogue(po).items()
        if key[1] and (entry.get("fuzzy") or not all(entry.get("msgstr", [""])))
    ]
    assert not re.search(r"untranslated|fuzzy", output), (
        f"The {language} catalogue is incomplete ({output.strip()}):\n{describe(untranslated)}\n{HOW_TO_FIX}"
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_entries_fill_every_form(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    wrong = [
        key
        for key, entry in catalogue(po).items()
        if "msgid_plural" in entry and len(entry["msgstr"]) != NPLURALS[language]
    ]
    assert not wrong, (
        f"Plural entries without {NPLURALS[language]} forms in {language}:\n{describe(wrong)}"
    )


def test_all_catalogues_hold_the_same_msgids():
    reference = set(catalogue(LOCALE / "lv" / "LC_MESSAGES" / "django.po"))
    for language in ALL[1:]:
        other = set(catalogue(LOCALE / language / "LC_MESSAGES" / "django.po"))
        assert other == reference, (
            f"The {language} catalogue differs from lv:\nonly in lv:\n{describe(reference - other)}\n"
            f"only in {language}:\n{describe(other - reference)}\n{HOW_TO_FIX}"
        )


def test_catalogues_are_up_to_date(tmp_path, monkeypatch):
    """Stale catalogue? Run `make makemessages` and translate what it adds."""
    if shutil.which("xgettext") is None:
        pytest.skip(
            "xgettext (GNU gettext) is not installed: `apt-get install gettext` to check the catalogues"
        )
    copy = tmp_path / "lidzdaliba"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.po", "*.mo", "*.pot", "media"),
    )
    locale = copy / "locale"
    locale.mkdir(exist_ok=True)
    monkeypatch.chdir(copy)
    # The same options as `make makemessages`; the catalogue is written into the copy only.
    with override_settings(LOCALE_PATHS=[str(locale)]):
        call_command("makemessages", locale=["lv"], no_obsolete=True, no_location=True, verbosity=0)
    fresh = {key for key in catalogue(locale / "lv" / "LC_MESSAGES" / "django.po") if key[1]}
    committed = {key for key in catalogue(LOCALE / "lv" / "LC_MESSAGES" / "django.po") if key[1]}
    missing, stale = fresh - committed, committed - fresh
    assert not missing | stale, (
        "The translation catalogues are out of date with the code and templates.\n"
        f"{len(missing)} msgid(s) in the code but not in the catalogue:\n{describe(missing)}\n"
        f"{len(stale)} msgid(s) in the catalogue but no longer in the code:\n{describe(stale)}\n{HOW_TO_FIX}"
    )
