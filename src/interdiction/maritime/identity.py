"""Identity signs: bad MMSIs and IMOs, changes in static reports, a new identity resuming a track.

- ``mmsi-invalid``: MMSIs that cannot be a ship's (not nine digits, defaults such as
  123456789): their positions are kept out of the track detectors and reported here;
- ``mid-unallocated``: a ship MMSI whose country prefix (MID) ITU has not allocated;
- ``imo-invalid``: an IMO number whose check digit fails (zombie or made-up numbers);
- ``name``/``callsign``/``imo``/``ship_type`` changes: one MMSI broadcasting a new value
  after another (SQL over the static reports: one definition, portable to other engines);
- ``mid-flag``: the MID country differs from the flag of the listed vessel with that IMO
  (weak evidence only: reflagging is common and MMSIs follow it late);
- ``identity-resumed``: an MMSI last seen at sea, and within ``resume_max_hours`` and
  ``resume_max_distance_nm`` (and a physical speed) a new MMSI first seen there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa
from followthemoney.types import registry

from interdiction.config import MaritimeConfig
from interdiction.ids import imo_checksum_ok
from interdiction.maritime.events import Event, iso
from interdiction.maritime.geo import KM_PER_NM, anchorages, haversine_km, mid_table, ship_mid
from interdiction.maritime.tracks import Bbox
from interdiction.store.db import Store

SCOPE = """($since IS NULL OR ts >= $since) AND ($until IS NULL OR ts <= $until)"""

CHANGES_SQL = f"""
WITH s AS (
    SELECT static_id, mmsi, ts, name, callsign, imo, ship_type, simulated
    FROM ais_static WHERE quality IS NULL AND {SCOPE}
), f AS (
    SELECT static_id, mmsi, ts, simulated, 'name' AS field, name AS value
        FROM s WHERE name IS NOT NULL
    UNION ALL SELECT static_id, mmsi, ts, simulated, 'callsign', callsign
        FROM s WHERE callsign IS NOT NULL
    UNION ALL SELECT static_id, mmsi, ts, simulated, 'imo', CAST(imo AS VARCHAR)
        FROM s WHERE imo IS NOT NULL
    UNION ALL SELECT static_id, mmsi, ts, simulated, 'ship_type', CAST(ship_type AS VARCHAR)
        FROM s WHERE ship_type > 0
), l AS (
    SELECT *, lag(value) OVER w AS prev_value, lag(static_id) OVER w AS prev_id,
           lag(ts) OVER w AS prev_ts
    FROM f WINDOW w AS (PARTITION BY mmsi, field ORDER BY ts, static_id)
)
SELECT mmsi, field, prev_value, value, epoch(prev_ts), epoch(ts), prev_id, static_id, simulated
FROM l WHERE prev_value IS NOT NULL AND prev_value <> value
ORDER BY mmsi, ts
"""

SEVERITY = {"imo": "medium", "name": "low", "callsign": "low", "ship_type": "info"}


def _rows(store: Store, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    return store.con.execute(sql, params).fetchall()


def identity_events(
    store: Store,
    cfg: MaritimeConfig,
    since: datetime | None = None,
    until: datetime | None = None,
    bbox: Bbox | None = None,
) -> list[Event]:
    params = {"since": since, "until": until}
    out: list[Event] = []
    for mmsi, fld, old, new, t0, t1, id0, id1, sim in _rows(store, CHANGES_SQL, params):
        out.append(
            Event(
                type="ais_identity",
                mmsis=(int(mmsi),),
                start=float(t0),
                end=float(t1),
                lat=None,
                lon=None,
                severity=SEVERITY[fld],  # type: ignore[arg-type]
                title=f"MMSI {mmsi} changed {fld.replace('_', ' ')}: {old} -> {new}",
                summary=(
                    f"MMSI {mmsi} broadcast {fld.replace('_', ' ')} {old!r} (last at {iso(t0)}) "
                    f"and then {new!r} (at {iso(t1)}). Names and call signs change legitimately "
                    "on sale or reflagging; a change at sea, or back and forth, is a spoofing sign."
                ),
                params={"kind": fld, "old": old, "new": new},
                static=[(int(id0), "before"), (int(id1), "after")],
                simulated=bool(sim),
                key=f"{fld}:{old}->{new}",
            )
        )
    # IMO numbers whose check digit fails.
    for mmsi, imo, sid, t, sim, n in _rows(
        store,
        f"""SELECT mmsi, imo, min(static_id), epoch(min(ts)), bool_or(simulated), count(*)
        FROM ais_static WHERE quality IS NULL AND imo IS NOT NULL AND {SCOPE}
        GROUP BY mmsi, imo ORDER BY mmsi, imo""",
        params,
    ):
        if imo_checksum_ok(f"{int(imo):07d}") and int(imo) >= 1000000:
            continue
        out.append(
            Event(
                type="ais_identity",
                mmsis=(int(mmsi),),
                start=float(t),
                end=None,
                lat=None,
                lon=None,
                severity="medium",
                title=f"MMSI {mmsi} broadcasts invalid IMO {imo}",
                summary=(
                    f"MMSI {mmsi} broadcast IMO {imo} in {n} report(s) (first at {iso(t)}); its "
                    "check digit fails, so it is not a ship's IMO number: a made-up or mistyped "
                    "identity."
                ),
                params={"kind": "imo-invalid", "imo": int(imo), "reports": int(n)},
                static=[(int(sid), "report")],
                simulated=bool(sim),
                key=f"imo-invalid:{imo}",
            )
        )
    # MMSIs that are not a ship's, kept out of the track detectors.
    for mmsi, first, last, n, pid, sim in _rows(
        store,
        f"""SELECT mmsi, epoch(min(ts)), epoch(max(ts)), count(*), min(pos_id), bool_or(simulated)
        FROM ais_positions WHERE quality = 'mmsi-invalid' AND {SCOPE}
        GROUP BY mmsi ORDER BY mmsi""",
        params,
    ):
        out.append(
            Event(
                type="ais_identity",
                mmsis=(int(mmsi),),
                start=float(first),
                end=float(last),
                lat=None,
                lon=None,
                severity="low",
                title=f"Invalid or default MMSI {mmsi}",
                summary=(
                    f"{n} position report(s) from MMSI {mmsi}, which is not a valid ship MMSI "
                    "(not nine digits, or a default such as 123456789): the vessel behind it "
                    "cannot be identified from AIS, and several may share it. Its positions "
                    "are left out of the track detectors."
                ),
                params={"kind": "mmsi-invalid", "positions": int(n)},
                positions=[(int(pid), "first report")],
                simulated=bool(sim),
                key="mmsi-invalid",
            )
        )
    table = mid_table()
    for mmsi, pid, sim in _rows(
        store,
        f"""SELECT mmsi, min(pos_id), bool_or(simulated) FROM ais_positions
        WHERE quality IS NULL AND {SCOPE} GROUP BY mmsi ORDER BY mmsi""",
        params,
    ):
        mid = ship_mid(int(mmsi))
        if mid is None or mid in table:
            continue
        out.append(
            Event(
                type="ais_identity",
                mmsis=(int(mmsi),),
                start=None,
                end=None,
                lat=None,
                lon=None,
                severity="info",
                title=f"MMSI {mmsi}: country prefix {mid} not allocated",
                summary=(
                    f"MMSI {mmsi} starts with MID {mid}, which the ITU table shipped here does not "
                    "allocate to any country: a made-up MMSI, or a newer allocation."
                ),
                params={"kind": "mid-unallocated", "mid": mid},
                positions=[(int(pid), "first report")],
                simulated=bool(sim),
                key="mid-unallocated",
            )
        )
    out.extend(_mid_flag(store, params))
    return out


def _mid_flag(store: Store, params: dict[str, Any]) -> list[Event]:
    """The MID's country against the flag of the listed vessel with the broadcast IMO."""
    if not store.has_table("statements"):
        return []
    rows = _rows(
        store,
        f"""WITH s AS (
            SELECT mmsi, imo, min(static_id) AS sid, bool_or(simulated) AS sim
            FROM ais_static WHERE quality IS NULL AND imo IS NOT NULL AND {SCOPE}
            GROUP BY mmsi, imo)
        SELECT s.mmsi, s.imo, s.sid, s.sim, st.canonical_id, list_distinct(list(f.value))
        FROM s
        JOIN statements st ON st.prop = 'imoNumber' AND st.retired IS NULL
            AND st.value = 'IMO' || lpad(CAST(s.imo AS VARCHAR), 7, '0')
        JOIN statements f ON f.canonical_id = st.canonical_id AND f.prop = 'flag'
            AND f.retired IS NULL
        GROUP BY ALL""",
        params,
    )
    table = mid_table()
    out = []
    for mmsi, imo, sid, sim, entity, flags in rows:
        mid = ship_mid(int(mmsi))
        if mid is None or mid not in table:
            continue
        name = table[mid]
        country = registry.country.clean(name) or registry.country.clean(name.split(" (")[0])
        if country is None or country in flags:
            continue
        out.append(
            Event(
                type="ais_identity",
                mmsis=(int(mmsi),),
                start=None,
                end=None,
                lat=None,
                lon=None,
                severity="info",
                title=(
                    f"MMSI {mmsi} (MID {mid}, {name}) broadcasts IMO {imo}, listed with flag "
                    + ", ".join(flags)
                ),
                summary=(
                    f"The MMSI's country prefix says {name}; the listed vessel {entity} with IMO "
                    f"{imo} is recorded under flag {', '.join(flags)}. Weak evidence only: "
                    "vessels are reflagged often and lists lag."
                ),
                params={
                    "kind": "mid-flag",
                    "mid": mid,
                    "mid_country": country,
                    "flags": flags,
                    "entity": entity,
                },
                static=[(int(sid), "report")],
                simulated=bool(sim),
                key=f"mid-flag:{imo}",
            )
        )
    return out


def resumed_identities(
    ends: dict[str, np.ndarray], starts: dict[str, np.ndarray], cfg: MaritimeConfig, store: Store
) -> list[Event]:
    """A new MMSI first seen near where and soon after another was last seen, at sea.

    ``ends`` and ``starts`` hold each vessel's last and first usable fix (mmsi, t, lat, lon,
    pos_id, simulated) over the whole scope. The end must be more than
    ``encounter_min_anchorage_km`` from an anchorage (arrivals and departures in port are
    ordinary), and neither fix at the edge of the data (6 h margin).
    """
    if not len(ends["mmsi"]) or not len(starts["mmsi"]):
        return []
    t_lo = float(starts["t"].min()) + 6 * 3600
    t_hi = float(ends["t"].max()) - 6 * 3600
    e_keep = ends["t"] < t_hi
    s_keep = starts["t"] > t_lo
    d, _ = anchorages().nearest(ends["lat"], ends["lon"], cfg.encounter_min_anchorage_km)
    e_keep &= ~np.isfinite(d) & (ends["positions"] >= cfg.resume_min_positions)
    s_keep &= starts["positions"] >= cfg.resume_min_positions
    e = {k: v[e_keep] for k, v in ends.items()}
    s = {k: v[s_keep] for k, v in starts.items()}
    if not len(e["mmsi"]) or not len(s["mmsi"]):
        return []
    store.con.register("track_ends", pa.table(e))
    store.con.register("track_starts", pa.table(s))
    dlat = cfg.resume_max_distance_nm * KM_PER_NM / 110.574
    try:
        rows = store.con.execute(
            """SELECT e.mmsi, e.t, e.lat, e.lon, e.pos_id, s.mmsi, s.t, s.lat, s.lon, s.pos_id,
                      e.simulated OR s.simulated
            FROM track_starts s JOIN track_ends e
              ON e.t < s.t AND e.t >= s.t - $max_s AND e.mmsi <> s.mmsi
             AND abs(e.lat - s.lat) <= $dlat""",
            {"max_s": cfg.resume_max_hours * 3600.0, "dlat": dlat},
        ).fetchall()
    finally:
        store.con.unregister("track_ends")
        store.con.unregister("track_starts")
    best: dict[int, tuple[float, tuple[Any, ...]]] = {}
    for row in rows:
        km = float(haversine_km(row[2], row[3], row[7], row[8]))
        hours = (row[6] - row[1]) / 3600.0
        if km > cfg.resume_max_distance_nm * KM_PER_NM:
            continue
        if km / KM_PER_NM > cfg.max_speed_kn * max(hours, 1 / 60):
            continue
        if row[5] not in best or km < best[row[5]][0]:
            best[row[5]] = (km, row)
    # One new identity per old one too: the nearest.
    by_old: dict[int, tuple[float, tuple[Any, ...]]] = {}
    for km, row in best.values():
        if row[0] not in by_old or km < by_old[row[0]][0]:
            by_old[row[0]] = (km, row)
    out = []
    for km, row in by_old.values():
        m_old, t0, _, _, p0, m_new, t1, lat1, lon1, p1, sim = row
        hours = (t1 - t0) / 3600.0
        out.append(
            Event(
                type="ais_identity",
                mmsis=(int(m_old), int(m_new)),
                start=float(t0),
                end=float(t1),
                lat=float(lat1),
                lon=float(lon1),
                severity="medium",
                title=f"MMSI {m_new} appeared where MMSI {m_old} went silent",
                summary=(
                    f"MMSI {m_old} was last received at {iso(t0)}, at sea; {hours:.1f} h later and "
                    f"{km:.1f} km away MMSI {m_new} was received for the first time. One ship "
                    "resuming its voyage under a new identity fits; so do two ships passing."
                ),
                params={
                    "kind": "identity-resumed",
                    "hours": round(hours, 2),
                    "distance_km": round(km, 2),
                },
                positions=[
                    (int(p0), "old identity last seen"),
                    (int(p1), "new identity first seen"),
                ],
                simulated=bool(sim),
                key="identity-resumed",
            )
        )
    return out
