"""The network and resolve commands: outputs, exports, pictures and exit codes."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from lxml import etree

from interdiction.cli import main
from network_helpers import PREFIX, guidance_store


@pytest.fixture(scope="module")
def guidance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import conftest

    conftest._active = True
    try:
        return guidance_store(tmp_path_factory.mktemp("guidance") / "g.duckdb")
    finally:
        conftest._active = False


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["interdiction", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return (int(code) if code is not None else 0), out, err


def test_blocked_paths_show(
    guidance: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(guidance)
    code, out, err = run(
        capsys, monkeypatch, "network", "blocked", "--regime", "ofac", "--db", db, "--json"
    )
    assert code == 0
    report = json.loads(out)
    blocked = {
        e["entity_id"].removeprefix(PREFIX) for e in report["entities"] if e["status"] == "blocked"
    }
    assert blocked == {"A", "B", "A1", "B1", "C1", "A2", "B2", "E", "J", "K"}
    assert "SIMULATED" in err and "data problems" in err

    code, out, err = run(capsys, monkeypatch, "network", "blocked", "--regime", "eu", "--db", db)
    assert code == 7 and "not computable" in out and "not computable" in err

    code, out, _ = run(capsys, monkeypatch, "network", "blocked", "--db", db, "--format", "csv")
    assert code == 0 and out.startswith("status,entity_id") and "EXAMPLE B2 LTD" in out

    code, out, _ = run(capsys, monkeypatch, "network", "paths", PREFIX + "B", "--db", db)
    assert code == 0 and "is owned 50% by EXAMPLE A LTD" in out

    code, out, _ = run(
        capsys, monkeypatch, "network", "show", "EXAMPLE K LTD (FICTITIOUS)", "--db", db
    )
    assert code == 0 and "[listed]" in out and "[blocked]" in out

    code, _, err = run(capsys, monkeypatch, "network", "paths", "no-such-entity", "--db", db)
    assert code == 7 and "no such entity" in err

    code, out, _ = run(capsys, monkeypatch, "network", "build", "--db", db, "--json")
    summary = json.loads(out)
    assert code == 0 and summary["regimes"]["ofac"]["blocked"] == 10
    assert {i["code"] for i in summary["issues_list"]} >= {"bad-share", "missing-entity"}


def test_exports_and_pictures(
    guidance: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = str(guidance)
    graphml = tmp_path / "g.graphml"
    code, _, _ = run(
        capsys,
        monkeypatch,
        "network",
        "export",
        "--format",
        "graphml",
        "--db",
        db,
        "-o",
        str(graphml),
    )
    assert code == 0
    root = etree.parse(str(graphml)).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) == 22 and len(root.findall(".//g:edge", ns)) == 21

    code, out, _ = run(
        capsys,
        monkeypatch,
        "network",
        "export",
        "--format",
        "cytoscape",
        "--entity",
        PREFIX + "C1",
        "--depth",
        "2",
        "--db",
        db,
    )
    elements = json.loads(out)["elements"]
    assert {n["data"]["id"] for n in elements["nodes"]} >= {"fict-x", PREFIX + "A1", PREFIX + "C1"}
    assert all({"source", "target", "kind"} <= set(e["data"]) for e in elements["edges"])

    code, out, _ = run(
        capsys,
        monkeypatch,
        "network",
        "export",
        "--format",
        "ftm",
        "--entity",
        PREFIX + "C1",
        "--depth",
        "1",
        "--db",
        db,
    )
    lines = [json.loads(line) for line in out.splitlines()]
    assert {e["schema"] for e in lines} == {"Company", "Ownership"}
    assert all(e.get("simulated") for e in lines)

    for suffix, magic in ((".svg", b"<?xml"), (".png", b"\x89PNG")):
        target = tmp_path / f"c1{suffix}"
        code, _, _err = run(
            capsys, monkeypatch, "network", "picture", PREFIX + "C1", "-o", str(target), "--db", db
        )
        assert code == 0 and target.read_bytes().startswith(magic)
    svg = (tmp_path / "c1.svg").read_text()
    assert "SIMULATED" in svg and "EXAMPLE C1 LTD" in svg

    code, _, _ = run(
        capsys,
        monkeypatch,
        "network",
        "picture",
        PREFIX + "C1",
        "-o",
        str(tmp_path / "x.pdf"),
        "--db",
        db,
    )
    assert code == 2


def test_alerts_and_resolve_commands(
    guidance: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copy(guidance, db)
    code, out, err = run(capsys, monkeypatch, "network", "alerts", "--db", str(db), "--json")
    result = json.loads(out)
    assert code == 0 and result["by_type"]["blocked_not_listed"] == 10
    assert result["by_type"]["possibly_blocked"] == 4

    code, out, _ = run(capsys, monkeypatch, "network", "score", "--db", str(db))
    assert code == 0
    code, out, _ = run(
        capsys, monkeypatch, "network", "paths", PREFIX + "B", "--db", str(db), "--json"
    )
    assert json.loads(out)["proximity"]["scores"] == "cached"

    code, _, err = run(
        capsys,
        monkeypatch,
        "resolve",
        "decide",
        PREFIX + "A",
        PREFIX + "A1",
        "positive",
        "--by",
        "tester",
        "--db",
        str(db),
    )
    assert code == 0 and "merge" in err
    code, out, _ = run(capsys, monkeypatch, "resolve", "show", "--db", str(db), "--json")
    assert json.loads(out)[0]["by"] == "tester"
    code, _, err = run(
        capsys,
        monkeypatch,
        "resolve",
        "decide",
        PREFIX + "A",
        PREFIX + "A1",
        "negative",
        "--db",
        str(db),
    )
    assert code == 2 and "undo" in err
    code, _, err = run(capsys, monkeypatch, "resolve", "undo", PREFIX + "A", "--db", str(db))
    assert code == 0 and "1 judgement(s) retracted" in err
    code, _, err = run(capsys, monkeypatch, "resolve", "undo", PREFIX + "A", "--db", str(db))
    assert code == 7
    code, out, _ = run(capsys, monkeypatch, "resolve", "review", "--db", str(db))
    assert code == 0 and "queue is empty" in out
