"""Test isolation and shared fixtures.

Tests must stand alone: users have no ../shared, and tests never use the network. An audit
hook enforces both while tests run: opening a file outside the repository, the temporary
folder and the interpreter's own installation fails, and so does connecting anywhere but the
loopback interface. ``test_isolation.py`` checks that the hook bites.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
BUNDLE = REPO / "data" / "lists" / "bundle"
SDN_2021 = FIXTURES / "ofac_sdn_2021-07-07_subset"
CONS_2025 = FIXTURES / "ofac_cons_2025-12-19_subset"

# Where tests may open files. The temporary folder is pytest's own (set per session below),
# not all of /tmp: a clone may itself live in /tmp, beside a ../shared.
_ALLOWED: list[str] = sorted(
    {
        str(Path(p).resolve())
        for p in (
            REPO,
            sys.prefix,
            sys.base_prefix,
            sys.exec_prefix,
            sys.base_exec_prefix,
            sysconfig.get_paths()["stdlib"],
            sysconfig.get_paths()["purelib"],
            "/dev",
            "/proc",
            "/sys",
            "/etc",
            "/usr",
            "/lib",
            "/lib64",
            "/bin",
        )
    }
)
LOOPBACK = {"127.0.0.1", "::1", "localhost", "0.0.0.0"}
violations: list[str] = []
_active = False


def _outside(path: object) -> str | None:
    if isinstance(path, int):
        return None
    try:
        resolved = os.path.realpath(os.fsdecode(path))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if any(resolved == root or resolved.startswith(root + os.sep) for root in _ALLOWED):
        return None
    return resolved


def _hook(event: str, args: tuple[object, ...]) -> None:
    if not _active:
        return
    if event == "open":
        where = _outside(args[0])
        if where is not None:
            violations.append(f"opened {where}")
            raise PermissionError(f"test isolation: {where} is outside the repository")
    elif event == "socket.connect":
        address = args[1]
        host = address[0] if isinstance(address, tuple) else str(address)
        if isinstance(address, tuple) and host not in LOOPBACK:
            violations.append(f"connected to {address}")
            raise PermissionError(f"test isolation: network access to {address}")
    elif event == "socket.getaddrinfo":
        host = args[0]
        if isinstance(host, (str, bytes)) and os.fsdecode(host) not in LOOPBACK:
            violations.append(f"resolved {host!r}")
            raise PermissionError(f"test isolation: name lookup of {host!r}")


sys.addaudithook(_hook)


@pytest.fixture(scope="session", autouse=True)
def _session_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Temporary files of the code under test go under pytest's base temp, which is allowed."""
    base = tmp_path_factory.getbasetemp().resolve()
    scratch = base / "tmp"
    scratch.mkdir(exist_ok=True)
    _ALLOWED.append(str(base))
    saved = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = str(scratch)
    os.environ["TMPDIR"] = str(scratch)
    yield
    tempfile.tempdir = saved[0]
    if saved[1] is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = saved[1]


@pytest.fixture(autouse=True)
def _isolated(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """No test reads outside the repository or reaches the network; no user state is touched."""
    global _active
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("INTERDICTION_DB", str(home / "default.duckdb"))
    for key in list(os.environ):
        if key.startswith("INTERDICTION_") and "__" in key:
            monkeypatch.delenv(key)
    start = len(violations)
    _active = True
    try:
        yield
    finally:
        _active = False
    new = violations[start:]
    del violations[start:]
    assert not new, f"test reached outside the repository: {new}"


@pytest.fixture(scope="session")
def loaded_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the bundled real lists (full 2024 SDN CSV and 2026 UN XML), loaded once."""
    from interdiction.sources import load_paths
    from interdiction.store import Store

    global _active
    path = tmp_path_factory.mktemp("bundle") / "lists.duckdb"
    _active = True
    try:
        with Store.open(path) as store:
            load_paths(store, [BUNDLE])
    finally:
        _active = False
    return path


@pytest.fixture()
def bundle_store(loaded_store_path: Path, tmp_path: Path) -> Path:
    """A private copy of the loaded store, for tests that write."""
    copy = tmp_path / "copy.duckdb"
    shutil.copy(loaded_store_path, copy)
    return copy
