"""Weekly opening hours: the text people type ("MO-FR 09:00-17:00; SA 10:00-14:00"),
checked and turned into rows, and back.

Days may be written in English (MO TU WE TH FR SA SU) or Latvian (P O T C PK S SV) codes,
as a range (``MO-FR``) or a list (``MO,WE``). Entries are separated by ``;`` or new lines.
Errors are :class:`HoursError` with a stable ``code`` and ``params`` so that the caller can
show a translated message.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_ALIASES = {code: i for i, code in enumerate(DAY_CODES)} | {
    "P": 0,
    "O": 1,
    "T": 2,
    "C": 3,
    "Č": 3,
    "PK": 4,
    "S": 5,
    "SV": 6,
}
_TIME = r"(\d{1,2})[:.](\d{2})"
_ENTRY = re.compile(rf"^(?P<days>[^\d]+?)\s+{_TIME}\s*[-–—]\s*{_TIME}$")


class HoursError(ValueError):
    """The opening hours cannot be read. ``code`` is one of ``empty-entry``, ``unknown-day``,
    ``bad-format``, ``bad-time``, ``closes-before-opens``; ``params`` hold ``entry`` and,
    where it helps, ``day`` or ``time``."""

    def __init__(self, code: str, **params: str):
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params


@dataclass(frozen=True, order=True)
class Opening:
    """Open on ``weekday`` (0 = Monday) from ``opens`` to ``closes`` (local time)."""

    weekday: int
    opens: dt.time
    closes: dt.time

    @property
    def day_code(self) -> str:
        return DAY_CODES[self.weekday]


def _day(token: str, entry: str) -> int:
    key = token.strip().upper()
    if key not in _ALIASES:
        raise HoursError("unknown-day", entry=entry, day=token.strip())
    return _ALIASES[key]


def _days(text: str, entry: str) -> list[int]:
    days: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            raise HoursError("bad-format", entry=entry)
        pieces = re.split(r"\s*[-–—]\s*", part)
        if len(pieces) == 1:
            days.append(_day(pieces[0], entry))
        elif len(pieces) == 2:
            first, last = _day(pieces[0], entry), _day(pieces[1], entry)
            if last < first:
                raise HoursError("bad-format", entry=entry)
            days.extend(range(first, last + 1))
        else:
            raise HoursError("bad-format", entry=entry)
    return days


def _time(hours: str, minutes: str, entry: str) -> dt.time:
    h, m = int(hours), int(minutes)
    if h == 24 and m == 0:
        return dt.time(23, 59)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise HoursError("bad-time", entry=entry, time=f"{hours}:{minutes}")
    return dt.time(h, m)


def parse_hours(text: str) -> list[Opening]:
    """The openings described by ``text`` (sorted; empty text means no fixed hours).

    Raises :class:`HoursError` for the first entry that cannot be read.
    """
    openings: set[Opening] = set()
    for raw in re.split(r"[;\n]", text or ""):
        entry = " ".join(raw.split())
        if not entry:
            continue
        match = _ENTRY.match(entry)
        if not match:
            raise HoursError("bad-format", entry=entry)
        days = _days(match.group("days"), entry)
        opens = _time(match.group(2), match.group(3), entry)
        closes = _time(match.group(4), match.group(5), entry)
        if closes <= opens:
            raise HoursError("closes-before-opens", entry=entry)
        openings.update(Opening(day, opens, closes) for day in days)
    return sorted(openings)


def format_hours(openings: list[Opening], day_names: tuple[str, ...] = DAY_CODES) -> str:
    """Text for ``openings``, days with the same hours grouped into ranges ("MO-FR 09:00-17:00;
    SA 10:00-14:00"). ``parse_hours(format_hours(x)) == x`` for the default day names."""
    by_times: dict[tuple[dt.time, dt.time], list[int]] = {}
    for opening in sorted(openings):
        by_times.setdefault((opening.opens, opening.closes), []).append(opening.weekday)
    parts = []
    for (opens, closes), days in sorted(by_times.items(), key=lambda item: (item[1][0], item[0])):
        groups: list[list[int]] = []
        for day in days:
            if groups and groups[-1][-1] == day - 1:
                groups[-1].append(day)
            else:
                groups.append([day])
        day_text = ",".join(
            day_names[g[0]] if len(g) == 1 else f"{day_names[g[0]]}-{day_names[g[-1]]}"
            for g in groups
        )
        parts.append(f"{day_text} {opens:%H:%M}-{closes:%H:%M}")
    return "; ".join(parts)


def is_open(openings: list[Opening], moment: dt.datetime) -> bool:
    """Whether any opening covers ``moment`` (a local, naive or aware, date and time)."""
    weekday, now = moment.weekday(), moment.time().replace(tzinfo=None)
    return any(o.weekday == weekday and o.opens <= now < o.closes for o in openings)


def hsds_schedule(opening: Opening, *, schedule_id: str, **links: str) -> dict:
    """The HSDS ``schedule`` object for one weekly opening (links: ``service_id``,
    ``location_id``, ``service_at_location_id``)."""
    return {
        "id": schedule_id,
        **links,
        "freq": "WEEKLY",
        "wkst": "MO",
        "interval": 1,
        "byday": opening.day_code,
        "opens_at": f"{opening.opens:%H:%M:%S}",
        "closes_at": f"{opening.closes:%H:%M:%S}",
        "description": f"{opening.day_code} {opening.opens:%H:%M}-{opening.closes:%H:%M}",
        "notes": "Local time, Europe/Riga.",
        "attributes": [],
        "metadata": [],
    }


def openings_from_hsds(schedules: list[dict]) -> list[Opening]:
    """Weekly openings read from HSDS ``schedule`` objects (``freq`` WEEKLY with ``byday``,
    ``opens_at`` and ``closes_at``). Raises :class:`HoursError` for one it cannot use."""
    openings: set[Opening] = set()
    for schedule in schedules or []:
        entry = schedule.get("description") or schedule.get("id") or "?"
        if (schedule.get("freq") or "WEEKLY").upper() != "WEEKLY":
            raise HoursError("bad-format", entry=str(entry))
        opens, closes = schedule.get("opens_at"), schedule.get("closes_at")
        byday = schedule.get("byday") or ""
        if not (opens and closes and byday):
            raise HoursError("bad-format", entry=str(entry))
        text = f"{byday} {str(opens)[:5]}-{str(closes)[:5]}"
        openings.update(parse_hours(text))
    return sorted(openings)
