"""Simulator identities, the vessel view, sightings, exports and the ais/vessels commands."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from interdiction.cli import app
from interdiction.maritime.geo import mid_table, ports, shore_distance_km
from interdiction.maritime.simulate import SCENARIOS, Simulation, nexus
from interdiction.maritime.vessels import add_sighting, vessel_view
from interdiction.store import Store

FIX = Path(__file__).parent / "fixtures" / "maritime"
runner = CliRunner()


def test_simulated_identities_are_fictitious(loaded_store_path: Path) -> None:
    data = nexus(seed=4)
    mids = {v.mmsi // 1_000_000 for v in data.vessels}
    assert mids == {799} and 799 not in mid_table()
    assert all(v.imo is None or v.imo < 1_000_000 for v in data.vessels)
    names = {v.name for v in data.vessels}
    with Store.open(loaded_store_path, read_only=True) as store:
        listed = {
            r[0].upper()
            for r in store.con.execute(
                "SELECT value FROM statements WHERE schema = 'Vessel' AND prop IN ('name', 'alias')"
            ).fetchall()
        }
    assert not names & listed
    fixture_names = {
        row["VesselName"]
        for row in csv.DictReader((FIX / "marinecadastre_AIS_2022-01-03_rows1-1500.csv").open())
    }
    assert not names & fixture_names


def test_simulation_is_seeded_and_at_sea() -> None:
    a, b = nexus(seed=9), nexus(seed=9)
    assert a.digest() == b.digest() and nexus(seed=10).digest() != a.digest()
    pos = a.positions
    shore = shore_distance_km(pos["lat"], pos["lon"])
    near_port = np.zeros(len(shore), dtype=bool)
    for p in ports().values():
        near_port |= (np.abs(pos["lat"] - p.lat) < 0.15) & (np.abs(pos["lon"] - p.lon) < 0.2)
    # Away from ports every simulated position is at sea (0.1 degree coastline grid).
    assert (shore[~near_port] >= -6).all()


def test_scenarios_compose() -> None:
    sim = Simulation(seed=1)
    SCENARIOS["sts_transfer"](sim)
    SCENARIOS["identity_change"](sim)
    data = sim.run()
    assert {p.type for p in data.truth} >= {"ais_encounter", "ais_identity"}
    assert sim.scenarios == ["sts_transfer", "identity_change"]


def test_vessel_view_reports_sanctions_by_imo_and_sightings(bundle_store: Path) -> None:
    with Store.open(bundle_store) as store:
        add_sighting(
            store, time=datetime(2024, 3, 2, 6, 0), lat=42.23, lon=130.30,
            source="constructed test sighting", imo=9179842, reliability="C3",
        )  # fmt: skip
        view = vessel_view(store, "IMO 9179842")
        assert view["sanctions"][0]["entity_id"] == "ofac-37059"
        assert view["sanctions"][0]["status"] == "listed"
        assert "RUSSIA-EO14024" in view["sanctions"][0]["programs"]
        assert view["sightings"][0]["source"] == "constructed test sighting"
        by_name = vessel_view(store, "ANGARA")
        assert 9179842 in by_name["imos"]
        with pytest.raises(ValueError, match="check digit"):
            vessel_view(store, "9179843")


def test_cli_load_detect_events_and_vessel(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.duckdb")
    bad = tmp_path / "bad.nmea"
    shutil.copy(FIX / "pyais_nmea_data_sample.txt", bad)
    result = runner.invoke(
        app, ["ais", "load", str(bad), str(FIX / "dma_stream_lines1-1000.txt"), "--db", db, "-q"]
    )
    assert result.exit_code == 0, result.output
    assert "quarantined 120 (empty-payload 100, missing-fragment 20)" in result.output
    result = runner.invoke(
        app, ["ais", "issues", "--db", db, "--code", "missing-fragment", "--json"]
    )
    assert json.loads(result.stdout)[0]["line"] == 96
    assert runner.invoke(app, ["ais", "simulate", "--seed", "2", "--db", db]).exit_code == 0
    result = runner.invoke(app, ["ais", "detect", "--db", db, "-q", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["alerts"]["ais_gap"] >= 2
    out = tmp_path / "gaps.csv"
    result = runner.invoke(
        app, ["ais", "events", "--type", "ais_gap", "--format", "csv", "-o", str(out), "--db", db]
    )
    assert result.exit_code == 0
    rows = list(csv.DictReader(out.open()))
    assert rows and all(r["simulated"] == "True" for r in rows)
    geo = tmp_path / "events.geojson"
    runner.invoke(app, ["ais", "events", "--format", "geojson", "-o", str(geo), "--db", db])
    collection = json.loads(geo.read_text())
    assert collection["simulated"] is True and "SIMULATED" in collection["notice"]
    track = tmp_path / "track.geojson"
    result = runner.invoke(app, ["vessels", "show", "799002001", "--db", db, "--track", str(track)])
    assert result.exit_code == 0 and "SIMULATED" in result.stdout
    assert json.loads(track.read_text())["features"][0]["properties"]["simulated"] is True


def test_cli_errors_have_exit_codes(tmp_path: Path) -> None:
    from interdiction.cli import main

    db = str(tmp_path / "e.duckdb")
    empty = tmp_path / "empty.nmea"
    empty.write_text("")
    codes = []
    for args in (
        ["ais", "load", str(empty), "--db", db],
        ["ais", "detect", "--bbox", "1,2,3", "--db", db],
        ["vessels", "show", "799999999", "--db", db],
    ):
        try:
            import sys

            sys.argv = ["interdiction", *args]
            main()
        except SystemExit as exc:
            codes.append(exc.code)
    assert codes == [3, 2, 7]
