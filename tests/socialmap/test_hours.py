"""The pure opening-hours parser (hsds_profile.hours)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hsds_profile import hours


def test_parses_ranges_lists_and_latvian_day_codes():
    openings = hours.parse_hours("P-Pk 9:00-17:00; S 10:00–14:00\nMO,WE 18:00-20:00")
    assert hours.format_hours(openings) == "MO-FR 09:00-17:00; MO,WE 18:00-20:00; SA 10:00-14:00"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("MO-FR", "bad-format"),
        ("XY 09:00-10:00", "unknown-day"),
        ("MO 25:00-26:00", "bad-time"),
        ("MO 10:00-09:00", "closes-before-opens"),
        ("FR-MO 09:00-10:00", "bad-format"),
    ],
)
def test_errors_have_codes(text, code):
    with pytest.raises(hours.HoursError) as caught:
        hours.parse_hours(text)
    assert caught.value.code == code


def test_is_open():
    openings = hours.parse_hours("MO-FR 09:00-17:00")
    assert hours.is_open(openings, dt.datetime(2026, 11, 16, 9, 0))  # noqa: DTZ001
    assert not hours.is_open(openings, dt.datetime(2026, 11, 16, 17, 0))  # noqa: DTZ001
    assert not hours.is_open(openings, dt.datetime(2026, 11, 21, 12, 0))  # noqa: DTZ001


@given(st.sets(st.tuples(st.integers(0, 6), st.integers(0, 22), st.integers(1, 59)), max_size=10))
def test_format_then_parse_round_trips(raw):
    openings = sorted({hours.Opening(day, dt.time(h, 0), dt.time(h, m)) for day, h, m in raw})
    assert hours.parse_hours(hours.format_hours(openings)) == openings


def test_hsds_schedule_round_trip():
    opening = hours.Opening(2, dt.time(9), dt.time(17, 30))
    schedule = hours.hsds_schedule(opening, schedule_id="x")
    assert hours.openings_from_hsds([schedule]) == [opening]
