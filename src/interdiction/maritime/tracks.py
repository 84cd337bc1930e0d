"""Tracks: usable positions as numpy columns sorted by vessel and time, read in bounded chunks.

Every per-vessel detector works on this one structure, so a detect run reads the store once.
Rows with a ``quality`` label (no time, invalid time, invalid MMSI, no position) never reach
here. Large stores are read in MMSI ranges of about ``maritime.chunk_positions`` rows, so
memory stays bounded whatever the store's size.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from interdiction.config import MaritimeConfig
from interdiction.maritime.geo import KM_PER_NM, haversine_km, in_box, local_km
from interdiction.store.db import Store, one

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Bbox = tuple[float, float, float, float]


@dataclass
class Tracks:
    """Positions sorted by (mmsi, time); ``t`` in seconds since the epoch."""

    pos_id: I64
    mmsi: I64
    t: F64
    lat: F64
    lon: F64
    sog: F64
    simulated: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.mmsi)

    @classmethod
    def from_arrays(cls, **cols: Any) -> Tracks:
        mmsi = np.asarray(cols["mmsi"], dtype=np.int64)
        t = np.asarray(cols["t"], dtype=np.float64)
        order = np.lexsort((t, mmsi))
        n = len(mmsi)
        return cls(
            pos_id=np.asarray(cols.get("pos_id", np.arange(n)), dtype=np.int64)[order],
            mmsi=mmsi[order],
            t=t[order],
            lat=np.asarray(cols["lat"], dtype=np.float64)[order],
            lon=np.asarray(cols["lon"], dtype=np.float64)[order],
            sog=np.asarray(cols.get("sog", np.full(n, np.nan)), dtype=np.float64)[order],
            simulated=np.asarray(cols.get("simulated", np.zeros(n, bool)), dtype=bool)[order],
        )

    def same_vessel_next(self) -> npt.NDArray[np.bool_]:
        """For i < n-1: whether position i+1 belongs to the same vessel as i."""
        return np.asarray(self.mmsi[1:] == self.mmsi[:-1], dtype=bool)

    def vessel_bounds(self) -> tuple[I64, I64]:
        """First and last index of each vessel's positions."""
        if not len(self):
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        change = np.flatnonzero(self.mmsi[1:] != self.mmsi[:-1]) + 1
        first = np.concatenate(([0], change))
        last = np.concatenate((change - 1, [len(self) - 1]))
        return first, last

    def steps(self) -> tuple[F64, F64]:
        """Distance (km) and time (s) from each position to the next (NaN across vessels)."""
        same = self.same_vessel_next()
        d = fast_km(self.lat[:-1], self.lon[:-1], self.lat[1:], self.lon[1:])
        dt = self.t[1:] - self.t[:-1]
        return np.where(same, d, np.nan), np.where(same, dt, np.nan)

    def speed_kn(self) -> F64:
        """Reported SOG, or where missing the implied speed from the previous position."""
        out = self.sog.copy()
        missing = np.flatnonzero(np.isnan(out))
        missing = missing[missing > 0]
        if len(missing):
            prev = missing - 1
            d = haversine_km(self.lat[prev], self.lon[prev], self.lat[missing], self.lon[missing])
            dt = self.t[missing] - self.t[prev]
            with np.errstate(divide="ignore", invalid="ignore"):
                implied = d / KM_PER_NM / (dt / 3600.0)
            out[missing] = np.where(self.mmsi[missing] == self.mmsi[prev], implied, np.nan)
        return out


def fast_km(lat1: F64, lon1: F64, lat2: F64, lon2: F64) -> F64:
    """Distance (km): equirectangular below 50 km (error under 0.1%), great circle beyond."""
    d = local_km(lat1, lon1, lat2, lon2)
    far = np.flatnonzero(d > 50.0)
    if len(far):
        d[far] = haversine_km(lat1[far], lon1[far], lat2[far], lon2[far])
    return d


def threshold(cfg: MaritimeConfig, name: str, lat: F64, lon: F64) -> F64:
    """A threshold per position: the default, or an area's value inside its box."""
    out = np.full(len(lat), float(getattr(cfg, name)))
    for area in cfg.areas:
        if name in area.set:
            out[in_box(lat, lon, area.bbox)] = area.set[name]
    return out


WHERE = """quality IS NULL
  AND ($since IS NULL OR ts >= $since) AND ($until IS NULL OR ts <= $until)
  AND ($x0 IS NULL OR (lon BETWEEN $x0 AND $x1 AND lat BETWEEN $y0 AND $y1))"""


def _params(since: datetime | None, until: datetime | None, bbox: Bbox | None) -> dict[str, Any]:
    x0, y0, x1, y1 = bbox if bbox else (None, None, None, None)
    return {"since": since, "until": until, "x0": x0, "y0": y0, "x1": x1, "y1": y1}


def count_positions(
    store: Store,
    since: datetime | None = None,
    until: datetime | None = None,
    bbox: Bbox | None = None,
) -> int:
    if not store.has_table("ais_positions"):
        return 0
    row = one(
        store.con, f"SELECT count(*) FROM ais_positions WHERE {WHERE}", _params(since, until, bbox)
    )
    return int(row[0]) if row else 0


def mmsi_ranges(
    store: Store, max_rows: int, since: datetime | None, until: datetime | None, bbox: Bbox | None
) -> list[tuple[int, int]]:
    """MMSI ranges holding about ``max_rows`` usable positions each."""
    rows = store.con.execute(
        f"""SELECT mmsi, count(*) FROM ais_positions WHERE {WHERE} GROUP BY mmsi ORDER BY mmsi""",
        _params(since, until, bbox),
    ).fetchall()
    ranges: list[tuple[int, int]] = []
    start, total = None, 0
    for mmsi, n in rows:
        if start is None:
            start = mmsi
        total += n
        if total >= max_rows:
            ranges.append((start, mmsi))
            start, total = None, 0
    if start is not None:
        ranges.append((start, rows[-1][0]))
    return ranges


def read_tracks(
    store: Store,
    since: datetime | None = None,
    until: datetime | None = None,
    bbox: Bbox | None = None,
    mmsi_range: tuple[int, int] | None = None,
) -> Tracks:
    params = _params(since, until, bbox)
    params["m0"], params["m1"] = mmsi_range if mmsi_range else (None, None)
    result = store.con.execute(
        f"""SELECT pos_id, mmsi, epoch_us(ts) / 1e6 AS t, lat, lon, sog, simulated
        FROM ais_positions
        WHERE {WHERE} AND ($m0 IS NULL OR mmsi BETWEEN $m0 AND $m1)""",
        params,
    ).fetchnumpy()
    sog = result["sog"]
    sog = np.asarray(sog.filled(np.nan) if hasattr(sog, "filled") else sog, dtype=np.float64)
    return Tracks.from_arrays(
        pos_id=result["pos_id"],
        mmsi=result["mmsi"],
        t=result["t"],
        lat=result["lat"],
        lon=result["lon"],
        sog=sog,
        simulated=result["simulated"],
    )


def iter_tracks(
    store: Store,
    cfg: MaritimeConfig,
    since: datetime | None = None,
    until: datetime | None = None,
    bbox: Bbox | None = None,
) -> Iterator[Tracks]:
    """Tracks in MMSI ranges of about ``cfg.chunk_positions`` rows (whole vessels each)."""
    if not store.has_table("ais_positions"):
        return
    for mmsi_range in mmsi_ranges(store, cfg.chunk_positions, since, until, bbox):
        yield read_tracks(store, since, until, bbox, mmsi_range)


def runs(flag: npt.NDArray[np.bool_], breaks: npt.NDArray[np.bool_]) -> tuple[I64, I64]:
    """First and last index of each run of True in ``flag``; ``breaks[i]`` cuts before i."""
    n = len(flag)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    f = flag.astype(np.int8)
    prev = np.concatenate(([0], f[:-1]))
    start = (f == 1) & ((prev == 0) | breaks)
    nxt = np.concatenate((f[1:], [0]))
    brk_next = np.concatenate((breaks[1:], [True]))
    end = (f == 1) & ((nxt == 0) | brk_next)
    return np.flatnonzero(start), np.flatnonzero(end)


def vessel_breaks(tr: Tracks, max_gap_s: float | None = None) -> npt.NDArray[np.bool_]:
    """breaks[i]: position i starts a new vessel, or follows a silence over ``max_gap_s``."""
    b = np.ones(len(tr), dtype=bool)
    if len(tr) > 1:
        b[1:] = ~tr.same_vessel_next()
        if max_gap_s is not None:
            b[1:] |= (tr.t[1:] - tr.t[:-1]) > max_gap_s
    return b


def group_reduce(values: F64, starts: I64, ends: I64, how: str) -> F64:
    """min, max, mean or median of values[s:e+1] for each run (runs disjoint and sorted)."""
    if not len(starts):
        return np.zeros(0)
    padded = np.concatenate((values, [0.0]))
    bounds = np.ravel(np.column_stack((starts, ends + 1)))
    if how == "min":
        return np.fmin.reduceat(padded, bounds)[0::2]
    if how == "max":
        return np.fmax.reduceat(padded, bounds)[0::2]
    if how == "mean":
        return np.asarray(
            np.add.reduceat(padded, bounds)[0::2] / (ends - starts + 1), dtype=np.float64
        )
    # median: sort each run's values (NaN last) and take the middle of the finite ones
    length = ends - starts + 1
    group = np.repeat(np.arange(len(starts)), length)
    offs = np.arange(int(length.sum())) - np.repeat(np.cumsum(length) - length, length)
    idx = np.repeat(starts, length) + offs
    vals = values[idx]
    order = np.lexsort((vals, group))
    vals = vals[order]
    finite = np.add.reduceat(np.isfinite(vals).astype(np.int64), np.cumsum(length) - length)
    first = np.cumsum(length) - length
    lo = first + np.maximum((finite - 1) // 2, 0)
    hi = first + np.maximum(finite // 2, 0)
    med = (vals[lo] + vals[hi]) / 2.0
    return np.where(finite > 0, med, np.nan)
