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
