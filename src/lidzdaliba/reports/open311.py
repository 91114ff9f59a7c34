"""Open311 GeoReport v2: the pure mapping (no Django). Statuses, dates, query limits,
error bodies and the XML shapes the standard uses.

See https://wiki.open311.org/GeoReport_v2 and ``docs/open311.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any
from xml.etree import ElementTree as ET

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
MAX_SPAN = dt.timedelta(days=90)
MAX_RESULTS = 1000
MIN_YEAR, MAX_YEAR = 1900, 2999
FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

OPEN = "open"
CLOSED = "closed"
OPEN_DETAILED = frozenset({"received", "assigned", "in_progress"})


class Open311Error(Exception):
    """An error the standard reports as ``[{"code": …, "description": …}]``."""

    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description

    def body(self) -> list[dict[str, Any]]:
        return [{"code": self.status, "description": self.description}]


def status_of(detailed: str) -> str:
    """Our detailed status mapped to the standard's two: received, assigned and in progress
    are ``open``; resolved and every closed status are ``closed``."""
    return OPEN if detailed in OPEN_DETAILED else CLOSED


def format_datetime(value: dt.datetime | None) -> str | None:
    """ISO 8601 with the UTC offset, to the second (``2026-03-01T10:15:00+02:00``)."""
    if value is None:
        return None
    return value.replace(microsecond=0).isoformat()


def parse_datetime(text: str, *, name: str) -> dt.datetime:
    """A W3C/ISO 8601 date or date-time; a naive value is read as UTC. Raises
    :class:`Open311Error` (400) naming the parameter for anything else."""
    text = (text or "").strip()
    if "T" in text and " " in text:
        text = text.replace(" ", "+")  # a "+" of the offset that arrived unencoded
    try:
        if len(text) == 10:
            value = dt.datetime.combine(dt.date.fromisoformat(text), dt.time.min)
        else:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise Open311Error(
            400, f"{name} is not a valid ISO 8601 date-time, e.g. 2026-03-01T00:00:00Z"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise Open311Error(400, f"{name} must lie between {MIN_YEAR} and {MAX_YEAR}")
    return value


def date_window(
    start: str | None, end: str | None, *, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    """The requested_datetime range to search: the standard's default is the last 90 days;
    with one date, 90 days from or to it; a range may not span more than 90 days (400
    otherwise, as for a reversed range)."""
    start_dt = parse_datetime(start, name="start_date") if start else None
    end_dt = parse_datetime(end, name="end_date") if end else None
    if start_dt is None and end_dt is None:
        return now - MAX_SPAN, now
    if start_dt is None:
        start_dt = end_dt - MAX_SPAN
    if end_dt is None:
        end_dt = start_dt + MAX_SPAN
    if end_dt < start_dt:
        raise Open311Error(400, "end_date is before start_date")
    if end_dt - start_dt > MAX_SPAN:
        raise Open311Error(400, "start_date and end_date may not span more than 90 days")
    return start_dt, end_dt


def request_id(text: str) -> int | None:
    """A service_request_id as our integer key, or ``None`` when it cannot be one."""
    text = (text or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None


def statuses_filter(text: str | None) -> set[str]:
    """``status=open,closed`` → the set asked for; empty means all. Unknown values → 400."""
    if not text:
        return set()
    values = {v.strip().lower() for v in text.split(",") if v.strip()}
    unknown = values - {OPEN, CLOSED}
    if unknown:
        raise Open311Error(400, "status must be open, closed or both (comma separated)")
    return values


def attributes_from(form: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """``attribute[code]=v`` and ``attribute[code][]=v`` form fields → ``{code: [v, …]}``."""
    found: dict[str, list[str]] = {}
    for key, values in form.items():
        if not key.startswith("attribute[") or "]" not in key:
            continue
        code = key[len("attribute[") : key.index("]")]
        if code:
            found.setdefault(code, []).extend(v for v in values if v != "")
    return found


# --- XML -----------------------------------------------------------------------------------

XML_SHAPES = {
    # payload kind: (root element, element for each item)
    "services": ("services", "service"),
    "requests": ("service_requests", "request"),
    "errors": ("errors", "error"),
}
LIST_CHILD = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


# Characters XML 1.0 cannot carry at all (control characters other than tab and newlines).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("\ufffd", str(value))


def _add(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, Mapping):
        for key, inner in value.items():
            _add(element, key, inner)
    elif isinstance(value, list):
        child = LIST_CHILD.get(name, "item")
        for inner in value:
            _add(element, child, inner)
    else:
        element.text = _text(value)


def to_xml(kind: str, payload: Any) -> bytes:
    """Serialise a JSON-shaped payload in the standard's XML: lists become
    ``<services><service>…``, ``<service_requests><request>…``, ``<errors><error>…``; a
    service definition is ``<service_definition>`` and discovery ``<discovery>``."""
    if kind in XML_SHAPES:
        root_name, item_name = XML_SHAPES[kind]
        root = ET.Element(root_name)
        for item in payload:
            _add(root, item_name, item)
    else:
        root = ET.Element(kind)
        for key, value in payload.items():
            _add(root, key, value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")
