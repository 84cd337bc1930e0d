"""Shipment records from CSV into ``trade_shipments``: one transaction per load, nothing lost.

Each row becomes one record with its provenance (file, line, record key). A value that does
not parse (date, amount, currency, country, HS code) or a missing party is kept with a
reason in the record's ``issues`` and counted in the load report; such a record is never
reported clean by the rules. Only a row that cannot be aligned with the header (wrong number
of columns) is quarantined, with its raw text, because its values would land in the wrong
fields.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from interdiction.fileio import sha256_file
from interdiction.ids import clean_imo, content_hash
from interdiction.sources.base import InputError, iter_lines_checked
from interdiction.store.db import Store, dict_rows, one
from interdiction.trade import hs
from interdiction.trade.layouts import FIELDS, Layout, detect
from interdiction.trade.parsing import (
    clean_identifier,
    normalise_name,
    parse_amount,
    parse_countries,
    parse_country,
    parse_currency,
    parse_day,
    party_key,
)
from interdiction.trade.schema import SHIPMENT_COLUMNS, TRADE
from interdiction.trade.watchlists import load_watchlists

SHIPMENT_TYPES = pa.schema(
    [
        (name, pa.list_(pa.string()))
        if kind.startswith("VARCHAR[]")
        else (
            name,
            {
                "BOOLEAN": pa.bool_(),
                "BIGINT": pa.int64(),
                "DATE": pa.date32(),
                "DOUBLE": pa.float64(),
            }.get(kind.split()[0], pa.string()),
        )
        for name, kind in SHIPMENT_COLUMNS
    ]
)
TRUE = {"1", "true", "yes", "y", "t"}
_ISSUE_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DIRECTIONS = {
    "export": "export",
    "x": "export",
    "эк": "export",
    "экспорт": "export",
    "import": "import",
    "m": "import",
    "им": "import",
    "импорт": "import",
    "re-export": "re-export",
    "rx": "re-export",
    "transit": "transit",
    "тт": "transit",
}


@dataclass
class Issue:
    level: str
    code: str
    message: str
    file: str
    line: int | None
    record: str | None
    raw: str | None = None


@dataclass
class LoadReport:
    load_id: str
    dataset: str
    layout: str
    status: str  # loaded | unchanged
    files: list[dict[str, Any]]
    counts: dict[str, Any] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "load_id": self.load_id,
            "dataset": self.dataset,
            "layout": self.layout,
            "status": self.status,
            "files": self.files,
            "counts": self.counts,
        }


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number where the row starts, cells), decoding strictly (UTF-8, BOM allowed)."""
    lines = (text for _, text in iter_lines_checked(path, "utf-8-sig"))
    reader = csv.reader(lines)
    start = 1
    for row in reader:
        yield start, row
        start = reader.line_num + 1


def sniff_kind(path: Path) -> str | None:
    """``shipments`` or ``comtrade`` from the header, None if neither."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            header = next(csv.reader([handle.readline()]), [])
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc}") from exc
    names = {h.strip().casefold() for h in header}
    if {"reportercode", "partnercode", "flowcode", "cmdcode"} <= names or {
        "reporteriso",
        "partneriso",
        "flowcode",
        "cmdcode",
    } <= names:
        return "comtrade"
    if detect(header) is not None:
        return "shipments"
    return None


@dataclass
class TradeLoad:
    """What a load writes beside its rows: the ``trade_loads`` row and its issues."""

    load_id: str
    dataset: str
    kind: str  # shipments | flows
    layout: str
    files: list[dict[str, Any]]
    fileset_hash: str
    simulated: bool
    counts: dict[str, Any]
    issues: list[Issue]


class _Builder:
    """Turns rows into columns for the shipments table, noting every doubt."""

    def __init__(
        self, dataset: str, load_id: str, simulated: bool, usd_rates: dict[str, float]
    ) -> None:
        self.dataset = dataset
        self.load_id = load_id
        self.simulated = simulated
        self.usd_rates = {k.upper(): v for k, v in usd_rates.items()}
        self.columns: dict[str, list[Any]] = {name: [] for name in SHIPMENT_TYPES.names}
        self.parties: dict[str, tuple[str, str, str | None, str | None, date | None]] = {}
        self.counts: Counter[str] = Counter()
        lists = load_watchlists()
        self.known_hs6 = lists.hs6
        self.hs2017_only = lists.hs2017_only

    def add(
        self, file: str, line: int, record: dict[str, str], layout: Layout, issues: list[Issue]
    ) -> None:
        notes: list[str] = []

        def doubt(code: str, message: str) -> None:
            notes.append(code)
            issues.append(
                Issue("warning", code, message, file, line, record.get("record_id") or None)
            )

        def text(name: str) -> str | None:
            value = record.get(name)
            if value is None or not value.strip():
                value = layout.defaults.get(name)
            return value.strip() if value and value.strip() else None

        def country(name: str) -> str | None:
            raw = text(name)
            if raw is None:
                return None
            code = parse_country(raw)
            if code is None:
                doubt("bad-country", f"{name}: {raw!r} is not a country")
            return code

        def day(name: str, required: bool = False) -> date | None:
            raw = text(name)
            if raw is None:
                if required:
                    doubt("missing-date", f"{name}: no date")
                return None
            value = parse_day(raw, layout.dayfirst)
            if value is None:
                doubt("bad-date", f"{name}: {raw!r} is not a date")
            return value

        def amount(name: str) -> float | None:
            raw = text(name)
            if raw is None:
                return None
            value = parse_amount(raw)
            if value is None:
                doubt(f"bad-{name.replace('_', '-')}", f"{name}: {raw!r} is not a number")
            elif value < 0:
                doubt(f"bad-{name.replace('_', '-')}", f"{name}: {raw!r} is negative")
            return value

        record_id = text("record_id")
        origin_record = record_id or f"line-{line}"
        shipment_id = "shp-" + content_hash(self.dataset, origin_record, length=20)
        code = hs.normalise(text("hs_code"), self.known_hs6, self.hs2017_only)
        if code.status != "ok":
            doubt(f"hs-{code.status}", f"hs_code: {code.note}")
        elif code.note:
            issues.append(Issue("warning", "hs-note", code.note, file, line, record_id))
        value = amount("value")
        currency_raw = text("currency")
        currency = parse_currency(currency_raw)
        if currency_raw and currency is None:
            doubt("unknown-currency", f"currency: {currency_raw!r} is not an ISO 4217 code")
        value_usd: float | None = None
        if value is not None and currency == "USD":
            value_usd = value
        elif value is not None and currency and currency in self.usd_rates:
            value_usd = value * self.usd_rates[currency]
        elif value is not None and currency:
            doubt("no-usd-rate", f"no USD rate for {currency} (trade.usd_rates)")
        elif value is not None:
            doubt("no-currency", "value without a currency")
        transit, bad = parse_countries(text("transit_countries"))
        for part in bad:
            doubt("bad-country", f"transit_countries: {part!r} is not a country")
        direction_raw = text("direction")
        direction = DIRECTIONS.get(direction_raw.casefold()) if direction_raw else None
        if direction_raw and direction is None:
            doubt("bad-direction", f"direction: {direction_raw!r} (export, import, re-export)")
        imo_raw = text("vessel_imo")
        imo = clean_imo(imo_raw) if imo_raw else None
        if imo_raw and imo is None:
            doubt("bad-imo", f"vessel_imo: {imo_raw!r} fails the IMO check digit")

        party_values: dict[str, tuple[str | None, str | None, str | None]] = {}
        for role, name_field in (
            ("shipper", "shipper"),
            ("consignee", "consignee"),
            ("notify", "notify_party"),
        ):
            name = text(name_field)
            cc = country(f"{role}_country" if role != "notify" else "notify_country")
            ident = clean_identifier(text(f"{role}_id")) if role != "notify" else None
            incorporated = day(f"{role}_incorporated") if role != "notify" else None
            key = party_key(name, cc)
            if name and key is None:
                doubt(f"bad-{role}", f"{name_field}: {name!r} has no letters or digits")
            if key is not None and name is not None:
                self.parties.setdefault(key, (name, normalise_name(name), cc, ident, incorporated))
            party_values[role] = (name, cc, key)
            self.columns[f"{name_field}"].append(name)
            if role != "notify":
                self.columns[f"{role}_country"].append(cc)
                self.columns[f"{role}_id"].append(ident)
                self.columns[f"{role}_incorporated"].append(incorporated)
            else:
                self.columns["notify_country"].append(cc)
            self.columns[f"{role}_key"].append(key)
        if party_values["shipper"][0] is None:
            doubt("missing-shipper", "no shipper")
        if party_values["consignee"][0] is None:
            doubt("missing-consignee", "no consignee")

        # Reasons an earlier load could not fully read this record (an export of ours): kept,
        # so that a record whose value was unreadable is not laundered clean by a reload.
        carried = text("issues")
        if carried:
            codes = [c for c in re.split(r"[\s,;]+", carried) if c]
            bad = [c for c in codes if not _ISSUE_CODE.match(c)]
            if bad:
                doubt("bad-issues", f"issues: {', '.join(bad)} are not issue codes")
            kept = [c for c in codes if _ISSUE_CODE.match(c)]
            notes.extend(kept)
            if kept:
                issues.append(
                    Issue(
                        "warning",
                        "carried-issues",
                        f"issues from an earlier load kept: {', '.join(kept)}",
                        file,
                        line,
                        record_id,
                    )
                )
        simulated_cell = text("simulated")
        columns = self.columns
        columns["shipment_id"].append(shipment_id)
        columns["dataset"].append(self.dataset)
        columns["load_id"].append(self.load_id)
        columns["origin"].append(file)
        columns["origin_record"].append(origin_record)
        columns["origin_line"].append(line)
        columns["simulated"].append(
            self.simulated or bool(simulated_cell and simulated_cell.casefold() in TRUE)
        )
        columns["record_id"].append(record_id)
        columns["declaration_id"].append(text("declaration_id"))
        columns["date"].append(day("date", required=True))
        columns["direction"].append(direction)
        columns["origin_country"].append(country("origin_country"))
        columns["departure_country"].append(country("departure_country"))
        columns["transit_countries"].append(transit)
        columns["destination_country"].append(country("destination_country"))
        columns["end_user_country"].append(country("end_user_country"))
        columns["port_of_loading"].append(text("port_of_loading"))
        columns["port_of_discharge"].append(text("port_of_discharge"))
        columns["hs_declared"].append(code.declared or None)
        columns["hs_digits"].append(code.digits)
        columns["hs6"].append(code.hs6)
        columns["hs_status"].append(code.status)
        columns["description"].append(text("description"))
        columns["value"].append(value)
        columns["currency"].append(currency or currency_raw)
        columns["value_usd"].append(value_usd)
        columns["quantity"].append(amount("quantity"))
        columns["quantity_unit"].append(text("quantity_unit"))
        columns["weight_kg"].append(amount("weight_kg"))
        columns["vessel"].append(text("vessel"))
        columns["vessel_imo"].append(imo)
        columns["voyage"].append(text("voyage"))
        columns["transport_mode"].append(text("transport_mode"))
        columns["issues"].append(sorted(set(notes)))
        self.counts["records"] += 1
        if notes:
            self.counts["records_with_issues"] += 1
        for note in set(notes):
            self.counts[f"issue:{note}"] += 1

    def table(self) -> pa.Table:
        return pa.table(self.columns, schema=SHIPMENT_TYPES)

    def party_table(self) -> pa.Table:
        keys = list(self.parties)
        values = list(self.parties.values())
        return pa.table(
            {
                "party_key": keys,
                "name": [v[0] for v in values],
                "name_norm": [v[1] for v in values],
                "country": [v[2] for v in values],
                "identifier": [v[3] for v in values],
                "incorporated": pa.array([v[4] for v in values], pa.date32()),
                "simulated": [self.simulated] * len(keys),
            }
        )


def read_shipments(
    paths: Iterable[Path],
    *,
    dataset: str,
    load_id: str,
    layout: Layout | None = None,
    simulated: bool = False,
    usd_rates: dict[str, float] | None = None,
) -> tuple[_Builder, list[Issue], list[str]]:
    builder = _Builder(dataset, load_id, simulated, usd_rates or {})
    issues: list[Issue] = []
    layouts: list[str] = []
    for path in paths:
        rows = _rows(path)
        try:
            _, header = next(rows)
        except StopIteration:
            raise InputError(path, "empty file") from None
        chosen = layout or detect(header)
        if chosen is None:
            raise InputError(
                path,
                "header names neither the documented shipments layout nor a known vendor "
                "layout (need at least a date and an HS code column); pass --mapping",
                line=1,
            )
        columns = chosen.resolve(header)
        missing = [name for name in ("date", "hs_code") if name not in columns]
        if missing:
            raise InputError(path, f"no column for {', '.join(missing)} ({chosen.name})", 1)
        layouts.append(chosen.name)
        ignored = [h for i, h in enumerate(header) if i not in columns.values() and h.strip()]
        if ignored:
            issues.append(
                Issue(
                    "warning",
                    "unmapped-columns",
                    f"columns not read ({chosen.name} layout): {', '.join(ignored)}",
                    path.name,
                    1,
                    None,
                )
            )
        count = 0
        for line, cells in rows:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                issues.append(
                    Issue(
                        "quarantined",
                        "column-count",
                        f"{len(cells)} cells where the header has {len(header)}: not loaded",
                        path.name,
                        line,
                        None,
                        raw=",".join(cells)[:2000],
                    )
                )
                builder.counts["quarantined"] += 1
                continue
            record = {name: cells[i] for name, i in columns.items()}
            builder.add(path.name, line, record, chosen, issues)
            count += 1
        if count == 0 and not any(i.level == "quarantined" for i in issues):
            raise InputError(path, "no shipment records")
    return builder, issues, layouts


def _fileset_hash(files: list[dict[str, Any]]) -> str:
    digest = hashlib.sha256()
    for item in sorted(files, key=lambda f: f["sha256"]):
        digest.update(f"{item['sha256']}\n".encode())
    return digest.hexdigest()


def prior_load(
    store: Store, paths: list[Path], dataset: str
) -> tuple[list[dict[str, Any]], str, str | None]:
    """The files' identity (names, hashes, the set's hash) and the load that already holds
    this exact set of files, if any: loading the same files again is a no-op."""
    for path in paths:
        if not path.is_file():
            raise InputError(path, "no such file")
    files = [{"name": p.name, "sha256": sha256_file(p), "bytes": p.stat().st_size} for p in paths]
    fileset_hash = _fileset_hash(files)
    store.ensure(TRADE)
    found = one(
        store.con,
        "SELECT load_id FROM trade_loads WHERE dataset = ? AND fileset_hash = ?",
        [dataset, fileset_hash],
    )
    return files, fileset_hash, (found[0] if found is not None else None)


def load_shipments(
    store: Store,
    paths: Iterable[Path],
    *,
    dataset: str = "shipments",
    layout: Layout | None = None,
    simulated: bool = False,
    usd_rates: dict[str, float] | None = None,
) -> LoadReport:
    """Read shipment CSV files and write them in one transaction (or nothing)."""
    paths = [Path(p) for p in paths]
    files, fileset_hash, found = prior_load(store, paths, dataset)
    if found is not None:
        return LoadReport(found, dataset, "", "unchanged", files, {"note": "already loaded"})
    load_id = "tld-" + content_hash(dataset, fileset_hash, length=16)
    builder, issues, layouts = read_shipments(
        paths,
        dataset=dataset,
        load_id=load_id,
        layout=layout,
        simulated=simulated,
        usd_rates=usd_rates,
    )
    table = builder.table()
    counts: dict[str, Any] = dict(sorted(builder.counts.items()))
    counts["parties"] = len(builder.parties)
    counts["warnings"] = sum(1 for i in issues if i.level == "warning")
    counts["quarantined"] = sum(1 for i in issues if i.level == "quarantined")
    write_shipments(
        store,
        table,
        builder.party_table(),
        TradeLoad(
            load_id,
            dataset,
            "shipments",
            "+".join(sorted(set(layouts))),
            files,
            fileset_hash,
            simulated or bool(table.num_rows and all(table.column("simulated").to_pylist())),
            counts,
            issues,
        ),
    )
    return LoadReport(
        load_id, dataset, "+".join(sorted(set(layouts))), "loaded", files, counts, issues
    )


def write_shipments(store: Store, table: pa.Table, parties: pa.Table, load: TradeLoad) -> None:
    """One transaction: the records, their parties, the load and its issues."""
    store.ensure(TRADE)
    with store.transaction() as con:
        con.register("incoming_shipments", table)
        con.execute(
            "INSERT OR REPLACE INTO trade_shipments BY NAME SELECT * FROM incoming_shipments"
        )
        con.unregister("incoming_shipments")
        con.register("incoming_parties", parties)
        con.execute(
            """INSERT INTO trade_parties BY NAME
            SELECT * FROM incoming_parties
            WHERE party_key NOT IN (SELECT party_key FROM trade_parties)"""
        )
        # A party first seen without an incorporation date may get one later.
        con.execute(
            """UPDATE trade_parties AS p SET incorporated = i.incorporated,
                identifier = coalesce(p.identifier, i.identifier)
            FROM incoming_parties i
            WHERE p.party_key = i.party_key AND p.incorporated IS NULL
              AND i.incorporated IS NOT NULL"""
        )
        con.unregister("incoming_parties")
        record_load(con, load)


def record_load(con: Any, load: TradeLoad) -> None:
    """The load's row and its issues, inside the caller's transaction (shipments, flows)."""
    con.execute(
        "INSERT OR REPLACE INTO trade_loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load.load_id,
            load.dataset,
            load.kind,
            load.layout,
            json.dumps(load.files),
            load.fileset_hash,
            load.simulated,
            datetime.now(UTC).replace(tzinfo=None),
            json.dumps(load.counts),
        ],
    )
    if load.issues:
        con.register("incoming_issues", issues_table(load.load_id, load.issues))
        con.execute("INSERT INTO trade_load_issues SELECT * FROM incoming_issues")
        con.unregister("incoming_issues")


def issues_table(load_id: str, issues: list[Issue]) -> pa.Table:
    return pa.table(
        {
            "load_id": [load_id] * len(issues),
            "file": [i.file for i in issues],
            "line": pa.array([i.line for i in issues], pa.int64()),
            "record": [i.record for i in issues],
            "level": [i.level for i in issues],
            "code": [i.code for i in issues],
            "message": [i.message for i in issues],
            "raw": [i.raw for i in issues],
        }
    )


def load_issues(
    store: Store, load_id: str | None = None, limit: int = 1000
) -> list[dict[str, Any]]:
    if not store.has_table("trade_load_issues"):
        return []
    return dict_rows(
        store.con,
        """SELECT i.load_id, l.dataset, i.file, i.line, i.record, i.level, i.code, i.message
        FROM trade_load_issues i JOIN trade_loads l USING (load_id)
        WHERE ? IS NULL OR i.load_id = ? ORDER BY i.load_id, i.file, i.line LIMIT ?""",
        [load_id, load_id, limit],
    )


__all__ = ["FIELDS", "LoadReport", "load_issues", "load_shipments", "read_shipments", "sniff_kind"]
