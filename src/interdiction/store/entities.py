"""Entities assembled from statements: one entity, or all of them as a stream.

An entity is the set of its current statements (``retired IS NULL``) grouped by
``canonical_id``; its ``referents`` are the source ids merged into it. The history (retired
statements with the dates they were first and last seen) stays queryable.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: a command that never assembles an entity starts
    # without loading followthemoney's model (about a second).
    from followthemoney.dataset import Dataset
    from followthemoney.statement import Statement, StatementEntity

from interdiction.store.db import Store, one

COLUMNS = (
    "id, entity_id, canonical_id, schema, prop, value, original_value, lang, dataset, "
    "external, first_seen, last_seen, retired, origin, origin_role, origin_record, origin_line"
)


@dataclass
class StoredStatement:
    id: str
    entity_id: str
    canonical_id: str
    schema: str
    prop: str
    value: str
    original_value: str | None
    lang: str | None
    dataset: str
    external: bool
    first_seen: datetime
    last_seen: datetime
    retired: datetime | None
    origin: str
    origin_role: str
    origin_record: str
    origin_line: int | None

    def to_ftm(self) -> Statement:
        from followthemoney.statement import Statement

        return Statement(
            id=self.id,
            entity_id=self.entity_id,
            canonical_id=self.canonical_id,
            prop=self.prop,
            schema=self.schema,
            value=self.value,
            dataset=self.dataset,
            lang=self.lang,
            original_value=self.original_value,
            first_seen=self.first_seen.isoformat(),
            last_seen=self.last_seen.isoformat(),
            external=self.external,
            origin=self.provenance,
        )

    @property
    def provenance(self) -> str:
        line = f":{self.origin_line}" if self.origin_line else ""
        return f"{self.origin}{line}#{self.origin_record}"

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        for key in ("first_seen", "last_seen", "retired"):
            if out[key] is not None:
                out[key] = out[key].isoformat()
        return out


@dataclass
class EntityRecord:
    entity: StatementEntity
    statements: list[StoredStatement]
    datasets: list[str]
    target: bool
    first_seen: datetime | None
    last_seen: datetime | None
    delisted: datetime | None
    simulated: bool


def _dataset(name: str) -> Dataset:
    from followthemoney.dataset import Dataset

    return Dataset.make({"name": name})


def _assemble(canonical_id: str, rows: list[StoredStatement], info: dict[str, Any]) -> EntityRecord:
    current = [r for r in rows if r.retired is None] or rows
    datasets = sorted({r.dataset for r in current})
    from followthemoney.statement import StatementEntity

    entity = StatementEntity.from_statements(_dataset(datasets[0]), [r.to_ftm() for r in current])
    entity.id = canonical_id
    return EntityRecord(
        entity=entity,
        statements=rows,
        datasets=datasets,
        target=bool(info.get("target")),
        first_seen=min((r.first_seen for r in rows), default=None),
        last_seen=max((r.last_seen for r in rows), default=None),
        delisted=info.get("delisted"),
        simulated=bool(info.get("simulated")),
    )


def _info(store: Store, ids: list[str] | None) -> dict[str, dict[str, Any]]:
    """Per source id: target flag, delisting date (when delisted everywhere), simulated."""
    rows = (
        store.con.cursor()
        .execute(
            """SELECT e.entity_id, bool_or(e.target), max(e.delisted),
                  bool_and(e.delisted IS NOT NULL), bool_or(coalesce(d.simulated, false))
        FROM entities e
        LEFT JOIN (SELECT name, bool_or(simulated) AS simulated FROM datasets GROUP BY name) d
            ON d.name = e.dataset
        WHERE $all OR e.entity_id IN (SELECT unnest($ids)) GROUP BY e.entity_id""",
            {"all": ids is None, "ids": ids or []},
        )
        .fetchall()
    )
    return {
        r[0]: {"target": r[1], "delisted": r[2] if r[3] else None, "simulated": r[4]} for r in rows
    }


def get_entity(store: Store, entity_id: str, history: bool = False) -> EntityRecord | None:
    """The entity whose canonical id or source id (referent) is ``entity_id``."""
    row = one(
        store.con,
        "SELECT canonical_id FROM statements WHERE entity_id = ? OR canonical_id = ? LIMIT 1",
        [entity_id, entity_id],
    )
    if row is None:
        return None
    canonical = row[0]
    rows = [
        StoredStatement(*r)
        for r in store.con.execute(
            f"""SELECT {COLUMNS} FROM statements WHERE canonical_id = ?
            AND (? OR retired IS NULL) ORDER BY prop, value""",
            [canonical, history],
        ).fetchall()
    ]
    if not rows:
        rows = [
            StoredStatement(*r)
            for r in store.con.execute(
                f"SELECT {COLUMNS} FROM statements WHERE canonical_id = ? ORDER BY prop, value",
                [canonical],
            ).fetchall()
        ]
    return _record(rows, _info(store, sorted({r.entity_id for r in rows})))


def referencing(store: Store, entity_id: str) -> list[tuple[str, str, str]]:
    """(entity id, schema, property) of current entities that point at ``entity_id``."""
    return [
        (r[0], r[1], r[2])
        for r in store.con.execute(
            """SELECT DISTINCT canonical_id, schema, prop FROM statements
            WHERE prop_type = 'entity' AND value = ? AND retired IS NULL ORDER BY 2, 1""",
            [entity_id],
        ).fetchall()
    ]


def related(store: Store, entity_id: str) -> list[dict[str, Any]]:
    """Entities that point at ``entity_id`` (sanctions, links, addresses, documents), each with
    the other entities it names, so that "Linked To" reads as the party it links to."""
    out: list[dict[str, Any]] = []
    for ref_id, schema, via in referencing(store, entity_id):
        record = get_entity(store, ref_id)
        if record is None:
            continue
        others = []
        for prop in record.entity.iterprops():
            if prop.type.name != "entity" or prop.name == via:
                continue
            for value in record.entity.get(prop):
                other = get_entity(store, value) if value != entity_id else None
                if other is not None:
                    others.append(
                        {
                            "id": value,
                            "prop": prop.name,
                            "schema": other.entity.schema.name,
                            "caption": other.entity.caption,
                        }
                    )
        out.append(
            {
                "id": ref_id,
                "schema": schema,
                "via": via,
                "caption": record.entity.caption,
                "properties": record.entity.properties,
                "others": others,
            }
        )
    return out


def iter_entities(
    store: Store,
    datasets: list[str] | None = None,
    include_delisted: bool = False,
    batch_size: int = 20000,
) -> Iterator[EntityRecord]:
    """Every entity, assembled, streamed in canonical id order (memory stays bounded)."""
    cursor = store.con.cursor()
    cursor.execute(
        f"""SELECT {COLUMNS} FROM statements
        WHERE ($all OR dataset IN (SELECT unnest($datasets))) AND ($history OR retired IS NULL)
        ORDER BY canonical_id, prop, value""",
        {"all": datasets is None, "datasets": datasets or [], "history": include_delisted},
    )
    info = _info(store, None)
    pending: list[StoredStatement] = []
    while True:
        chunk = cursor.fetchmany(batch_size)
        if not chunk:
            break
        for raw in chunk:
            stmt = StoredStatement(*raw)
            if pending and pending[0].canonical_id != stmt.canonical_id:
                yield _record(pending, info)
                pending = []
            pending.append(stmt)
    if pending:
        yield _record(pending, info)


def _record(rows: list[StoredStatement], info: dict[str, dict[str, Any]]) -> EntityRecord:
    canonical = rows[0].canonical_id
    parts = [info.get(eid, {}) for eid in {r.entity_id for r in rows}]
    merged = {
        "target": any(p.get("target") for p in parts),
        "delisted": max((p["delisted"] for p in parts if p.get("delisted")), default=None)
        if parts and all(p.get("delisted") for p in parts)
        else None,
        "simulated": any(p.get("simulated") for p in parts),
    }
    return _assemble(canonical, rows, merged)
