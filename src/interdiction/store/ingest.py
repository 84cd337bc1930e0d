"""Apply one dataset version to the store, in one transaction, and say what changed.

Rules (docs/architecture.md, "Versions"):
- a version is identified by the hash of its files: the same set twice is a no-op;
- statements seen again get ``last_seen`` = this publication date; new ones start there;
- a statement not seen again is *retired* (kept, with the date it disappeared) only when the
  file it came from is part of this version, or when its record left the primary file
  (delisting); a partial set therefore never retires what it did not cover;
- entities whose record is known to be incomplete (a truncated remark) are never retired;
- a version older than the newest loaded one only extends history (``first_seen``);
- an entity whose statements are all retired is delisted, with the date; it is kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from interdiction.store.db import Store, one

STATEMENT_COLUMNS = (
    "id",
    "entity_id",
    "schema",
    "prop",
    "prop_type",
    "value",
    "original_value",
    "lang",
    "external",
    "origin",
    "origin_role",
    "origin_record",
    "origin_line",
)
STATEMENT_TYPES = pa.schema(
    [
        ("id", pa.string()),
        ("entity_id", pa.string()),
        ("schema", pa.string()),
        ("prop", pa.string()),
        ("prop_type", pa.string()),
        ("value", pa.string()),
        ("original_value", pa.string()),
        ("lang", pa.string()),
        ("external", pa.bool_()),
        ("origin", pa.string()),
        ("origin_role", pa.string()),
        ("origin_record", pa.string()),
        ("origin_line", pa.int64()),
    ]
)


@dataclass
class IngestBatch:
    """A dataset version ready for the store; built by ``interdiction.sources``."""

    dataset: str
    version: str
    published: datetime
    published_from: str
    reader: str
    reader_version: str
    files: list[dict[str, Any]]
    fileset_hash: str
    complete: bool
    simulated: bool
    present_roles: set[str]
    primary_present: bool
    statements: pa.Table
    # entity_id -> (schema, caption, target) for entities read in this version
    entities: dict[str, tuple[str, str, bool]]
    records: set[str]
    incomplete: set[str]
    issues: list[dict[str, Any]]
    origin: str | None = None
    title: str | None = None
    authority: str | None = None


@dataclass
class IngestReport:
    dataset: str
    version: str
    status: str  # loaded | unchanged | backfill
    published: datetime
    complete: bool
    counts: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "version": self.version,
            "status": self.status,
            "published": self.published.isoformat(),
            "complete": self.complete,
            "counts": self.counts,
        }


def ingest(store: Store, batch: IngestBatch) -> IngestReport:
    found = one(
        store.con,
        "SELECT version FROM datasets WHERE name = ? AND fileset_hash = ?",
        [batch.dataset, batch.fileset_hash],
    )
    if found is not None:
        # The same files again: nothing to write, and the store version does not move.
        return IngestReport(
            batch.dataset,
            found[0],
            "unchanged",
            batch.published,
            batch.complete,
            {"note": "this exact set of files is already loaded"},
        )
    with store.transaction() as con:
        latest = one(con, "SELECT max(published) FROM datasets WHERE name = ?", [batch.dataset])
        backfill = latest is not None and latest[0] is not None and batch.published < latest[0]
        nxt = None
        if backfill:
            row = one(
                con,
                "SELECT min(published) FROM datasets WHERE name = ? AND published > ?",
                [batch.dataset, batch.published],
            )
            nxt = row[0] if row else None

        con.register("incoming_statements", batch.statements)
        con.execute(
            """CREATE OR REPLACE TEMP TABLE new_stmts AS
            SELECT * FROM incoming_statements
            QUALIFY row_number() OVER (PARTITION BY id ORDER BY origin_line NULLS LAST) = 1""",
        )
        con.unregister("incoming_statements")
        # Key lists go in as Arrow columns: executemany costs a round trip per row.
        for table, column, values in (
            ("new_records", "record", batch.records),
            ("incomplete", "entity_id", batch.incomplete),
        ):
            con.register(
                f"{table}_arrow", pa.table({column: pa.array(sorted(values), pa.string())})
            )
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM {table}_arrow")
            con.unregister(f"{table}_arrow")
        con.execute(
            """CREATE OR REPLACE TEMP TABLE before AS
            SELECT entity_id, checksum, delisted, caption, target, schema
            FROM entities WHERE dataset = ?""",
            [batch.dataset],
        )
        params = {"ds": batch.dataset, "d": batch.published}
        if backfill:
            con.execute(
                """UPDATE statements AS s SET first_seen = $d
                FROM new_stmts n WHERE s.id = n.id AND s.dataset = $ds AND s.first_seen > $d""",
                params,
            )
        else:
            con.execute(
                """UPDATE statements AS s SET last_seen = $d, retired = NULL, schema = n.schema,
                    origin = n.origin, origin_role = n.origin_role,
                    origin_record = n.origin_record, origin_line = n.origin_line
                FROM new_stmts n WHERE s.id = n.id AND s.dataset = $ds""",
                params,
            )
        inserted = one(
            con,
            """INSERT INTO statements
            SELECT n.id, n.entity_id, coalesce(c.canonical_id, n.entity_id), n.schema, n.prop,
                n.prop_type, n.value, n.original_value, n.lang, $ds, n.external, $d, $d, $nxt,
                n.origin, n.origin_role, n.origin_record, n.origin_line
            FROM new_stmts n
            LEFT JOIN (SELECT entity_id, any_value(canonical_id) AS canonical_id
                       FROM statements GROUP BY entity_id) c ON c.entity_id = n.entity_id
            WHERE n.id NOT IN (SELECT id FROM statements WHERE dataset = $ds)""",
            {**params, "nxt": nxt},
        )
        retired = (0,)
        if not backfill and batch.complete:
            # Only a complete set retires (delists) anything: a partial one may be a broken
            # download, and what it lacks says nothing about the list.
            roles = sorted(batch.present_roles)
            retired = one(
                con,
                """UPDATE statements SET retired = $d
                WHERE dataset = $ds AND retired IS NULL
                  AND id NOT IN (SELECT id FROM new_stmts)
                  AND entity_id NOT IN (SELECT entity_id FROM incomplete)
                  AND (origin_role IN (SELECT unnest($roles))
                       OR ($primary AND origin_record NOT IN (SELECT record FROM new_records)))""",
                {**params, "roles": roles, "primary": batch.primary_present},
            ) or (0,)
        if not backfill:
            # An entity whose schema became more specific (Organization to Company) keeps one
            # schema across all its statements.
            con.execute(
                """UPDATE statements AS s SET schema = n.schema
                FROM (SELECT DISTINCT entity_id, schema FROM new_stmts) n
                WHERE s.entity_id = n.entity_id AND s.dataset = $ds AND s.schema <> n.schema""",
                {"ds": batch.dataset},
            )

        _refresh_entities(store, batch)
        changes = _record_changes(store, batch) if not backfill else {}
        counts = _counts(store, batch)
        counts.update(
            {
                "statements_new": int(inserted[0]) if inserted else 0,
                "statements_retired": int(retired[0]),
                "quarantined": sum(1 for i in batch.issues if i["level"] == "quarantined"),
                "warnings": sum(1 for i in batch.issues if i["level"] == "warning"),
                **changes,
            }
        )
        _write_issues(store, batch)
        mode = "backfill" if backfill else "update"
        con.execute(
            """INSERT INTO datasets VALUES ($name, $version, $title, $authority, $published,
                $published_from, $origin, $reader, $reader_version, $files, $fileset_hash,
                $complete, $simulated, $mode, $loaded_at, $counts)""",
            {
                "name": batch.dataset,
                "version": batch.version,
                "title": batch.title,
                "authority": batch.authority,
                "published": batch.published,
                "published_from": batch.published_from,
                "origin": batch.origin,
                "reader": batch.reader,
                "reader_version": batch.reader_version,
                "files": json.dumps(batch.files),
                "fileset_hash": batch.fileset_hash,
                "complete": batch.complete,
                "simulated": batch.simulated,
                "mode": mode,
                "loaded_at": datetime.now(UTC).replace(tzinfo=None),
                "counts": json.dumps(counts),
            },
        )
        for table in ("new_stmts", "new_records", "incomplete", "before", "after"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
    return IngestReport(
        batch.dataset,
        batch.version,
        "backfill" if backfill else "loaded",
        batch.published,
        batch.complete,
        counts,
    )


def _refresh_entities(store: Store, batch: IngestBatch) -> None:
    con = store.con
    con.execute(
        """CREATE OR REPLACE TEMP TABLE after AS
        SELECT entity_id,
            arg_max(schema, last_seen) AS schema,
            md5(coalesce(
                string_agg(id, ',' ORDER BY id) FILTER (WHERE retired IS NULL), ''
            )) AS checksum,
            count(*) FILTER (WHERE retired IS NULL) AS live,
            min(first_seen) AS first_seen,
            max(last_seen) AS last_seen,
            max(retired) AS retired
        FROM statements WHERE dataset = ? GROUP BY entity_id""",
        [batch.dataset],
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE read_now (entity_id VARCHAR, caption VARCHAR, target BOOLEAN)"
    )
    if batch.entities:
        table = pa.table(
            {
                "entity_id": list(batch.entities),
                "caption": [v[1] for v in batch.entities.values()],
                "target": [v[2] for v in batch.entities.values()],
            }
        )
        con.register("read_now_arrow", table)
        con.execute("INSERT INTO read_now SELECT * FROM read_now_arrow")
        con.unregister("read_now_arrow")
    con.execute("DELETE FROM entities WHERE dataset = ?", [batch.dataset])
    con.execute(
        """INSERT INTO entities
        SELECT a.entity_id, ?, a.schema,
            CASE WHEN r.target THEN r.caption ELSE coalesce(b.caption, r.caption) END,
            coalesce(r.target, false) OR coalesce(b.target, false),
            a.checksum, a.first_seen, a.last_seen,
            CASE WHEN a.live = 0 THEN a.retired ELSE NULL END
        FROM after a
        LEFT JOIN read_now r ON r.entity_id = a.entity_id
        LEFT JOIN before b ON b.entity_id = a.entity_id""",
        [batch.dataset],
    )
    con.execute("DROP TABLE read_now")


def _record_changes(store: Store, batch: IngestBatch) -> dict[str, int]:
    con = store.con
    con.execute(
        """INSERT INTO changes
        SELECT ?, ?, e.entity_id,
            CASE
                WHEN b.entity_id IS NULL THEN 'added'
                WHEN b.delisted IS NOT NULL AND e.delisted IS NULL THEN 'relisted'
                WHEN b.delisted IS NULL AND e.delisted IS NOT NULL THEN 'removed'
                ELSE 'modified' END,
            e.schema, e.caption
        FROM entities e LEFT JOIN before b ON b.entity_id = e.entity_id
        WHERE e.dataset = ?
          AND (b.entity_id IS NULL
               OR (b.delisted IS NULL) <> (e.delisted IS NULL)
               OR (e.delisted IS NULL AND b.checksum <> e.checksum))""",
        [batch.dataset, batch.version, batch.dataset],
    )
    rows = con.execute(
        """SELECT change, count(*) FILTER (WHERE e.target), count(*) FROM changes c
        JOIN entities e ON e.entity_id = c.entity_id AND e.dataset = c.dataset
        WHERE c.dataset = ? AND c.version = ? GROUP BY change""",
        [batch.dataset, batch.version],
    ).fetchall()
    out = {f"targets_{c}": 0 for c in ("added", "removed", "modified", "relisted")}
    for change, targets, _total in rows:
        out[f"targets_{change}"] = int(targets)
    return out


def _counts(store: Store, batch: IngestBatch) -> dict[str, Any]:
    con = store.con
    by_schema = con.execute(
        """SELECT schema, count(*) FROM entities
        WHERE dataset = ? AND target AND delisted IS NULL GROUP BY schema ORDER BY schema""",
        [batch.dataset],
    ).fetchall()
    totals = one(
        con,
        """SELECT count(*) FILTER (WHERE delisted IS NULL),
                  count(*) FILTER (WHERE target AND delisted IS NULL),
                  count(*) FILTER (WHERE target AND delisted IS NOT NULL)
        FROM entities WHERE dataset = ?""",
        [batch.dataset],
    )
    live = one(
        con,
        "SELECT count(*) FROM statements WHERE dataset = ? AND retired IS NULL",
        [batch.dataset],
    )
    return {
        "entities": int(totals[0]) if totals else 0,
        "targets": int(totals[1]) if totals else 0,
        "targets_delisted": int(totals[2]) if totals else 0,
        "targets_by_schema": {schema: int(n) for schema, n in by_schema},
        "statements": int(live[0]) if live else 0,
        "statements_read": batch.statements.num_rows,
    }


def _write_issues(store: Store, batch: IngestBatch) -> None:
    if not batch.issues:
        return
    table = pa.table(
        {
            "dataset": [batch.dataset] * len(batch.issues),
            "version": [batch.version] * len(batch.issues),
            "file": [i.get("file") for i in batch.issues],
            "line": pa.array([i.get("line") for i in batch.issues], type=pa.int64()),
            "record": [i.get("record") for i in batch.issues],
            "level": [i["level"] for i in batch.issues],
            "code": [i["code"] for i in batch.issues],
            "message": [i["message"] for i in batch.issues],
            "raw": [i.get("raw") for i in batch.issues],
        }
    )
    store.con.register("issues_arrow", table)
    store.con.execute("INSERT INTO load_issues SELECT * FROM issues_arrow")
    store.con.unregister("issues_arrow")
