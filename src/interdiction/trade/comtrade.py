"""Aggregate trade statistics in the UN Comtrade+ layout, into ``trade_flows``.

The Comtrade+ data API and bulk files share one column set (``reporterISO``, ``partnerISO``,
``partner2ISO``, ``flowCode``, ``cmdCode``, ``period``, ``primaryValue``, ``cifvalue``,
``fobvalue``, ``netWgt``...). Reporters and partners are kept as FtM's ISO alpha-2 codes
where they are countries; Comtrade's areas (``W00`` world, ``S19`` "Other Asia, nes", ``X1``
...) are kept as their own codes in lower case so that nothing is lost. For re-exports
(``RX``), ``partner2`` is the second partner Comtrade reports (for Hong Kong, the origin of
the re-exported goods where the reporter gives it).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa

from interdiction.ids import content_hash
from interdiction.sources.base import InputError, iter_lines_checked
from interdiction.store.db import Store
from interdiction.trade.hs import clean_digits
from interdiction.trade.parsing import parse_amount, parse_country
from interdiction.trade.records import Issue, LoadReport, TradeLoad, prior_load, record_load
from interdiction.trade.schema import FLOW_COLUMNS, TRADE
from interdiction.trade.watchlists import load_watchlists

FLOW_TYPES = pa.schema(
    [
        (
            name,
            {
                "BOOLEAN": pa.bool_(),
                "BIGINT": pa.int64(),
                "INTEGER": pa.int32(),
                "DOUBLE": pa.float64(),
            }.get(kind.split()[0], pa.string()),
        )
        for name, kind in FLOW_COLUMNS
    ]
)
REQUIRED = ("period", "flowCode", "cmdCode")
FLOWS = {"M", "X", "RM", "RX", "DX", "FM", "MIP", "XIP", "MOP", "XOP"}


def area(code: str | None, iso: str | None) -> str | None:
    """A Comtrade reporter/partner to FtM's country code, or its own code for areas."""
    for text in (iso, code):
        if text and text.strip():
            value = text.strip()
            country = parse_country(value) if len(value) == 3 and value.isalpha() else None
            return country or value.lower()
    return None


def read_flows(
    paths: Iterable[Path], *, dataset: str, load_id: str, simulated: bool
) -> tuple[pa.Table, list[Issue], Counter[str]]:
    columns: dict[str, list[Any]] = {name: [] for name in FLOW_TYPES.names}
    issues: list[Issue] = []
    counts: Counter[str] = Counter()
    known = load_watchlists().hs6
    for path in paths:
        lines = (text for _, text in iter_lines_checked(path, "utf-8-sig"))
        reader = csv.DictReader(lines)
        header = reader.fieldnames or []
        missing = [c for c in REQUIRED if c not in header]
        if missing or not ({"reporterISO", "reporterCode"} & set(header)):
            raise InputError(
                path, f"not a Comtrade+ file: no column {', '.join(missing) or 'reporterISO'}", 1
            )
        for row in reader:
            line = reader.line_num
            counts["rows"] += 1
            reporter = area(row.get("reporterCode"), row.get("reporterISO"))
            partner = area(row.get("partnerCode"), row.get("partnerISO"))
            partner2 = area(row.get("partner2Code"), row.get("partner2ISO"))
            period = (row.get("period") or row.get("refPeriodId") or "").strip()[:6]
            flow = (row.get("flowCode") or "").strip().upper()
            cmd = (row.get("cmdCode") or "").strip()
            problem = None
            if not reporter or not partner:
                problem = ("no-area", "no reporter or partner")
            elif len(period) not in (4, 6) or not period.isdigit():
                problem = ("bad-period", f"period {period!r} is neither YYYY nor YYYYMM")
            elif flow not in FLOWS:
                problem = ("bad-flow", f"flowCode {flow!r} unknown")
            elif not cmd:
                problem = ("no-cmd", "no cmdCode")
            if problem:
                issues.append(
                    Issue(
                        "quarantined",
                        problem[0],
                        problem[1],
                        path.name,
                        line,
                        None,
                        str(row)[:2000],
                    )
                )
                counts["quarantined"] += 1
                continue
            digits = clean_digits(cmd) if cmd.upper() != "TOTAL" else None
            hs6 = digits[:6] if digits and len(digits) >= 6 else None
            if (
                hs6
                and known
                and hs6 not in known
                and (row.get("classificationCode") or "H6") == "H6"
            ):
                issues.append(
                    Issue(
                        "warning",
                        "hs-not-in-hs2022",
                        f"cmdCode {cmd} is not an HS 2022 code",
                        path.name,
                        line,
                        None,
                    )
                )
                counts["unknown_hs"] += 1
            values = {}
            for key, source in (
                ("value_usd", "primaryValue"),
                ("cif_usd", "cifvalue"),
                ("fob_usd", "fobvalue"),
                ("net_weight_kg", "netWgt"),
                ("qty", "qty"),
            ):
                raw = row.get(source)
                values[key] = parse_amount(raw) if raw not in (None, "") else None
                if raw not in (None, "") and values[key] is None:
                    issues.append(
                        Issue(
                            "warning",
                            f"bad-{source}",
                            f"{source} {raw!r} is not a number",
                            path.name,
                            line,
                            None,
                        )
                    )
            freq = (row.get("freqCode") or ("M" if len(period) == 6 else "A")).strip().upper()
            key_parts = (
                dataset,
                freq,
                period,
                reporter,
                partner,
                partner2,
                flow,
                row.get("classificationCode"),
                cmd,
                row.get("customsCode"),
                row.get("mosCode"),
                row.get("motCode"),
            )
            columns["flow_id"].append("flw-" + content_hash(*key_parts))
            columns["dataset"].append(dataset)
            columns["load_id"].append(load_id)
            columns["origin"].append(path.name)
            columns["origin_line"].append(line)
            columns["simulated"].append(simulated)
            columns["freq"].append(freq)
            columns["period"].append(period)
            columns["year"].append(int(period[:4]))
            columns["month"].append(int(period[4:6]) if len(period) == 6 else None)
            columns["reporter"].append(reporter)
            columns["partner"].append(partner)
            columns["partner2"].append(partner2)
            columns["flow"].append(flow)
            columns["classification"].append(row.get("classificationCode") or None)
            columns["hs_code"].append(cmd)
            columns["hs6"].append(hs6)
            for key, value in values.items():
                columns[key].append(value)
            columns["qty_unit"].append(row.get("qtyUnitAbbr") or None)
            columns["mot"].append(row.get("motCode") or None)
            counts["flows"] += 1
    return pa.table(columns, schema=FLOW_TYPES), issues, counts


def load_flows(
    store: Store, paths: Iterable[Path], *, dataset: str = "comtrade", simulated: bool = False
) -> LoadReport:
    """Read Comtrade+ CSV files and write them in one transaction (or nothing)."""
    paths = [Path(p) for p in paths]
    files, fileset_hash, found = prior_load(store, paths, dataset)
    if found is not None:
        return LoadReport(
            found, dataset, "comtrade", "unchanged", files, {"note": "already loaded"}
        )
    load_id = "tld-" + content_hash(dataset, fileset_hash, length=16)
    table, issues, counter = read_flows(
        paths, dataset=dataset, load_id=load_id, simulated=simulated
    )
    if table.num_rows == 0 and not issues:
        raise InputError(paths[0], "no Comtrade+ rows")
    counts: dict[str, Any] = dict(sorted(counter.items()))
    counts["warnings"] = sum(1 for i in issues if i.level == "warning")
    write_flows(
        store,
        table,
        TradeLoad(
            load_id, dataset, "flows", "comtrade", files, fileset_hash, simulated, counts, issues
        ),
    )
    return LoadReport(load_id, dataset, "comtrade", "loaded", files, counts, issues)


def write_flows(store: Store, table: pa.Table, load: TradeLoad) -> None:
    store.ensure(TRADE)
    with store.transaction() as con:
        con.register("incoming_flows", table)
        con.execute("INSERT OR REPLACE INTO trade_flows BY NAME SELECT * FROM incoming_flows")
        con.unregister("incoming_flows")
        record_load(con, load)
