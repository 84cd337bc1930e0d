"""The command line: conventions, outputs and documented exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BUNDLE, REPO, SDN_2021
from interdiction.cli import main


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["interdiction", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return (int(code) if code is not None else 0), out, err


def test_load_status_show_export(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    bundle_store: Path,
    tmp_path: Path,
) -> None:
    db = str(bundle_store)
    code, out, err = run(capsys, monkeypatch, "lists", "status", "--db", db, "--json")
    assert code == 0
    status = {row["dataset"]: row for row in json.loads(out)}
    assert status["us_ofac_sdn"]["targets"] == 14965 and not status["us_ofac_sdn"]["complete"]
    assert status["un_sc_sanctions"]["targets"] == 1003
    assert "days ago" in err  # the bundled lists are old: every command says so

    code, out, err = run(
        capsys, monkeypatch, "entities", "show", "ofac-37059", "--db", db, "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["properties"]["imoNumber"] == ["IMO9179842"]
    assert {s["origin"] for s in data["statements"]} == {"sdn.csv"}
    assert "lists used: " in err and "us_ofac_sdn 2024-05-03" in err
    assert any(r["schema"] == "Sanction" for r in data["related"])

    target = tmp_path / "out" / "lists.ftm.json"
    code, out, err = run(
        capsys,
        monkeypatch,
        "export",
        "ftm",
        "--db",
        db,
        "--output",
        str(target),
        "--dataset",
        "un_sc_sanctions",
    )
    assert code == 0 and out == ""
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3200 and all(
        json.loads(line)["datasets"] == ["un_sc_sanctions"] for line in lines
    )

    code, out, _ = run(capsys, monkeypatch, "report", "designations", "--db", db, "--json")
    summary = json.loads(out)
    assert summary["families"]["DPRK"]["total"] == 484 + 155
    assert any(v["imo"] == "IMO9179842" for v in summary["vessels"])


def test_exit_codes(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = str(tmp_path / "s.duckdb")
    code, _, err = run(capsys, monkeypatch, "lists", "status", "--db", db)
    assert code == 4 and "no store here" in err
    code, _, err = run(
        capsys, monkeypatch, "lists", "load", str(tmp_path / "missing.csv"), "--db", db, "-q"
    )
    assert code == 3 and "missing.csv" in err
    code, _, _ = run(capsys, monkeypatch, "lists", "load", str(SDN_2021), "--db", db, "-q")
    assert code == 0
    code, _, err = run(capsys, monkeypatch, "entities", "show", "ofac-0", "--db", db)
    assert code == 7 and "ofac-0" in err
    code, _, _ = run(capsys, monkeypatch, "lists", "frobnicate")
    assert code == 2


def test_tampered_bundle_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(BUNDLE, bundle)
    data = (bundle / "sdn.csv").read_bytes().replace(b"ANGARA", b"ANGORA", 1)
    (bundle / "sdn.csv").write_bytes(data)
    db = tmp_path / "s.duckdb"
    code, _, err = run(capsys, monkeypatch, "lists", "load", str(bundle), "--db", str(db), "-q")
    assert code == 6 and "sdn.csv" in err and "does not match the manifest" in err
    assert not db.exists()  # verified before the store was even opened


def test_locked_store_waits_then_fails(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = tmp_path / "s.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from interdiction.store import Store; s = Store.open(sys.argv[1]); "
            "print('open', flush=True); time.sleep(20)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"open"
        monkeypatch.setenv("INTERDICTION_STORE__LOCK_TIMEOUT_S", "0.5")
        started = time.monotonic()
        code, _, err = run(
            capsys, monkeypatch, "lists", "load", str(SDN_2021), "--db", str(db), "-q"
        )
        assert code == 4 and "another process" in err
        assert time.monotonic() - started >= 0.5
    finally:
        holder.kill()
        holder.wait()


def test_sources_and_config(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, monkeypatch, "lists", "sources", "--json")
    rows = {r["dataset"]: r for r in json.loads(out)}
    assert rows["us_ofac_sdn"]["ownership_rule"] == "ofac-50"
    assert rows["us_ofac_cons"]["blocking"] is False
    assert rows["un_sc_sanctions"]["authority"] == "United Nations Security Council"
    monkeypatch.setenv("INTERDICTION_LISTS__MAX_AGE_DAYS", "30")
    code, out, _ = run(capsys, monkeypatch, "config", "show")
    assert code == 0 and json.loads(out)["config"]["lists"]["max_age_days"] == 30
    monkeypatch.setenv("INTERDICTION_LISTS__MAX_AGE_DAYS", "-3")
    code, _, err = run(capsys, monkeypatch, "config", "show")
    assert code == 2 and "max_age_days" in err


def test_version_says_which_matcher_runs_and_how(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`version --matcher` names the matcher version a result will carry and whether it
    runs compiled or as Python (with the reason): what an analyst quotes in a bug report."""
    from interdiction.screening import MATCHER_VERSION, native

    code, out, _ = run(capsys, monkeypatch, "version")
    assert code == 0 and out.strip().count("\n") == 0  # the plain version, one line
    code, out, _ = run(capsys, monkeypatch, "version", "--matcher")
    assert code == 0
    line = out.strip().splitlines()[1]
    assert MATCHER_VERSION in line and line.endswith(native.STATUS)
    assert native.STATUS.startswith(("compiled", "python ("))
