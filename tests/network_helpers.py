"""Shared set-up for the network tests: a store with fictitious owners and the OFAC
guidance's worked examples (tests/fixtures/network/README.md)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from conftest import FIXTURES
from interdiction.sources import load_paths
from interdiction.store import Store

NETWORK = FIXTURES / "network"
PREFIX = "reg-registry-guidance-examples-"


def guidance_store(path: Path) -> Path:
    """Fictitious SDN owners X, Y, Z (loaded as us_ofac_sdn, marked simulated) and the
    registry extract of the guidance examples and bad-input cases."""
    with Store.open(path) as store:
        load_paths(
            store, [NETWORK / "fictitious_sdn.ftm.json"], dataset="us_ofac_sdn", simulated=True
        )
        load_paths(
            store,
            [NETWORK / "guidance_examples.csv"],
            published=datetime(2024, 6, 1),
            simulated=True,
        )
    return path
