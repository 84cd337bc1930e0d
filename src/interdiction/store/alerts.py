"""The shared alerts and evidence tables: what every detector of every capability writes.

An alert is a finding (a dark period, an encounter, a party matching a listed entity, a
blocked-but-not-listed company, a CHPL shipment to Russia...). It names its entities, time
span and place, the detector and version that made it and the hash of the configuration
section used, and it rests on evidence rows (statements, positions, static reports,
shipments, sightings...) that point back to the stored records. Ids are content hashes, so
running a detector again over the same data rewrites the same rows instead of adding copies.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import pyarrow as pa

from interdiction.ids import content_hash
from interdiction.store.db import Store, dict_rows

Severity = Literal["info", "low", "medium", "high", "critical"]
SEVERITIES: tuple[Severity, ...] = ("info", "low", "medium", "high", "critical")
EVIDENCE_KINDS = frozenset(
    {
        "statement",  # a row of statements (ref_id = statement id)
        "entity",  # an entity as a whole (ref_id = entity id)
        "position",  # an AIS position report
        "static_report",  # an AIS static and voyage report
        "sighting",  # an analyst's sighting (imagery, visual)
        "shipment",  # a trade record
        "trade_flow",  # an aggregate trade statistic
        "record",  # any other stored row (ref_table names its table)
        "path",  # a path through the network (data holds the hops)
        "claim",  # a reported claim in a case
        "alert",  # another alert this one builds on
    }
)


class AlertError(ValueError):
    """An alert that breaks the contract (no evidence, unknown severity...)."""


def _json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))


@dataclass(frozen=True)
class Evidence:
    kind: str
    summary: str
    ref_table: str | None = None
    ref_id: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    observed_at: datetime | None = None
    source: str | None = None
    role: str = "support"
    simulated: bool = False

    @functools.cached_property
    def id(self) -> str:
        return "ev-" + content_hash(self.kind, self.ref_table, self.ref_id, _json(self.data))


@dataclass(frozen=True)
class Alert:
    type: str
    severity: Severity
    title: str
    entity_ids: Sequence[str]
    detector: str
    detector_version: str
    config_hash: str
    evidence: Sequence[Evidence]
    summary: str | None = None
    score: float | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    lat: float | None = None
    lon: float | None = None
    place: str | None = None
    geometry: Mapping[str, Any] | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    simulated: bool = False
    # Distinguishes two findings of one detector on the same entities and span.
    key: str = ""

    @functools.cached_property
    def id(self) -> str:
        return "al-" + content_hash(
            self.detector,
            self.type,
            ",".join(sorted(self.entity_ids)),
            self.start_time.isoformat() if self.start_time else "",
            self.end_time.isoformat() if self.end_time else "",
            self.key,
        )

    def check(self) -> None:
        if self.severity not in SEVERITIES:
            raise AlertError(f"{self.type}: severity {self.severity!r} not in {SEVERITIES}")
        if not self.evidence:
            raise AlertError(f"{self.type} {self.title!r}: an alert must rest on evidence")
        for ev in self.evidence:
            if ev.kind not in EVIDENCE_KINDS:
                raise AlertError(f"{self.type}: evidence kind {ev.kind!r} unknown")
        if (self.lat is None) != (self.lon is None):
            raise AlertError(f"{self.type}: lat and lon go together")


@dataclass(frozen=True)
class DetectorRun:
    detector: str
    detector_version: str
    config_hash: str
    params: Mapping[str, Any] = field(default_factory=dict)
    inputs: Mapping[str, Any] = field(default_factory=dict)
    run_id: str = field(default_factory=lambda: "run-" + uuid.uuid4().hex[:16])
    started: datetime = field(default_factory=lambda: datetime.now(UTC).replace(tzinfo=None))


ALERT_TYPES = pa.schema(
    [
        ("id", pa.string()),
        ("type", pa.string()),
        ("severity", pa.string()),
        ("score", pa.float64()),
        ("title", pa.string()),
        ("summary", pa.string()),
        ("entity_ids", pa.list_(pa.string())),
        ("start_time", pa.timestamp("us")),
        ("end_time", pa.timestamp("us")),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("place", pa.string()),
        ("geometry", pa.string()),
        ("detector", pa.string()),
        ("detector_version", pa.string()),
        ("config_hash", pa.string()),
        ("params", pa.string()),
        ("run_id", pa.string()),
        ("simulated", pa.bool_()),
        ("created_at", pa.timestamp("us")),
    ]
)
EVIDENCE_TYPES = pa.schema(
    [
        ("id", pa.string()),
        ("kind", pa.string()),
        ("ref_table", pa.string()),
        ("ref_id", pa.string()),
        ("summary", pa.string()),
        ("observed_at", pa.timestamp("us")),
        ("source", pa.string()),
        ("data", pa.string()),
        ("simulated", pa.bool_()),
    ]
)
LINK_TYPES = pa.schema(
    [("alert_id", pa.string()), ("evidence_id", pa.string()), ("role", pa.string())]
)


def _bulk(
    con: Any, table: str, schema: pa.Schema, rows: Sequence[Sequence[Any]], verb: str
) -> None:
    if not rows:
        return
    columns = list(zip(*rows, strict=True))
    staged = pa.table(
        [pa.array(list(col), type=f.type) for col, f in zip(columns, schema, strict=True)],
        schema=schema,
    )
    name = f"staged_{table}"
    con.register(name, staged)
    try:
        con.execute(f"{verb} INTO {table} SELECT * FROM {name}")
    finally:
        con.unregister(name)


def write_alerts(
    store: Store,
    run: DetectorRun,
    alerts: Iterable[Alert],
    replace_previous: bool = False,
) -> dict[str, int]:
    """Write one detector run's alerts and evidence in one transaction.

    ``replace_previous`` drops the detector's earlier alerts first (a full re-run over the
    same scope), so that findings that no longer hold do not linger.
    """
    items = list(alerts)
    for alert in items:
        alert.check()
    now = datetime.now(UTC).replace(tzinfo=None)
    with store.transaction() as con:
        if replace_previous:
            con.execute(
                """DELETE FROM alert_evidence
                WHERE alert_id IN (SELECT id FROM alerts WHERE detector = ?)""",
                [run.detector],
            )
            con.execute("DELETE FROM alerts WHERE detector = ?", [run.detector])
        con.execute(
            "INSERT OR REPLACE INTO detector_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run.run_id,
                run.detector,
                run.detector_version,
                run.config_hash,
                _json(run.params),
                _json(run.inputs),
                run.started,
                now,
                _json({"alerts": len(items)}),
            ],
        )
        alert_rows = []
        evidence_rows: dict[str, list[Any]] = {}
        link_rows: set[tuple[str, str, str]] = set()
        for alert in items:
            alert_rows.append(
                [
                    alert.id,
                    alert.type,
                    alert.severity,
                    alert.score,
                    alert.title,
                    alert.summary,
                    list(alert.entity_ids),
                    alert.start_time,
                    alert.end_time,
                    alert.lat,
                    alert.lon,
                    alert.place,
                    _json(alert.geometry) if alert.geometry is not None else None,
                    alert.detector,
                    alert.detector_version,
                    alert.config_hash,
                    _json(alert.params),
                    run.run_id,
                    alert.simulated,
                    now,
                ]
            )
            for ev in alert.evidence:
                evidence_rows[ev.id] = [
                    ev.id,
                    ev.kind,
                    ev.ref_table,
                    ev.ref_id,
                    ev.summary,
                    ev.observed_at,
                    ev.source,
                    _json(ev.data),
                    ev.simulated or alert.simulated,
                ]
                link_rows.add((alert.id, ev.id, ev.role))
        if alert_rows:
            con.execute(
                "DELETE FROM alert_evidence WHERE alert_id IN (SELECT unnest(?))",
                [[row[0] for row in alert_rows]],
            )
            # Bulk inserts through Arrow: executemany costs milliseconds per row in DuckDB.
            # The same finding twice in one run keeps its last version (as row by row did).
            unique_alerts = list({row[0]: row for row in alert_rows}.values())
            _bulk(con, "alerts", ALERT_TYPES, unique_alerts, "INSERT OR REPLACE")
            _bulk(
                con, "evidence", EVIDENCE_TYPES, list(evidence_rows.values()), "INSERT OR REPLACE"
            )
            _bulk(con, "alert_evidence", LINK_TYPES, sorted(link_rows), "INSERT OR IGNORE")
    return {"alerts": len(alert_rows), "evidence": len(evidence_rows)}


def read_alerts(
    store: Store,
    *,
    type: str | None = None,
    detector: str | None = None,
    entity_id: str | None = None,
    limit: int = 10000,
) -> list[dict[str, Any]]:
    if not store.has_table("alerts"):
        return []
    return dict_rows(
        store.con,
        """SELECT id, type, severity, score, title, summary, entity_ids, start_time, end_time,
                  lat, lon, place, detector, detector_version, config_hash, params, run_id,
                  simulated, created_at
        FROM alerts
        WHERE ($type IS NULL OR type = $type) AND ($det IS NULL OR detector = $det)
          AND ($eid IS NULL OR list_contains(entity_ids, $eid))
        ORDER BY start_time NULLS LAST, id LIMIT $limit""",
        {"type": type, "det": detector, "eid": entity_id, "limit": limit},
        json_columns=("params",),
    )


def read_evidence(store: Store, alert_id: str) -> list[dict[str, Any]]:
    return dict_rows(
        store.con,
        """SELECT e.id, ae.role, e.kind, e.ref_table, e.ref_id, e.summary, e.observed_at,
                  e.source, e.data, e.simulated
        FROM alert_evidence ae JOIN evidence e ON e.id = ae.evidence_id
        WHERE ae.alert_id = ? ORDER BY e.observed_at NULLS LAST, e.id""",
        [alert_id],
        json_columns=("data",),
    )
