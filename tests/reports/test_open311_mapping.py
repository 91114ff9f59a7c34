"""The pure Open311 mapping (no Django): statuses, dates, attributes, XML."""

import datetime as dt

import defusedxml.ElementTree as SafeET
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lidzdaliba.reports import open311

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("detailed", "status"),
    [
        ("received", "open"),
        ("assigned", "open"),
        ("in_progress", "open"),
        ("resolved", "closed"),
        ("not_ours", "closed"),
        ("duplicate", "closed"),
        ("cannot_fix", "closed"),
    ],
)
def test_detailed_statuses_map_to_open_or_closed(detailed, status):
    assert open311.status_of(detailed) == status


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01", dt.datetime(2026, 3, 1, tzinfo=dt.UTC)),
        ("2026-03-01T10:00:00Z", dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)),
        ("2026-03-01T10:00:00+02:00", dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC)),
        ("2026-03-01T10:00:00 02:00", dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC)),
        ("2026-03-01T10:00:00", dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)),
    ],
)
def test_dates_in_w3c_forms(text, expected):
    assert open311.parse_datetime(text, name="start_date") == expected


def test_date_window_defaults_and_limits():
    assert open311.date_window(None, None, now=NOW) == (NOW - open311.MAX_SPAN, NOW)
    start, end = open311.date_window("2026-01-01", None, now=NOW)
    assert end - start == open311.MAX_SPAN
    start, end = open311.date_window(None, "2026-01-01", now=NOW)
    assert end - start == open311.MAX_SPAN
    with pytest.raises(open311.Open311Error) as raised:
        open311.date_window("2026-01-01", "2026-05-01", now=NOW)
    assert raised.value.status == 400
    assert raised.value.body() == [
        {"code": 400, "description": "start_date and end_date may not span more than 90 days"}
    ]


def test_attributes_from_form_fields():
    form = {
        "attribute[size]": ["large"],
        "attribute[affected][]": ["wheelchair", "pram"],
        "attribute[empty]": [""],
        "attribute[]": ["x"],
        "description": ["y"],
    }
    assert open311.attributes_from(form) == {
        "size": ["large"],
        "affected": ["wheelchair", "pram"],
        "empty": [],
    }


@given(st.text())
def test_any_text_makes_well_formed_xml(text):
    xml = open311.to_xml("requests", [{"description": text, "lat": 56.5, "status_notes": None}])
    root = SafeET.fromstring(xml)
    assert root.tag == "service_requests"
    assert root.find("request/status_notes").text is None
