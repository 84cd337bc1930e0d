"""FollowTheMoney entities as JSON lines, the OpenSanctions exchange format: import and export.

Each line is ``{"id", "schema", "properties": {prop: [values]}}``, optionally with
``datasets``, ``referents``, ``first_seen``, ``last_seen``, ``target`` and ``caption``. Values
are cleaned again by the FtM model on import, so a file from anywhere is held to the same
rules as our own readers; a line that does not parse or names an unknown schema is
quarantined with its line number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from followthemoney import model
from followthemoney.statement import StatementEntity

from interdiction.ids import slug
from interdiction.sources.base import Batch, FileSet, InputError, KnownSchema, Origin, Reader
from interdiction.sources.dates import parse_timestamp

SIMULATED_MARK = "SIMULATED"


def _first_object(head: bytes) -> dict[str, Any] | None:
    for raw in head.splitlines():
        line = raw.strip()
        if not line:
            continue
        try:
            data = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return None
        return data if isinstance(data, dict) else None
    return None


class FtmJsonReader(Reader):
    name = "ftm-json"
    version = "1"
    title = "FollowTheMoney entities, JSON lines (OpenSanctions format)"

    def claim(self, path: Path, head: bytes) -> tuple[str, str] | None:
        if not path.name.lower().endswith((".json", ".jsonl", ".ndjson", ".ftm")):
            return None
        data = _first_object(head)
        if data is None or "schema" not in data:
            return None
        datasets = data.get("datasets") or []
        dataset = datasets[0] if datasets and isinstance(datasets[0], str) else None
        stem = path.name.split(".")[0]
        return (dataset or slug(stem).lower().replace("-", "_") or "ftm_import", "primary")

    def complete(self, fileset: FileSet) -> bool:
        return fileset.role("primary") is not None

    def published(self, fileset: FileSet) -> datetime | None:
        """The latest ``last_change``/``last_seen`` written in the file, if any."""
        source = fileset.role("primary")
        if source is None:
            return None
        latest: datetime | None = None
        for _, data, _ in _objects(source.path, quiet=True):
            if not isinstance(data, dict):
                continue
            for key in ("last_change", "last_seen"):
                if isinstance(data.get(key), str):
                    stamp = parse_timestamp(data[key])
                    if stamp and (latest is None or stamp > latest):
                        latest = stamp
        return latest

    def read(self, fileset: FileSet, batch: Batch, known_schema: KnownSchema) -> None:
        source = fileset.role("primary")
        assert source is not None
        count = 0
        for line, data, error in _objects(source.path):
            record = str(data.get("id", "")) if isinstance(data, dict) else ""
            origin = Origin(source.name, "primary", record, line)
            if error or not isinstance(data, dict):
                batch.quarantine("bad-json", error or "not a JSON object", origin, raw=str(data))
                continue
            problem = self._entity(data, origin, batch)
            if problem:
                batch.quarantine("bad-entity", problem, origin, raw=json.dumps(data)[:2000])
            else:
                count += 1
        if count == 0 and not batch.issues:
            raise InputError(source.path, "no entities")

    def _entity(self, data: dict[str, Any], origin: Origin, batch: Batch) -> str | None:
        entity_id = data.get("id")
        name = data.get("schema")
        # model.get returns any non-string key as it is (True, 1...): only names are schemata.
        schema = model.get(name) if isinstance(name, str) and name else None
        if not isinstance(entity_id, str) or not entity_id.strip():
            return "no id"
        if schema is None:
            return f"unknown schema {data.get('schema')!r}"
        properties = data.get("properties") or {}
        if not isinstance(properties, dict):
            return "properties is not an object"
        unknown = [p for p in properties if schema.get(p) is None]
        if unknown:
            return f"{schema.name} has no properties {', '.join(sorted(unknown))}"
        target = bool(data.get("target")) or bool(data.get("targets"))
        entity = batch.entity(schema.name, entity_id, target=target)
        if not schema.abstract:
            batch.records.add(entity_id)
        for prop, values in properties.items():
            if (prop_obj := schema.get(prop)) is not None and prop_obj.stub:
                continue
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, (str, int, float)):
                    batch.add(entity, prop, str(value), origin)
        return None


def _objects(path: Path, quiet: bool = False) -> Iterator[tuple[int, Any, str | None]]:
    """(line number, parsed JSON, error) for each non-empty line; errors are skipped if quiet."""
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc}") from exc
    with handle:
        number = 0
        while True:
            try:
                raw = handle.readline()
            except UnicodeDecodeError as exc:
                raise InputError(path, f"not UTF-8: {exc.reason}", line=number + 1) from exc
            if not raw:
                return
            number += 1
            if not raw.strip():
                continue
            try:
                yield number, json.loads(raw), None
            except json.JSONDecodeError as exc:
                if not quiet:
                    yield number, raw[:2000], f"not JSON: {exc.msg} at column {exc.colno}"


def entity_dict(
    entity: StatementEntity,
    *,
    datasets: Iterable[str],
    target: bool,
    first_seen: str | None,
    last_seen: str | None,
    simulated: bool,
) -> dict[str, Any]:
    """One export line: FtM's entity dict with OpenSanctions' context fields."""
    data: dict[str, Any] = {
        "id": entity.id,
        "caption": entity.caption,
        "schema": entity.schema.name,
        "properties": entity.properties,
        "datasets": sorted(set(datasets)),
        "referents": sorted(entity.referents),
        "target": target,
        "first_seen": first_seen,
        "last_seen": last_seen,
    }
    if simulated:
        # The mark travels with the entity: every consumer of the file sees it.
        data["simulated"] = True
        data["properties"] = dict(data["properties"])
        notes = list(data["properties"].get("notes", []))
        notes.append(f"{SIMULATED_MARK}: fictitious entity from simulated data, not a real party")
        data["properties"]["notes"] = notes
    return data


def write_entities(lines: Iterable[dict[str, Any]], handle: IO[str]) -> int:
    count = 0
    for data in lines:
        handle.write(json.dumps(data, ensure_ascii=False, sort_keys=True))
        handle.write("\n")
        count += 1
    return count
