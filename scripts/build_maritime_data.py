"""Build the reference geography shipped in ``src/interdiction/maritime/data``.

Run once by a maintainer (not at run time, never by tests):

    uv run --with landmetrics python scripts/build_maritime_data.py ../shared/data

- ``shore_distance_0.1deg.npz``: distance to the nearest GSHHG coastline in whole km, clamped
  to -127..127 (negative over land), on landmetrics' 0.1 degree node grid (lat -90..90,
  lon -180..179.9) read from the grid file its wheel ships (landmetrics 1.0.0, MIT; grid CC BY
  4.0, from GSHHG full resolution, LGPL).
- ``anchorages.npz``: GFW's named anchorage points (anchorage_overrides.csv, Apache-2.0).
- ``ports.csv``, ``mid.csv``: copies of ports_of_interest.csv and the ITU MID table.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "src" / "interdiction" / "maritime" / "data"


def shore(out: Path) -> None:
    import landmetrics.data as lmd
    import netCDF4

    path = lmd.grid_path("distance_to_land", 0.1, 0.0) if hasattr(lmd, "grid_path") else None
    if path is None or not Path(path).exists():
        path = next(Path(lmd.__file__).parent.glob("data/distance_to_land_0.1deg*.nc"))
    ds = netCDF4.Dataset(str(path))
    var = ds["distance_to_land"]
    var.set_auto_maskandscale(False)
    km = np.asarray(var[:], dtype=np.float64) * float(var.scale_factor)
    grid = np.clip(np.round(km), -127, 127).astype(np.int8)
    assert grid.shape == (1801, 3600)
    np.savez_compressed(out / "shore_distance_0.1deg.npz", km=grid)


def anchorages(shared: Path, out: Path) -> None:
    rows = list(
        csv.DictReader(open(shared / "ports" / "gfw_anchorage_overrides.csv", encoding="utf-8"))
    )
    labels = sorted({r["label"] for r in rows})
    index = {label: i for i, label in enumerate(labels)}
    iso = sorted({r["iso3"] for r in rows})
    iso_index = {c: i for i, c in enumerate(iso)}
    np.savez_compressed(
        out / "anchorages.npz",
        lat=np.array([float(r["latitude"]) for r in rows]),
        lon=np.array([float(r["longitude"]) for r in rows]),
        label=np.array([index[r["label"]] for r in rows], dtype=np.int32),
        labels=np.array(labels),
        iso3=np.array([iso_index[r["iso3"]] for r in rows], dtype=np.int16),
        iso3_names=np.array(iso),
    )


def main() -> None:
    shared = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
    OUT.mkdir(parents=True, exist_ok=True)
    shore(OUT)
    anchorages(shared, OUT)
    shutil.copy(shared / "ports" / "ports_of_interest.csv", OUT / "ports_of_interest.csv")
    shutil.copy(shared / "ais" / "itu_MaritimeIdentificationDigits.csv", OUT / "mid.csv")


if __name__ == "__main__":
    main()
