"""Port visits, after Global Fishing Watch's definition, with its confidence 1-4.

A vessel enters a port within ``port_entry_km`` (3 km) of an anchorage point and leaves
beyond ``port_exit_km`` (4 km); in between it keeps its state (hysteresis). Within a visit a
stop begins below ``port_stop_kn`` (0.2 kn), and a silence over ``port_gap_hours`` (4 h)
counts as a gap. Confidence (GFW): 1 = entry or exit only; 2 = stop or gap only; 3 = one of
entry/exit plus a stop or gap; 4 = entry and exit plus a stop or gap. "AIS off, seen in port,
off again" is the confidence-2 pattern. Visits to our own geofences (DPRK ports, Dunai,
Vostochny) are marked approximate.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from interdiction.config import MaritimeConfig
from interdiction.maritime.events import Event, iso
from interdiction.maritime.geo import anchorages, ports
from interdiction.maritime.tracks import Tracks, group_reduce, sparse_runs, vessel_breaks

F64 = npt.NDArray[np.float64]


def in_port_state(
    tr: Tracks, cfg: MaritimeConfig
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], F64, npt.NDArray[np.int64]]:
    """The positions within ``port_exit_km`` of an anchorage (indices, in order), whether
    each is in port (with hysteresis), and its nearest anchorage (distance, index).

    Every other position is out of port. Between the entry and exit distances a position
    keeps the state of the one before it, which is "out" at a vessel's first position or
    after a position beyond the exit distance: so the state runs only along consecutive
    near positions, never over the whole track.
    """
    idx, d, which = anchorages().nearest_sparse(tr.lat, tr.lon, cfg.port_exit_km)
    code = np.where(d <= cfg.port_entry_km, 1, np.where(d > cfg.port_exit_km, 0, -1))
    brk = tr.breaks()
    start = np.ones(len(idx), dtype=bool)
    start[1:] = (idx[1:] != idx[:-1] + 1) | brk[idx[1:]]
    start[:1] = True
    code = np.where(start & (code == -1), 0, code)
    known = np.where(code >= 0, np.arange(len(code)), 0)
    np.maximum.accumulate(known, out=known)
    return idx, code[known] == 1, d, which


def port_visits(tr: Tracks, cfg: MaritimeConfig) -> tuple[list[Event], dict[int, int]]:
    """Visit events (confidence >= port_min_confidence) and counts of visits per confidence."""
    if not len(tr):
        return [], {}
    near, state, d, which = in_port_state(tr, cfg)
    brk = vessel_breaks(tr)
    s, e = sparse_runs(near[state], brk)
    if not len(s):
        return [], {}
    first_of_vessel = brk[s]
    last_of_vessel = np.append(brk[1:], True)[e]
    entry = ~first_of_vessel
    exit_ = ~last_of_vessel
    speed = tr.speed_kn()
    min_speed = group_reduce(speed, s, e, "min")
    stop = min_speed < cfg.port_stop_kn
    # The longest silence inside each visit: steps s..e-1 (one vessel), none for one position.
    max_gap = np.zeros(len(s))
    several = np.flatnonzero(e > s)
    if len(several):
        max_gap[several] = group_reduce(tr.dt(), s[several], e[several] - 1, "max")
    gap = max_gap > cfg.port_gap_hours * 3600.0
    sg = stop | gap
    ends = entry.astype(int) + exit_.astype(int)
    confidence = np.where(sg, np.where(ends == 2, 4, np.where(ends == 1, 3, 2)), 1)
    counts = {int(c): int((confidence == c).sum()) for c in (1, 2, 3, 4)}
    anch = anchorages()
    table = ports()
    out: list[Event] = []
    for k in np.flatnonzero(confidence >= cfg.port_min_confidence).tolist():
        a, b = int(s[k]), int(e[k])
        seg = slice(a, b + 1)
        at = int(np.searchsorted(near, a))  # the visit's positions are near ones, in a row
        nearest = int(which[at + int(np.argmin(d[at : at + b - a + 1]))])
        label = str(anch.label[nearest])
        key = str(anch.port_key[nearest])
        approximate = bool(anch.approximate[nearest])
        port = table.get(key)
        country = port.country if port else ""
        mmsi = int(tr.mmsi[a])
        severity = "high" if country == "KP" else "low" if key else "info"
        evidence = [(int(tr.pos_id[a]), "start"), (int(tr.pos_id[b]), "end")]
        if entry[k]:
            evidence.append((int(tr.pos_id[a - 1]), "before entry"))
        if exit_[k]:
            evidence.append((int(tr.pos_id[b + 1]), "after exit"))
        out.append(
            Event(
                type="ais_port_visit",
                mmsis=(mmsi,),
                start=float(tr.t[a]),
                end=float(tr.t[b]),
                lat=float(np.mean(tr.lat[seg])),
                lon=float(np.mean(tr.lon[seg])),
                severity=severity,  # type: ignore[arg-type]
                title=(
                    f"Port visit at {label.title()}"
                    + (" (approximate geofence)" if approximate else "")
                    + f", MMSI {mmsi}"
                ),
                summary=(
                    f"MMSI {mmsi} in port at {label.title()} from {iso(tr.t[a])} to {iso(tr.t[b])}"
                    f" (confidence {int(confidence[k])}: entry {'yes' if entry[k] else 'no'}, exit "
                    f"{'yes' if exit_[k] else 'no'}, stop {'yes' if stop[k] else 'no'}, gap over "
                    f"{cfg.port_gap_hours:g} h {'yes' if gap[k] else 'no'})"
                    + (". The port's geofence is our own approximation." if approximate else ".")
                ),
                params={
                    "anchorage": label,
                    "port": key or None,
                    "port_country": country or None,
                    "confidence": int(confidence[k]),
                    "entry": bool(entry[k]),
                    "exit": bool(exit_[k]),
                    "stop": bool(stop[k]),
                    "gap": bool(gap[k]),
                    "longest_gap_hours": round(float(max_gap[k]) / 3600.0, 2),
                    "positions": b - a + 1,
                    "approximate": approximate,
                },
                positions=evidence,
                simulated=bool(tr.simulated[a]),
                place=label.title(),
            )
        )
    return out, counts
