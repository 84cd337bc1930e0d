"""Dataset versions in the store: no-op reloads, diffs, delisting, partial sets, history,
and all-or-nothing loads (also when the process is killed)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from conftest import BUNDLE, REPO, SDN_2021
from interdiction.sources import load_paths
from interdiction.store import Store, get_entity
from interdiction.store import ingest as ingest_module
from interdiction.store.datasets import changes, dataset_versions

V1 = datetime(2021, 7, 7)


def _csv_without(path: Path, drop: set[str]) -> None:
    lines = path.read_bytes().split(b"\r\n")
    kept = [line for line in lines if line.split(b",", 1)[0].decode(errors="replace") not in drop]
    path.write_bytes(b"\r\n".join(kept))


def _version(
    tmp_path: Path,
    name: str,
    drop: set[str] = frozenset(),
    edit: bool = False,
    files: tuple[str, ...] = ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"),
) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for file in files:
        shutil.copy(SDN_2021 / file, folder / file)
        _csv_without(folder / file, set(drop))
    if edit and "sdn.csv" in files:
        # ofac-36 AEROCARIBBEAN AIRLINES gains a website in its remarks.
        data = (folder / "sdn.csv").read_bytes()
        old = b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- '
        assert old in data
        data = data.replace(old, old[:-4] + b'"Website www.aerocaribbean.cu."', 1)
        (folder / "sdn.csv").write_bytes(data)
    return folder


def _counts(store: Store) -> tuple[int, int, int]:
    row = store.con.execute(
        """SELECT count(*), count(*) FILTER (WHERE retired IS NULL),
                  (SELECT count(*) FROM datasets) FROM statements"""
    ).fetchall()[0]
    return int(row[0]), int(row[1]), int(row[2])


def _live_ids(store: Store) -> set[str]:
    rows = store.con.execute("SELECT id FROM statements WHERE retired IS NULL").fetchall()
    return {r[0] for r in rows}


def test_loading_the_same_files_twice_is_a_no_op(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        first, _ = load_paths(store, [SDN_2021])
        version = store.version()
        counts = _counts(store)
        again, _ = load_paths(store, [SDN_2021])
        assert again[0].status == "unchanged" and again[0].version == first[0].version
        assert store.version() == version
        assert _counts(store) == counts


def test_new_version_records_what_changed(tmp_path: Path) -> None:
    v2 = _version(tmp_path, "v2", drop={"306"}, edit=True)
    with Store.open(tmp_path / "s.duckdb") as store:
        load_paths(store, [SDN_2021])
        reports, _ = load_paths(store, [v2], published=datetime(2021, 8, 1))
        counts = reports[0].counts
        assert counts["targets_removed"] == 1
        assert counts["targets_modified"] == 1
        assert counts["targets_added"] == 0
        diff = {(c["change"], c["entity_id"]) for c in changes(store, "us_ofac_sdn")}
        assert diff == {("removed", "ofac-306"), ("modified", "ofac-36")}
        # Delisted entities are kept, with the date of the first version without them.
        bank = get_entity(store, "ofac-306", history=True)
        assert bank is not None and bank.delisted == datetime(2021, 8, 1)
        assert bank.last_seen == V1
        assert "BANCO NACIONAL DE CUBA" in bank.entity.get("name")
        # Unchanged facts were seen again: last_seen moves, first_seen stays.
        row = store.con.execute(
            """SELECT first_seen, last_seen, retired FROM statements
            WHERE entity_id = 'ofac-173' AND prop = 'name'"""
        ).fetchall()[0]
        assert row == (V1, datetime(2021, 8, 1), None)
        # The new website is new in this version.
        site = store.con.execute(
            "SELECT value, first_seen FROM statements WHERE entity_id = 'ofac-36' AND prop = 'website'"
        ).fetchall()
        assert site == [("http://www.aerocaribbean.cu/", datetime(2021, 8, 1))]


def test_relisting_clears_the_delisting(tmp_path: Path) -> None:
    v2 = _version(tmp_path, "v2", drop={"306"})
    v3 = _version(tmp_path, "v3")
    with Store.open(tmp_path / "s.duckdb") as store:
        load_paths(store, [SDN_2021])
        load_paths(store, [v2], published=datetime(2021, 8, 1))
        reports, _ = load_paths(store, [v3], published=datetime(2021, 9, 1))
        # v3 holds the same files as v1: one version per set of files.
        assert reports[0].status == "unchanged"
        edited = _version(tmp_path, "v4", edit=True)
        reports, _ = load_paths(store, [edited], published=datetime(2021, 9, 1))
        assert reports[0].counts["targets_relisted"] == 1
        bank = get_entity(store, "ofac-306")
        assert bank is not None and bank.delisted is None


def test_partial_set_never_deletes(tmp_path: Path) -> None:
    partial = _version(tmp_path, "p", drop={"306"}, files=("sdn.csv",))
    with Store.open(tmp_path / "s.duckdb") as store:
        load_paths(store, [SDN_2021])
        live = _live_ids(store)
        reports, notes = load_paths(store, [partial], published=datetime(2021, 8, 1))
        assert not reports[0].complete
        assert any("partial" in n for n in notes)
        assert reports[0].counts["targets_removed"] == 0
        assert reports[0].counts["statements_retired"] == 0
        assert live <= _live_ids(store)
        bank = get_entity(store, "ofac-306")
        assert bank is not None and bank.delisted is None
        # Aliases from alt.csv (absent from the partial set) are still current.
        assert "NATIONAL BANK OF CUBA" in bank.entity.get("alias")


def test_alias_file_alone_quarantines_orphans(tmp_path: Path) -> None:
    aliases = _version(tmp_path, "a", files=("alt.csv",))
    with Store.open(tmp_path / "s.duckdb") as store:
        load_paths(store, [_version(tmp_path, "p", drop={"306"}, files=("sdn.csv",))], published=V1)
        reports, _ = load_paths(store, [aliases], published=datetime(2021, 8, 1))
        issues = store.con.execute(
            "SELECT record, line, code FROM load_issues WHERE level = 'quarantined'"
        ).fetchall()
    assert issues == [("306", issues[0][1], "orphan-row")]
    assert reports[0].counts["quarantined"] == 1


def test_older_version_only_extends_history(tmp_path: Path) -> None:
    older = _version(tmp_path, "old", edit=True)
    with Store.open(tmp_path / "s.duckdb") as store:
        load_paths(store, [SDN_2021])
        live = _counts(store)[1]
        reports, _ = load_paths(store, [older], published=datetime(2021, 6, 1))
        assert reports[0].status == "backfill"
        assert _counts(store)[1] == live  # nothing current changed
        row = store.con.execute(
            "SELECT first_seen, last_seen FROM statements WHERE entity_id = 'ofac-173' AND prop = 'name'"
        ).fetchall()[0]
        assert row == (datetime(2021, 6, 1), V1)
        site = store.con.execute(
            """SELECT first_seen, last_seen, retired FROM statements
            WHERE prop = 'website' AND entity_id = 'ofac-36'"""
        ).fetchall()
        # Only in the old version: kept as history, retired when the next version dropped it.
        assert site == [(datetime(2021, 6, 1), datetime(2021, 6, 1), V1)]
        assert [v.mode for v in dataset_versions(store)] == ["backfill", "update"]


def test_failure_mid_load_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        load_paths(store, [SDN_2021])
        before = (_counts(store), store.version())

        def boom(*_args: object) -> None:
            raise RuntimeError("disk full")

        monkeypatch.setattr(ingest_module, "_write_issues", boom)
        with pytest.raises(RuntimeError, match="disk full"):
            load_paths(
                store, [_version(tmp_path, "v2", drop={"306"})], published=datetime(2021, 8, 1)
            )
        assert (_counts(store), store.version()) == before
        assert store.con.execute(
            "SELECT count(*) FROM changes WHERE version LIKE '20210801%'"
        ).fetchall() == [(0,)]


def test_killed_load_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store.open(db) as store:
        load_paths(store, [SDN_2021])
        before = (_counts(store), store.version())
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "interdiction.cli", "lists", "load", str(BUNDLE), "--db", str(db)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env=env,
    )
    assert proc.stderr is not None
    seen = b""
    deadline = time.monotonic() + 120
    while b"writing us_ofac_sdn" not in seen and time.monotonic() < deadline:
        chunk = proc.stderr.read1(4096) if hasattr(proc.stderr, "read1") else proc.stderr.read(1)
        if not chunk:
            break
        seen += chunk
    time.sleep(0.3)  # inside the write transaction
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert b"writing us_ofac_sdn" in seen, seen[-500:]
    with Store.open(db) as store:
        assert (_counts(store), store.version()) == before
        # The store is usable: the same load now completes.
        reports, _ = load_paths(store, [BUNDLE])
        assert {r.dataset for r in reports} == {"us_ofac_sdn", "un_sc_sanctions"}
