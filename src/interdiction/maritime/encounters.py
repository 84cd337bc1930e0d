"""Encounters (possible ship-to-ship transfers), after Global Fishing Watch.

Two vessels within ``encounter_max_distance_m`` (500 m) of each other for at least
``encounter_min_hours`` (2 h), with median speeds under ``encounter_max_median_speed_kn``
(2 kn), at least ``encounter_min_anchorage_km`` (10 km) from an anchorage unless an area says
otherwise (STS off Nakhodka happens at anchor). As GFW does, tracks are resampled to a
``encounter_resample_minutes`` (10 min) grid by linear interpolation, never across a silence
over ``encounter_max_interpolation_hours`` (1 h).

Pairs are found per time slot with a spatial hash: slot points are bucketed in cells of the
distance threshold on the unit sphere (3-D), and each point is compared with the points of
its own and the 26 neighbouring cells, as columns. Time slots are processed in blocks, so the
memory held is that of one block's points and pairs.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from interdiction.config import MaritimeConfig
from interdiction.maritime.events import Event, iso
from interdiction.maritime.geo import EARTH_KM, KM_PER_NM, anchorages, haversine_km
from interdiction.maritime.tracks import Tracks, threshold

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


@dataclass
class Resampled:
    vessel: I64  # index into the vessel list
    slot: I64
    lat: F64
    lon: F64
    speed: F64  # knots, implied over the bracketing fixes
    before: I64  # index of the fix before (for evidence)


def resample(tr: Tracks, cfg: MaritimeConfig) -> tuple[Resampled, I64]:
    """Tracks on the slot grid; returns the points and the MMSI of each vessel index."""
    step = cfg.encounter_resample_minutes * 60.0
    if len(tr) < 2:
        z = np.zeros(0, np.int64)
        return Resampled(z, z, np.zeros(0), np.zeros(0), np.zeros(0), z), np.unique(tr.mmsi)
    mmsis, vessel_of = np.unique(tr.mmsi, return_inverse=True)
    same = tr.same_vessel_next()
    dt = tr.t[1:] - tr.t[:-1]
    usable = same & (dt <= cfg.encounter_max_interpolation_hours * 3600.0) & (dt > 0)
    i = np.flatnonzero(usable)
    k0 = np.ceil(tr.t[i] / step).astype(np.int64)
    k1 = np.ceil(tr.t[i + 1] / step).astype(np.int64)  # slots in [t_i, t_i+1)
    count = np.maximum(k1 - k0, 0)
    total = int(count.sum())
    rep = np.repeat(np.arange(len(i)), count)
    slot = np.repeat(k0, count) + (np.arange(total) - np.repeat(np.cumsum(count) - count, count))
    a = i[rep]
    b = a + 1
    w = (slot * step - tr.t[a]) / (tr.t[b] - tr.t[a])
    dlon = (tr.lon[b] - tr.lon[a] + 180.0) % 360.0 - 180.0
    lat = tr.lat[a] + w * (tr.lat[b] - tr.lat[a])
    lon = (tr.lon[a] + w * dlon + 180.0) % 360.0 - 180.0
    pair_km = haversine_km(tr.lat[i], tr.lon[i], tr.lat[i + 1], tr.lon[i + 1])
    pair_kn = pair_km / KM_PER_NM / (dt[i] / 3600.0)
    speed = pair_kn[rep]
    # A vessel's last fix, if it falls exactly on a slot, is not in any [t_i, t_i+1): fine.
    return Resampled(vessel_of[a], slot, lat, lon, speed, a), mmsis


def _unit(lat: F64, lon: F64) -> tuple[F64, F64, F64]:
    phi, lam = np.radians(lat), np.radians(lon)
    c = np.cos(phi)
    return c * np.cos(lam), c * np.sin(lam), np.sin(phi)


def close_pairs(pts: Resampled, max_m: float) -> tuple[I64, I64]:
    """Indices (p, q), p < q by vessel, of points in the same slot within ``max_m``."""
    if len(pts.slot) < 2:
        none = np.zeros(0, np.int64)
        return none, none
    cell = max_m / 1000.0 / EARTH_KM  # threshold as a chord on the unit sphere
    x, y, z = _unit(pts.lat, pts.lon)
    cx = np.floor(x / cell).astype(np.int64)
    cy = np.floor(y / cell).astype(np.int64)
    cz = np.floor(z / cell).astype(np.int64)
    span = int(2.0 / cell) + 3
    base = np.int64(span)

    rel = pts.slot - pts.slot.min()  # a block spans a few thousand slots: no overflow

    def key(dx: int, dy: int, dz: int) -> I64:
        cell_key = ((rel * base + (cx + dx + span // 2)) * base + (cy + dy + span // 2)) * base
        return np.asarray(cell_key + (cz + dz + span // 2), dtype=np.int64)

    own = key(0, 0, 0)
    order = np.argsort(own, kind="stable")
    cells, first = np.unique(own[order], return_index=True)
    size = np.diff(np.append(first, len(order)))
    ps, qs = [], []
    # Each pair of neighbouring cells is visited once: the cell itself (pairs within it, in
    # index order) and the 13 neighbours "after" it.
    offsets = [(dx, dy, dz) for dx in (-1, 0, 1) for dy in (-1, 0, 1) for dz in (-1, 0, 1)]
    offsets = [o for o in offsets if o > (0, 0, 0)]
    for dx, dy, dz in [(0, 0, 0), *offsets]:
        # Looked up in the order of the points' own cells: nearly sorted needles keep the
        # binary searches in cache.
        k = key(dx, dy, dz)[order]
        pos = np.minimum(np.searchsorted(cells, k), len(cells) - 1)
        hit = np.flatnonzero(cells[pos] == k)
        if not len(hit):
            continue
        at_cell = pos[hit]
        c = size[at_cell]
        rep = np.repeat(order[hit], c)
        offs = np.arange(int(c.sum())) - np.repeat(np.cumsum(c) - c, c)
        other = order[np.repeat(first[at_cell], c) + offs]
        keep = pts.vessel[rep] != pts.vessel[other]
        if (dx, dy, dz) == (0, 0, 0):
            keep &= rep < other
        p, q = rep[keep], other[keep]
        swap = pts.vessel[p] > pts.vessel[q]
        ps.append(np.where(swap, q, p))
        qs.append(np.where(swap, p, q))
    if not ps:
        z0 = np.zeros(0, np.int64)
        return z0, z0
    p = np.concatenate(ps)
    q = np.concatenate(qs)
    d = haversine_km(pts.lat[p], pts.lon[p], pts.lat[q], pts.lon[q]) * 1000.0
    near = d <= max_m
    return p[near], q[near]


def encounters(tr: Tracks, cfg: MaritimeConfig, block_slots: int = 2016) -> list[Event]:
    """Encounter events; slots are processed in blocks of ``block_slots`` (two weeks)."""
    pts, mmsis = resample(tr, cfg)
    if not len(pts.slot):
        return []
    if len(pts.slot) < 2:
        return []
    found_p, found_q = [], []
    order = np.argsort(pts.slot, kind="stable")
    pts = Resampled(
        *(getattr(pts, f)[order] for f in ("vessel", "slot", "lat", "lon", "speed", "before"))
    )
    edges = np.searchsorted(
        pts.slot, np.arange(pts.slot.min(), pts.slot.max() + block_slots + 1, block_slots)
    )
    for a, b in itertools.pairwise(edges):
        if b - a < 2:
            continue
        block = Resampled(
            *(getattr(pts, f)[a:b] for f in ("vessel", "slot", "lat", "lon", "speed", "before"))
        )
        p, q = close_pairs(block, cfg.encounter_max_distance_m)
        found_p.append(p + a)
        found_q.append(q + a)
    if not found_p:
        return []
    p = np.concatenate(found_p)
    q = np.concatenate(found_q)
    # Close pairs near an anchorage are no encounter (unless an area says so): checked on the
    # paired points only, far fewer than all points.
    both = np.concatenate((p, q))
    min_anch = threshold(cfg, "encounter_min_anchorage_km", pts.lat[both], pts.lon[both])
    if len(both) and np.any(min_anch > 0):
        d, _ = anchorages().nearest(pts.lat[both], pts.lon[both], float(min_anch.max()))
        near = d < min_anch
        keep = ~(near[: len(p)] | near[len(p) :])
        p, q = p[keep], q[keep]
    if not len(p):
        return []
    va, vb, slot = pts.vessel[p], pts.vessel[q], pts.slot[p]
    order = np.lexsort((slot, vb, va))
    p, q, va, vb, slot = p[order], q[order], va[order], vb[order], slot[order]
    brk = np.ones(len(p), dtype=bool)
    brk[1:] = (va[1:] != va[:-1]) | (vb[1:] != vb[:-1]) | (slot[1:] != slot[:-1] + 1)
    starts = np.flatnonzero(brk)
    ends = np.append(starts[1:] - 1, len(p) - 1)
    step_h = cfg.encounter_resample_minutes / 60.0
    hours = (slot[ends] - slot[starts]) * step_h
    mid_lat = pts.lat[p[(starts + ends) // 2]]
    mid_lon = pts.lon[p[(starts + ends) // 2]]
    min_hours = threshold(cfg, "encounter_min_hours", mid_lat, mid_lon)
    long_enough = np.flatnonzero(hours >= min_hours)
    out: list[Event] = []
    max_med = threshold(cfg, "encounter_max_median_speed_kn", mid_lat, mid_lon)
    for k in long_enough.tolist():
        s, e = int(starts[k]), int(ends[k])
        med_a = float(np.median(pts.speed[p[s : e + 1]]))
        med_b = float(np.median(pts.speed[q[s : e + 1]]))
        if max(med_a, med_b) >= max_med[k]:
            continue
        dist = (
            haversine_km(
                pts.lat[p[s : e + 1]],
                pts.lon[p[s : e + 1]],
                pts.lat[q[s : e + 1]],
                pts.lon[q[s : e + 1]],
            )
            * 1000
        )
        m1, m2 = int(mmsis[va[s]]), int(mmsis[vb[s]])
        t0 = float(slot[s] * cfg.encounter_resample_minutes * 60.0)
        t1 = float(slot[e] * cfg.encounter_resample_minutes * 60.0)
        ia, ib = int(pts.before[p[s]]), int(pts.before[q[s]])
        ja, jb = int(pts.before[p[e]]) + 1, int(pts.before[q[e]]) + 1
        out.append(
            Event(
                type="ais_encounter",
                mmsis=(m1, m2),
                start=t0,
                end=t1,
                lat=float(np.mean(pts.lat[p[s : e + 1]])),
                lon=float(np.mean(pts.lon[p[s : e + 1]])),
                severity="medium",
                title=f"Encounter {float(hours[k]):.1f} h, MMSI {m1} and {m2}",
                summary=(
                    f"MMSI {m1} and {m2} stayed within {cfg.encounter_max_distance_m:g} m of each "
                    f"other (median {np.median(dist):.0f} m) for {float(hours[k]):.1f} h from "
                    f"{iso(t0)} to {iso(t1)}, median speeds {med_a:.1f} and {med_b:.1f} kn: the "
                    "pattern of a ship-to-ship transfer, or of vessels at a shared mooring."
                ),
                params={
                    "hours": round(float(hours[k]), 3),
                    "median_distance_m": round(float(np.median(dist)), 1),
                    "median_speed_kn": [round(med_a, 2), round(med_b, 2)],
                    "slots": e - s + 1,
                },
                positions=[
                    (int(tr.pos_id[ia]), "start"),
                    (int(tr.pos_id[ib]), "start"),
                    (int(tr.pos_id[min(ja, len(tr) - 1)]), "end"),
                    (int(tr.pos_id[min(jb, len(tr) - 1)]), "end"),
                ],
                simulated=bool(tr.simulated[ia] or tr.simulated[ib]),
            )
        )
    return out
