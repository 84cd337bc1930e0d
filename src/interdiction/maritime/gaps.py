"""AIS gaps (off/on events), after Global Fishing Watch.

A gap is two consecutive usable positions of one MMSI at least ``gap_min_hours`` apart (GFW:
6 h). Each carries qualifiers, never a verdict:
- ``analysed``: at least ``gap_analysed_hours`` (GFW: 12 h);
- ``offshore``: it started more than ``gap_offshore_nm`` from shore (Welch et al. 2022: 50 nm);
- ``reception``: whether the vessel was being received well before the gap, by the configured
  model (``gap_reception_model``, named in every event): ``good``, ``poor``, or
  ``coverage unknown`` when no model applies;
- ``suspected_disabling``: analysed, offshore and good reception (Welch et al. 2022).
Everything is one pass of numpy over the sorted tracks: no per-row Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from interdiction.config import MaritimeConfig
from interdiction.maritime.events import Event, iso
from interdiction.maritime.geo import KM_PER_NM, haversine_km, shore_distance_km
from interdiction.maritime.tracks import Tracks, threshold, threshold_range

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


@dataclass
class Gaps:
    """One row per gap: the index of the position before it (``i``) and after it (``i + 1``)."""

    i: I64
    hours: F64
    km: F64
    shore_start_km: F64
    shore_end_km: F64
    prior: I64  # positions in the reception window before the gap
    prior_day: I64  # positions in the 24 h before the gap
    expected: F64  # positions expected during the gap at the prior rate
    reception: npt.NDArray[np.object_]
    analysed: npt.NDArray[np.bool_]
    offshore: npt.NDArray[np.bool_]


def find_gaps(tr: Tracks, cfg: MaritimeConfig) -> Gaps:
    n = len(tr)
    if n < 2:
        return _empty()
    dt = tr.dt()
    same = tr.same_vessel_next()
    lo_h, _ = threshold_range(cfg, "gap_min_hours")
    # Candidates at the smallest threshold any area sets, then each against its own.
    i = np.flatnonzero((dt >= lo_h * 3600.0) & same)
    if len(i):
        min_h = threshold(cfg, "gap_min_hours", tr.lat[i], tr.lon[i])
        i = i[(dt[i] >= min_h * 3600.0) & (dt[i] <= cfg.gap_max_days * 86400.0)]
    if not len(i):
        return _empty()
    hours = dt[i] / 3600.0
    km = haversine_km(tr.lat[i], tr.lon[i], tr.lat[i + 1], tr.lon[i + 1])
    shore0 = shore_distance_km(tr.lat[i], tr.lon[i])
    shore1 = shore_distance_km(tr.lat[i + 1], tr.lon[i + 1])
    # Positions of the same vessel in the windows before the gap (binary search within it).
    first = tr.vessel_first(i)
    window = cfg.gap_reception_prior_hours * 3600.0
    prior = i - first_at_or_after(tr.t, first, i, tr.t[i] - window) + 1
    prior_day = i - first_at_or_after(tr.t, first, i, tr.t[i] - 86400.0) + 1
    expected = prior / cfg.gap_reception_prior_hours * hours
    model = cfg.gap_reception_model
    if model == "expected-positions-v1":
        good = expected >= cfg.gap_reception_min_expected
    elif model == "prior-positions-v1":
        good = (prior >= cfg.gap_reception_min_prior) & (prior_day > cfg.gap_reception_min_daily)
    else:
        good = None
    reception = np.full(len(i), "coverage unknown", dtype=object)
    if good is not None:
        reception[:] = np.where(good, "good", "poor")
    analysed_h = threshold(cfg, "gap_analysed_hours", tr.lat[i], tr.lon[i])
    offshore_nm = threshold(cfg, "gap_offshore_nm", tr.lat[i], tr.lon[i])
    return Gaps(
        i=i,
        hours=hours,
        km=km,
        shore_start_km=shore0,
        shore_end_km=shore1,
        prior=prior.astype(np.int64),
        prior_day=prior_day.astype(np.int64),
        expected=expected,
        reception=reception,
        analysed=hours >= analysed_h,
        offshore=shore0 > offshore_nm * KM_PER_NM,
    )


def first_at_or_after(t: F64, lo: I64, hi: I64, target: F64) -> I64:
    """For each k: the first j in [lo[k], hi[k]] with t[j] >= target[k] (t sorted there;
    hi[k] when none before it), by a vectorised binary search over all k at once."""
    lo, hi = lo.copy(), hi.copy()
    while True:
        active = np.flatnonzero(lo < hi)
        if not len(active):
            return lo
        mid = (lo[active] + hi[active]) // 2
        right = t[mid] < target[active]
        lo[active[right]] = mid[right] + 1
        hi[active[~right]] = mid[~right]


def _empty() -> Gaps:
    z = np.zeros(0)
    zi = np.zeros(0, dtype=np.int64)
    return Gaps(
        zi, z, z, z, z, zi, zi, z, np.zeros(0, dtype=object), z.astype(bool), z.astype(bool)
    )


def gap_events(tr: Tracks, gaps: Gaps, cfg: MaritimeConfig) -> list[Event]:
    out = []
    for k in range(len(gaps.i)):
        i = int(gaps.i[k])
        j = i + 1
        suspected = bool(gaps.analysed[k] and gaps.offshore[k] and gaps.reception[k] == "good")
        severity = "medium" if suspected else "low" if gaps.analysed[k] else "info"
        mmsi = int(tr.mmsi[i])
        hours = float(gaps.hours[k])
        qualifiers = [
            "analysed" if gaps.analysed[k] else f"under {cfg.gap_analysed_hours:g} h",
            "offshore" if gaps.offshore[k] else "near shore",
            f"reception {gaps.reception[k]}",
        ]
        out.append(
            Event(
                type="ais_gap",
                mmsis=(mmsi,),
                start=float(tr.t[i]),
                end=float(tr.t[j]),
                lat=float(tr.lat[i]),
                lon=float(tr.lon[i]),
                severity=severity,  # type: ignore[arg-type]
                title=f"AIS gap of {hours:.1f} h, MMSI {mmsi}",
                summary=(
                    f"MMSI {mmsi} was not received for {hours:.1f} h, from {iso(tr.t[i])} "
                    f"to {iso(tr.t[j])}, and reappeared {gaps.km[k]:.0f} km away "
                    f"({'; '.join(qualifiers)}). A gap is a fact about reception, not by "
                    "itself evidence that AIS was switched off"
                    + (
                        "; its pattern fits suspected intentional disabling (Welch et al. 2022)."
                        if suspected
                        else "."
                    )
                ),
                params={
                    "hours": round(hours, 3),
                    "distance_km": round(float(gaps.km[k]), 3),
                    "implied_speed_kn": round(float(gaps.km[k] / KM_PER_NM / hours), 2),
                    "analysed": bool(gaps.analysed[k]),
                    "offshore": bool(gaps.offshore[k]),
                    "shore_distance_start_km": float(gaps.shore_start_km[k]),
                    "shore_distance_end_km": float(gaps.shore_end_km[k]),
                    "reception": str(gaps.reception[k]),
                    "reception_model": cfg.gap_reception_model,
                    "positions_before": int(gaps.prior[k]),
                    "positions_day_before": int(gaps.prior_day[k]),
                    "expected_positions": round(float(gaps.expected[k]), 1),
                    "suspected_disabling": suspected,
                    "end_lat": float(tr.lat[j]),
                    "end_lon": float(tr.lon[j]),
                },
                positions=[(int(tr.pos_id[i]), "start"), (int(tr.pos_id[j]), "end")],
                simulated=bool(tr.simulated[i] or tr.simulated[j]),
                geometry={
                    "type": "LineString",
                    "coordinates": [
                        [float(tr.lon[i]), float(tr.lat[i])],
                        [float(tr.lon[j]), float(tr.lat[j])],
                    ],
                },
            )
        )
    return out
