"""Run the maritime detectors over the store and write their alerts: the public entry point.

The usable positions are read once, in MMSI ranges of about ``chunk_positions`` rows (whole
vessels, sorted by vessel and time), so memory is bounded whatever the store's size. Each
chunk goes through every per-vessel detector (gaps, dark port calls, port visits, loitering,
spoofing), which share what they derive from it (``Tracks.memo``), and gives the encounter
search its seed points; encounters, which pair vessels of any chunks, are then followed
around their seeds from positions read back for those vessels and times only. Identity
checks run as SQL over the static reports. Each detector writes its alerts in one
transaction with its name, version and the hash of the ``maritime`` configuration section.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from interdiction.config import Config
from interdiction.maritime.dark_calls import dark_calls
from interdiction.maritime.encounters import Resampled, find_windows, follow, seed_points
from interdiction.maritime.events import Event, to_alerts
from interdiction.maritime.gaps import find_gaps, gap_events
from interdiction.maritime.identity import identity_events, resumed_identities
from interdiction.maritime.loitering import loitering
from interdiction.maritime.port_visits import port_visits
from interdiction.maritime.spoofing import spoofing
from interdiction.maritime.tables import MARITIME
from interdiction.maritime.tracks import Bbox, Tracks, count_positions, iter_tracks, read_spans
from interdiction.store import DetectorRun, Store, write_alerts

VERSION = "1"
DETECTORS = ("gaps", "dark_calls", "port_visits", "encounters", "loitering", "spoofing", "identity")
Progress = Callable[[str, int | None, int | None], None]


@dataclass
class DetectReport:
    positions: int = 0
    alerts: Counter[str] = field(default_factory=Counter)
    port_visit_confidence: Counter[int] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "positions": self.positions,
            "alerts": dict(self.alerts),
            "port_visits_by_confidence": {
                str(k): v for k, v in sorted(self.port_visit_confidence.items())
            },
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def _ends(tr: Tracks) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    first, last = tr.vessel_bounds()

    count = last - first + 1

    def take(idx: np.ndarray) -> dict[str, np.ndarray]:
        return {
            "positions": count,
            "mmsi": tr.mmsi[idx],
            "t": tr.t[idx],
            "lat": tr.lat[idx],
            "lon": tr.lon[idx],
            "pos_id": tr.pos_id[idx],
            "simulated": tr.simulated[idx],
        }

    return take(last), take(first)


def listed_vessels(store: Store) -> dict[int, list[str]]:
    """MMSI -> ids of listed vessels whose IMO number that MMSI broadcast."""
    if not store.has_table("statements") or not store.has_table("ais_static"):
        return {}
    rows = store.con.execute(
        """SELECT DISTINCT s.mmsi, st.canonical_id
        FROM (SELECT DISTINCT mmsi, imo FROM ais_static WHERE imo IS NOT NULL) s
        JOIN statements st ON st.prop = 'imoNumber' AND st.retired IS NULL
         AND st.value = 'IMO' || lpad(CAST(s.imo AS VARCHAR), 7, '0')"""
    ).fetchall()
    out: dict[int, list[str]] = {}
    for mmsi, entity in rows:
        out.setdefault(int(mmsi), []).append(entity)
    return out


def detect(
    store: Store,
    config: Config | None = None,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    bbox: Bbox | None = None,
    detectors: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> DetectReport:
    """Run the detectors over the positions in scope and write their alerts."""
    config = config or Config()
    cfg = config.maritime
    chosen = tuple(detectors or DETECTORS)
    unknown = set(chosen) - set(DETECTORS)
    if unknown:
        raise ValueError(f"unknown detectors {sorted(unknown)}; known: {', '.join(DETECTORS)}")
    say = progress or (lambda _s, _d, _t: None)
    store.ensure(MARITIME)
    report = DetectReport(positions=count_positions(store, since, until, bbox))
    events: dict[str, list[Event]] = {name: [] for name in chosen}
    clock: dict[str, float] = {}
    ends_parts, starts_parts = [], []
    seeds: list[Resampled] = []
    done = 0
    if chosen:  # identity too: it needs where each track starts and ends
        for tr in iter_tracks(store, cfg, since, until, bbox):
            done += len(tr)
            say("detecting (per vessel)", done, report.positions)
            if "gaps" in chosen or "dark_calls" in chosen:
                t0 = time.perf_counter()
                gaps = find_gaps(tr, cfg)
                if "gaps" in chosen:
                    events["gaps"].extend(gap_events(tr, gaps, cfg))
                clock["gaps"] = clock.get("gaps", 0.0) + time.perf_counter() - t0
                if "dark_calls" in chosen:
                    t0 = time.perf_counter()
                    events["dark_calls"].extend(dark_calls(tr, gaps, cfg))
                    clock["dark_calls"] = clock.get("dark_calls", 0.0) + time.perf_counter() - t0
            if "port_visits" in chosen:
                t0 = time.perf_counter()
                found, counts = port_visits(tr, cfg)
                events["port_visits"].extend(found)
                report.port_visit_confidence.update(counts)
                clock["port_visits"] = clock.get("port_visits", 0.0) + time.perf_counter() - t0
            for name, fn in (("loitering", loitering), ("spoofing", spoofing)):
                if name in chosen:
                    t0 = time.perf_counter()
                    events[name].extend(fn(tr, cfg))
                    clock[name] = clock.get(name, 0.0) + time.perf_counter() - t0
            if "encounters" in chosen:
                t0 = time.perf_counter()
                seeds.append(seed_points(tr, cfg))
                clock["encounters"] = clock.get("encounters", 0.0) + time.perf_counter() - t0
            e, s = _ends(tr)
            ends_parts.append(e)
            starts_parts.append(s)
            del tr
    if "encounters" in chosen:
        t0 = time.perf_counter()
        say("following encounters", None, None)
        events["encounters"] = _encounters(store, config, seeds, since, until, bbox)
        clock["encounters"] = clock.get("encounters", 0.0) + time.perf_counter() - t0
    if "identity" in chosen:
        t0 = time.perf_counter()
        events["identity"] = identity_events(store, cfg, since, until, bbox)
        if ends_parts:
            ends = {k: np.concatenate([p[k] for p in ends_parts]) for k in ends_parts[0]}
            starts = {k: np.concatenate([p[k] for p in starts_parts]) for k in starts_parts[0]}
            events["identity"].extend(resumed_identities(ends, starts, cfg, store))
        clock["identity"] = clock.get("identity", 0.0) + time.perf_counter() - t0
    listed = listed_vessels(store)
    scoped = since is not None or until is not None or bbox is not None
    config_hash = config.section_hash("maritime")
    for name in chosen:
        say(f"writing {name} alerts", None, None)
        alerts = to_alerts(
            store,
            events[name],
            detector=f"maritime.{name}",
            version=VERSION,
            config_hash=config_hash,
            listed=listed,
        )
        run = DetectorRun(
            detector=f"maritime.{name}",
            detector_version=VERSION,
            config_hash=config_hash,
            params={
                "since": since.isoformat() if since else None,
                "until": until.isoformat() if until else None,
                "bbox": list(bbox) if bbox else None,
            },
            inputs={"store_version": store.version(), "positions": report.positions},
        )
        write_alerts(store, run, alerts, replace_previous=not scoped)
        for alert in alerts:
            report.alerts[alert.type] += 1
    report.seconds = dict(clock)
    return report


def _encounters(
    store: Store,
    config: Config,
    seeds: list[Resampled],
    since: datetime | None,
    until: datetime | None,
    bbox: Bbox | None,
) -> list[Event]:
    """Pairs seeded in any chunk, followed on their vessels' positions around the seeds."""
    cfg = config.maritime
    windows = find_windows(Resampled.concat(seeds), cfg)
    if not len(windows):
        return []
    vessel, t0, t1 = windows.spans(cfg)
    tr, steps = read_spans(store, vessel, t0, t1, since, until, bbox)
    return follow(tr, windows, cfg, steps)
