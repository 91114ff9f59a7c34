"""Fixtures for reports: Liepāja's categories and departments, and a report factory."""

import io

import pytest
from PIL import Image

from lidzdaliba.reports import services
from lidzdaliba.reports.demo import load_reports_setup

# A point inside Karosta (the demo's north-west neighbourhood) and one in the Baltic Sea.
KAROSTA = (56.56, 20.99)
AT_SEA = (56.50, 20.80)


@pytest.fixture
def categories(municipality):
    return load_reports_setup(municipality)


@pytest.fixture
def pothole(categories):
    return categories["pothole"]


@pytest.fixture
def reports_officer(officer_factory):
    return officer_factory("reports")


@pytest.fixture
def make_report(municipality, categories, anonymous):
    def make(*, category="waste", lat=KAROSTA[0], lon=KAROSTA[1], actor=None, **kwargs):
        kwargs.setdefault("description", "Pārpildīts konteiners.")
        return services.report_submit(
            actor=actor or anonymous,
            municipality=municipality,
            category=categories[category],
            lat=lat,
            lon=lon,
            **kwargs,
        )

    return make


def jpeg_with_gps(size=(64, 48)) -> bytes:
    """A small JPEG carrying an EXIF GPS block."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (56.0, 33.0, 36.0), 3: "E", 4: (20.0, 59.0, 24.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def officer_factory(officer_factory):
    """Officers here use staff pages, so they have their authenticator app set up."""
    return lambda module, **kwargs: officer_factory(module, **{"totp": True, **kwargs})


@pytest.fixture
def moderator(moderator):
    """Moderators here hide reports on staff pages: their authenticator app is set up."""
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.conftest import STAFF_TOTP_SECRET

    TOTP.activate(moderator, STAFF_TOTP_SECRET)
    return moderator
