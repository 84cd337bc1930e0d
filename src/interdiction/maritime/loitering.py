"""Loitering, after Global Fishing Watch: slower than 2 kn for 4 h or more, 20 nm from shore.

A proxy for meeting a vessel that is not broadcasting. Speed is the reported SOG, or the
implied speed where a report has none. A run is cut where the vessel went unseen longer than
``loitering_max_gap_hours``. Areas may override the thresholds (``maritime.areas``).
"""

from __future__ import annotations

import numpy as np

from interdiction.config import MaritimeConfig
from interdiction.maritime.events import Event, iso
from interdiction.maritime.geo import KM_PER_NM
from interdiction.maritime.tracks import (
    Tracks,
    group_reduce,
    sparse_runs,
    threshold,
    vessel_breaks,
)


def loitering(tr: Tracks, cfg: MaritimeConfig) -> list[Event]:
    if not len(tr):
        return []
    speed = tr.speed_kn()
    max_speed = threshold(cfg, "loitering_max_speed_kn", tr.lat, tr.lon)
    shore_nm = threshold(cfg, "loitering_min_shore_nm", tr.lat, tr.lon)
    shore = tr.shore_km()
    flag = (speed < max_speed) & (shore >= shore_nm * KM_PER_NM)
    brk = vessel_breaks(tr, cfg.loitering_max_gap_hours * 3600.0)
    s, e = sparse_runs(np.flatnonzero(flag), brk)
    hours = (tr.t[e] - tr.t[s]) / 3600.0
    min_hours = threshold(cfg, "loitering_min_hours", tr.lat[s], tr.lon[s])
    keep = hours >= min_hours
    s, e, hours = s[keep], e[keep], hours[keep]
    lat = group_reduce(tr.lat, s, e, "mean")
    lon = group_reduce(tr.lon, s, e, "mean")
    mean_speed = group_reduce(speed, s, e, "mean", nan_as=0.0)
    out = []
    for k in range(len(s)):
        a, b = int(s[k]), int(e[k])
        mmsi = int(tr.mmsi[a])
        dist = float(np.min(shore[a : b + 1]))
        out.append(
            Event(
                type="ais_loitering",
                mmsis=(mmsi,),
                start=float(tr.t[a]),
                end=float(tr.t[b]),
                lat=float(lat[k]),
                lon=float(lon[k]),
                severity="low",
                title=f"Loitering {hours[k]:.1f} h, MMSI {mmsi}",
                summary=(
                    f"MMSI {mmsi} moved at {mean_speed[k]:.1f} kn on average for {hours[k]:.1f} h "
                    f"from {iso(tr.t[a])} to {iso(tr.t[b])}, at least {dist / KM_PER_NM:.0f} nm "
                    "from shore: consistent with waiting for or meeting another vessel."
                ),
                params={
                    "hours": round(float(hours[k]), 3),
                    "mean_speed_kn": round(float(mean_speed[k]), 2),
                    "min_shore_distance_km": dist,
                    "positions": b - a + 1,
                },
                positions=[(int(tr.pos_id[a]), "start"), (int(tr.pos_id[b]), "end")],
                simulated=bool(tr.simulated[a]),
            )
        )
    return out
