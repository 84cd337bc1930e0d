"""Reference geography shipped in the package: coastline distance, anchorages, ports, MIDs.

Nothing here is downloaded: the files in ``maritime/data`` (``PROVENANCE.md``) are built once
by ``scripts/build_maritime_data.py``.

- Distance from shore: GSHHG (full resolution) distance to the nearest coastline on a 0.1
  degree grid, from the ``landmetrics`` package, in whole km clamped to +-127 km (negative on
  land). Looked up at the nearest grid node: good to about 6 km, enough for GFW's 20 nm and
  50 nm thresholds, not for anything finer.
- Anchorages: GFW's 60,410 named anchorage points, plus our own geofences for ports GFW does
  not cover (``GEOFENCES``): points on a 0.5 km grid within a radius of the port's point, each
  marked approximate; every port visit derived from them says so.
- Ports of interest: ``ports_of_interest.csv`` (NGA WPI and GFW coordinates).
- MID (the first three digits of a ship's MMSI) to country: the ITU table.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
QUANTUM = 0.0025  # degrees: the cell of a position for anchorage distances
EARTH_KM = 6371.0088
KM_PER_NM = 1.852
KM_PER_DEG_LAT = 110.574
KM_PER_DEG_LON = 111.320


def _data(name: str) -> Any:
    return resources.files("interdiction.maritime").joinpath("data", name)


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Great-circle distance (km), vectorised."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def local_km(lat1: F64, lon1: F64, lat2: F64, lon2: F64) -> F64:
    """Equirectangular distance (km): exact enough below a few tens of km, and cheap."""
    dlon = (lon2 - lon1 + 180.0) % 360.0 - 180.0
    dx = dlon * np.cos(np.radians((lat1 + lat2) / 2)) * KM_PER_DEG_LON
    dy = (lat2 - lat1) * KM_PER_DEG_LAT
    return np.sqrt(dx * dx + dy * dy)


# -- distance from shore -------------------------------------------------------------------


@functools.cache
def _shore_grid() -> npt.NDArray[np.int8]:
    with _data("shore_distance_0.1deg.npz").open("rb") as handle:
        return np.asarray(np.load(handle)["km"], dtype=np.int8)


def shore_distance_km(lat: Any, lon: Any) -> F64:
    """Distance to the nearest coastline (km; negative on land), clamped to +-127 km."""
    grid = _shore_grid()
    la = np.asarray(lat, dtype=np.float64)
    lo = np.asarray(lon, dtype=np.float64)
    shape = np.broadcast_shapes(la.shape, lo.shape)
    la = np.broadcast_to(la, shape).ravel()
    lo = np.broadcast_to(lo, shape).ravel()
    # The nearest node: row of lat (clamped to the poles), column of lon (wrapping at 180).
    # In place, with 32-bit indices: this runs over every position of a track.
    x = np.add(la, 90.0)
    x *= 10.0
    np.rint(x, out=x)
    i = x.astype(np.int32)
    np.clip(i, 0, 1800, out=i)
    np.add(lo, 180.0, out=x)
    x *= 10.0
    np.rint(x, out=x)
    j = x.astype(np.int32)
    del x
    np.remainder(j, 3600, out=j)
    i *= 3600
    i += j
    del j
    return grid.ravel().take(i).astype(np.float64).reshape(shape)


# -- ports and geofences -------------------------------------------------------------------


@dataclass(frozen=True)
class Port:
    key: str
    name: str
    country: str
    lat: float
    lon: float
    approximate: bool
    source: str
    # Radius (km) of our own geofence around the point; 0 when GFW anchorages cover the port.
    geofence_km: float = 0.0


# Our geofences for ports GFW's anchorage list does not cover (no North Korean rows) or
# covers only in part. Method: anchorage points on a 0.5 km grid within ``geofence_km`` of
# the port's coordinate (NGA WPI or as noted), so that GFW's entry rule (within 3 km of an
# anchorage point) applies unchanged: a vessel is "in port" within about geofence_km + 3 km.
# Radii are judgements from the size of each harbour, not surveyed: all are approximate.
GEOFENCES: dict[str, tuple[float, str]] = {
    "rajin": (2.0, "Rajin (Rason) harbour basin around the WPI point; approximate"),
    "chongjin": (2.5, "Chongjin harbour, east and west basins; approximate"),
    "nampho": (3.0, "Nampho port on the Taedong estuary below the West Sea Barrage; approximate"),
    "dunai": (
        1.5,
        "Dunai naval pier; the coordinate is the settlement's, the pier is unverified; approximate",
    ),
    "vostochny": (3.0, "Vostochny port terminals (Wrangel Bay); approximate"),
}


def _port_key(name: str) -> str:
    return name.split(" (")[0].strip().lower().replace(" ", "_")


@functools.cache
def ports() -> dict[str, Port]:
    """Ports of the DPRK-Russia-China routes, by key (``rajin``, ``nampho``, ``dunai``...)."""
    out: dict[str, Port] = {}
    with _data("ports_of_interest.csv").open("r", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = _port_key(row["port"])
            source = row["coord_source"]
            approximate = "approximate" in source.lower() or "verify" in source.lower()
            radius, note = GEOFENCES.get(key, (0.0, ""))
            out[key] = Port(
                key=key,
                name=row["port"],
                country=row["country"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                approximate=approximate or key in GEOFENCES,
                source=source + (f"; geofence: {note}" if note else ""),
                geofence_km=radius,
            )
    return out


def nearest_port_km(lat: F64, lon: F64) -> F64:
    """Great-circle distance (km) to the nearest port of ``ports()`` (its point)."""
    best = np.full(np.shape(lat), np.inf)
    for port in ports().values():
        np.minimum(best, haversine_km(lat, lon, port.lat, port.lon), out=best)
    return best


def _geofence_points(port: Port, spacing_km: float = 0.5) -> tuple[F64, F64]:
    r = port.geofence_km
    steps = np.arange(-r, r + 1e-9, spacing_km)
    dy, dx = np.meshgrid(steps, steps, indexing="ij")
    inside = dx**2 + dy**2 <= r * r + 1e-9
    lat = port.lat + dy[inside] / KM_PER_DEG_LAT
    lon = port.lon + dx[inside] / (KM_PER_DEG_LON * np.cos(np.radians(port.lat)))
    return lat, lon


# -- anchorages and nearest look-up --------------------------------------------------------


@dataclass
class Anchorages:
    """Anchorage points with a grid index for "nearest within r km" queries."""

    lat: F64
    lon: F64
    label: npt.NDArray[np.str_]
    approximate: npt.NDArray[np.bool_]
    port_key: npt.NDArray[np.str_]

    def __post_init__(self) -> None:
        self._index: dict[float, _GridIndex] = {}

    def nearest(self, lat: F64, lon: F64, within_km: float) -> tuple[F64, npt.NDArray[np.int64]]:
        """Distance (km) to the nearest anchorage point within ``within_km`` (inf and -1 if none).

        Measured from the centre of the position's cell of ``QUANTUM`` degrees (about 0.28
        km, so within 0.2 km of the exact distance): positions in port repeat the same cells,
        and the exact search runs once per cell.
        """
        best = np.full(len(lat), np.inf)
        which = np.full(len(lat), -1, dtype=np.int64)
        near, d, w = self.nearest_sparse(lat, lon, within_km)
        best[near], which[near] = d, w
        return best, which

    def nearest_sparse(
        self, lat: F64, lon: F64, within_km: float
    ) -> tuple[npt.NDArray[np.int64], F64, npt.NDArray[np.int64]]:
        """``nearest`` for the positions that have an anchorage point within ``within_km``
        only: their indices (in order), distances and anchorage points."""
        index = self._index.get(within_km)
        if index is None:
            index = self._index[within_km] = _GridIndex(self.lat, self.lon, within_km)
        # Most positions are far from any anchorage: a coarse look-up dismisses them first.
        maybe = np.flatnonzero(index.coarse.covers(lat, lon))
        near = maybe[index.reachable(lat[maybe], lon[maybe])]
        if not len(near):
            return near, np.zeros(0), np.zeros(0, dtype=np.int64)
        qi = np.rint(lat[near] / QUANTUM).astype(np.int64)
        qj = np.rint(((lon[near] + 180.0) % 360.0 - 180.0) / QUANTUM).astype(np.int64)
        cells, inverse = np.unique(qi * 400_000 + qj, return_inverse=True)
        ci = np.floor_divide(cells + 200_000, 400_000)
        cj = cells - ci * 400_000
        clat, clon = ci * QUANTUM, cj * QUANTUM
        d = np.full(len(cells), np.inf)
        w = np.full(len(cells), -1, dtype=np.int64)
        # Small radii first: in a dense port the nearest point is close and few points are
        # candidates; only cells with nothing close search the full radius.
        todo = np.arange(len(cells))
        for radius in sorted({min(within_km, 0.6), min(within_km, 1.5), within_km}):
            step = self._index.get(radius)
            if step is None:
                step = self._index[radius] = _GridIndex(self.lat, self.lon, radius)
            for a in range(0, len(todo), 20_000):
                part = todo[a : a + 20_000]
                d[part], w[part] = step.nearest(clat[part], clon[part])
            todo = todo[~np.isfinite(d[todo])]
            if not len(todo):
                break
        d, w = d[inverse], w[inverse]
        found = np.flatnonzero(np.isfinite(d))
        return near[found], d[found], w[found]


class _GridIndex:
    """Points bucketed in cells about ``r`` km wide; a query looks at its cell's 3 x 3 block.

    Cells are ``r`` km tall; each row's cells are wide enough in longitude for ``r`` km at
    the most poleward latitude of the row and its neighbours, so any point within ``r`` km
    lies in the 3 x 3 block around the query's cell. Queries in cells with no anchorage in
    their block are dismissed with one look-up.
    """

    def __init__(self, lat: F64, lon: F64, r: float) -> None:
        self.lat, self.lon, self.r = lat, lon, r
        self.dlat = r / KM_PER_DEG_LAT
        self.nrows = int(np.ceil(180.0 / self.dlat)) + 2
        rows = np.arange(self.nrows)
        edge = np.minimum(np.abs(rows * self.dlat - 90.0) + 2 * self.dlat, 89.0)
        edge = np.maximum(
            edge, np.minimum(np.abs((rows + 1) * self.dlat - 90.0) + 2 * self.dlat, 89.0)
        )
        self.width = r / (KM_PER_DEG_LON * np.cos(np.radians(edge)))
        self.ncols = np.ceil(360.0 / self.width).astype(np.int64) + 1
        self.stride = int(self.ncols.max()) + 2
        key = self._key(lat, lon, 0)
        order = np.argsort(key, kind="stable")
        self.order = order
        sorted_keys = key[order]
        self.first = np.flatnonzero(np.append(True, sorted_keys[1:] != sorted_keys[:-1]))
        self.keys = sorted_keys[self.first]
        self.last = np.append(self.first[1:], len(order))
        self._reach: npt.NDArray[np.int64] | None = None
        self._coarse: CoarseMask | None = None

    @property
    def reach(self) -> npt.NDArray[np.int64]:
        """Every cell with an anchorage in its 3 x 3 block (built on first use)."""
        if self._reach is None:
            block = np.concatenate(
                [self._key(self.lat, self.lon, di, dj) for di in (-1, 0, 1) for dj in (-1, 0, 1)]
            )
            block.sort()
            self._reach = block[np.append(True, block[1:] != block[:-1])]
        return self._reach

    @property
    def coarse(self) -> CoarseMask:
        if self._coarse is None:
            self._coarse = CoarseMask.around(self)
        return self._coarse

    def _key(self, lat: F64, lon: F64, di: int, dj: int = 0) -> npt.NDArray[np.int64]:
        row = np.clip(np.floor((lat + 90.0) / self.dlat).astype(np.int64) + di, 0, self.nrows - 1)
        col = np.floor((lon + 180.0) / self.width[row]).astype(np.int64) + dj
        col = col % self.ncols[row]
        return np.asarray(row * self.stride + col, dtype=np.int64)

    def reachable(self, lat: F64, lon: F64) -> npt.NDArray[np.int64]:
        """Indices of the points with an anchorage in their cell's 3 x 3 block."""
        if len(lat) == 0 or len(self.lat) == 0:
            return np.zeros(0, dtype=np.int64)
        own = self._key(lat, lon, 0)
        pos = np.minimum(np.searchsorted(self.reach, own), len(self.reach) - 1)
        return np.flatnonzero(self.reach[pos] == own)

    def nearest(self, lat: F64, lon: F64) -> tuple[F64, npt.NDArray[np.int64]]:
        n = len(lat)
        best = np.full(n, np.inf)
        which = np.full(n, -1, dtype=np.int64)
        if n == 0 or len(self.lat) == 0:
            return best, which
        if self._reach is not None:
            # Queries with no anchorage in their block need no look-ups. (Only a shortcut:
            # a point within r lies in the query's block and the query in the point's, so
            # the search below finds the same without it.)
            own = self._key(lat, lon, 0)
            pos = np.minimum(np.searchsorted(self._reach, own), len(self._reach) - 1)
            near = np.flatnonzero(self._reach[pos] == own)
        else:
            near = np.arange(n)
        if not len(near):
            return best, which
        la, lo = lat[near], lon[near]
        # The nearest point of each of the 9 cells, then the nearest of those: no sort over
        # all candidate pairs. Ties keep the first candidate, in cell order then point order.
        d_best = np.full(len(near), np.inf)
        c_best = np.full(len(near), -1, dtype=np.int64)
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                key = self._key(la, lo, di, dj)
                pos = np.minimum(np.searchsorted(self.keys, key), len(self.keys) - 1)
                hit = np.flatnonzero(self.keys[pos] == key)
                if not len(hit):
                    continue
                a, b = self.first[pos[hit]], self.last[pos[hit]]
                count = b - a
                group = np.cumsum(count) - count
                total = int(count.sum())
                offs = np.arange(total) - np.repeat(group, count)
                c = self.order[np.repeat(a, count) + offs]
                q = np.repeat(hit, count)
                d = local_km(la[q], lo[q], self.lat[c], self.lon[c])
                d_min = np.minimum.reduceat(d, group)
                at_min = np.flatnonzero(d == np.repeat(d_min, count))
                first = at_min[np.append(True, q[at_min[1:]] != q[at_min[:-1]])]
                better = d_min < d_best[hit]
                d_best[hit[better]] = d_min[better]
                c_best[hit[better]] = c[first[better]]
        keep = np.flatnonzero(d_best <= self.r)
        best[near[keep]] = d_best[keep]
        which[near[keep]] = c_best[keep]
        return best, which


class CoarseMask:
    """A plain 0.1 degree raster marking every cell that overlaps a reachable cell of a
    ``_GridIndex``: a position in an unmarked cell has no anchorage in its 3 x 3 block, and
    the test costs one array look-up where the grid index needs a search."""

    STEP = 0.1
    ROWS = 1801
    COLS = 3600

    def __init__(self, mask: npt.NDArray[np.bool_]) -> None:
        self.mask = mask

    @classmethod
    def around(cls, index: _GridIndex) -> CoarseMask:
        rows = index.reach // index.stride
        cols = index.reach % index.stride
        width = index.width[rows]
        eps = 1e-6  # degrees: cell edges computed two ways must not fall between cells
        r0 = cls._row(rows * index.dlat - 90.0 - eps)
        r1 = cls._row((rows + 1) * index.dlat - 90.0 + eps)
        c0 = np.floor((cols * width - eps) * (1.0 / cls.STEP)).astype(np.int64)
        c1 = np.floor(((cols + 1) * width + eps) * (1.0 / cls.STEP)).astype(np.int64)
        mask = np.zeros(cls.ROWS * cls.COLS, dtype=bool)
        for dr in range(int((r1 - r0).max(initial=0)) + 1):
            for dc in range(int((c1 - c0).max(initial=0)) + 1):
                sel = (r0 + dr <= r1) & (c0 + dc <= c1)
                mask[(r0[sel] + dr) * cls.COLS + (c0[sel] + dc) % cls.COLS] = True
        return cls(mask)

    @classmethod
    def _row(cls, lat: Any) -> npt.NDArray[np.int64]:
        row = np.floor((np.asarray(lat) + 90.0) * (1.0 / cls.STEP)).astype(np.int64)
        return np.clip(row, 0, cls.ROWS - 1)

    def covers(self, lat: F64, lon: F64) -> npt.NDArray[np.bool_]:
        # Few full-size temporaries, reused in place: this runs over every position.
        cell = np.add(lat, 90.0)
        cell *= 1.0 / self.STEP
        np.floor(cell, out=cell)
        np.clip(cell, 0, self.ROWS - 1, out=cell)
        cell *= self.COLS
        col = np.add(lon, 180.0)
        col *= 1.0 / self.STEP
        np.floor(col, out=col)
        col[col >= self.COLS] -= self.COLS  # 180 is -180
        cell += col
        del col
        return self.mask.take(cell.astype(np.int32))


@functools.cache
def anchorages() -> Anchorages:
    """GFW's anchorage points and our approximate geofences for the ports GFW lacks."""
    with _data("anchorages.npz").open("rb") as handle:
        data = np.load(handle)
        lat, lon = data["lat"], data["lon"]
        label = data["labels"][data["label"]]
    lats, lons, labels, approx, keys = (
        [lat],
        [lon],
        [label],
        [np.zeros(len(lat), bool)],
        [np.full(len(lat), "", dtype=object)],
    )
    for port in ports().values():
        if port.geofence_km <= 0:
            continue
        glat, glon = _geofence_points(port)
        lats.append(glat)
        lons.append(glon)
        labels.append(np.full(len(glat), port.name.upper()))
        approx.append(np.ones(len(glat), bool))
        keys.append(np.full(len(glat), port.key, dtype=object))
    return Anchorages(
        lat=np.concatenate(lats),
        lon=np.concatenate(lons),
        label=np.concatenate([np.asarray(x, dtype=object) for x in labels]),
        approximate=np.concatenate(approx),
        port_key=np.concatenate(keys),
    )


# -- MMSI and flags ------------------------------------------------------------------------


@functools.cache
def mid_table() -> dict[int, str]:
    """MID -> the country or territory ITU allocated it to."""
    with _data("mid.csv").open("r", encoding="utf-8") as handle:
        return {int(row["MID"]): row["Allocated_to"] for row in csv.DictReader(handle)}


def ship_mid(mmsi: int) -> int | None:
    """The MID of a ship station MMSI (MIDxxxxxx, first digit 2-7), else None."""
    if 200000000 <= mmsi <= 799999999:
        return mmsi // 1000000
    return None


def in_box(lat: F64, lon: F64, bbox: tuple[float, float, float, float]) -> npt.NDArray[np.bool_]:
    x0, y0, x1, y1 = bbox
    return (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
