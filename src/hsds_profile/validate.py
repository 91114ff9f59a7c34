"""Validate HSDS JSON against the official modular schemas (``schema/*.json``, whose
``$ref`` values are bare file names such as ``"organization.json"``)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

# The official modular schemas, bundled (see data/README.md).
BUNDLED_SCHEMAS = Path(__file__).with_name("data")


@lru_cache(maxsize=4)
def _registry(schema_dir: str) -> Registry:
    resources = []
    for path in sorted(Path(schema_dir).glob("*.json")):
        if path.name in {"openapi.json", "datapackage.json"}:
            continue
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((path.name, Resource.from_contents(contents, DRAFT202012)))
    return Registry().with_resources(resources)


def validator(schema_dir: str | Path, name: str) -> Draft202012Validator:
    """A validator for the object ``name`` ("service", "organization", …), resolving the
    other schemas in ``schema_dir`` by file name, checking formats (uuid, email, date-time)."""
    registry = _registry(str(schema_dir))
    schema = registry.contents(f"{name}.json")
    return Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def errors(instance: object, schema_dir: str | Path, name: str) -> list[str]:
    """Readable errors of ``instance`` against ``name``: ``"<json path>: <message>"``."""
    found = validator(schema_dir, name).iter_errors(instance)
    return sorted(f"{error.json_path}: {error.message}" for error in found)
