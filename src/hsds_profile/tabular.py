"""Flatten nested HSDS JSON into the tables of the HSDS tabular datapackage, and write them
as CSV files with the official ``datapackage.json`` (``data/datapackage.json``)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path

DESCRIPTOR_PATH = Path(__file__).with_name("data") / "datapackage.json"

# Which table a nested key's objects belong to.
NESTED = {
    "organization": "organization",
    "services": "service",
    "program": "program",
    "programs": "program",
    "service_at_locations": "service_at_location",
    "location": "location",
    "locations": "location",
    "addresses": "address",
    "accessibility": "accessibility",
    "phones": "phone",
    "contacts": "contact",
    "schedules": "schedule",
    "languages": "language",
    "funding": "funding",
    "service_areas": "service_area",
    "required_documents": "required_document",
    "cost_options": "cost_option",
    "attributes": "attribute",
    "taxonomy_term": "taxonomy_term",
    "taxonomy_detail": "taxonomy",
    "organization_identifiers": "organization_identifier",
    "metadata": "metadata",
}


def descriptor() -> dict:
    return json.loads(DESCRIPTOR_PATH.read_text(encoding="utf-8"))


def _walk(obj: dict, table: str, tables: dict[str, dict[str, dict]]) -> None:
    rows = tables.setdefault(table, {})
    rows.setdefault(obj["id"], {k: v for k, v in obj.items() if not isinstance(v, (dict, list))})
    for key, value in obj.items():
        target = NESTED.get(key)
        if target is None:
            continue
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, dict) and "id" in child:
                _walk(child, target, tables)


def tables_from(
    *,
    services: Iterable[dict] = (),
    organizations: Iterable[dict] = (),
    taxonomies: Iterable[dict] = (),
    taxonomy_terms: Iterable[dict] = (),
) -> dict[str, list[dict]]:
    """Rows per table (``{"service": [...], "location": [...], …}``), each object once."""
    tables: dict[str, dict[str, dict]] = {}
    for items, table in (
        (organizations, "organization"),
        (services, "service"),
        (taxonomies, "taxonomy"),
        (taxonomy_terms, "taxonomy_term"),
    ):
        for item in items:
            _walk(item, table, tables)
    return {name: list(rows.values()) for name, rows in tables.items()}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_files(tables: dict[str, list[dict]], package: dict | None = None) -> dict[str, str]:
    """``{path: CSV text}`` for every resource of the package (header only when empty),
    columns in the order of the resource's schema."""
    package = package or descriptor()
    files = {}
    for resource in package["resources"]:
        fields = [f["name"] for f in resource["schema"]["fields"]]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(fields)
        for row in tables.get(resource["name"], []):
            writer.writerow([_cell(row.get(name)) for name in fields])
        files[resource["path"]] = out.getvalue()
    return files


def write_directory(tables: dict[str, list[dict]], target: Path) -> Path:
    """Write ``datapackage.json`` and the CSV files into ``target``; returns the descriptor's
    path (for ``frictionless validate``)."""
    package = descriptor()
    target.mkdir(parents=True, exist_ok=True)
    for path, text in csv_files(tables, package).items():
        (target / path).write_text(text, encoding="utf-8")
    descriptor_path = target / "datapackage.json"
    descriptor_path.write_text(json.dumps(package, indent=2, ensure_ascii=False), encoding="utf-8")
    return descriptor_path


def zip_bytes(tables: dict[str, list[dict]]) -> bytes:
    package = descriptor()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(package, indent=2, ensure_ascii=False))
        for path, text in csv_files(tables, package).items():
            archive.writestr(path, text)
    return buffer.getvalue()


def _typed(value: str, field: dict) -> object:
    if field.get("type") in {"number", "integer"}:
        number = float(value)
        return int(number) if number.is_integer() else number
    return value


def read_zip(content: bytes) -> dict[str, list[dict]]:
    """Rows per table from a datapackage zip (``datapackage.json`` + CSV files), typed by the
    descriptor in the zip (numbers become numbers; empty cells are left out).

    Raises ``ValueError`` when the zip has no ``datapackage.json`` or names a missing file.
    """
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())
        if "datapackage.json" not in names:
            raise ValueError("datapackage.json is missing")
        package = json.loads(archive.read("datapackage.json"))
        tables: dict[str, list[dict]] = {}
        for resource in package.get("resources", []):
            path = resource.get("path")
            if path not in names:
                continue
            fields = {f["name"]: f for f in resource.get("schema", {}).get("fields", [])}
            text = archive.read(path).decode("utf-8-sig")
            rows = []
            for raw in csv.DictReader(io.StringIO(text)):
                rows.append(
                    {
                        key: _typed(value, fields.get(key, {}))
                        for key, value in raw.items()
                        if key is not None and value not in (None, "")
                    }
                )
            tables[resource["name"]] = rows
    return tables


def nest(tables: dict[str, list[dict]]) -> list[dict]:
    """Organizations with their locations and fully nested services, rebuilt from the flat
    tables (the inverse of :func:`tables_from` for the parts the import uses). A row whose
    parent id is missing stays out of the tree, so a broken reference shows up as a missing
    child or as a service whose organization is unknown."""

    def by(table: str, key: str) -> dict[str, list[dict]]:
        grouped: dict[str, list[dict]] = {}
        for row in tables.get(table, []):
            if row.get(key):
                grouped.setdefault(str(row[key]), []).append(dict(row))
        return grouped

    terms = {str(t["id"]): t for t in tables.get("taxonomy_term", []) if t.get("id")}
    addresses, access = by("address", "location_id"), by("accessibility", "location_id")
    locations = {}
    for row in tables.get("location", []):
        location = dict(row)
        location["addresses"] = addresses.get(str(row["id"]), [])
        location["accessibility"] = access.get(str(row["id"]), [])
        locations[str(row["id"])] = location
    sal_by_service = by("service_at_location", "service_id")
    children = {
        key: by(table, "service_id")
        for key, table in (
            ("phones", "phone"),
            ("schedules", "schedule"),
            ("languages", "language"),
            ("cost_options", "cost_option"),
            ("required_documents", "required_document"),
        )
    }
    attributes = by("attribute", "link_id")
    org_locations = by("location", "organization_id")
    org_phones = by("phone", "organization_id")
    services_by_org: dict[str, list[dict]] = {}
    for row in tables.get("service", []):
        service = dict(row)
        sid = str(row["id"])
        for key, grouped in children.items():
            service[key] = grouped.get(sid, [])
        service["attributes"] = []
        for attribute in attributes.get(sid, []):
            term = terms.get(str(attribute.get("taxonomy_term_id")))
            if term is not None:
                attribute["taxonomy_term"] = term
            service["attributes"].append(attribute)
        service["service_at_locations"] = []
        for sal in sal_by_service.get(sid, []):
            location = locations.get(str(sal.get("location_id")))
            if location is not None:
                sal["location"] = location
            service["service_at_locations"].append(sal)
        services_by_org.setdefault(str(row.get("organization_id") or ""), []).append(service)
    organizations = []
    for row in tables.get("organization", []):
        org = dict(row)
        org["locations"] = [
            locations[str(loc["id"])] for loc in org_locations.get(str(row["id"]), [])
        ]
        org["phones"] = org_phones.get(str(row["id"]), [])
        org["services"] = services_by_org.pop(str(row["id"]), [])
        organizations.append(org)
    orphans = [service for services in services_by_org.values() for service in services]
    return organizations + orphans
