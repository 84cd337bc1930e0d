"""Spoofing signs in tracks: impossible jumps, one MMSI in two places at once, tracks on land.

- ``implied-speed``: consecutive fixes of one MMSI further apart than ``min_jump_nm`` and
  implying more than ``max_speed_kn``;
- ``shared-mmsi``: the track alternates between two places that no ship could link
  (A -> B impossible, B -> A' impossible, A -> A' possible) at least
  ``shared_mmsi_min_alternations`` times: two transmitters on one MMSI (a cloned or default
  identity), or a spoofed position interleaved with the true one;
- ``on-land``: fixes more than ``land_min_inland_km`` inland on the shipped coastline grid.
Single jumps are frequent receiver noise (the MarineCadastre sample has 91 over 50 kn): they
are low severity; patterns are medium.
"""

from __future__ import annotations

import numpy as np

from interdiction.config import MaritimeConfig
from interdiction.maritime.events import Event, iso
from interdiction.maritime.geo import KM_PER_NM, haversine_km, shore_distance_km
from interdiction.maritime.tracks import Tracks, runs, threshold, vessel_breaks


def spoofing(tr: Tracks, cfg: MaritimeConfig) -> list[Event]:
    n = len(tr)
    if n < 2:
        return []
    d_km, dt = tr.steps()
    max_kn = threshold(cfg, "max_speed_kn", tr.lat[:-1], tr.lon[:-1])
    reach_km = max_kn * KM_PER_NM * np.maximum(np.nan_to_num(dt), 1.0) / 3600.0
    impossible = (d_km > np.maximum(reach_km, cfg.min_jump_nm * KM_PER_NM)) & np.isfinite(d_km)
    out: list[Event] = []
    shared: set[int] = set()
    if n >= 3:
        # A -> B impossible, B -> A' impossible, A -> A' possible: an alternation at B.
        cand = np.flatnonzero(impossible[:-1] & impossible[1:])
        skip_km = haversine_km(tr.lat[cand], tr.lon[cand], tr.lat[cand + 2], tr.lon[cand + 2])
        skip_dt = tr.t[cand + 2] - tr.t[cand]
        same2 = tr.mmsi[cand + 2] == tr.mmsi[cand]
        reach = max_kn[cand] * KM_PER_NM * np.maximum(skip_dt, 1.0) / 3600.0
        skip_ok = skip_km <= np.maximum(reach, cfg.min_jump_nm * KM_PER_NM)
        at = cand[same2 & skip_ok] + 1
        if len(at):
            vessels, counts = np.unique(tr.mmsi[at], return_counts=True)
            for mmsi, c in zip(vessels.tolist(), counts.tolist(), strict=True):
                if c < cfg.shared_mmsi_min_alternations:
                    continue
                shared.add(mmsi)
                idx = at[tr.mmsi[at] == mmsi]
                a, b = int(idx[0]), int(idx[-1])
                out.append(
                    Event(
                        type="ais_spoofing",
                        mmsis=(mmsi,),
                        start=float(tr.t[a - 1]),
                        end=float(tr.t[b + 1]),
                        lat=float(tr.lat[a]),
                        lon=float(tr.lon[a]),
                        severity="medium",
                        title=f"MMSI {mmsi} in two places at once ({c} alternations)",
                        summary=(
                            f"Between {iso(tr.t[a - 1])} and {iso(tr.t[b + 1])} the reports of "
                            f"MMSI "
                            f"{mmsi} alternate {c} times between places no ship could link: two "
                            "transmitters share this MMSI, or a false position is interleaved "
                            "with the true one."
                        ),
                        params={"kind": "shared-mmsi", "alternations": c},
                        positions=[
                            (int(tr.pos_id[a - 1]), "place A"),
                            (int(tr.pos_id[a]), "place B"),
                            (int(tr.pos_id[a + 1]), "place A again"),
                        ],
                        simulated=bool(tr.simulated[a]),
                        key="shared-mmsi",
                    )
                )
    for i in np.flatnonzero(impossible).tolist():
        mmsi = int(tr.mmsi[i])
        if mmsi in shared:
            continue
        speed = d_km[i] / KM_PER_NM / max(dt[i], 1.0) * 3600.0
        out.append(
            Event(
                type="ais_spoofing",
                mmsis=(mmsi,),
                start=float(tr.t[i]),
                end=float(tr.t[i + 1]),
                lat=float(tr.lat[i + 1]),
                lon=float(tr.lon[i + 1]),
                severity="low",
                title=f"Impossible jump of {d_km[i]:.0f} km, MMSI {mmsi}",
                summary=(
                    f"MMSI {mmsi} moved {d_km[i]:.1f} km in {dt[i]:.0f} s ({speed:.0f} kn implied) "
                    f"at {iso(tr.t[i + 1])}: a receiver error, a spoofed position or another "
                    "transmitter using this MMSI."
                ),
                params={
                    "kind": "implied-speed",
                    "distance_km": round(float(d_km[i]), 3),
                    "seconds": float(dt[i]),
                    "implied_speed_kn": round(float(speed), 1),
                },
                positions=[(int(tr.pos_id[i]), "before"), (int(tr.pos_id[i + 1]), "after")],
                simulated=bool(tr.simulated[i + 1]),
                key="implied-speed",
            )
        )
    # GSHHG level 1 counts lakes and rivers as land, and vessels sail them for days: only a
    # short excursion inland from the sea and back (a blip) is a sign of a false position.
    shore = shore_distance_km(tr.lat, tr.lon)
    inland = shore <= -cfg.land_min_inland_km
    brk = vessel_breaks(tr)
    s, e = runs(inland, brk)
    at_sea = shore >= 0
    bracketed = (s > 0) & (e < n - 1)
    bracketed &= ~brk[s] & ~np.append(brk[1:], True)[e]
    bracketed &= at_sea[np.maximum(s - 1, 0)] & at_sea[np.minimum(e + 1, n - 1)]
    bracketed &= (tr.t[e] - tr.t[s]) <= 6 * 3600
    s, e = s[bracketed], e[bracketed]
    for a, b in zip(s.tolist(), e.tolist(), strict=True):
        mmsi = int(tr.mmsi[a])
        out.append(
            Event(
                type="ais_spoofing",
                mmsis=(mmsi,),
                start=float(tr.t[a]),
                end=float(tr.t[b]),
                lat=float(tr.lat[a]),
                lon=float(tr.lon[a]),
                severity="medium",
                title=f"Track on land, MMSI {mmsi}",
                summary=(
                    f"{b - a + 1} position(s) of MMSI {mmsi} from {iso(tr.t[a])} lie more than "
                    f"{cfg.land_min_inland_km:g} km inland (GSHHG coastline), between positions at "
                    "sea: a false position."
                ),
                params={"kind": "on-land", "positions": b - a + 1},
                positions=[(int(tr.pos_id[a]), "first"), (int(tr.pos_id[b]), "last")],
                simulated=bool(tr.simulated[a]),
                key="on-land",
            )
        )
    return out
