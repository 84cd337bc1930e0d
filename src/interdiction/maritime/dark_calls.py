"""Possible dark port calls: a gap during which a call at a port of interest was feasible.

For every AIS gap and every port of interest (``dark_call_ports``: Rajin, Chongjin, Nampho,
Dunai, Vostochny by default), the vessel could have reached the port from where it went dark,
stayed ``dark_call_min_port_hours``, and sailed to where it reappeared, at its own speed (95th
percentile of its reported SOG, bounded by ``dark_call_max_speed_kn``; the default speed
when it reported none). Distances are great-circle, so the test never rules out a call that
was possible (the sea route is longer): a feasible call is a lead to check against imagery,
never a finding that the vessel called. The event gives the feasible window in port:
earliest arrival and latest departure.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from interdiction.config import MaritimeConfig
from interdiction.maritime.events import Event, iso
from interdiction.maritime.gaps import Gaps
from interdiction.maritime.geo import KM_PER_NM, haversine_km, ports
from interdiction.maritime.tracks import Tracks


def vessel_speeds(
    tr: Tracks, cfg: MaritimeConfig, mmsis: npt.NDArray[np.int64] | None = None
) -> dict[int, float]:
    """Each vessel's 95th percentile reported speed (kn) over 1 kn, bounded; only for the
    vessels in ``mmsis`` when given (those with gaps), one selection per vessel."""
    first, last = tr.vessel_bounds()
    if mmsis is not None:
        at = np.unique(np.searchsorted(tr.mmsi[first], mmsis))
        first, last = first[at], last[at]
    out: dict[int, float] = {}
    for a, b in zip(first.tolist(), last.tolist(), strict=True):
        s = tr.sog[a : b + 1]
        s = s[np.isfinite(s) & (s > 1.0) & (s < cfg.max_speed_kn)]
        if not len(s):
            continue
        k = int(np.int64(0.95 * (len(s) - 1)))
        p95 = float(np.partition(s, k)[k])
        out[int(tr.mmsi[a])] = min(p95, cfg.dark_call_max_speed_kn)
    return out


def dark_calls(tr: Tracks, gaps: Gaps, cfg: MaritimeConfig) -> list[Event]:
    if not len(gaps.i):
        return []
    table = ports()
    targets = [table[k] for k in cfg.dark_call_ports if k in table]
    speeds = vessel_speeds(tr, cfg, tr.mmsi[gaps.i])
    i = gaps.i
    j = i + 1
    v = np.array([speeds.get(int(m), cfg.dark_call_default_speed_kn) for m in tr.mmsi[i]])
    v_kmh = np.maximum(v, 1.0) * KM_PER_NM
    out: list[Event] = []
    for port in targets:
        radius = cfg.dark_call_port_radius_km + port.geofence_km
        d1 = haversine_km(tr.lat[i], tr.lon[i], port.lat, port.lon)
        d2 = haversine_km(port.lat, port.lon, tr.lat[j], tr.lon[j])
        to_port = np.maximum(d1 - radius, 0.0) / v_kmh
        from_port = np.maximum(d2 - radius, 0.0) / v_kmh
        slack = gaps.hours - to_port - from_port
        outside = (d1 > radius) | (d2 > radius)
        feasible = np.flatnonzero(outside & (slack >= cfg.dark_call_min_port_hours))
        for k in feasible.tolist():
            a, b = int(i[k]), int(j[k])
            mmsi = int(tr.mmsi[a])
            arrive = float(tr.t[a] + to_port[k] * 3600.0)
            leave = float(tr.t[b] - from_port[k] * 3600.0)
            severity = "high" if port.country == "KP" else "medium"
            approx = " (port position approximate)" if port.approximate else ""
            out.append(
                Event(
                    type="ais_dark_port_call",
                    mmsis=(mmsi,),
                    start=float(tr.t[a]),
                    end=float(tr.t[b]),
                    lat=port.lat,
                    lon=port.lon,
                    severity=severity,  # type: ignore[arg-type]
                    title=f"Possible dark call at {port.name}, MMSI {mmsi}",
                    summary=(
                        f"MMSI {mmsi} went dark {d1[k]:.0f} km from {port.name} at {iso(tr.t[a])} "
                        f"and reappeared {d2[k]:.0f} km from it at {iso(tr.t[b])}. At "
                        f"{v[k]:.1f} kn it could have been in port from {iso(arrive)} to "
                        f"{iso(leave)} ({slack[k]:.1f} h){approx}. Feasible, not observed: "
                        "check imagery or other sources for that window."
                    ),
                    params={
                        "port": port.key,
                        "port_name": port.name,
                        "port_country": port.country,
                        "approximate": port.approximate,
                        "gap_hours": round(float(gaps.hours[k]), 3),
                        "distance_to_port_km": round(float(d1[k]), 2),
                        "distance_from_port_km": round(float(d2[k]), 2),
                        "speed_kn": round(float(v[k]), 2),
                        "speed_source": "vessel p95 SOG"
                        if int(tr.mmsi[a]) in speeds
                        else "default",
                        "window_start": iso(arrive),
                        "window_end": iso(leave),
                        "window_hours": round(float(slack[k]), 2),
                    },
                    positions=[(int(tr.pos_id[a]), "start"), (int(tr.pos_id[b]), "end")],
                    simulated=bool(tr.simulated[a] or tr.simulated[b]),
                    key=port.key,
                    place=port.name,
                )
            )
    return out
