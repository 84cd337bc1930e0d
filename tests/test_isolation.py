"""The isolation check of conftest.py bites: tests cannot read ../shared or use the network."""

from __future__ import annotations

import socket

import pytest

import conftest


def test_reading_shared_data_fails() -> None:
    target = conftest.REPO.parent / "shared" / "README.md"
    # Whether or not ../shared exists here, opening anything beside the repository fails.
    with pytest.raises(PermissionError, match="outside the repository"):
        open(target).close()
    # The violation is recorded too, so a test that swallowed the error would still fail.
    assert conftest.violations and "shared" in conftest.violations[-1]
    conftest.violations.pop()


def test_network_fails() -> None:
    with pytest.raises(PermissionError, match=r"network|name lookup"):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)
    conftest.violations.pop()


def test_repository_files_are_readable() -> None:
    with open(conftest.BUNDLE / "manifest.json", encoding="utf-8") as handle:
        assert "interdiction-bundle/1" in handle.read()
