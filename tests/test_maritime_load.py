"""Loading AIS into the store: CSV layouts, quarantine, duplicates, one transaction per file."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest

from interdiction.config import Config, ConfigError, load_config
from interdiction.maritime import load as loader
from interdiction.maritime.load import load_ais
from interdiction.sources.ais_csv import mapped_layout, read_csv
from interdiction.sources.base import InputError
from interdiction.store import Store

FIX = Path(__file__).parent / "fixtures" / "maritime"
CADASTRE = FIX / "marinecadastre_AIS_2022-01-03_rows1-1500.csv"
DMA = FIX / "dma_stream_lines1-1000.txt"
PYAIS = FIX / "pyais_nmea_data_sample.txt"


def counts(store: Store, sql: str) -> list[tuple[object, ...]]:
    return store.con.execute(sql).fetchall()


def test_marinecadastre_csv_rows_and_static_changes() -> None:
    chunks = list(read_csv(CADASTRE))
    total: Counter[str] = Counter()
    for c in chunks:
        total.update(c.counts)
    assert total["rows"] == 1500 and total["position rows"] == 1500
    pos = chunks[0].positions
    assert pos["line"][0] == 2 and pos["mmsi"][0] == 338148873
    assert abs(pos["lat"][0] - 33.60716) < 1e-9
    # "IMO8207721" -> 8207721; static rows only when a vessel's static fields change.
    static = chunks[0].static
    assert 8207721 in static["imo"].tolist()
    assert len(static["mmsi"]) == len(set(static["mmsi"].tolist()))


def test_bad_csv_rows_are_quarantined_with_their_lines(tmp_path: Path) -> None:
    lines = CADASTRE.read_text().splitlines()[:6]
    lines[2] = lines[2].replace("30.3706", "north")  # line 3: bad latitude
    lines[3] = lines[3] + ",extra"  # line 4: one field too many
    lines[4] = lines[4].replace("2022-01-03T00:00:09", "03/01/2022")  # line 5: bad time
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n")
    chunks = list(read_csv(path))
    issues = sorted((i.line, i.code) for c in chunks for i in c.issues)
    assert issues == [(3, "bad-position"), (4, "bad-row"), (5, "bad-time")]
    kept = [int(x) for c in chunks for x in c.positions["line"]]
    assert kept == [2, 6]


def test_dma_layout_and_a_column_mapping(tmp_path: Path) -> None:
    # Constructed in the DMA "aisdk" layout, with fictitious MMSIs (MID 799).
    header = ("# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,"
              "COG,Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,"
              "Type of position fixing device,Draught,Destination,ETA,Data source type,A,B,C,D")  # fmt: skip
    rows = [
        "01/03/2024 00:00:00,Class A,799000001,55.1,10.2,Under way using engine,0,11.2,90.1,91,Unknown,XSIM1,SIM ORCHID,Cargo,,20,120,GPS,6.5,AARHUS,,AIS,,,,",
        "01/03/2024 00:01:00,Base Station,799000002,55.0,10.0,Unknown value,,,,,Unknown,,,Undefined,,,,GPS,,,,AIS,,,,",
    ]
    path = tmp_path / "aisdk.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    chunk = next(read_csv(path))
    assert chunk.positions["mmsi"].tolist() == [799000001]
    assert chunk.positions["nav_status"].tolist() == [0]
    assert chunk.static["ship_type"].tolist() == [70]
    assert chunk.counts["not used: not a vessel"] == 1
    other = tmp_path / "other.csv"
    other.write_text("ship,when,y,x\n799000003,2024-03-01 10:00,36.5,123.5\n")
    layout = mapped_layout({"mmsi": "ship", "ts": "when", "lat": "y", "lon": "x"}, "%Y-%m-%d %H:%M")
    chunk = next(read_csv(other, layout))
    assert chunk.positions["lat"].tolist() == [36.5]
    with pytest.raises(ValueError, match="must name"):
        mapped_layout({"mmsi": "ship"}, "%Y")


def test_load_is_one_transaction_and_idempotent(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        reports = load_ais(store, [DMA, PYAIS, CADASTRE])
        assert [r.status for r in reports] == ["loaded"] * 3
        pyais_report = reports[1].counts
        assert pyais_report["quarantined"] == 120
        assert pyais_report["unusable_by_detectors"]["no-time"] > 700
        version = store.version()
        again = load_ais(store, [DMA])
        assert again[0].status == "unchanged" and store.version() == version
        issues = counts(store, "SELECT code, count(*) FROM load_issues GROUP BY code ORDER BY code")
        assert issues == [("empty-payload", 100), ("missing-fragment", 20)]
        line = counts(store, "SELECT min(line) FROM load_issues WHERE code = 'missing-fragment'")
        assert line == [(96,)]
        # Every row keeps where it came from.
        assert counts(
            store, "SELECT count(*) FROM ais_positions WHERE origin_line IS NULL OR origin = ''"
        ) == [(0,)]
        assert (
            counts(store, "SELECT count(*) FROM ais_positions WHERE ts_source = 'pghp'")[0][0] > 300
        )


def test_duplicates_within_a_file_and_across_loads(tmp_path: Path) -> None:
    lines = DMA.read_bytes().split(b"\n")[:200]
    twice = tmp_path / "twice.nmea"
    twice.write_bytes(b"\n".join(lines + lines) + b"\n")  # every message heard twice
    once = tmp_path / "once.nmea"
    once.write_bytes(b"\n".join(lines) + b"\n")
    with Store.open(tmp_path / "s.duckdb") as store:
        report = load_ais(store, [once])[0].counts
        first = report["positions"]
        report = load_ais(store, [twice])[0].counts
        assert report["positions"] == 0  # all copies of what the first load holds
        assert report["other"]["duplicates removed"] == first
        assert report["other"]["duplicates removed (earlier loads)"] == first


def test_gzip_input(tmp_path: Path) -> None:
    path = tmp_path / "dma.nmea.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(DMA.read_bytes())
    with Store.open(tmp_path / "s.duckdb") as store:
        assert load_ais(store, [path])[0].counts["positions"] > 300


def test_a_failed_load_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = loader.read_nmea

    def broken(*args: object, **kw: object):  # type: ignore[no-untyped-def]
        yield from real(DMA)
        raise InputError(DMA, "simulated read failure", line=999)

    monkeypatch.setattr(loader, "read_nmea", broken)
    with Store.open(tmp_path / "s.duckdb") as store:
        with pytest.raises(InputError):
            load_ais(store, [DMA])
        assert counts(store, "SELECT count(*) FROM ais_positions") == [(0,)]
        assert counts(store, "SELECT count(*) FROM ais_loads") == [(0,)]


def test_unreadable_inputs_are_clear_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    with Store.open(tmp_path / "s.duckdb") as store:
        with pytest.raises(InputError, match="empty file"):
            load_ais(store, [empty])
        with pytest.raises(InputError, match="known AIS CSV layout"):
            load_ais(store, [other])
        with pytest.raises(InputError, match="no such file"):
            load_ais(store, [tmp_path / "missing.nmea"])


def test_area_overrides_are_validated() -> None:
    with pytest.raises(ConfigError, match="cannot override"):
        load_config(
            env={
                "INTERDICTION_MARITIME__AREAS": '[{"name": "x", "bbox": [0, 0, 1, 1], "set": {"nope": 1}}]'
            }
        )
    config = load_config(env={"INTERDICTION_MARITIME__GAP_MIN_HOURS": "8"})
    assert config.maritime.gap_min_hours == 8 and Config().maritime.gap_min_hours == 6
