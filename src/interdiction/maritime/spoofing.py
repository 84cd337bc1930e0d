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
import numpy.typing as npt

from interdiction.config import MaritimeConfig
from interdiction.maritime.events import Event, iso
from interdiction.maritime.geo import KM_PER_DEG_LON, KM_PER_NM, haversine_km
from interdiction.maritime.tracks import (
    Tracks,
    fast_km,
    sparse_runs,
    threshold,
    threshold_range,
    vessel_breaks,
)

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


def impossible_steps(tr: Tracks, cfg: MaritimeConfig) -> tuple[I64, F64, F64]:
    """Steps i -> i+1 of one vessel too long for the time between them: indices, km, s.

    Exact distances are computed only for the steps a cheap upper bound cannot clear: most
    steps of a track are far shorter than ``min_jump_nm``. The bound is the equirectangular
    distance with the largest km per degree of latitude and the largest cosine of the
    positions' latitudes, squared (no root); steps beyond 45 km (where the great circle
    replaces it) are always checked.
    """
    n = len(tr)
    if n < 2:
        z = np.zeros(0)
        return np.zeros(0, np.int64), z, z
    lat, lon = tr.lat, tr.lon
    south, north = float(lat.min()), float(lat.max())
    polar = 0.0 if south <= 0.0 <= north else min(abs(south), abs(north))
    cos_max = float(np.cos(np.radians(polar)))
    d2 = np.subtract(lat[1:], lat[:-1])
    np.multiply(d2, d2, out=d2)
    dlon = np.subtract(lon[1:], lon[:-1])
    np.abs(dlon, out=dlon)
    wrap = np.flatnonzero(dlon > 180.0)
    dlon[wrap] = 360.0 - dlon[wrap]
    np.multiply(dlon, dlon, out=dlon)
    dlon *= cos_max * cos_max
    d2 += dlon
    d2 *= KM_PER_DEG_LON * KM_PER_DEG_LON * (1.0 + 1e-9)  # km squared, never under
    del dlon
    min_km = cfg.min_jump_nm * KM_PER_NM
    low_kn, _ = threshold_range(cfg, "max_speed_kn")  # the smallest limit anywhere
    cand = np.flatnonzero(d2 > min(min_km, 45.0) ** 2)
    dt = tr.dt()[cand]
    reach_low = low_kn * KM_PER_NM * np.maximum(dt, 1.0) / 3600.0
    keep = (d2[cand] > np.maximum(reach_low, min_km) ** 2) | (d2[cand] > 45.0**2)
    keep &= tr.same_vessel_next()[cand]
    cand, dt = cand[keep], dt[keep]
    a, b = lat[cand], lon[cand]
    d_km = fast_km(a, b, lat[cand + 1], lon[cand + 1])
    max_kn = threshold(cfg, "max_speed_kn", a, b)
    reach = max_kn * KM_PER_NM * np.maximum(dt, 1.0) / 3600.0
    hit = d_km > np.maximum(reach, min_km)
    return cand[hit], d_km[hit], dt[hit]


def spoofing(tr: Tracks, cfg: MaritimeConfig) -> list[Event]:
    n = len(tr)
    if n < 2:
        return []
    jumps, jump_km, jump_dt = impossible_steps(tr, cfg)
    out: list[Event] = []
    shared: set[int] = set()
    if n >= 3 and len(jumps) > 1:
        # A -> B impossible, B -> A' impossible, A -> A' possible: an alternation at B.
        cand = jumps[:-1][np.diff(jumps) == 1]
        skip_km = haversine_km(tr.lat[cand], tr.lon[cand], tr.lat[cand + 2], tr.lon[cand + 2])
        skip_dt = tr.t[cand + 2] - tr.t[cand]
        same2 = tr.mmsi[cand + 2] == tr.mmsi[cand]
        max_kn = threshold(cfg, "max_speed_kn", tr.lat[cand], tr.lon[cand])
        reach = max_kn * KM_PER_NM * np.maximum(skip_dt, 1.0) / 3600.0
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
    for k, i in enumerate(jumps.tolist()):
        mmsi = int(tr.mmsi[i])
        if mmsi in shared:
            continue
        km, seconds = float(jump_km[k]), float(jump_dt[k])
        speed = km / KM_PER_NM / max(seconds, 1.0) * 3600.0
        out.append(
            Event(
                type="ais_spoofing",
                mmsis=(mmsi,),
                start=float(tr.t[i]),
                end=float(tr.t[i + 1]),
                lat=float(tr.lat[i + 1]),
                lon=float(tr.lon[i + 1]),
                severity="low",
                title=f"Impossible jump of {km:.0f} km, MMSI {mmsi}",
                summary=(
                    f"MMSI {mmsi} moved {km:.1f} km in {seconds:.0f} s ({speed:.0f} kn implied) "
                    f"at {iso(tr.t[i + 1])}: a receiver error, a spoofed position or another "
                    "transmitter using this MMSI."
                ),
                params={
                    "kind": "implied-speed",
                    "distance_km": round(km, 3),
                    "seconds": seconds,
                    "implied_speed_kn": round(float(speed), 1),
                },
                positions=[(int(tr.pos_id[i]), "before"), (int(tr.pos_id[i + 1]), "after")],
                simulated=bool(tr.simulated[i + 1]),
                key="implied-speed",
            )
        )
    # GSHHG level 1 counts lakes and rivers as land, and vessels sail them for days: only a
    # short excursion inland from the sea and back (a blip) is a sign of a false position.
    shore = tr.shore_km()
    brk = vessel_breaks(tr)
    s, e = sparse_runs(np.flatnonzero(shore <= -cfg.land_min_inland_km), brk)
    last_of_vessel = np.append(brk[1:], True)
    bracketed = (s > 0) & (e < n - 1) & ~brk[s] & ~last_of_vessel[e]
    bracketed &= (shore[np.maximum(s - 1, 0)] >= 0) & (shore[np.minimum(e + 1, n - 1)] >= 0)
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
