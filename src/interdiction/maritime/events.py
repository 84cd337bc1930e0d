"""Maritime events and their conversion to the shared alerts and evidence.

A detector returns ``Event`` rows (vectorised work done, one Python object per finding).
``to_alerts`` attaches the evidence: a snapshot of each position or static report the event
rests on (time, place, speed, file and line), referring back to its row by id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from interdiction.store.alerts import Alert, Evidence, Severity
from interdiction.store.db import Store

EVENT_TYPES = (
    "ais_gap",
    "ais_dark_port_call",
    "ais_port_visit",
    "ais_encounter",
    "ais_loitering",
    "ais_spoofing",
    "ais_identity",
)


@dataclass
class Event:
    type: str
    mmsis: tuple[int, ...]
    start: float | None
    end: float | None
    lat: float | None
    lon: float | None
    severity: Severity
    title: str
    summary: str
    params: dict[str, Any] = field(default_factory=dict)
    # (pos_id, role) and (static_id, role) this event rests on.
    positions: list[tuple[int, str]] = field(default_factory=list)
    static: list[tuple[int, str]] = field(default_factory=list)
    simulated: bool = False
    key: str = ""
    score: float | None = None
    place: str | None = None
    geometry: dict[str, Any] | None = None


def ts(seconds: float | None) -> datetime | None:
    if seconds is None:
        return None
    return datetime.fromtimestamp(float(seconds), UTC).replace(tzinfo=None)


def iso(seconds: float | None) -> str:
    value = ts(seconds)
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "?"


def vessel_id(mmsi: int) -> str:
    """The id an AIS-only vessel carries in alerts (``ais-mmsi-<MMSI>``)."""
    return f"ais-mmsi-{mmsi}"


def _fetch(
    store: Store, table: str, id_col: str, ids: Sequence[int], cols: str
) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    store.con.register("wanted_ids", pa.table({"id": pa.array(sorted(set(ids)), type=pa.int64())}))
    try:
        result = store.con.execute(
            f"SELECT {id_col}, {cols} FROM {table} t JOIN wanted_ids w ON t.{id_col} = w.id"
        )
        names = [d[0] for d in result.description]
        rows = result.fetchall()
    finally:
        store.con.unregister("wanted_ids")
    return {int(r[0]): dict(zip(names[1:], r[1:], strict=True)) for r in rows}


def to_alerts(
    store: Store,
    events: Iterable[Event],
    *,
    detector: str,
    version: str,
    config_hash: str,
    listed: dict[int, list[str]] | None = None,
) -> list[Alert]:
    """Alerts with their evidence; ``listed`` maps an MMSI to listed vessels (by IMO)."""
    items = list(events)
    pos = _fetch(
        store,
        "ais_positions",
        "pos_id",
        [p for e in items for p, _ in e.positions],
        "mmsi, ts, lat, lon, sog, cog, dataset, origin, origin_line, simulated",
    )
    stat = _fetch(
        store,
        "ais_static",
        "static_id",
        [s for e in items for s, _ in e.static],
        "mmsi, ts, imo, name, callsign, ship_type, dataset, origin, origin_line, simulated",
    )
    alerts = []
    for e in items:
        evidence: list[Evidence] = []
        for pid, role in e.positions:
            row = pos.get(pid)
            if row is None:
                continue
            evidence.append(
                Evidence(
                    kind="position",
                    summary=(
                        f"MMSI {row['mmsi']} at {row['lat']:.5f}, {row['lon']:.5f} "
                        f"{row['ts']:%Y-%m-%d %H:%M:%S} UTC"
                        + (f", {row['sog']:.1f} kn" if row["sog"] is not None else "")
                    ),
                    ref_table="ais_positions",
                    ref_id=str(pid),
                    data={k: v for k, v in row.items() if k != "simulated"},
                    observed_at=row["ts"],
                    source=f"{row['dataset']}: {row['origin']} line {row['origin_line']}",
                    role=role,
                    simulated=bool(row["simulated"]),
                )
            )
        for sid, role in e.static:
            row = stat.get(sid)
            if row is None:
                continue
            evidence.append(
                Evidence(
                    kind="static_report",
                    summary=(
                        f"MMSI {row['mmsi']} reported name {row['name']!r}, call sign "
                        f"{row['callsign']!r}, IMO {row['imo']} at "
                        + (f"{row['ts']:%Y-%m-%d %H:%M:%S} UTC" if row["ts"] else "unknown time")
                    ),
                    ref_table="ais_static",
                    ref_id=str(sid),
                    data={k: v for k, v in row.items() if k != "simulated"},
                    observed_at=row["ts"],
                    source=f"{row['dataset']}: {row['origin']} line {row['origin_line']}",
                    role=role,
                    simulated=bool(row["simulated"]),
                )
            )
        entity_ids = [vessel_id(m) for m in e.mmsis]
        for m in e.mmsis:
            entity_ids.extend((listed or {}).get(m, []))
        simulated = e.simulated or any(ev.simulated for ev in evidence)
        alerts.append(
            Alert(
                type=e.type,
                severity=e.severity,
                title=("[SIMULATED] " if simulated else "") + e.title,
                summary=e.summary,
                entity_ids=sorted(set(entity_ids)),
                detector=detector,
                detector_version=version,
                config_hash=config_hash,
                evidence=evidence,
                score=e.score,
                start_time=ts(e.start),
                end_time=ts(e.end),
                lat=e.lat,
                lon=e.lon,
                place=e.place,
                geometry=e.geometry,
                params=e.params,
                simulated=simulated,
                key=e.key,
            )
        )
    return alerts
