import datetime as dt
import time

import pytest

from lidzdaliba.accounts import services
from lidzdaliba.accounts.models import CensusImport, CensusRecord
from lidzdaliba.core.demo.load import personal_code_with_check_digit
from lidzdaliba.core.models import AuditEvent

from .conftest import CENSUS, csv_bytes, key


def _start_and_run(actor, municipality, content, capture):
    with capture(execute=True):
        return services.census_import_start(
            actor=actor, municipality=municipality, file_name="census.csv", content=content
        )


def test_import_stores_only_keys_places_and_birth_dates(
    administrator, municipality, census, django_capture_on_commit_callbacks
):
    # given a census of three people, and a new file of four others
    content = csv_bytes(
        "personal_code,neighbourhood,lat,lon,birth_date,address",
        "010190-10001,Vecliepāja,,,,Lielā iela 1",
        "320000-10003,,56.56,21.08,12.04.1979,Tosmares iela 3",
        "320000-10011,ZAĻĀ BIRZS,,,1990-12-31,",
        "220705-20000,Северное предместье,,,,",
    )
    # when an administrator imports it
    started = _start_and_run(
        administrator, municipality, content, django_capture_on_commit_callbacks
    )
    # then the new census replaced the old one
    census_import = CensusImport.objects.get(pk=started.pk)
    assert census_import.status == CensusImport.Status.SUCCEEDED
    assert (census_import.total_rows, census_import.processed_rows) == (4, 4)
    assert census_import.imported_rows == 4
    assert bytes(census_import.pending_file) == b""
    records = {r.identity_key: r for r in CensusRecord.objects.filter(municipality=municipality)}
    assert set(records) == {
        key(c) for c in ["010190-10001", "320000-10003", "320000-10011", "220705-20000"]
    }
    assert records[key("010190-10001")].neighbourhood.slug == "vecliepaja"
    assert records[key("010190-10001")].birth_date == dt.date(1990, 1, 1)
    assert records[key("320000-10003")].neighbourhood.slug == "tosmare"
    assert records[key("320000-10003")].birth_date == dt.date(1979, 4, 12)
    assert records[key("320000-10011")].neighbourhood.slug == "zala-birzs"
    assert records[key("220705-20000")].neighbourhood.slug == "ziemelu-priekspilseta"
    assert not CensusRecord.objects.filter(identity_key=key(CENSUS[1][0])).exists()
    # and neither codes nor addresses are stored anywhere in the records
    stored = repr(list(CensusRecord.objects.values()))
    assert "Lielā" not in stored
    assert "01019010001" not in stored
    assert AuditEvent.objects.filter(verb="census.imported", target_id=str(started.pk)).exists()


def test_excel_export_with_semicolons_and_bom_is_accepted(
    administrator, municipality, django_capture_on_commit_callbacks
):
    content = csv_bytes(
        "Personal code,Neighbourhood,Address",
        "010190-10001,Karosta,Kalpaka iela 1",
        delimiter=";",
        bom=True,
    )
    started = _start_and_run(
        administrator, municipality, content, django_capture_on_commit_callbacks
    )
    started.refresh_from_db()
    assert started.status == CensusImport.Status.SUCCEEDED
    assert CensusRecord.objects.get(identity_key=key("010190-10001")).neighbourhood.slug == (
        "karosta"
    )


@pytest.mark.parametrize(
    ("_case", "row", "message_part"),
    [
        ("bad checksum", "010190-10002,karosta,,,", "check digit"),
        ("not a code", "hello,karosta,,,", "not a personal code"),
        ("unknown neighbourhood", "010190-10001,Atlantīda,,,", "Unknown neighbourhood"),
        ("point outside", "010190-10001,,57.0,24.1,", "outside"),
        ("bad coordinates", "010190-10001,,north,west,", "coordinates"),
        ("no place", "010190-10001,,,,", "neighbourhood or the location"),
        ("new code without birth date", "320000-10003,karosta,,,", "birth date is needed"),
        ("invalid birth date", "320000-10003,karosta,,,31.02.1990", "not a date"),
        ("birth date contradicts code", "010190-10001,karosta,,,02.01.1990", "does not match"),
        ("missing code", ",karosta,,,", "missing"),
    ],
)
def test_one_bad_row_refuses_the_whole_file(
    _case,
    row,
    message_part,
    administrator,
    municipality,
    census,
    django_capture_on_commit_callbacks,
):
    # given a census, and a file with good rows and one bad row on line 3
    before = sorted(CensusRecord.objects.values_list("identity_key", flat=True))
    content = csv_bytes(
        "personal_code,neighbourhood,lat,lon,birth_date",
        "220705-20000,karosta,,,",
        row,
        "150385-10009,karosta,,,",
    )
    # when it is imported
    started = _start_and_run(
        administrator, municipality, content, django_capture_on_commit_callbacks
    )
    # then the import is refused with the line and reason, and the census is unchanged
    started.refresh_from_db()
    assert started.status == CensusImport.Status.FAILED
    assert [e["line"] for e in started.errors] == [3]
    assert message_part in started.errors[0]["message"]
    assert sorted(CensusRecord.objects.values_list("identity_key", flat=True)) == before
    assert bytes(started.pending_file) == b""
    assert AuditEvent.objects.filter(verb="census.refused").count() == 1


def test_duplicate_code_in_file_names_both_lines(
    administrator, municipality, census, django_capture_on_commit_callbacks
):
    content = csv_bytes(
        "personal_code,neighbourhood",
        "010190-10001,karosta",
        "220705-20000,karosta",
        "01019010001,tosmare",
    )
    started = _start_and_run(
        administrator, municipality, content, django_capture_on_commit_callbacks
    )
    started.refresh_from_db()
    assert started.status == CensusImport.Status.FAILED
    assert started.errors == [
        {"line": 4, "message": "The same personal code is already on line 2."}
    ]
    assert CensusRecord.objects.count() == len(CENSUS)


@pytest.mark.parametrize(
    ("_case", "content", "message_part"),
    [
        ("empty file", b"", "empty"),
        ("only a header", csv_bytes("personal_code,neighbourhood"), "no residents"),
        ("not UTF-8", "personas_kods,apkaime\n010190-10001,Zaļā".encode("cp1257"), "UTF-8"),
        ("wrong header", csv_bytes("code_personal,place", "010190-10001,karosta"), "missing"),
        ("no place column", csv_bytes("personal_code,address", "010190-10001,x"), "lat"),
        ("binary file", b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe", "UTF-8"),
    ],
)
def test_a_file_that_is_not_a_census_is_refused_at_once(
    _case, content, message_part, administrator, municipality, census
):
    # when a file that is not a census table is uploaded
    with pytest.raises(services.CensusImportRefused) as exc:
        services.census_import_start(
            actor=administrator, municipality=municipality, file_name="x.csv", content=content
        )
    # then it is refused with a clear message and nothing is created
    assert message_part in exc.value.message
    assert exc.value.errors[0]["line"] == 1 or _case == "only a header"
    assert CensusImport.objects.exclude(pk=census.pk).count() == 0
    assert CensusRecord.objects.count() == len(CENSUS)


@pytest.mark.parametrize("who", ["moderator", "resident", "verified_resident"])
def test_only_administrators_import(request, who, municipality, census):
    actor = request.getfixturevalue(who)
    with pytest.raises(services.NotAllowed):
        services.census_import_start(
            actor=actor,
            municipality=municipality,
            file_name="x.csv",
            content=csv_bytes("personal_code,neighbourhood", "220705-20000,karosta"),
        )
    assert CensusImport.objects.count() == 1
    assert CensusRecord.objects.count() == len(CENSUS)


def synthetic_rows(count: int) -> list[str]:
    """``count`` distinct valid old-format codes spread over the neighbourhoods."""
    slugs = ["karosta", "tosmare", "vecliepaja", "ezerkrasts", "jaunliepaja"]
    rows = []
    day = dt.date(1940, 1, 1)
    for i in range(count):
        born = day + dt.timedelta(days=i // 500)
        century = "1" if born.year < 2000 else "2"
        code = personal_code_with_check_digit(f"{born:%d%m%y}{century}{i % 500:03d}")
        rows.append(f"{code};{slugs[i % len(slugs)]};Iela {i}")
    return rows


def test_seventy_thousand_rows_import_in_seconds(
    administrator, municipality, census, django_capture_on_commit_callbacks
):
    # given a census file the size of Liepāja
    content = csv_bytes("personal_code;neighbourhood;address", *synthetic_rows(70_000))
    # when it is imported
    started_at = time.monotonic()
    started = _start_and_run(
        administrator, municipality, content, django_capture_on_commit_callbacks
    )
    elapsed = time.monotonic() - started_at
    # then every row is in the census, quickly
    started.refresh_from_db()
    assert started.status == CensusImport.Status.SUCCEEDED, started.errors[:3]
    assert CensusRecord.objects.filter(municipality=municipality).count() == 70_000
    assert elapsed < 30, f"took {elapsed:.1f} s"


def test_progress_is_visible_before_the_census_is_written(
    administrator, municipality, census, django_capture_on_commit_callbacks, monkeypatch
):
    from lidzdaliba.accounts.services import census as census_module

    # given progress reported every two rows, and a spy on the final write
    monkeypatch.setattr(census_module, "PROGRESS_EVERY", 2)
    seen = []
    original = census_module._finish_replace

    def spy(census_import, check):
        seen.append(
            CensusImport.objects.values_list("status", "processed_rows").get(pk=census_import.pk)
        )
        original(census_import, check)

    monkeypatch.setattr(census_module, "_finish_replace", spy)
    content = csv_bytes(
        "personal_code,neighbourhood", *(r.replace(";", ",") for r in synthetic_rows(5))
    )
    # when the import runs
    started = _start_and_run(
        administrator, municipality, content, django_capture_on_commit_callbacks
    )
    # then, while it ran, other connections could see it running with rows counted
    assert seen == [(CensusImport.Status.RUNNING, 4)]
    started.refresh_from_db()
    assert (started.status, started.processed_rows) == (CensusImport.Status.SUCCEEDED, 5)


def test_running_an_import_twice_does_nothing_more(
    administrator, municipality, django_capture_on_commit_callbacks
):
    content = csv_bytes("personal_code,neighbourhood", "010190-10001,karosta")
    started = _start_and_run(
        administrator, municipality, content, django_capture_on_commit_callbacks
    )
    events = AuditEvent.objects.count()
    again = services.census_import_run(census_import_id=started.pk)
    assert again.status == CensusImport.Status.SUCCEEDED
    assert AuditEvent.objects.count() == events
    assert CensusRecord.objects.count() == 1
