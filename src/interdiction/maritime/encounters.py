"""Encounters (possible ship-to-ship transfers), after Global Fishing Watch.

Two vessels within ``encounter_max_distance_m`` (500 m) of each other for at least
``encounter_min_hours`` (2 h), with median speeds under ``encounter_max_median_speed_kn``
(2 kn), at least ``encounter_min_anchorage_km`` (10 km) from an anchorage unless an area says
otherwise (STS off Nakhodka happens at anchor). Where an area lifts the anchorage exclusion
it can keep ships moored at neighbouring berths out instead: pairs within
``encounter_min_port_km`` of a port's point (the Nakhodka box: 2 km). Every threshold is the
value of the area the points lie in. As GFW does, tracks are resampled to a
``encounter_resample_minutes`` (10 min) grid by linear interpolation, never across a silence
over ``encounter_max_interpolation_hours`` (1 h).

The search is seeded, and finds exactly what comparing every pair in every slot finds:

1. **Seeds.** An encounter spans at least ``m + 1`` consecutive slots, where ``m`` slots make
   the shortest ``encounter_min_hours`` of any area; any ``m + 1`` consecutive slots hold a
   multiple of ``m + 1``. So only the slots that are multiples of ``K = m + 1`` (every 13th at
   GFW's 2 h on 10 min) are resampled and searched for close pairs away from anchorages: each
   slot's points are bucketed in cells of the distance threshold on the unit sphere (3-D) and
   compared with their own and the 13 neighbouring cells "after" theirs, as columns. This
   step reads every position once and holds about one point per vessel per ``K`` slots, so
   it runs per vessel chunk (``seed_points``) and the seeds of all chunks are joined at the
   end (``find_windows``).
2. **Windows.** A pair's seeds one stride apart form a group; every run of close slots the
   pair can have that is long enough contains a seed, so it lies within ``K - 1`` slots of
   its group: the window to follow.
3. **Follow.** Only the vessels of seeded pairs, only around their windows, are resampled at
   every slot and compared slot by slot (``follow``); runs, durations, speeds and the event
   are then computed as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from interdiction.config import MaritimeConfig
from interdiction.maritime.events import Event, iso
from interdiction.maritime.geo import (
    EARTH_KM,
    KM_PER_NM,
    anchorages,
    haversine_km,
    nearest_port_km,
)
from interdiction.maritime.tracks import Tracks, threshold, threshold_range

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
FIELDS = ("vessel", "slot", "lat", "lon", "speed", "before")


@dataclass
class Resampled:
    vessel: I64  # the vessel's MMSI
    slot: I64
    lat: F64
    lon: F64
    speed: F64  # knots, implied over the bracketing fixes (NaN in seeds: not needed there)
    before: I64  # index of the fix before (for evidence)

    def __len__(self) -> int:
        return len(self.slot)

    def take(self, idx: I64 | slice) -> Resampled:
        return Resampled(*(getattr(self, f)[idx] for f in FIELDS))

    @classmethod
    def empty(cls) -> Resampled:
        z = np.zeros(0, np.int64)
        return cls(z, z, np.zeros(0), np.zeros(0), np.zeros(0), z)

    @classmethod
    def concat(cls, parts: list[Resampled]) -> Resampled:
        if not parts:
            return cls.empty()
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in FIELDS))


@dataclass
class Windows:
    """Pairs to follow (``a`` < ``b``, MMSIs) over slots ``first`` to ``last`` (inclusive)."""

    a: I64
    b: I64
    first: I64
    last: I64

    def __len__(self) -> int:
        return len(self.a)

    def spans(self, cfg: MaritimeConfig) -> tuple[I64, F64, F64]:
        """Per vessel, the merged times (s) whose positions the windows' slots rest on: a
        slot is interpolated between fixes at most ``encounter_max_interpolation_hours``
        apart, so both lie within that of it (one second more for rounding)."""
        step = cfg.encounter_resample_minutes * 60.0
        margin = cfg.encounter_max_interpolation_hours * 3600.0 + 1.0
        vessel = np.concatenate((self.a, self.b))
        t0 = np.concatenate((self.first, self.first)).astype(np.float64) * step - margin
        t1 = np.concatenate((self.last, self.last)).astype(np.float64) * step + margin
        order = np.lexsort((t0, vessel))
        vessel, t0, t1 = vessel[order], t0[order], t1[order]
        # Merge overlapping spans of one vessel: a new span starts where it begins after the
        # furthest end so far (running maximum within the vessel).
        end = _running_max_by(t1, vessel)
        new = np.ones(len(vessel), dtype=bool)
        new[1:] = (vessel[1:] != vessel[:-1]) | (t0[1:] > end[:-1])
        starts = np.flatnonzero(new)
        last = np.append(starts[1:] - 1, len(vessel) - 1)
        return vessel[starts], t0[starts], end[last]


def _running_max_by(values: F64, group: I64) -> F64:
    """Running maximum of ``values`` restarting at each new ``group`` (group sorted)."""
    if not len(values):
        return values.copy()
    first = np.flatnonzero(np.append(True, group[1:] != group[:-1]))
    # Lift each group above the previous ones so one accumulate serves all groups.
    span = float(values.max() - values.min()) + 1.0
    rank = np.repeat(np.arange(len(first)), np.diff(np.append(first, len(values))))
    offset = rank * span
    lifted = np.maximum.accumulate(values - values.min() + offset)
    return np.asarray(lifted - offset + values.min(), dtype=np.float64)


def seed_stride(cfg: MaritimeConfig) -> int:
    """K: every long-enough run of close slots holds a slot that is a multiple of K."""
    step_h = cfg.encounter_resample_minutes / 60.0
    low_h, _ = threshold_range(cfg, "encounter_min_hours")
    if low_h <= 0:
        return 1
    # m: the fewest slot steps whose hours, computed as the run test computes them, reach
    # the shortest minimum duration; a qualifying run then spans at least m + 1 slots.
    m = max(int(np.ceil(low_h / step_h)), 0)
    while m > 0 and (m - 1) * step_h >= low_h:
        m -= 1
    while m * step_h < low_h:
        m += 1
    return m + 1


def _steps(tr: Tracks, cfg: MaritimeConfig, steps: I64 | None) -> I64:
    """Steps i -> i+1 that may be interpolated: one vessel, forward, not over the limit."""
    dt = tr.dt()
    if steps is None:
        ok = tr.same_vessel_next() & (dt > 0)
        ok &= dt <= cfg.encounter_max_interpolation_hours * 3600.0
        return np.flatnonzero(ok).astype(np.int64)
    keep = tr.mmsi[steps + 1] == tr.mmsi[steps]
    keep &= (dt[steps] > 0) & (dt[steps] <= cfg.encounter_max_interpolation_hours * 3600.0)
    return np.asarray(steps[keep], dtype=np.int64)


def _interpolate(tr: Tracks, a: I64, slot: I64, step: float) -> tuple[F64, F64]:
    """Position at each slot's time on the step a -> a + 1 (longitude across 180 too)."""
    b = a + 1
    w = (slot * step - tr.t[a]) / (tr.t[b] - tr.t[a])
    dlon = (tr.lon[b] - tr.lon[a] + 180.0) % 360.0 - 180.0
    lat = tr.lat[a] + w * (tr.lat[b] - tr.lat[a])
    lon = (tr.lon[a] + w * dlon + 180.0) % 360.0 - 180.0
    return lat, lon


def resample(tr: Tracks, cfg: MaritimeConfig, steps: I64 | None = None) -> Resampled:
    """Every slot of the given steps (all steps by default), with the implied speed."""
    step = cfg.encounter_resample_minutes * 60.0
    if len(tr) < 2:
        return Resampled.empty()
    i = _steps(tr, cfg, steps)
    k0 = np.ceil(tr.t[i] / step).astype(np.int64)
    k1 = np.ceil(tr.t[i + 1] / step).astype(np.int64)  # slots in [t_i, t_i+1)
    count = np.maximum(k1 - k0, 0)
    total = int(count.sum())
    rep = np.repeat(np.arange(len(i)), count)
    slot = np.repeat(k0, count) + (np.arange(total) - np.repeat(np.cumsum(count) - count, count))
    a = i[rep]
    lat, lon = _interpolate(tr, a, slot, step)
    pair_km = haversine_km(tr.lat[i], tr.lon[i], tr.lat[i + 1], tr.lon[i + 1])
    pair_kn = pair_km / KM_PER_NM / ((tr.t[i + 1] - tr.t[i]) / 3600.0)
    # A vessel's last fix, if it falls exactly on a slot, is not in any [t_i, t_i+1): fine.
    return Resampled(tr.mmsi[a], slot, lat, lon, pair_kn[rep], a)


def seed_points(tr: Tracks, cfg: MaritimeConfig) -> Resampled:
    """The tracks at the seed slots only (multiples of ``seed_stride``): a few per vessel-day.

    The slots of a step are those in [ceil(t_i / step), ceil(t_i+1 / step)); a step holds a
    seed slot where ceil(slot / K) moves on between its ends. Computed on whole slot numbers
    held exactly in floats, the same slots and positions as ``resample`` gives.
    """
    if len(tr) < 2:
        return Resampled.empty()
    step = cfg.encounter_resample_minutes * 60.0
    k_stride = seed_stride(cfg)
    k = np.ceil(tr.t / step)
    j = np.ceil(k / k_stride)
    cand = np.flatnonzero(j[1:] > j[:-1])
    i = _steps(tr, cfg, cand)
    j0, j1 = j[i].astype(np.int64), j[i + 1].astype(np.int64)
    count = j1 - j0
    total = int(count.sum())
    rep = np.repeat(np.arange(len(i)), count)
    slot = np.repeat(j0, count) + (np.arange(total) - np.repeat(np.cumsum(count) - count, count))
    slot *= k_stride
    a = i[rep]
    lat, lon = _interpolate(tr, a, slot, step)
    return Resampled(tr.mmsi[a], slot, lat, lon, np.full(total, np.nan), a)


def _unit(lat: F64, lon: F64) -> tuple[F64, F64, F64]:
    phi, lam = np.radians(lat), np.radians(lon)
    c = np.cos(phi)
    return c * np.cos(lam), c * np.sin(lam), np.sin(phi)


def close_pairs(pts: Resampled, max_m: float) -> tuple[I64, I64]:
    """Indices (p, q), p's vessel < q's, of points in the same slot within ``max_m``."""
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
    # Slots renumbered densely (only the occupied ones): the key never overflows.
    _, rel = np.unique(pts.slot, return_inverse=True)
    rel = rel.astype(np.int64)

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


def _close(pts: Resampled, p: I64, q: I64, cfg: MaritimeConfig) -> tuple[I64, I64]:
    """Pairs within the distance threshold (the larger of the two points' areas' values)."""
    d = haversine_km(pts.lat[p], pts.lon[p], pts.lat[q], pts.lon[q]) * 1000.0
    both = np.concatenate((p, q))
    limit = threshold(cfg, "encounter_max_distance_m", pts.lat[both], pts.lon[both])
    keep = d <= np.maximum(limit[: len(p)], limit[len(p) :])
    return p[keep], q[keep]


def _at_sea(pts: Resampled, p: I64, q: I64, cfg: MaritimeConfig) -> tuple[I64, I64]:
    """Pairs whose both points are far enough from an anchorage and from a port's berths
    (each point by its area's distances)."""
    both = np.concatenate((p, q))
    lat, lon = pts.lat[both], pts.lon[both]
    near = np.zeros(len(both), dtype=bool)
    min_anch = threshold(cfg, "encounter_min_anchorage_km", lat, lon)
    if len(both) and np.any(min_anch > 0):
        d, _ = anchorages().nearest(lat, lon, float(min_anch.max()))
        near |= d < min_anch
    min_port = threshold(cfg, "encounter_min_port_km", lat, lon)
    if len(both) and np.any(min_port > 0):
        near |= nearest_port_km(lat, lon) < min_port
    keep = ~(near[: len(p)] | near[len(p) :])
    return p[keep], q[keep]


def find_windows(seeds: Resampled, cfg: MaritimeConfig, block_slots: int = 2016) -> Windows:
    """Pairs close at a seed slot, away from anchorages, and the slots to follow them over."""
    k_stride = seed_stride(cfg)
    _, max_m = threshold_range(cfg, "encounter_max_distance_m")
    order = np.argsort(seeds.slot, kind="stable")
    pts = seeds.take(order)
    a_parts, b_parts, s_parts = [], [], []
    if len(pts) >= 2:
        # Slots in blocks (two weeks by default): memory follows one block's points.
        lo, hi = int(pts.slot[0]), int(pts.slot[-1])
        edges = np.searchsorted(pts.slot, np.arange(lo, hi + block_slots + 1, block_slots))
        for a, b in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True):
            if b - a < 2:
                continue
            block = pts.take(slice(a, b))
            p, q = close_pairs(block, max_m)
            p, q = _at_sea(block, *_close(block, p, q, cfg), cfg)
            a_parts.append(block.vessel[p])
            b_parts.append(block.vessel[q])
            s_parts.append(block.slot[p])
    va, vb, slot = (
        np.concatenate([np.zeros(0, np.int64), *x]) for x in (a_parts, b_parts, s_parts)
    )
    if not len(va):
        z = np.zeros(0, np.int64)
        return Windows(z, z, z, z)
    order = np.lexsort((slot, vb, va))
    va, vb, slot = va[order], vb[order], slot[order]
    # Seeds of one pair one stride apart are one group; a run through a group's seeds
    # reaches at most K - 1 slots beyond its first and last seed.
    new = np.ones(len(va), dtype=bool)
    new[1:] = (va[1:] != va[:-1]) | (vb[1:] != vb[:-1]) | (slot[1:] != slot[:-1] + k_stride)
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:] - 1, len(va) - 1)
    return Windows(
        a=va[starts],
        b=vb[starts],
        first=slot[starts] - (k_stride - 1),
        last=slot[ends] + (k_stride - 1),
    )


def follow(
    tr: Tracks, windows: Windows, cfg: MaritimeConfig, steps: I64 | None = None
) -> list[Event]:
    """Events of the windows' pairs, every slot resampled from ``tr`` (which holds at least
    the positions of ``Windows.spans``; ``steps`` limits interpolation to real steps when
    ``tr`` holds pieces of tracks)."""
    if not len(windows):
        return []
    pts = resample(tr, cfg, steps)
    if not len(pts):
        return []
    base_slot = int(pts.slot.min())
    width = np.int64(1) << np.int64(32)
    key = pts.vessel * width + (pts.slot - base_slot)
    order = np.argsort(key, kind="stable")
    key = key[order]
    # The slots of each window that vessel a has a point in...
    first = np.clip(windows.first - base_slot, 0, width - 1)
    last = np.clip(windows.last - base_slot, -1, width - 1)
    lo = np.searchsorted(key, windows.a * width + first, side="left")
    hi = np.searchsorted(key, windows.a * width + last, side="right")
    count = np.maximum(hi - lo, 0)
    total = int(count.sum())
    at = np.repeat(lo, count) + (np.arange(total) - np.repeat(np.cumsum(count) - count, count))
    p = order[at]
    # ...and the point vessel b has in the same slot, if any.
    want = np.repeat(windows.b, count) * width + (pts.slot[p] - base_slot)
    pos = np.minimum(np.searchsorted(key, want), len(key) - 1)
    hit = key[pos] == want
    # (A pair's windows never overlap: a sampled slot without a seed lies between them.)
    p, q = p[hit], order[pos[hit]]
    p, q = _at_sea(pts, *_close(pts, p, q, cfg), cfg)
    return _events(tr, pts, p, q, cfg)


def encounters(tr: Tracks, cfg: MaritimeConfig) -> list[Event]:
    """Encounter events among the vessels of ``tr`` (all of them in memory)."""
    windows = find_windows(seed_points(tr, cfg), cfg)
    if not len(windows):
        return []
    vessel, t0, t1 = windows.spans(cfg)
    # The positions of each span (whole steps around it), and the steps inside them.
    first, last = tr.vessel_bounds()
    at = np.searchsorted(tr.mmsi[first], vessel)
    lo = _search_t(tr.t, first[at], last[at] + 1, t0)
    hi = _search_t(tr.t, first[at], last[at] + 1, t1, right=True)
    count = hi - lo
    total = int(count.sum())
    idx = np.repeat(lo, count) + (np.arange(total) - np.repeat(np.cumsum(count) - count, count))
    # (Spans are sorted and disjoint, so idx is sorted and unique.)
    sub = tr.take(idx)
    steps = np.flatnonzero(idx[1:] == idx[:-1] + 1)
    return follow(sub, windows, cfg, steps)


def _search_t(t: F64, lo: I64, hi: I64, target: F64, right: bool = False) -> I64:
    """Per k, the insertion point of target[k] in the sorted t[lo[k]:hi[k]] (vectorised)."""
    lo, hi = lo.copy(), hi.copy()
    while True:
        active = np.flatnonzero(lo < hi)
        if not len(active):
            return lo
        mid = (lo[active] + hi[active]) // 2
        go = t[mid] <= target[active] if right else t[mid] < target[active]
        lo[active[go]] = mid[go] + 1
        hi[active[~go]] = mid[~go]


def _events(tr: Tracks, pts: Resampled, p: I64, q: I64, cfg: MaritimeConfig) -> list[Event]:
    """Runs of consecutive close slots of each pair, long and slow enough: the events."""
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
    max_dist = threshold(cfg, "encounter_max_distance_m", mid_lat, mid_lon)
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
        m1, m2 = int(va[s]), int(vb[s])
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
                    f"MMSI {m1} and {m2} stayed within {max_dist[k]:g} m of each "
                    f"other (median {np.median(dist):.0f} m) for {float(hours[k]):.1f} h from "
                    f"{iso(t0)} to {iso(t1)}, median speeds {med_a:.1f} and {med_b:.1f} kn: the "
                    "pattern of a ship-to-ship transfer, or of vessels at a shared mooring."
                ),
                params={
                    "hours": round(float(hours[k]), 3),
                    "median_distance_m": round(float(np.median(dist)), 1),
                    "max_distance_m": float(max_dist[k]),
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
