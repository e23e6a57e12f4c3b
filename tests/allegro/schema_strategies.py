"""Hypothesis strategies that build JSON bodies valid against the contract's component schemas.

Covers the part of OpenAPI 3.0 the contract uses: objects (properties, required, allOf), arrays, enums, nullable,
strings (date-time, uuid, maxLength), integers and numbers with bounds, booleans and `$ref`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

CONTRACT = Path(__file__).parent / "data" / "allegro-conversations-contract.yaml"
REF_PREFIX = "#/components/schemas/"
MAX_ITEMS = 3  # keeps bodies small; paging only starts at 20 records
MAX_TEXT = 12
INT32_MAX = 2**31 - 1

# Offsets Allegro's timestamps come with: UTC as "Z" and Poland's summer and winter time.
_ZONES = (timezone.utc, timezone(timedelta(hours=2)), timezone(timedelta(hours=1)))


def _text(min_size: int = 0, max_size: int = MAX_TEXT) -> st.SearchStrategy[str]:
    return st.text(alphabet=st.characters(codec="utf-8"), min_size=min_size, max_size=max_size)


@functools.cache
def contract_schemas() -> Mapping[str, Any]:
    with CONTRACT.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["components"]["schemas"]


def format_datetime(moment: datetime, *, milliseconds: bool) -> str:
    """A timestamp written the way Allegro writes them: optional milliseconds, "Z" for UTC, else an offset."""
    text = moment.strftime("%Y-%m-%dT%H:%M:%S") + (f".{moment.microsecond // 1000:03d}" if milliseconds else "")
    offset = moment.utcoffset()
    if not offset:
        return text + "Z"
    minutes = int(offset.total_seconds()) // 60
    return text + f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


DATE_TIMES = st.builds(
    format_datetime,
    st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.sampled_from(_ZONES)),
    milliseconds=st.booleans(),
)


class SchemaStrategies:
    """One strategy per schema, built on first use; `also_required` makes optional properties always present
    (the fields a record needs to be one, such as its id, which the spec leaves optional)."""

    def __init__(self, schemas: Mapping[str, Any], also_required: Mapping[str, Sequence[str]] | None = None) -> None:
        self._schemas = schemas
        self._also_required = also_required or {}
        self._named: dict[str, st.SearchStrategy[Any]] = {}

    def named(self, name: str) -> st.SearchStrategy[Any]:
        if name not in self._named:
            self._named[name] = st.deferred(lambda: self._build(self._schemas[name], name))  # deferred: refs may recurse
        return self._named[name]

    def for_schema(self, schema: Mapping[str, Any]) -> st.SearchStrategy[Any]:
        return self._build(schema, None)

    def _build(self, schema: Mapping[str, Any], name: str | None) -> st.SearchStrategy[Any]:
        if "$ref" in schema:
            return self.named(schema["$ref"].removeprefix(REF_PREFIX))
        if "allOf" in schema:
            merged = self._merge_all_of(schema)
            base = self._build(merged, name)
        elif "enum" in schema:
            base = st.sampled_from(schema["enum"])
        else:
            base = self._by_type(schema, name)
        if schema.get("nullable"):
            return st.none() | base
        return base

    def _merge_all_of(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        merged: dict[str, Any] = {key: value for key, value in schema.items() if key not in ("allOf", "nullable")}
        for part in schema["allOf"]:
            while "$ref" in part:
                part = self._schemas[part["$ref"].removeprefix(REF_PREFIX)]
            for key, value in part.items():
                if key == "properties":
                    merged.setdefault("properties", {}).update(value)
                elif key == "required":
                    merged["required"] = [*merged.get("required", []), *value]
                elif key != "nullable":
                    merged.setdefault(key, value)
        return merged

    def _by_type(self, schema: Mapping[str, Any], name: str | None) -> st.SearchStrategy[Any]:
        kind = schema.get("type") or ("object" if "properties" in schema else "array" if "items" in schema else None)
        if kind == "object":
            return self._object(schema, name)
        if kind == "array":
            return st.lists(self._build(schema.get("items", {}), None), max_size=MAX_ITEMS)
        if kind == "string":
            if schema.get("format") == "date-time":
                return DATE_TIMES
            if schema.get("format") == "uuid":
                return st.uuids().map(str)
            return _text(schema.get("minLength", 0), min(schema.get("maxLength", MAX_TEXT), MAX_TEXT))
        if kind == "integer":
            return st.integers(min_value=schema.get("minimum", -INT32_MAX), max_value=schema.get("maximum", INT32_MAX))
        if kind == "number":
            return st.floats(min_value=schema.get("minimum", -1e9), max_value=schema.get("maximum", 1e9),
                             allow_nan=False, allow_infinity=False)
        if kind == "boolean":
            return st.booleans()
        return st.none() | st.booleans() | st.integers() | _text()  # a schema that says nothing: any scalar

    def _object(self, schema: Mapping[str, Any], name: str | None) -> st.SearchStrategy[dict[str, Any]]:
        properties: Mapping[str, Any] = schema.get("properties") or {}
        required = {*schema.get("required", ()), *self._also_required.get(name or "", ())}
        return st.fixed_dictionaries(
            {key: self._build(value, None) for key, value in properties.items() if key in required},
            optional={key: self._build(value, None) for key, value in properties.items() if key not in required},
        )
