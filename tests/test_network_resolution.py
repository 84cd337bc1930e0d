"""Entity resolution on the real lists: strong auto-merges across lists only, a review
queue for the rest, judgements that block, and merges that can be undone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from interdiction.config import load_config
from interdiction.network.analysis import Network
from interdiction.network.resolution import (
    ResolutionError,
    decide,
    find_candidates,
    judgements,
    name_key,
    review_queue,
    undo,
)
from interdiction.store import Store, get_entity


@pytest.fixture(scope="module")
def resolved(loaded_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("resolve") / "r.duckdb"
    shutil.copy(loaded_store_path, copy)
    with Store.open(copy) as store:
        result = find_candidates(store, load_config().network)
    assert result["candidates"] > 100
    return copy


def test_name_keys() -> None:
    assert name_key("KOREA HYOKSIN TRADING CORPORATION") == name_key("Hyoksin Korea Trading Corp.")
    assert name_key("LTD") is None


def test_strong_identifiers_merge_across_lists_only(resolved: Path) -> None:
    with Store.open(resolved, read_only=True) as store:
        merged = get_entity(store, "unsc-KPe.022")  # CHONGCHONGANG SHIPPING COMPANY
        assert merged is not None and merged.entity.id and merged.entity.id.startswith("nk-")
        assert set(merged.entity.referents) >= {"ofac-17067", "unsc-KPe.022"}
        assert set(merged.datasets) == {"us_ofac_sdn", "un_sc_sanctions"}
        decided = judgements(store, "ofac-17067")
        assert decided[0]["auto"] and "company IMO" in decided[0]["reason"]
        # Two entries of one list sharing a registration number are not merged.
        assert get_entity(store, "ofac-11794").entity.id == "ofac-11794"  # type: ignore[union-attr]
        queue = review_queue(store, 2000)
        assert any({q["left"], q["right"]} == {"ofac-11794", "ofac-11795"} for q in queue)
        # OFAC-UN pairs of people rest on names and dates: reviewed, not merged.
        assert any(
            q["left"].startswith("ofac-") and q["right"].startswith("unsc-KPi") for q in queue
        )
        # The merged entity is one node of the network.
        net = Network.load(store, load_config())
        assert net.graph.index(merged.entity.id) is not None
        assert net.graph.index("unsc-KPe.022") is None


def test_judgements_negative_blocks_and_undo_restores(resolved: Path, tmp_path: Path) -> None:
    copy = tmp_path / "j.duckdb"
    shutil.copy(resolved, copy)
    with Store.open(copy) as store:
        queue = review_queue(store, 2000)
        pair = next(
            q for q in queue if q["left"].startswith("ofac-") and q["right"].startswith("unsc-KPi")
        )
        result = decide(store, pair["left"], pair["right"], "positive", by="tester")
        canonical = result["changes"][0]["canonical_id"]
        assert get_entity(store, pair["right"]).entity.id == canonical  # type: ignore[union-attr]
        assert not any(
            {q["left"], q["right"]} == {pair["left"], pair["right"]}
            for q in review_queue(store, 2000)
        )
        # A negative between merged entities is refused until the merge is undone.
        with pytest.raises(ResolutionError, match="undo the merge"):
            decide(store, pair["left"], pair["right"], "negative")
        undone = undo(store, canonical)
        assert undone["retracted"] == 1
        assert get_entity(store, pair["left"]).entity.id == pair["left"]  # type: ignore[union-attr]
        assert get_entity(store, pair["right"]).entity.id == pair["right"]  # type: ignore[union-attr]
        # Now a negative, which blocks a later positive.
        decide(
            store, pair["left"], pair["right"], "negative", by="tester", reason="different people"
        )
        with pytest.raises(ResolutionError, match="negative judgement"):
            decide(store, pair["left"], pair["right"], "positive")
        log = store.con.execute("SELECT action FROM resolution_log ORDER BY logged_at").fetchall()
        actions = [r[0] for r in log]
        assert "merge" in actions and actions[-2:] == ["split", "split"]  # one per source id
        # Undoing the auto-merge restores both source ids.
        undo(store, "ofac-17067")
        assert get_entity(store, "unsc-KPe.022").entity.id == "unsc-KPe.022"  # type: ignore[union-attr]
