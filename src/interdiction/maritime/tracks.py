"""Tracks: usable positions as numpy columns sorted by vessel and time, read in bounded chunks.

Every per-vessel detector works on this one structure, so a detect run reads the store once.
Rows with a ``quality`` label (no time, invalid time, invalid MMSI, no position) never reach
here. Large stores are read in MMSI ranges of about ``maritime.chunk_positions`` rows, so
memory stays bounded whatever the store's size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from interdiction.config import MaritimeConfig
from interdiction.maritime.geo import (
    KM_PER_NM,
    haversine_km,
    in_box,
    local_km,
    shore_distance_km,
)
from interdiction.store.db import Store, one

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Bbox = tuple[float, float, float, float]


@dataclass
class Tracks:
    """Positions sorted by (mmsi, time); ``t`` in seconds since the epoch.

    What several detectors derive from the same positions (steps, speeds, distance from
    shore, vessel boundaries) is computed once per ``Tracks`` and kept in ``memo``: a detect
    run shares it between its detectors.
    """

    pos_id: I64
    mmsi: I64
    t: F64
    lat: F64
    lon: F64
    sog: F64
    simulated: npt.NDArray[np.bool_]
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.mmsi)

    @classmethod
    def from_arrays(cls, **cols: Any) -> Tracks:
        """Columns in any order, sorted by (mmsi, t, pos_id) unless they already are."""
        mmsi = np.asarray(cols["mmsi"], dtype=np.int64)
        t = np.asarray(cols["t"], dtype=np.float64)
        n = len(mmsi)
        pos_id = np.asarray(cols.get("pos_id", np.arange(n)), dtype=np.int64)
        order = None if _sorted(mmsi, t, pos_id) else np.lexsort((pos_id, t, mmsi))

        def take(a: Any, dtype: Any) -> Any:
            a = np.asarray(a, dtype=dtype)
            return a if order is None else a[order]

        return cls(
            pos_id=take(pos_id, np.int64),
            mmsi=take(mmsi, np.int64),
            t=take(t, np.float64),
            lat=take(cols["lat"], np.float64),
            lon=take(cols["lon"], np.float64),
            sog=take(cols.get("sog", np.full(n, np.nan)), np.float64),
            simulated=take(cols.get("simulated", np.zeros(n, bool)), bool),
        )

    def _memo(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self.memo:
            value = make()
            for a in value if isinstance(value, tuple) else (value,):
                if isinstance(a, np.ndarray):
                    a.flags.writeable = False  # shared between detectors
            self.memo[key] = value
        return self.memo[key]

    def same_vessel_next(self) -> npt.NDArray[np.bool_]:
        """For i < n-1: whether position i+1 belongs to the same vessel as i."""
        return cast(
            npt.NDArray[np.bool_],
            self._memo("same", lambda: np.asarray(self.mmsi[1:] == self.mmsi[:-1], dtype=bool)),
        )

    def dt(self) -> F64:
        """Seconds from each position to the next (across vessels too: mask with ``same``)."""
        return cast(F64, self._memo("dt", lambda: self.t[1:] - self.t[:-1]))

    def breaks(self) -> npt.NDArray[np.bool_]:
        """breaks[i]: position i is a vessel's first."""

        def make() -> npt.NDArray[np.bool_]:
            b = np.ones(len(self), dtype=bool)
            if len(self) > 1:
                np.logical_not(self.same_vessel_next(), out=b[1:])
            return b

        return cast(npt.NDArray[np.bool_], self._memo("breaks", make))

    def vessel_bounds(self) -> tuple[I64, I64]:
        """First and last index of each vessel's positions."""

        def make() -> tuple[I64, I64]:
            if not len(self):
                return np.zeros(0, np.int64), np.zeros(0, np.int64)
            change = np.flatnonzero(~self.same_vessel_next()) + 1
            first = np.concatenate(([0], change))
            last = np.concatenate((change - 1, [len(self) - 1]))
            return first, last

        return cast(tuple[I64, I64], self._memo("bounds", make))

    def vessel_first(self, i: I64) -> I64:
        """Index of the first position of the vessel of each position ``i``."""
        first, _ = self.vessel_bounds()
        return first[np.searchsorted(first, i, side="right") - 1]

    def steps(self) -> tuple[F64, F64]:
        """Distance (km) and time (s) from each position to the next (NaN across vessels)."""
        same = self.same_vessel_next()
        d = fast_km(self.lat[:-1], self.lon[:-1], self.lat[1:], self.lon[1:])
        dt = self.dt()
        return np.where(same, d, np.nan), np.where(same, dt, np.nan)

    def speed_kn(self) -> F64:
        """Reported SOG, or where missing the implied speed from the previous position."""
        return cast(F64, self._memo("speed_kn", self._speed_kn))

    def _speed_kn(self) -> F64:
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

    def shore_km(self) -> F64:
        """Distance from shore (km, shipped grid) of every position."""
        return cast(F64, self._memo("shore", lambda: shore_distance_km(self.lat, self.lon)))

    def take(self, idx: I64) -> Tracks:
        """The positions at ``idx`` (sorted indices keep the order), without the memo."""
        return Tracks(
            pos_id=self.pos_id[idx],
            mmsi=self.mmsi[idx],
            t=self.t[idx],
            lat=self.lat[idx],
            lon=self.lon[idx],
            sog=self.sog[idx],
            simulated=self.simulated[idx],
        )


def _sorted(mmsi: I64, t: F64, pos_id: I64) -> bool:
    """Whether rows are already in (mmsi, t, pos_id) order: stores often hand them so."""
    if len(mmsi) < 2:
        return True
    dm = mmsi[1:] - mmsi[:-1]
    if (dm < 0).any():
        return False
    same = dm == 0
    dt = t[1:] - t[:-1]
    if (same & (dt < 0)).any():
        return False
    return not bool((same & (dt == 0) & (pos_id[1:] < pos_id[:-1])).any())


def fast_km(lat1: F64, lon1: F64, lat2: F64, lon2: F64) -> F64:
    """Distance (km): equirectangular below 50 km (error under 0.1%), great circle beyond."""
    d = local_km(lat1, lon1, lat2, lon2)
    far = np.flatnonzero(d > 50.0)
    if len(far):
        d[far] = haversine_km(lat1[far], lon1[far], lat2[far], lon2[far])
    return d


def threshold(cfg: MaritimeConfig, name: str, lat: F64, lon: F64) -> F64:
    """A threshold per position: the default, or an area's value inside its box.

    Read-only; when no area overrides ``name`` it is the default broadcast (no copy).
    """
    areas = [area for area in cfg.areas if name in area.set]
    if not areas:
        return np.broadcast_to(np.float64(getattr(cfg, name)), np.shape(lat))
    out = np.full(len(lat), float(getattr(cfg, name)))
    for area in areas:
        out[in_box(lat, lon, area.bbox)] = area.set[name]
    return out


def threshold_range(cfg: MaritimeConfig, name: str) -> tuple[float, float]:
    """The smallest and largest value a threshold takes anywhere (default and areas)."""
    values = [float(getattr(cfg, name))]
    values += [float(area.set[name]) for area in cfg.areas if name in area.set]
    return min(values), max(values)


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


def read_spans(
    store: Store,
    mmsi: I64,
    t0: F64,
    t1: F64,
    since: datetime | None = None,
    until: datetime | None = None,
    bbox: Bbox | None = None,
) -> tuple[Tracks, I64]:
    """Usable positions of each vessel within its spans (seconds; disjoint per vessel), and
    the steps i -> i+1 that join two positions of one span (never across spans)."""
    params = _params(since, until, bbox)
    spans = pa.table(
        {
            "span_mmsi": pa.array(mmsi, type=pa.int64()),
            "span_t0": pa.array(np.floor(t0 * 1e6).astype(np.int64), type=pa.int64()),
            "span_t1": pa.array(np.ceil(t1 * 1e6).astype(np.int64), type=pa.int64()),
            "span_no": pa.array(np.arange(len(mmsi)), type=pa.int64()),
        }
    )
    store.con.register("wanted_spans", spans)
    try:
        result = store.con.execute(
            f"""SELECT pos_id, mmsi, epoch_us(ts) / 1e6 AS t, lat, lon, sog, simulated, span_no
            FROM ais_positions JOIN wanted_spans
              ON mmsi = span_mmsi AND epoch_us(ts) BETWEEN span_t0 AND span_t1
            WHERE {WHERE}""",
            params,
        ).fetchnumpy()
    finally:
        store.con.unregister("wanted_spans")
    tr = _tracks(result)
    span = np.asarray(result["span_no"], dtype=np.int64)
    order = np.lexsort((tr.pos_id, tr.t, tr.mmsi))
    tr = tr.take(order)
    span = span[order]
    return tr, np.flatnonzero(span[1:] == span[:-1])


def _tracks(result: dict[str, Any]) -> Tracks:
    sog = result["sog"]
    sog = np.asarray(sog.filled(np.nan) if hasattr(sog, "filled") else sog, dtype=np.float64)
    return Tracks(
        pos_id=np.asarray(result["pos_id"], dtype=np.int64),
        mmsi=np.asarray(result["mmsi"], dtype=np.int64),
        t=np.asarray(result["t"], dtype=np.float64),
        lat=np.asarray(result["lat"], dtype=np.float64),
        lon=np.asarray(result["lon"], dtype=np.float64),
        sog=sog,
        simulated=np.asarray(result["simulated"], dtype=bool),
    )


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
    if max_gap_s is None:
        return tr.breaks()
    b = tr.breaks().copy()
    if len(tr) > 1:
        b[1:] |= tr.dt() > max_gap_s
    return b


def sparse_runs(idx: I64, breaks: npt.NDArray[np.bool_]) -> tuple[I64, I64]:
    """``runs`` of a flag that is True only at the sorted indices ``idx`` (few of many)."""
    if not len(idx):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    cont = np.zeros(len(idx), dtype=bool)  # idx[k] continues the run of idx[k - 1]
    cont[1:] = (idx[1:] == idx[:-1] + 1) & ~breaks[idx[1:]]
    starts = np.flatnonzero(~cont)
    ends = np.append(starts[1:] - 1, len(idx) - 1)
    return idx[starts], idx[ends]


def group_reduce(values: F64, starts: I64, ends: I64, how: str, nan_as: float | None = None) -> F64:
    """min, max, mean or median of values[s:e+1] for each run (runs disjoint and sorted).

    Only the runs' values are read (gathered once), so the cost follows the runs, not the
    whole array; ``nan_as`` replaces NaN in them first.
    """
    if not len(starts):
        return np.zeros(0)
    length = ends - starts + 1
    first = np.cumsum(length) - length
    total = int(length.sum())
    idx = np.repeat(starts - first, length) + np.arange(total)
    vals = values[idx]
    if nan_as is not None:
        vals = np.where(np.isnan(vals), nan_as, vals)
    if how == "min":
        return np.asarray(np.fmin.reduceat(vals, first), dtype=np.float64)
    if how == "max":
        return np.asarray(np.fmax.reduceat(vals, first), dtype=np.float64)
    if how == "mean":
        return np.asarray(np.add.reduceat(vals, first) / length, dtype=np.float64)
    # median: sort each run's values (NaN last) and take the middle of the finite ones
    group = np.repeat(np.arange(len(starts)), length)
    order = np.lexsort((vals, group))
    vals = vals[order]
    finite = np.add.reduceat(np.isfinite(vals).astype(np.int64), first)
    lo = first + np.maximum((finite - 1) // 2, 0)
    hi = first + np.maximum(finite // 2, 0)
    med = (vals[lo] + vals[hi]) / 2.0
    return np.where(finite > 0, med, np.nan)
