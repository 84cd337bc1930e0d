"""Loading the real lists: the full 2024 SDN CSV and the 2026 UN XML.

Our figure is end to end: parse every field (remarks included) into FtM statements with
provenance and commit one store transaction. Baselines parse the same file with the standard
library only (``csv.reader``; ``xml.etree.ElementTree.parse`` plus a walk over the records),
which extracts no facts: they bound how fast the bytes can be read.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from benchmarks.harness import REPO, SHARED, Context, measure, per_second

SDN = SHARED / "sanctions" / "ofac_sdn_2024-05-03" / "sdn.csv"
UN = SHARED / "sanctions" / "un" / "un_sc_consolidated_2026-02-27.xml"
BUNDLED_SDN = REPO / "data" / "lists" / "bundle" / "sdn.csv"
BUNDLED_UN = REPO / "data" / "lists" / "bundle" / "un_sc_consolidated.xml"


def _csv_baseline(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = sum(1 for row in csv.reader(handle) if len(row) == 12)
    return {"records": rows}


def _et_baseline(path: Path) -> dict[str, Any]:
    root = ET.parse(path).getroot()
    records = 0
    for node in root.iter():
        if node.tag in ("INDIVIDUAL", "ENTITY"):
            records += 1
            for _child in node.iter():
                pass
    return {"records": records}


def _load(paths: list[Path], db: Path, published: str | None) -> dict[str, Any]:
    from datetime import datetime

    from interdiction.sources import load_paths
    from interdiction.store import Store

    with Store.open(db, threads=1) as store:
        reports, _ = load_paths(
            store, paths, published=datetime.fromisoformat(published) if published else None
        )
    counts = reports[0].counts
    return {"records": counts["targets"], "statements": counts["statements"]}


def _read_only(paths: list[Path], published: str | None) -> dict[str, Any]:
    from datetime import datetime

    from interdiction.sources.base import Batch
    from interdiction.sources.load import plan, to_ingest

    item = plan(paths, published=datetime.fromisoformat(published) if published else None)[0]
    batch = Batch.for_fileset(item.fileset)
    item.reader.read(item.fileset, batch, lambda _: None)
    rows = to_ingest(item, batch).statements.num_rows
    return {"records": len(batch.records), "statements": rows}


def _startup() -> dict[str, Any]:
    """Importing the readers and FtM, and rigour's country index: paid once per process."""
    from interdiction.sources.countries import clean_country
    from interdiction.sources.load import plan  # noqa: F401

    clean_country("Korea, North")
    return {}


def run(ctx: Context) -> list[dict[str, Any]]:
    sdn = SDN if SDN.exists() else BUNDLED_SDN
    un = UN if UN.exists() else BUNDLED_UN
    out: list[dict[str, Any]] = [
        {"case": "start-up: imports and country index", **measure(_startup)}
    ]
    # Later cases fork from a process that has paid the start-up, so they time the work only.
    _startup()
    cases = [
        ("ofac_sdn_2024 csv.reader (baseline)", lambda: _csv_baseline(sdn)),
        ("ofac_sdn_2024 read into FtM statements", lambda: _read_only([sdn], "2024-05-03")),
        (
            "ofac_sdn_2024 load into store",
            lambda: _load([sdn], ctx.tmp / "sdn.duckdb", "2024-05-03"),
        ),
        ("un_2026 ElementTree (baseline)", lambda: _et_baseline(un)),
        ("un_2026 read into FtM statements", lambda: _read_only([un], None)),
        ("un_2026 load into store", lambda: _load([un], ctx.tmp / "un.duckdb", None)),
    ]
    for name, fn in cases:
        result = measure(fn)
        if "records" in result:
            result["records_per_s"] = per_second(result["records"], result["seconds"])
        out.append({"case": name, **result})
    ctx.notes.append(
        "One core for DuckDB (threads=1). Each case runs in a process forked after the start-up "
        "(imports, rigour's country index), which is measured apart; peak_rss_mb includes the "
        "interpreter and the imported modules (rss_at_start_mb)."
    )
    ctx.notes.append(
        f"inputs: {sdn} ({sdn.stat().st_size} bytes), {un} ({un.stat().st_size} bytes)"
    )
    return out
