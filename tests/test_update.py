"""``lists update`` against a local HTTP server on 127.0.0.1 (never the real network)."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import SDN_2021
from interdiction.cli import main


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "www"
    shutil.copytree(SDN_2021, root)
    stamp = datetime(2021, 7, 7, 15, 30, tzinfo=UTC).timestamp()
    for file in root.iterdir():
        os.utime(file, (stamp, stamp))  # served as Last-Modified
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None  # type: ignore[method-assign]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    finally:
        httpd.shutdown()
        httpd.server_close()


def _urls(base: str, missing: bool = False) -> str:
    files = {
        "primary": "sdn.csv",
        "alias": "alt.csv",
        "address": "add.csv",
        "comments": "sdn_comments.csv",
    }
    if missing:
        files["alias"] = "nowhere.csv"
    return json.dumps({"us_ofac_sdn": {role: f"{base}/{name}" for role, name in files.items()}})


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["interdiction", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_download_bundle_then_load_offline(
    server: tuple[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base, _ = server
    monkeypatch.setenv("INTERDICTION_LISTS__URLS", _urls(base))
    bundle = tmp_path / "carry" / "bundle"
    code, out, err = run(
        capsys,
        monkeypatch,
        "lists",
        "update",
        "--list",
        "us_ofac_sdn",
        "--download-only",
        str(bundle),
        "--json",
    )
    assert code == 0, err
    manifest = json.loads((bundle / "manifest.json").read_text())
    entry = manifest["datasets"][0]
    assert entry["published"] == "2021-07-07T15:30:00"
    assert entry["published_from"] == "http-last-modified"
    assert {f["role"] for f in entry["files"]} == {"primary", "alias", "address", "comments"}
    assert all(len(f["sha256"]) == 64 for f in entry["files"])
    # On the air-gapped side: no network needed, hashes verified.
    monkeypatch.delenv("INTERDICTION_LISTS__URLS")
    db = str(tmp_path / "s.duckdb")
    code, out, err = run(
        capsys, monkeypatch, "lists", "load", str(bundle), "--db", db, "-q", "--json"
    )
    assert code == 0, err
    loads = json.loads(out)["loads"]
    assert loads[0]["dataset"] == "us_ofac_sdn" and loads[0]["complete"]
    assert loads[0]["published"] == "2021-07-07T15:30:00"


def test_update_loads_directly(
    server: tuple[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base, _ = server
    monkeypatch.setenv("INTERDICTION_LISTS__URLS", _urls(base))
    db = str(tmp_path / "s.duckdb")
    code, out, err = run(
        capsys, monkeypatch, "lists", "update", "--list", "us_ofac_sdn", "--db", db, "--json"
    )
    assert code == 0, err
    assert json.loads(out)["loads"][0]["counts"]["targets"] == 422


def test_failed_download_leaves_nothing(
    server: tuple[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base, _ = server
    monkeypatch.setenv("INTERDICTION_LISTS__URLS", _urls(base, missing=True))
    bundle = tmp_path / "bundle"
    code, _, err = run(
        capsys,
        monkeypatch,
        "lists",
        "update",
        "--list",
        "us_ofac_sdn",
        "--download-only",
        str(bundle),
    )
    assert code == 5 and "nowhere.csv" in err and "404" in err
    assert not bundle.exists()
    assert not any(p.name.startswith(".bundle") for p in tmp_path.iterdir())
