"""Detectors on constructed tracks (fictitious MMSIs, MID 799) and on simulated scenarios."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interdiction.config import AreaOverride, Config, MaritimeConfig
from interdiction.maritime.detect import detect
from interdiction.maritime.encounters import (
    Resampled,
    _at_sea,
    _close,
    _events,
    close_pairs,
    encounters,
    resample,
    seed_stride,
)
from interdiction.maritime.events import ts
from interdiction.maritime.gaps import find_gaps
from interdiction.maritime.geo import (
    anchorages,
    haversine_km,
    nearest_port_km,
    ports,
    shore_distance_km,
)
from interdiction.maritime.load import ingest_chunks
from interdiction.maritime.loitering import loitering
from interdiction.maritime.port_visits import port_visits
from interdiction.maritime.quality import evaluate
from interdiction.maritime.simulate import nexus, traffic_chunk, write_simulated
from interdiction.maritime.spoofing import spoofing
from interdiction.maritime.tracks import Tracks, read_tracks, threshold_range
from interdiction.store import Store, read_alerts, read_evidence

CFG = MaritimeConfig()
T0 = datetime(2024, 3, 1).timestamp()
SEA = (36.5, 123.5)  # open Yellow Sea, about 100 km from shore


def track(mmsi: int, points: list[tuple[float, float, float, float]]) -> dict[str, Any]:
    """(hours after T0, lat, lon, sog) rows for one vessel."""
    arr = np.array(points, dtype=float)
    return {
        "mmsi": np.full(len(arr), mmsi),
        "t": T0 + arr[:, 0] * 3600,
        "lat": arr[:, 1],
        "lon": arr[:, 2],
        "sog": arr[:, 3],
    }


def tracks(*parts: dict[str, Any]) -> Tracks:
    cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    return Tracks.from_arrays(**cols)


def steady(
    mmsi: int,
    hours: float,
    lat: float,
    lon: float,
    sog: float,
    every_min: float = 10,
    dlat: float = 0.0,
) -> dict[str, Any]:
    n = int(hours * 60 / every_min) + 1
    return track(mmsi, [(k * every_min / 60, lat + dlat * k, lon, sog) for k in range(n)])


def test_gap_qualifiers() -> None:
    before = [(k / 6, SEA[0], SEA[1] + k * 0.01, 10) for k in range(80)]  # 13 h, every 10 min
    after = [(40 + k / 6, SEA[0], SEA[1] + 1 + k * 0.01, 10) for k in range(5)]
    tr = tracks(track(799000001, before + after))
    gaps = find_gaps(tr, CFG)
    assert len(gaps.i) == 1
    assert gaps.analysed[0] and gaps.offshore[0]
    assert gaps.reception[0] == "good"  # 73 positions in 12 h: far more than 20 expected
    none = find_gaps(tr, CFG.model_copy(update={"gap_reception_model": "none"}))
    assert none.reception[0] == "coverage unknown"
    short = tracks(track(799000001, [(0, *SEA, 5), (5.9, SEA[0], SEA[1] + 0.5, 5)]))
    assert len(find_gaps(short, CFG).i) == 0


def test_port_visit_confidence() -> None:
    rajin = ports()["rajin"]
    out = (rajin.lat - 0.15, rajin.lon + 0.15)
    # sail in, stop, sail out: entry, exit and a stop -> confidence 4
    path = [(0, *out, 8), (1, rajin.lat - 0.01, rajin.lon, 3), (2, rajin.lat, rajin.lon, 0.0),
            (8, rajin.lat, rajin.lon, 0.1), (9, rajin.lat - 0.01, rajin.lon, 3), (10, *out, 8)]  # fmt: skip
    events, counts = port_visits(tracks(track(799000002, path)), CFG)
    assert counts == {1: 0, 2: 0, 3: 0, 4: 1}
    visit = events[0]
    assert visit.params["approximate"] and visit.params["port"] == "rajin"
    assert visit.severity == "high" and "approximate" in visit.title
    # AIS off, seen in port, off again: only a stop -> confidence 2
    seen = [(0, rajin.lat, rajin.lon, 0.0), (3, rajin.lat, rajin.lon, 0.1)]
    _, counts = port_visits(tracks(track(799000003, seen)), CFG)
    assert counts[2] == 1


def test_encounter_needs_distance_duration_speed_and_open_sea() -> None:
    a = steady(799000004, 4, *SEA, 0.5, dlat=0.00005)
    near = steady(799000005, 4, SEA[0] + 0.002, SEA[1], 0.5, dlat=0.00005)  # ~220 m
    far = steady(799000006, 4, SEA[0] + 0.012, SEA[1], 0.5)  # over 1 km from both
    found = encounters(tracks(a, near, far), CFG)
    assert [e.mmsis for e in found] == [(799000004, 799000005)]
    assert found[0].params["hours"] >= 2
    brief = steady(799000007, 1.5, SEA[0] + 0.002, SEA[1], 0.5)
    assert encounters(tracks(steady(799000004, 1.5, *SEA, 0.5), brief), CFG) == []
    fast = [
        steady(m, 4, SEA[0] + d, SEA[1], 8, dlat=0.0223)
        for m, d in ((799000008, 0), (799000009, 0.002))
    ]
    assert encounters(tracks(*fast), CFG) == []


def test_encounter_anchorage_exclusion_and_area_override() -> None:
    # At anchor in outer Nakhodka Bay: within 10 km of GFW anchorage points, away from quays.
    bay = (42.70, 132.93)
    d, _ = anchorages().nearest(np.array([bay[0]]), np.array([bay[1]]), 10.0)
    assert d[0] < CFG.encounter_min_anchorage_km
    pair = [steady(799000010, 4, *bay, 0.3), steady(799000011, 4, bay[0] + 0.002, bay[1], 0.3)]
    assert len(encounters(tracks(*pair), CFG)) == 1  # inside the Nakhodka override box
    no_override = CFG.model_copy(update={"areas": ()})
    assert encounters(tracks(*pair), no_override) == []


def test_ships_moored_at_neighbouring_berths_are_no_encounter() -> None:
    # Two ships side by side at a GFW port cell of Nakhodka, 0.8 km from the port's point:
    # the override box lifts the anchorage exclusion, the berth rule keeps them out.
    a = anchorages()
    k = int(np.flatnonzero(a.label == "NAKHODKA")[0])
    lat, lon = float(a.lat[k]), float(a.lon[k])
    port = ports()["nakhodka"]
    assert nearest_port_km(np.array([lat]), np.array([lon]))[0] < 2.0
    assert haversine_km(lat, lon, port.lat, port.lon) < 2.0
    pair = [steady(799000010, 4, lat, lon, 0.0), steady(799000011, 4, lat + 0.002, lon, 0.0)]
    assert encounters(tracks(*pair), CFG) == []
    area = CFG.areas[0]
    no_berths = CFG.model_copy(
        update={
            "areas": (area.model_copy(update={"set": {**area.set, "encounter_min_port_km": 0.0}}),)
        }
    )
    assert len(encounters(tracks(*pair), no_berths)) == 1


def test_encounter_distance_follows_the_area() -> None:
    # 800 m apart: too far by default, close enough where an area allows 1 km.
    pair = [steady(799000020, 4, *SEA, 0.3), steady(799000021, 4, SEA[0] + 0.0072, SEA[1], 0.3)]
    assert encounters(tracks(*pair), CFG) == []
    box = (SEA[1] - 1, SEA[0] - 1, SEA[1] + 1, SEA[0] + 1)
    wide = CFG.model_copy(
        update={
            "areas": (
                AreaOverride(name="wide", bbox=box, set={"encounter_max_distance_m": 1000.0}),
            )
        }
    )
    found = encounters(tracks(*pair), wide)
    assert len(found) == 1 and found[0].params["max_distance_m"] == 1000.0


def every_slot(tr: Tracks, cfg: MaritimeConfig) -> list[Any]:
    """The unseeded search: every slot resampled, every close pair in every slot."""
    pts = resample(tr, cfg)
    pts = pts.take(np.argsort(pts.slot, kind="stable"))
    _, max_m = threshold_range(cfg, "encounter_max_distance_m")
    p, q = close_pairs(pts, max_m)
    p, q = _at_sea(pts, *_close(pts, p, q, cfg), cfg)
    return _events(tr, pts, p, q, cfg)


def wandering(seed: int, vessels: int, hours: float) -> Tracks:
    """Vessels drifting a few hundred metres around one point, now and then moving off for
    a while, with irregular reports and silences: pairs come close and part at random."""
    rng = np.random.default_rng(seed)
    parts = []
    for v in range(vessels):
        n = int(hours * 60 / 5)
        gaps = np.where(rng.random(n) < 0.02, rng.uniform(0.5, 3.0, n) * 3600, 0.0)
        t = T0 + np.cumsum(rng.uniform(20, 600, n) + gaps)
        away = np.repeat(rng.random(n // 20 + 1) < 0.25, 20)[:n] * rng.uniform(0.005, 0.02)
        drift = np.cumsum(rng.normal(0, 0.0004, (n, 2)), axis=0)
        drift -= np.cumsum(drift * 0.05, axis=0) * 0.5  # pulled back towards the point
        lat = SEA[0] + drift[:, 0] + away
        lon = SEA[1] + drift[:, 1]
        parts.append({"mmsi": np.full(n, 799000100 + v), "t": t, "lat": lat, "lon": lon,
                      "sog": np.full(n, np.nan)})  # fmt: skip
    return tracks(*parts)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    vessels=st.integers(2, 6),
    minutes=st.sampled_from([5.0, 10.0, 15.0]),
    min_hours=st.sampled_from([0.25, 0.5, 1.0, 2.0]),
    max_m=st.sampled_from([300.0, 500.0, 1500.0]),
    interp_h=st.sampled_from([0.5, 1.0]),
    area_hours=st.sampled_from([None, 0.3, 3.0]),
)
def test_seeded_search_finds_what_every_slot_finds(
    seed: int,
    vessels: int,
    minutes: float,
    min_hours: float,
    max_m: float,
    interp_h: float,
    area_hours: float | None,
) -> None:
    areas = ()
    if area_hours is not None:  # half the sea with its own duration and distance
        box = (SEA[1], SEA[0] - 1, SEA[1] + 1, SEA[0] + 1)
        areas = (AreaOverride(name="half", bbox=box,
                              set={"encounter_min_hours": area_hours, "encounter_max_distance_m": 800.0}),)  # fmt: skip
    cfg = CFG.model_copy(
        update={
            "encounter_resample_minutes": minutes,
            "encounter_min_hours": min_hours,
            "encounter_max_distance_m": max_m,
            "encounter_max_median_speed_kn": 5.0,
            "encounter_max_interpolation_hours": interp_h,
            "areas": areas,
        }
    )
    tr = wandering(seed, vessels, hours=24)
    expected = every_slot(tr, cfg)
    assert [e.__dict__ for e in encounters(tr, cfg)] == [e.__dict__ for e in expected]


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), max_m=st.sampled_from([100.0, 500.0, 2000.0]))
def test_close_pairs_are_every_pair_within_the_distance(seed: int, max_m: float) -> None:
    rng = np.random.default_rng(seed)
    n = 300
    pts = Resampled(
        vessel=rng.integers(0, 40, n),
        slot=rng.integers(0, 4, n),
        lat=SEA[0] + rng.normal(0, 0.01, n),
        lon=SEA[1] + rng.normal(0, 0.01, n),
        speed=np.zeros(n),
        before=np.zeros(n, np.int64),
    )
    p, q = close_pairs(pts, max_m)
    found = {(int(a), int(b)) for a, b in zip(p, q, strict=True)}
    i, j = np.triu_indices(n, 1)
    d = haversine_km(pts.lat[i], pts.lon[i], pts.lat[j], pts.lon[j]) * 1000
    ok = (pts.slot[i] == pts.slot[j]) & (pts.vessel[i] != pts.vessel[j]) & (d <= max_m)
    want = {
        (int(a), int(b)) if pts.vessel[a] < pts.vessel[b] else (int(b), int(a))
        for a, b in zip(i[ok], j[ok], strict=True)
    }
    assert found == want


def test_seed_stride_covers_the_shortest_run() -> None:
    for minutes, hours in ((10.0, 2.0), (10.0, 1.0), (15.0, 0.25), (7.0, 1.0), (10.0, 0.1)):
        cfg = CFG.model_copy(
            update={"encounter_resample_minutes": minutes, "encounter_min_hours": hours}
        )
        k = seed_stride(cfg)
        step_h = minutes / 60.0
        shortest = next(m for m in range(10_000) if m * step_h >= hours)
        # Every run of shortest + 1 slots holds a multiple of k, and k is no smaller than
        # it needs to be.
        assert k == shortest + 1


def test_loitering_offshore_only() -> None:
    slow = steady(799000012, 6, *SEA, 0.8)
    assert len(loitering(tracks(slow), CFG)) == 1
    vladivostok = ports()["vladivostok"]
    inshore = steady(799000013, 6, vladivostok.lat - 0.05, vladivostok.lon, 0.8)
    assert loitering(tracks(inshore), CFG) == []


def test_spoofing_signs() -> None:
    alternating = [(k / 20, SEA[0] + (1.0 if k % 2 else 0.0), SEA[1], 0.2) for k in range(12)]
    found = spoofing(tracks(track(799000014, alternating)), CFG)
    assert [e.params["kind"] for e in found] == ["shared-mmsi"]
    jump = [(0, *SEA, 10), (0.1, SEA[0] + 2, SEA[1], 10), (0.2, SEA[0] + 2.01, SEA[1], 10)]
    assert [e.params["kind"] for e in spoofing(tracks(track(799000015, jump)), CFG)] == [
        "implied-speed"
    ]
    noise = [(0, *SEA, 10), (0.001, SEA[0] + 0.001, SEA[1], 10)]  # 110 m in 4 s: GPS noise
    assert spoofing(tracks(track(799000016, noise)), CFG) == []
    inland = (41.5, 128.5)  # inside the Korean peninsula
    assert shore_distance_km(*inland) < -20
    blip = [(0, *SEA, 10), (1, *inland, 10), (20, SEA[0], SEA[1] + 0.5, 10)]
    kinds = [e.params["kind"] for e in spoofing(tracks(track(799000017, blip)), CFG)]
    assert "on-land" in kinds


@pytest.fixture(scope="module")
def nexus_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    data = nexus(seed=11)
    path = tmp_path_factory.mktemp("nexus") / "sim.duckdb"
    with Store.open(path) as store:
        write_simulated(store, data)
        detect(store, Config())
    return path, data


def test_planted_events_are_found(nexus_store: tuple[Path, Any]) -> None:
    path, data = nexus_store
    with Store.open(path, read_only=True) as store:
        scores = {s.type: s for s in evaluate(data.truth, read_alerts(store))}
    for kind in (
        "ais_gap",
        "ais_dark_port_call",
        "ais_encounter",
        "ais_spoofing",
        "ais_identity",
        "ais_loitering",
    ):
        assert scores[kind].recall == 1.0, scores[kind].to_dict()
    assert scores["ais_port_visit"].recall >= 0.9
    for kind in ("ais_gap", "ais_encounter", "ais_identity", "ais_port_visit"):
        assert scores[kind].precision == 1.0, scores[kind].to_dict()


def test_every_alert_rests_on_stored_evidence(nexus_store: tuple[Path, Any]) -> None:
    path, _ = nexus_store
    with Store.open(path, read_only=True) as store:
        alerts = read_alerts(store)
        assert alerts and all(
            a["simulated"] and a["title"].startswith("[SIMULATED]") for a in alerts
        )
        for alert in alerts:
            evidence = read_evidence(store, alert["id"])
            assert evidence, alert["title"]
            for ev in evidence:
                table = ev["ref_table"]
                key = "pos_id" if table == "ais_positions" else "static_id"
                found = store.con.execute(
                    f"SELECT count(*) FROM {table} WHERE {key} = ?", [int(ev["ref_id"])]
                ).fetchall()
                assert found == [(1,)]
        config_hashes = {a["config_hash"] for a in alerts}
        assert config_hashes == {Config().section_hash("maritime")}


def test_detect_is_rerunnable_and_scoped(nexus_store: tuple[Path, Any], tmp_path: Path) -> None:
    path, _ = nexus_store
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(path.read_bytes())
    with Store.open(copy) as store:
        before = len(read_alerts(store))
        detect(store, Config())
        assert len(read_alerts(store)) == before
        report = detect(store, Config(), bbox=(120.0, 36.0, 124.0, 37.0), detectors=["encounters"])
        assert report.alerts["ais_encounter"] == 1


def test_bulk_traffic_runs_every_detector(tmp_path: Path) -> None:
    from interdiction.maritime.simulate import traffic

    cols = traffic(20_000, vessels=60, seed=2)
    with Store.open(tmp_path / "t.duckdb") as store:
        ingest_chunks(
            store, [traffic_chunk(cols)], name="traffic", origin="test", digest="t1", size=1,
            reader="simulator", dataset="sim-traffic", simulated=True, cfg=CFG,
        )  # fmt: skip
        small = Config(maritime=MaritimeConfig(chunk_positions=5000))
        report = detect(store, small)
        assert report.positions == 20_000
        assert report.alerts["ais_gap"] > 0 and report.alerts["ais_encounter"] > 0
        # Encounters seeded chunk by chunk and followed from the store are those found with
        # every vessel in memory.
        in_memory = encounters(read_tracks(store), CFG)
        stored = store.con.execute(
            "SELECT title, start_time, end_time FROM alerts WHERE type = 'ais_encounter'"
            " ORDER BY title, start_time"
        ).fetchall()
        assert len(stored) == len(in_memory) == report.alerts["ais_encounter"]
        assert (
            sorted((("[SIMULATED] " + e.title), ts(e.start), ts(e.end)) for e in in_memory)
            == stored
        )
