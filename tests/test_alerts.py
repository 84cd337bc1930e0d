"""The shared alerts and evidence tables: the contract every detector writes to."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from interdiction.config import Config
from interdiction.store import (
    Alert,
    DetectorRun,
    Evidence,
    Store,
    read_alerts,
    read_evidence,
    write_alerts,
)
from interdiction.store.alerts import AlertError


def _alert(**changes: object) -> Alert:
    base: dict[str, object] = dict(
        type="ais_gap",
        severity="medium",
        title="AIS off for 31 h near Rajin",
        entity_ids=["sim-vessel-1"],
        detector="maritime.gaps",
        detector_version="1",
        config_hash=Config().section_hash("lists"),
        start_time=datetime(2024, 1, 1, 0, 0),
        end_time=datetime(2024, 1, 2, 7, 0),
        lat=42.25,
        lon=130.3,
        place="Rajin (approximate geofence)",
        simulated=True,
        evidence=[
            Evidence(
                kind="position",
                summary="last position before the gap",
                ref_table="positions",
                ref_id="p1",
                data={"lat": 42.2, "lon": 130.2},
                observed_at=datetime(2024, 1, 1),
            ),
            Evidence(
                kind="position",
                summary="first position after",
                ref_table="positions",
                ref_id="p2",
                data={"lat": 42.3, "lon": 130.4},
                observed_at=datetime(2024, 1, 2, 7),
            ),
        ],
    )
    base.update(changes)
    return Alert(**base)  # type: ignore[arg-type]


def test_alerts_and_evidence_round_trip(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        run = DetectorRun("maritime.gaps", "1", "abc", params={"min_hours": 12})
        written = write_alerts(store, run, [_alert()])
        assert written == {"alerts": 1, "evidence": 2}
        alerts = read_alerts(store, entity_id="sim-vessel-1")
        assert len(alerts) == 1 and alerts[0]["simulated"] and alerts[0]["run_id"] == run.run_id
        evidence = read_evidence(store, alerts[0]["id"])
        assert [e["ref_id"] for e in evidence] == ["p1", "p2"]
        assert all(e["simulated"] for e in evidence)


def test_same_finding_twice_is_one_row(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        write_alerts(store, DetectorRun("maritime.gaps", "1", "abc"), [_alert()])
        write_alerts(store, DetectorRun("maritime.gaps", "1", "abc"), [_alert(severity="high")])
        rows = read_alerts(store)
        assert len(rows) == 1 and rows[0]["severity"] == "high"
        assert store.con.execute("SELECT count(*) FROM evidence").fetchall() == [(2,)]
        assert store.con.execute("SELECT count(*) FROM detector_runs").fetchall() == [(2,)]


def test_replace_previous_drops_stale_findings(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        write_alerts(store, DetectorRun("maritime.gaps", "1", "abc"), [_alert(), _alert(key="b")])
        write_alerts(
            store, DetectorRun("maritime.gaps", "1", "abc"), [_alert()], replace_previous=True
        )
        assert len(read_alerts(store)) == 1


def test_an_alert_needs_evidence(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        before = store.version()
        with pytest.raises(AlertError, match="evidence"):
            write_alerts(store, DetectorRun("x", "1", "abc"), [_alert(evidence=[])])
        with pytest.raises(AlertError, match="severity"):
            write_alerts(store, DetectorRun("x", "1", "abc"), [_alert(severity="urgent")])
        assert store.version() == before and read_alerts(store) == []
