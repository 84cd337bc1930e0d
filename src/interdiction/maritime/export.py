"""Tracks and events as GeoJSON and CSV, every row carrying its ``simulated`` flag.

A GeoJSON export says at its top whether anything in it is simulated, and so does every
feature; CSV exports have a ``simulated`` column. Files are written atomically by the caller
(``commands.common.data_out``).
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from typing import IO, Any

from interdiction.maritime.events import EVENT_TYPES
from interdiction.maritime.tracks import Bbox
from interdiction.store import Store, read_alerts

SIMULATED_NOTICE = "Contains SIMULATED data: fictitious vessels and events, not real observations."
EVENT_COLUMNS = (
    "id", "type", "kind", "severity", "title", "vessels", "start_time", "end_time", "lat",
    "lon", "place", "detector", "detector_version", "config_hash", "simulated", "summary",
)  # fmt: skip
TRACK_COLUMNS = (
    "mmsi", "ts", "lat", "lon", "sog", "cog", "heading", "nav_status", "dataset", "origin",
    "origin_line", "pos_id", "simulated",
)  # fmt: skip


def events(
    store: Store,
    type: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    bbox: Bbox | None = None,
) -> list[dict[str, Any]]:
    if type is not None and type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type!r}; known: {', '.join(EVENT_TYPES)}")
    out = []
    for alert in read_alerts(store, type=type, limit=10_000_000):
        if alert["type"] not in EVENT_TYPES:
            continue
        if since and alert["end_time"] and alert["end_time"] < since:
            continue
        if until and alert["start_time"] and alert["start_time"] > until:
            continue
        if bbox and alert["lat"] is not None:
            x0, y0, x1, y1 = bbox
            if not (x0 <= alert["lon"] <= x1 and y0 <= alert["lat"] <= y1):
                continue
        alert["kind"] = alert["params"].get("kind")
        alert["vessels"] = [e for e in alert["entity_ids"] if e.startswith("ais-mmsi-")]
        out.append(alert)
    return out


def _geometry(store: Store, alert_id: str) -> Any:
    row = store.con.execute("SELECT geometry FROM alerts WHERE id = ?", [alert_id]).fetchall()
    return json.loads(row[0][0]) if row and row[0][0] else None


def events_geojson(store: Store, rows: list[dict[str, Any]]) -> dict[str, Any]:
    features = []
    for alert in rows:
        geometry = _geometry(store, alert["id"])
        if geometry is None and alert["lat"] is not None:
            geometry = {"type": "Point", "coordinates": [alert["lon"], alert["lat"]]}
        props = {k: alert[k] for k in EVENT_COLUMNS if k in alert}
        props["params"] = alert["params"]
        features.append(
            {"type": "Feature", "id": alert["id"], "geometry": geometry, "properties": props}
        )
    simulated = any(a["simulated"] for a in rows)
    out: dict[str, Any] = {
        "type": "FeatureCollection",
        "simulated": simulated,
        "features": features,
    }
    if simulated:
        out["notice"] = SIMULATED_NOTICE
    return out


def track_rows(
    store: Store,
    mmsis: list[int],
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[dict[str, Any]]:
    if not store.has_table("ais_positions"):
        return []
    result = store.con.execute(
        f"""SELECT {", ".join(TRACK_COLUMNS)} FROM ais_positions
        WHERE quality IS NULL AND mmsi IN (SELECT unnest($m))
          AND ($since IS NULL OR ts >= $since) AND ($until IS NULL OR ts <= $until)
        ORDER BY mmsi, ts""",
        {"m": mmsis, "since": since, "until": until},
    )
    return [dict(zip(TRACK_COLUMNS, r, strict=True)) for r in result.fetchall()]


def tracks_geojson(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One LineString per MMSI (the track), with its times; points as the track's vertices."""
    by: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by.setdefault(row["mmsi"], []).append(row)
    features: list[dict[str, Any]] = []
    for mmsi, points in by.items():
        sim = any(p["simulated"] for p in points)
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString" if len(points) > 1 else "Point",
                    "coordinates": (
                        [[p["lon"], p["lat"]] for p in points]
                        if len(points) > 1
                        else [points[0]["lon"], points[0]["lat"]]
                    ),
                },
                "properties": {
                    "mmsi": mmsi,
                    "times": [p["ts"].isoformat() for p in points],
                    "start": points[0]["ts"].isoformat(),
                    "end": points[-1]["ts"].isoformat(),
                    "positions": len(points),
                    "datasets": sorted({p["dataset"] for p in points}),
                    "simulated": sim,
                },
            }
        )
    simulated = any(f["properties"]["simulated"] for f in features)
    out: dict[str, Any] = {
        "type": "FeatureCollection",
        "simulated": simulated,
        "features": features,
    }
    if simulated:
        out["notice"] = SIMULATED_NOTICE
    return out


def write_csv(handle: IO[str], rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: ("; ".join(row[k]) if isinstance(row.get(k), list) else row.get(k))
                for k in columns
            }
        )
