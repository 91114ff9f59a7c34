import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import personalcode

KEY = "test-key"


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("010190-10001", "01019010001"),
        (" 01019010001 ", "01019010001"),
        ("320000-10003", "32000010003"),
    ],
)
def test_normalise_accepts_old_and_new_codes(text, digits):
    assert personalcode.normalise(text) == digits


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("010190-10002", "checksum"),
        ("310290-10005", "date"),
        ("12345", "format"),
        ("abc", "format"),
        ("LV01019010001", "format"),
        ("40003032949", "format"),  # a company registration number
    ],
)
def test_normalise_refuses_with_a_reason(text, reason):
    with pytest.raises(personalcode.InvalidPersonalCode) as exc:
        personalcode.normalise(text)
    assert exc.value.reason == reason


def test_birth_date_of_old_code_and_none_for_new_code():
    assert personalcode.birth_date("010190-10001") == dt.date(1990, 1, 1)
    assert personalcode.birth_date("220705-20000") == dt.date(2005, 7, 22)
    assert personalcode.birth_date("320000-10003") is None


def test_parse_matches_the_single_functions():
    parsed = personalcode.parse("150385-10009")
    assert parsed.digits == personalcode.normalise("150385-10009")
    assert parsed.birth_date == personalcode.birth_date("150385-10009")
    assert not parsed.is_new_format
    assert parsed.identity_key(key=KEY) == personalcode.identity_key("150385-10009", key=KEY)
    assert personalcode.parse("32000010003").is_new_format


def test_identity_key_is_stable_keyed_and_format_independent():
    a = personalcode.identity_key("010190-10001", key=KEY)
    assert a == personalcode.identity_key("01019010001", key=KEY.encode())
    assert a != personalcode.identity_key("010190-10001", key="another-key")
    assert len(a) == 64
    assert "01019010001" not in a


def test_semantic_identifier_is_accepted():
    assert personalcode.from_semantic_identifier("PNOLV-010190-10001") == "01019010001"
    assert personalcode.from_semantic_identifier("010190-10001") == "01019010001"
    with pytest.raises(personalcode.InvalidPersonalCode):
        personalcode.from_semantic_identifier("PNOEE-38001085718")


@pytest.mark.parametrize(
    ("born", "day", "band"),
    [
        (dt.date(2010, 6, 1), dt.date(2026, 5, 31), "0-15"),
        (dt.date(2010, 6, 1), dt.date(2026, 6, 1), "16-17"),
        (dt.date(1990, 1, 1), dt.date(2026, 1, 1), "35-44"),
        (dt.date(1940, 1, 1), dt.date(2026, 1, 1), "75+"),
    ],
)
def test_age_band_boundaries(born, day, band):
    assert personalcode.age_band(born, day) == band


@given(
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)),
    days=st.integers(min_value=0, max_value=40000),
)
def test_age_never_negative_and_grows_by_one_on_birthday(born, days):
    day = born + dt.timedelta(days=days)
    age = personalcode.age_on(born, day)
    assert age >= 0
    assert personalcode.age_band(born, day) in {label for _, _, label in personalcode.AGE_BANDS}
