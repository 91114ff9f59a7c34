"""Census import: the residents' register extract that residency is checked against.

A file is checked completely before anything is written; one bad row refuses the whole
file. Only the identity key (keyed HMAC of the personal code), the neighbourhood and the
birth date are kept; addresses and the codes themselves never reach a table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import personalcode
from lidzdaliba.accounts.models import CensusImport, CensusRecord
from lidzdaliba.core import geo
from lidzdaliba.core.models import Municipality, Neighbourhood
from lidzdaliba.core.services import audit_record

from .errors import CensusImportRefused, NotAllowed

BATCH_SIZE = 5000
PROGRESS_EVERY = 2000
MAX_ERRORS_KEPT = 500
MAX_FILE_BYTES = 50 * 1024 * 1024

# Accepted header names (after lower-casing and turning spaces and dashes into "_").
COLUMNS = {
    "personal_code": {"personal_code", "personas_kods", "code"},
    "neighbourhood": {"neighbourhood", "neighborhood", "apkaime"},
    "lat": {"lat", "latitude"},
    "lon": {"lon", "lng", "longitude"},
    "birth_date": {"birth_date", "dzimsanas_datums", "date_of_birth"},
    "address": {"address", "adrese"},
}
_ALIASES = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}


@dataclass(frozen=True)
class CensusRow:
    identity_key: str
    neighbourhood_id: int
    birth_date: dt.date


@dataclass
class CensusCheck:
    """The outcome of checking a file: rows to store, or errors (never both)."""

    rows: list[CensusRow]
    errors: list[dict]
    total_rows: int


def _error(line: int, message: str) -> dict:
    return {"line": line, "message": message}


def _fold(text: str) -> str:
    """Case-, accent- and space-insensitive form of a name ("Zaļā birzs" ~ "zala  BIRZS")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _neighbourhood_names(municipality: Municipality) -> dict[str, int]:
    names: dict[str, int] = {}
    fields = ["slug", "name", *(f"name_{code}" for code, _name in settings.LANGUAGES)]
    for neighbourhood in Neighbourhood.objects.filter(municipality=municipality):
        for field in fields:
            value = getattr(neighbourhood, field, None)
            if value:
                names.setdefault(_fold(value), neighbourhood.pk)
    return names


def _decode(content: bytes) -> str:
    if not content.strip():
        raise CensusImportRefused(_("The file is empty."), [_error(1, _("The file is empty."))])
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = _(
            "The file is not UTF-8 text. Save it from the spreadsheet as “CSV UTF-8” and "
            "upload it again."
        )
        raise CensusImportRefused(message, [_error(1, message)]) from exc


def _columns(header: list[str]) -> dict[str, int]:
    """Map our column names to positions, or refuse the header with a clear message."""
    found: dict[str, int] = {}
    unknown = []
    for position, raw in enumerate(header):
        name = raw.strip().lower().replace(" ", "_").replace("-", "_")
        if not name:
            continue
        canonical = _ALIASES.get(name)
        if canonical is None or canonical in found:
            unknown.append(raw.strip())
        else:
            found[canonical] = position
    problems = []
    if unknown:
        problems.append(
            _("Unknown or repeated columns: %(columns)s.") % {"columns": ", ".join(unknown)}
        )
    if "personal_code" not in found:
        problems.append(_("The column “personal_code” is missing."))
    has_place = "neighbourhood" in found or ("lat" in found and "lon" in found)
    if not has_place:
        problems.append(_("Give either a “neighbourhood” column or both “lat” and “lon”."))
    if problems:
        accepted = "personal_code; neighbourhood | lat; lon; birth_date; address"
        problems.append(_("Accepted columns: %(columns)s.") % {"columns": accepted})
        message = " ".join(problems)
        raise CensusImportRefused(message, [_error(1, message)])
    return found


def _reader(text: str):
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        message = _("The file is not a CSV table.")
        raise CensusImportRefused(message, [_error(1, message)]) from exc
    return reader, _columns(header)


def census_file_check_structure(content: bytes) -> int:
    """Check what can be checked at once (size, encoding, CSV, header, at least one row)
    and return the number of data rows; raise :class:`CensusImportRefused` otherwise."""
    if len(content) > MAX_FILE_BYTES:
        message = _("The file is too large (more than %(megabytes)d MB).") % {
            "megabytes": MAX_FILE_BYTES // (1024 * 1024)
        }
        raise CensusImportRefused(message, [_error(1, message)])
    text = _decode(content)
    reader, _columns_found = _reader(text)
    try:
        count = sum(1 for row in reader if any(cell.strip() for cell in row))
    except csv.Error as exc:
        message = _("Line %(line)d is not valid CSV.") % {"line": reader.line_num}
        raise CensusImportRefused(message, [_error(reader.line_num, message)]) from exc
    if count == 0:
        message = _("The file has a header but no residents.")
        raise CensusImportRefused(message, [_error(2, message)])
    return count


def _parse_date(text: str) -> dt.date | None:
    text = text.strip().rstrip(".")
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None


def _code_message(exc: personalcode.InvalidPersonalCode) -> str:
    if exc.reason == "checksum":
        return _("The personal code's check digit is wrong.")
    if exc.reason == "date":
        return _("The personal code holds a birth date that does not exist.")
    return _("This is not a personal code (11 digits, as 010190-10001).")


def census_file_check(
    *,
    municipality: Municipality,
    content: bytes,
    on_progress: Callable[[int], None] | None = None,
) -> CensusCheck:
    """Check every row of a census file and return the rows to store, or every error by
    line number (the first :data:`MAX_ERRORS_KEPT`). Writes nothing.

    Raises :class:`CensusImportRefused` for a file that is not a CSV table of the expected
    columns at all.
    """
    text = _decode(content)
    reader, columns = _reader(text)
    names = _neighbourhood_names(municipality)
    areas = geo.area_index(
        Neighbourhood.objects.filter(municipality=municipality).values_list("pk", "boundary")
    )
    key = settings.PERSONAL_CODE_HMAC_KEY
    today = timezone.localdate()
    seen: dict[str, int] = {}
    rows: list[CensusRow] = []
    errors: list[dict] = []
    error_count = 0
    total = 0

    def cell(row: list[str], name: str) -> str:
        position = columns.get(name)
        if position is None or position >= len(row):
            return ""
        return row[position].strip()

    def fail(line: int, message: str) -> None:
        nonlocal error_count
        error_count += 1
        if len(errors) < MAX_ERRORS_KEPT:
            errors.append(_error(line, message))

    try:
        for row in reader:
            line = reader.line_num
            if not any(value.strip() for value in row):
                continue
            total += 1
            if on_progress and total % PROGRESS_EVERY == 0:
                on_progress(total)
            code = cell(row, "personal_code")
            if not code:
                fail(line, _("The personal code is missing."))
                continue
            try:
                parsed = personalcode.parse(code)
            except personalcode.InvalidPersonalCode as exc:
                fail(line, _code_message(exc))
                continue
            identity_key = parsed.identity_key(key=key)
            if identity_key in seen:
                fail(
                    line,
                    _("The same personal code is already on line %(line)d.")
                    % {"line": seen[identity_key]},
                )
                continue
            seen[identity_key] = line

            neighbourhood_id = None
            name = cell(row, "neighbourhood")
            if name:
                neighbourhood_id = names.get(_fold(name))
                if neighbourhood_id is None:
                    fail(line, _("Unknown neighbourhood “%(name)s”.") % {"name": name})
                    continue
            else:
                lat, lon = cell(row, "lat"), cell(row, "lon")
                if not lat or not lon:
                    fail(line, _("Give the neighbourhood or the location (lat and lon)."))
                    continue
                try:
                    point = (float(lat.replace(",", ".")), float(lon.replace(",", ".")))
                except ValueError:
                    fail(line, _("The location is not a valid pair of coordinates."))
                    continue
                neighbourhood_id = areas.locate(*point)
                if neighbourhood_id is None:
                    fail(
                        line,
                        _("This place is outside %(municipality)s.")
                        % {"municipality": municipality.name},
                    )
                    continue

            given = cell(row, "birth_date")
            given_date = _parse_date(given) if given else None
            if given and given_date is None:
                fail(
                    line,
                    _("The birth date “%(date)s” is not a date (use 31.12.1990 or 1990-12-31).")
                    % {"date": given},
                )
                continue
            if parsed.birth_date is not None:
                if given_date is not None and given_date != parsed.birth_date:
                    fail(line, _("The birth date does not match the personal code."))
                    continue
                born = parsed.birth_date
            else:
                if given_date is None:
                    fail(
                        line,
                        _(
                            "A birth date is needed: new personal codes (starting 32) "
                            "do not contain one."
                        ),
                    )
                    continue
                born = given_date
            if born > today:
                fail(line, _("The birth date is in the future."))
                continue
            rows.append(CensusRow(identity_key, neighbourhood_id, born))
    except csv.Error:
        fail(reader.line_num, _("Line %(line)d is not valid CSV.") % {"line": reader.line_num})

    if total == 0 and not errors:
        fail(2, _("The file has a header but no residents."))
    if error_count > len(errors):
        errors.append(
            _error(
                0,
                ngettext("…and %(count)d more error.", "…and %(count)d more errors.", error_count)
                % {"count": error_count - len(errors)},
            )
        )
    return CensusCheck(rows=[] if errors else rows, errors=errors, total_rows=total)


def census_import_start(*, actor, municipality: Municipality, file_name: str, content: bytes):
    """Accept a census file from ``actor`` and enqueue its import (after commit).

    Checks at once what can be checked at once (permission, size, encoding, header); the
    task then checks every row and, only if all are valid, replaces the municipality's
    census. Raises :class:`NotAllowed` or :class:`CensusImportRefused`; then nothing is
    created.
    """
    from lidzdaliba.accounts.tasks import census_import_task

    if not actor.has_perm("accounts.import_census", municipality):
        raise NotAllowed(_("You may not import the census of this municipality."))
    total = census_file_check_structure(content)
    with transaction.atomic():
        census_import = CensusImport.objects.create(
            municipality=municipality,
            uploaded_by=actor,
            file_name=(file_name or "census.csv")[:255],
            total_rows=total,
            pending_file=content,
        )
        audit_record(
            actor=actor,
            verb="census.uploaded",
            target=census_import,
            municipality=municipality,
            data={"rows": total, "file": census_import.file_name},
        )
        transaction.on_commit(lambda: census_import_task.enqueue(census_import.pk))
    return census_import


def census_import_run(*, census_import_id: int) -> CensusImport:
    """Check the stored file and, if every row is valid, replace the municipality's census
    with it in one transaction; otherwise mark the import refused with its errors and
    change nothing. The stored file is emptied either way. Safe to call twice: an import
    that is no longer waiting is left alone."""
    claimed = CensusImport.objects.filter(
        pk=census_import_id, status=CensusImport.Status.PENDING
    ).update(status=CensusImport.Status.RUNNING)
    census_import = CensusImport.objects.select_related("municipality", "uploaded_by").get(
        pk=census_import_id
    )
    if not claimed:
        return census_import
    municipality = census_import.municipality
    content = bytes(census_import.pending_file)

    def progress(count: int) -> None:
        CensusImport.objects.filter(pk=census_import.pk).update(processed_rows=count)

    language = getattr(census_import.uploaded_by, "preferred_language", None)
    with translation.override(language or settings.LANGUAGE_CODE):
        try:
            try:
                check = census_file_check(
                    municipality=municipality, content=content, on_progress=progress
                )
            except CensusImportRefused as exc:
                check = CensusCheck(rows=[], errors=exc.errors, total_rows=census_import.total_rows)
            if check.errors:
                _finish_refused(census_import, check)
            else:
                _finish_replace(census_import, check)
        except Exception:
            message = _("The import stopped because of an internal error; nothing was changed.")
            _finish_refused(
                census_import,
                CensusCheck(rows=[], errors=[_error(0, message)], total_rows=0),
            )
            raise
    census_import.refresh_from_db()
    return census_import


def _finish_refused(census_import: CensusImport, check: CensusCheck) -> None:
    with transaction.atomic():
        CensusImport.objects.filter(pk=census_import.pk).update(
            status=CensusImport.Status.FAILED,
            errors=check.errors,
            processed_rows=check.total_rows,
            total_rows=check.total_rows,
            imported_rows=0,
            pending_file=b"",
            finished_at=timezone.now(),
        )
        audit_record(
            actor=census_import.uploaded_by,
            verb="census.refused",
            target=census_import,
            municipality=census_import.municipality,
            data={"errors": len(check.errors)},
        )


def _finish_replace(census_import: CensusImport, check: CensusCheck) -> None:
    municipality = census_import.municipality
    with transaction.atomic():
        # One census write per municipality at a time (two uploads finishing together).
        Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
        replaced, _detail = CensusRecord.objects.filter(municipality=municipality).delete()
        for start in range(0, len(check.rows), BATCH_SIZE):
            CensusRecord.objects.bulk_create(
                [
                    CensusRecord(
                        municipality=municipality,
                        identity_key=row.identity_key,
                        neighbourhood_id=row.neighbourhood_id,
                        birth_date=row.birth_date,
                        census_import=census_import,
                    )
                    for row in check.rows[start : start + BATCH_SIZE]
                ]
            )
        CensusImport.objects.filter(pk=census_import.pk).update(
            status=CensusImport.Status.SUCCEEDED,
            errors=[],
            processed_rows=check.total_rows,
            total_rows=check.total_rows,
            imported_rows=len(check.rows),
            pending_file=b"",
            finished_at=timezone.now(),
        )
        audit_record(
            actor=census_import.uploaded_by,
            verb="census.imported",
            target=census_import,
            municipality=municipality,
            data={"rows": len(check.rows), "replaced": replaced},
        )
