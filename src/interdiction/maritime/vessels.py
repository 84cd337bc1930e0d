"""The vessel view: identity history, events, sightings, last seen on AIS, sanctions status.

A vessel is looked up by IMO number (7 digits, check digit verified), MMSI (9 digits) or
name. IMO decides identity; MMSIs and names lead to the IMO numbers broadcast with them.
Sanctions status comes from the lists in the store, by IMO number (``imoNumber``
statements), never from AIS. Sightings are analysts' observations (satellite imagery, a
visual report) recorded beside AIS as evidence.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from interdiction.ids import imo_checksum_ok
from interdiction.maritime.events import vessel_id
from interdiction.maritime.tables import MARITIME
from interdiction.store import Store, get_entity, read_alerts
from interdiction.store.db import dict_rows


class VesselNotFound(LookupError):
    pass


@dataclass
class VesselKeys:
    query: str
    mmsis: set[int] = field(default_factory=set)
    imos: set[int] = field(default_factory=set)
    names: set[str] = field(default_factory=set)


def _has(store: Store, table: str) -> bool:
    return store.has_table(table)


def resolve(store: Store, query: str) -> VesselKeys:
    q = query.strip().upper().removeprefix("IMO").strip()
    keys = VesselKeys(query)
    if q.isdigit() and len(q) == 7:
        if not imo_checksum_ok(q):
            raise ValueError(f"{query}: not a valid IMO number (check digit fails)")
        keys.imos.add(int(q))
    elif q.isdigit() and len(q) == 9:
        keys.mmsis.add(int(q))
    else:
        keys.names.add(" ".join(q.split()))
    if _has(store, "ais_static"):
        for _ in range(2):  # names -> MMSIs -> IMOs -> MMSIs
            rows = store.con.execute(
                """SELECT DISTINCT mmsi, imo, upper(name) FROM ais_static
                WHERE mmsi IN (SELECT unnest($m)) OR imo IN (SELECT unnest($i))
                   OR upper(name) IN (SELECT unnest($n))""",
                {"m": sorted(keys.mmsis), "i": sorted(keys.imos), "n": sorted(keys.names)},
            ).fetchall()
            for mmsi, imo, _name in rows:
                keys.mmsis.add(int(mmsi))
                if imo is not None and imo_checksum_ok(f"{int(imo):07d}"):
                    keys.imos.add(int(imo))
    if keys.names and _has(store, "statements"):
        rows = store.con.execute(
            """SELECT DISTINCT i.value FROM statements n
            JOIN statements i ON i.canonical_id = n.canonical_id AND i.prop = 'imoNumber'
            WHERE n.schema = 'Vessel' AND n.prop = 'name'
              AND upper(n.value) IN (SELECT unnest($n))""",
            {"n": sorted(keys.names)},
        ).fetchall()
        for (value,) in rows:
            digits = value.upper().removeprefix("IMO")
            if digits.isdigit():
                keys.imos.add(int(digits))
    if _has(store, "sightings") and keys.names:
        for (imo,) in store.con.execute(
            """SELECT DISTINCT imo FROM sightings
            WHERE upper(name) IN (SELECT unnest($n)) AND imo IS NOT NULL""",
            {"n": sorted(keys.names)},
        ).fetchall():
            keys.imos.add(int(imo))
    return keys


def sanctions_status(store: Store, imos: set[int]) -> list[dict[str, Any]]:
    """Listed entities with these IMO numbers, with their lists, programs and status."""
    if not imos or not _has(store, "statements"):
        return []
    rows = store.con.execute(
        """SELECT DISTINCT canonical_id, value FROM statements
        WHERE prop = 'imoNumber' AND value IN (SELECT unnest($v))""",
        {"v": [f"IMO{imo:07d}" for imo in sorted(imos)]},
    ).fetchall()
    out = []
    for canonical, value in rows:
        record = get_entity(store, canonical)
        if record is None:
            continue
        props = record.entity.properties
        out.append(
            {
                "entity_id": record.entity.id,
                "caption": record.entity.caption,
                "imo": value,
                "datasets": record.datasets,
                "status": (
                    f"delisted {record.delisted:%Y-%m-%d}"
                    if record.delisted
                    else "listed"
                    if record.target
                    else "not a listed target"
                ),
                "programs": sorted(set(props.get("program", []))),
                "flag": sorted(set(props.get("flag", []))),
                "first_seen": record.first_seen,
                "last_seen": record.last_seen,
            }
        )
    return out


def vessel_view(store: Store, query: str) -> dict[str, Any]:
    keys = resolve(store, query)
    identities: list[dict[str, Any]] = []
    last_seen: list[dict[str, Any]] = []
    simulated = False
    if keys.mmsis and _has(store, "ais_static"):
        for row in store.con.execute(
            """SELECT mmsi, imo, name, callsign, ship_type, min(ts), max(ts), count(*),
                      bool_or(simulated), list_distinct(list(dataset))
            FROM ais_static WHERE mmsi IN (SELECT unnest($m)) OR imo IN (SELECT unnest($i))
            GROUP BY ALL ORDER BY min(ts) NULLS FIRST, mmsi""",
            {"m": sorted(keys.mmsis), "i": sorted(keys.imos)},
        ).fetchall():
            simulated |= bool(row[8])
            identities.append(
                dict(
                    zip(
                        ("mmsi", "imo", "name", "callsign", "ship_type", "first", "last",
                         "reports", "simulated", "datasets"),
                        row,
                        strict=True,
                    )
                )
            )  # fmt: skip
        for row in store.con.execute(
            """SELECT mmsi, max(ts), arg_max(lat, ts), arg_max(lon, ts), arg_max(sog, ts),
                      arg_max(dataset, ts), count(*), bool_or(simulated)
            FROM ais_positions WHERE quality IS NULL AND mmsi IN (SELECT unnest($m))
            GROUP BY mmsi ORDER BY max(ts) DESC""",
            {"m": sorted(keys.mmsis)},
        ).fetchall():
            simulated |= bool(row[7])
            last_seen.append(
                dict(
                    zip(
                        ("mmsi", "time", "lat", "lon", "sog", "dataset", "positions", "simulated"),
                        row,
                        strict=True,
                    )
                )
            )
    events: list[dict[str, Any]] = []
    for mmsi in sorted(keys.mmsis):
        events.extend(read_alerts(store, entity_id=vessel_id(mmsi)))
    events.sort(key=lambda a: (a["start_time"] or datetime.min, a["id"]))
    seen: set[str] = set()
    events = [a for a in events if not (a["id"] in seen or seen.add(a["id"]))]  # type: ignore[func-returns-value]
    sightings = list_sightings(store, keys)
    sanctions = sanctions_status(store, keys.imos)
    if not (identities or last_seen or events or sightings or sanctions):
        raise VesselNotFound(f"{query}: no AIS data, sightings or listed vessel found")
    return {
        "query": query,
        "mmsis": sorted(keys.mmsis),
        "imos": sorted(keys.imos),
        "simulated": simulated or any(a["simulated"] for a in events),
        "sanctions": sanctions,
        "identities": identities,
        "last_seen_on_ais": last_seen[0] if last_seen else None,
        "last_seen_by_mmsi": last_seen,
        "events": events,
        "sightings": sightings,
    }


# -- sightings -------------------------------------------------------------------------------


def add_sighting(
    store: Store,
    *,
    time: datetime,
    lat: float,
    lon: float,
    source: str,
    imo: int | None = None,
    mmsi: int | None = None,
    name: str | None = None,
    reliability: str | None = None,
    note: str | None = None,
    recorded_by: str | None = None,
    simulated: bool = False,
) -> str:
    """Record an analyst's sighting; returns its id. One of IMO, MMSI or name is needed."""
    if imo is None and mmsi is None and not name:
        raise ValueError("a sighting names the vessel: give an IMO number, an MMSI or a name")
    if imo is not None and not imo_checksum_ok(f"{imo:07d}"):
        raise ValueError(f"IMO {imo}: check digit fails")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"position {lat}, {lon} out of range")
    if not source.strip():
        raise ValueError("a sighting needs its source (e.g. 'Planet imagery 2024-03-02')")
    store.ensure(MARITIME)
    sighting_id = "sg-" + uuid.uuid4().hex[:16]
    with store.transaction() as con:
        con.execute(
            "INSERT INTO sightings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                sighting_id, imo, mmsi, name, time.replace(tzinfo=None), lat, lon, source,
                reliability, note, recorded_by, datetime.now(UTC).replace(tzinfo=None), simulated,
            ],
        )  # fmt: skip
    return sighting_id


def list_sightings(store: Store, keys: VesselKeys) -> list[dict[str, Any]]:
    if not _has(store, "sightings"):
        return []
    return dict_rows(
        store.con,
        """SELECT * FROM sightings WHERE imo IN (SELECT unnest($i)) OR mmsi IN (SELECT unnest($m))
           OR upper(name) IN (SELECT unnest($n)) ORDER BY ts""",
        {"i": sorted(keys.imos), "m": sorted(keys.mmsis), "n": sorted(keys.names)},
    )
