"""Importing HSDS JSON from another system: report of what was taken and refused; broken
references import nothing."""

import copy
import json
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lidzdaliba.core.models import AuditEvent
from lidzdaliba.socialmap.importing import hsds_import
from lidzdaliba.socialmap.models import Location, Provider, Service
from tests.socialmap.test_hsds_api import HSDS_DIR

pytestmark = pytest.mark.usefixtures("english")


def _id():
    return str(uuid.uuid4())


def _service(
    org_id,
    name,
    *,
    lat=56.5110,
    lon=21.0136,
    phone="+371 63 400 001",
    opens="09:00",
    closes="17:00",
    description="Palīdzība.",
    term_code="food",
):
    sid, loc_id = _id(), _id()
    return {
        "id": sid,
        "organization_id": org_id,
        "name": name,
        "description": description,
        "status": "active",
        "phones": [{"id": _id(), "service_id": sid, "number": phone}],
        "schedules": [
            {
                "id": _id(),
                "service_id": sid,
                "freq": "WEEKLY",
                "byday": "MO,TU",
                "opens_at": opens,
                "closes_at": closes,
            }
        ],
        "languages": [{"id": _id(), "service_id": sid, "name": "Latvian", "code": "lv"}],
        "attributes": [
            {
                "id": _id(),
                "link_id": sid,
                "taxonomy_term_id": _id(),
                "link_entity": "service",
                "taxonomy_term": {
                    "id": _id(),
                    "code": term_code,
                    "name": term_code,
                    "description": term_code,
                },
            }
        ],
        "service_at_locations": [
            {
                "id": _id(),
                "service_id": sid,
                "location_id": loc_id,
                "location": {
                    "id": loc_id,
                    "location_type": "physical",
                    "latitude": lat,
                    "longitude": lon,
                    "addresses": [
                        {
                            "id": _id(),
                            "location_id": loc_id,
                            "address_1": "Lielā iela 1",
                            "city": "Liepāja",
                            "state_province": "Liepāja",
                            "postal_code": "LV-3401",
                            "country": "LV",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
        "translations": {"en": {"name": f"{name} (en)"}},
    }


@pytest.fixture
def foreign_file():
    org_id = _id()
    return {
        "contents": [
            {
                "id": org_id,
                "name": "Citas sistēmas NVO",
                "description": "Palīdzam <b>visiem</b>.",
                "services": [
                    _service(org_id, "Laba zupa"),
                    _service(org_id, "Slikts tālrunis", phone="12"),
                    _service(org_id, "Rīgā", lat=56.95, lon=24.10),
                    _service(org_id, "HTML apraksts", description="<p>Silta <em>zupa</em></p>"),
                    _service(org_id, "Nepareizs laiks", opens="18:00", closes="08:00"),
                    _service(org_id, "Nezināma vajadzība", term_code="astrology"),
                ],
            }
        ]
    }


def test_import_takes_good_records_and_refuses_bad_ones_with_reasons(
    directory, moderator, foreign_file
):
    before = Service.objects.count()
    # when
    report = hsds_import(actor=moderator, municipality=directory, data=foreign_file)
    # then
    taken = {i.name for i in report.taken}
    refused = {i.name: " ".join(i.reasons) for i in report.refused}
    assert taken == {"Citas sistēmas NVO", "Laba zupa", "HTML apraksts"}
    assert "is not a phone number" in refused["Slikts tālrunis"]
    assert "outside" in refused["Rīgā"]
    assert "closing time is not after" in refused["Nepareizs laiks"]
    assert "needs" in refused["Nezināma vajadzība"]
    assert Service.objects.count() == before + 2
    soup = Service.objects.get(name_lv="Laba zupa")
    assert soup.name_en == "Laba zupa (en)"
    assert soup.hours == "MO-TU 09:00-17:00"
    assert soup.locations.get().neighbourhood.slug == "vecliepaja"
    assert Service.objects.get(name_lv="HTML apraksts").description_lv == "Silta zupa"
    notes = [n for i in report.taken for n in i.notes]
    assert any("HTML removed" in n for n in notes)
    assert AuditEvent.objects.filter(verb="socialmap.hsds_imported").count() == 1


def test_broken_references_import_nothing(directory, moderator, foreign_file):
    # given a service that names an organization that exists nowhere
    data = copy.deepcopy(foreign_file)
    orphan = _service(_id(), "Bārenis")
    data["contents"].append(orphan)
    counts = (Provider.objects.count(), Service.objects.count(), Location.objects.count())
    # when
    report = hsds_import(actor=moderator, municipality=directory, data=data)
    # then nothing at all was written, and the reason names the reference
    assert report.aborted
    assert report.taken == []
    assert "refers to organization" in " ".join(report.refused[0].reasons)
    assert (Provider.objects.count(), Service.objects.count(), Location.objects.count()) == counts


def test_missing_location_reference_is_broken(directory, moderator, foreign_file):
    data = copy.deepcopy(foreign_file)
    sal = data["contents"][0]["services"][0]["service_at_locations"][0]
    del sal["location"]
    report = hsds_import(actor=moderator, municipality=directory, data=data)
    assert report.aborted
    assert "refers to location" in " ".join(report.refused[0].reasons)


def test_only_moderators_import(directory, verified_resident, foreign_file):
    count = Service.objects.count()
    with pytest.raises(PermissionDenied):
        hsds_import(actor=verified_resident, municipality=directory, data=foreign_file)
    assert Service.objects.count() == count


def test_our_own_export_imports_back_unchanged(client, directory, moderator):
    # given the full export
    exported = client.get("/api/hsds/services?full=true&per_page=200").json()
    counts = (Provider.objects.count(), Service.objects.count(), Location.objects.count())
    # when imported again
    report = hsds_import(actor=moderator, municipality=directory, data=exported)
    # then every service is taken and nothing is duplicated
    assert report.refused == []
    assert len([i for i in report.taken if i.kind == "service"]) == counts[1]
    assert (Provider.objects.count(), Service.objects.count(), Location.objects.count()) == counts


def test_official_example_is_refused_with_reasons_not_an_error(directory, moderator):
    example = HSDS_DIR / "examples" / "service_full.json"
    if not example.exists():
        pytest.skip("HSDS examples not found at ../shared/standards/hsds")
    report = hsds_import(
        actor=moderator, municipality=directory, data=json.loads(example.read_text())
    )
    assert report.refused
    assert all(item.reasons for item in report.refused)


def test_moderator_uploads_a_file(client, directory, moderator, foreign_file):
    client.force_login(moderator)
    upload = SimpleUploadedFile("hsds.json", json.dumps(foreign_file).encode(), "application/json")
    body = client.post(reverse("socialmap:import"), {"file": upload}).content.decode()
    assert "Laba zupa" in body
    assert "Slikts tālrunis" in body
    upload = SimpleUploadedFile("x.json", b"not json", "application/json")
    body = client.post(reverse("socialmap:import"), {"file": upload}).content.decode()
    assert "neither an HSDS JSON file" in body


def test_the_tabular_datapackage_imports_back_unchanged(client, directory, moderator):
    # given the datapackage zip of the whole directory
    from lidzdaliba.socialmap.importing import read_upload

    content = client.get("/api/hsds/datapackage.zip").content
    counts = (Provider.objects.count(), Service.objects.count(), Location.objects.count())
    # when it is read back and imported
    report = hsds_import(actor=moderator, municipality=directory, data=read_upload(content))
    # then every service is taken again and nothing is duplicated
    assert report.refused == []
    assert len([i for i in report.taken if i.kind == "service"]) == counts[1]
    assert (Provider.objects.count(), Service.objects.count(), Location.objects.count()) == counts


def test_a_datapackage_with_a_broken_reference_imports_nothing(client, directory, moderator):
    import csv
    import io
    import zipfile

    from lidzdaliba.socialmap.importing import read_upload

    # given a datapackage whose first service names an organization that does not exist
    source = zipfile.ZipFile(io.BytesIO(client.get("/api/hsds/datapackage.zip").content))
    rows = list(csv.DictReader(io.StringIO(source.read("services.csv").decode())))
    rows[0]["organization_id"] = str(uuid.uuid4())
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            data = out.getvalue() if name == "services.csv" else source.read(name)
            target.writestr(name, data)
    counts = (Provider.objects.count(), Service.objects.count())
    # when
    report = hsds_import(
        actor=moderator, municipality=directory, data=read_upload(buffer.getvalue())
    )
    # then
    assert report.aborted
    assert (Provider.objects.count(), Service.objects.count()) == counts


def test_upload_that_is_neither_json_nor_zip(client, directory, moderator):
    client.force_login(moderator)
    upload = SimpleUploadedFile("x.bin", b"PK\x03\x04garbage", "application/zip")
    body = client.post(reverse("socialmap:import"), {"file": upload}).content.decode()
    assert "datapackage zip" in body
