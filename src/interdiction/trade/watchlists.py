"""The reference lists trade rules use, shipped in the package, each versioned and dated.

CHPL codes with tiers, the HS 2022 nomenclature, a check of the CHPL codes against HS 2017,
the UN DPRK measures by resolution and HS chapter, petroleum conversion factors and goods
keywords (``data/PROVENANCE.md`` gives each one's origin and licence). They are read once per
process and handed to DuckDB as small tables, so that rules join against them in SQL.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import duckdb
import pyarrow as pa

DATA = resources.files("interdiction.trade") / "data"


def _read_csv(name: str) -> list[dict[str, str]]:
    text = (DATA / name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


@dataclass(frozen=True)
class ChplCode:
    hs6: str
    tier: str  # "1", "2", "3.A", "3.B", "4.A", "4.B"
    description: str

    @property
    def tier_rank(self) -> int:
        return int(self.tier[0])


@dataclass(frozen=True)
class Measure:
    measure_id: str
    kind: str  # ban | cap
    direction: str  # to_dprk | from_dprk | both
    resolutions: tuple[str, ...]
    in_force: date
    hs_prefixes: tuple[str, ...]
    title: str
    notes: str

    @property
    def citation(self) -> str:
        return (
            "UNSC resolution"
            + ("s " if len(self.resolutions) > 1 else " ")
            + ", ".join(self.resolutions)
        )


@dataclass(frozen=True)
class PetroleumFactor:
    product: str
    hs_prefixes: tuple[str, ...]
    keywords: tuple[str, ...]
    barrels_per_tonne: float
    source: str


@dataclass(frozen=True)
class Keyword:
    pattern: str
    hs_prefixes: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class Watchlists:
    chpl: dict[str, ChplCode]
    hs2022: dict[str, str]  # code (2, 4 or 6 digits) -> description
    hs2017_only: frozenset[str]
    hs2017_check: dict[str, dict[str, str]]
    measures: tuple[Measure, ...]
    factors: tuple[PetroleumFactor, ...]
    keywords: tuple[Keyword, ...]
    meta: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def hs6(self) -> frozenset[str]:
        return frozenset(code for code in self.hs2022 if len(code) == 6)

    def versions(self) -> dict[str, str]:
        """``name -> "version (sha256 prefix)"``: what alerts record about their lists."""
        return {
            name: f"{info['version']} ({info['sha256'][:12]})" for name, info in self.meta.items()
        }

    def describe(self, hs6: str | None) -> str | None:
        if not hs6:
            return None
        return self.hs2022.get(hs6) or self.hs2022.get(hs6[:4]) or self.hs2022.get(hs6[:2])


@cache
def load_watchlists() -> Watchlists:
    meta: dict[str, dict[str, Any]] = json.loads((DATA / "watchlists.json").read_text("utf-8"))
    for info in meta.values():
        info["sha256"] = hashlib.sha256((DATA / info["file"]).read_bytes()).hexdigest()
    chpl = {
        row["hs6"]: ChplCode(row["hs6"], row["tier_label"], row["hs2022_description"])
        for row in _read_csv("chpl_hs6_tiers.csv")
    }
    hs2022 = {row["hscode"]: row["description"] for row in _read_csv("hs2022_nomenclature.csv")}
    check = {row["hs2022"]: row for row in _read_csv("hs2017_chpl_check.csv")}
    hs2017_only = frozenset(
        code
        for row in check.values()
        if row["in_hs2017"] == "no"
        for code in row["hs2017_candidates"].split()
        if code not in hs2022
    )
    measures = tuple(
        Measure(
            measure_id=row["measure_id"],
            kind=row["kind"],
            direction=row["direction"],
            resolutions=tuple(row["resolutions"].split(";")),
            in_force=date.fromisoformat(row["in_force"]),
            hs_prefixes=tuple(row["hs_prefixes"].split()),
            title=row["title"],
            notes=row["notes"],
        )
        for row in _read_csv("un_dprk_measures.csv")
    )
    factors = tuple(
        PetroleumFactor(
            product=row["product"],
            hs_prefixes=tuple(row["hs_prefixes"].split()),
            keywords=tuple(k for k in row["keywords"].split("|") if k),
            barrels_per_tonne=float(row["barrels_per_tonne"]),
            source=row["source"],
        )
        for row in _read_csv("petroleum_factors.csv")
    )
    keywords = tuple(
        Keyword(row["pattern"], tuple(row["hs_prefixes"].split()), row["label"])
        for row in _read_csv("description_keywords.csv")
    )
    return Watchlists(chpl, hs2022, hs2017_only, check, measures, factors, keywords, meta)


def register(con: duckdb.DuckDBPyConnection, lists: Watchlists | None = None) -> None:
    """Create the temporary tables the SQL rules join against (``tw_*``)."""
    lists = lists or load_watchlists()
    tables = {
        "tw_chpl": pa.table(
            {
                "hs6": [c.hs6 for c in lists.chpl.values()],
                "tier": [c.tier for c in lists.chpl.values()],
                "tier_rank": [c.tier_rank for c in lists.chpl.values()],
            }
        ),
        "tw_measures": pa.table(
            {
                "measure_id": [m.measure_id for m in lists.measures for _ in m.hs_prefixes],
                "kind": [m.kind for m in lists.measures for _ in m.hs_prefixes],
                "direction": [m.direction for m in lists.measures for _ in m.hs_prefixes],
                "in_force": [m.in_force for m in lists.measures for _ in m.hs_prefixes],
                "hs_prefix": [p for m in lists.measures for p in m.hs_prefixes],
                "prefix_len": [len(p) for m in lists.measures for p in m.hs_prefixes],
                "citation": [m.citation for m in lists.measures for _ in m.hs_prefixes],
                "title": [m.title for m in lists.measures for _ in m.hs_prefixes],
            }
        ),
        "tw_hstext": pa.table(
            {
                "hs6": [code for code in lists.hs2022 if len(code) == 6],
                "text": [
                    f"{lists.hs2022[code]} {lists.hs2022.get(code[:4], '')}".lower()
                    for code in lists.hs2022
                    if len(code) == 6
                ],
            }
        ),
        "tw_keywords": pa.table(
            {
                "kw_id": list(range(len(lists.keywords))),
                "pattern": [k.pattern for k in lists.keywords],
                "hs_prefixes": [list(k.hs_prefixes) for k in lists.keywords],
                "label": [k.label for k in lists.keywords],
            }
        ),
    }
    for name, table in tables.items():
        con.register(f"{name}_arrow", table)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
        con.unregister(f"{name}_arrow")
