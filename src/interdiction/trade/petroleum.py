"""Refined petroleum delivered to the DPRK, counted against resolution 2397's yearly cap.

Declared deliveries come from shipment records (HS 2710 less waste oils, to the DPRK);
their barrels come from the declared quantity when it is a volume, else from the weight with
the product's tonnes-to-barrels factor (``data/petroleum_factors.csv``, BP's approximate
conversion factors; the product is read from the HS code, then the description). Tanker
port calls at DPRK ports without a declared cargo (from the maritime capability, or a CSV
of port calls, through the ``PortCallSource`` interface) are estimated under each
laden-share scenario of the configuration; a call that matches a declared delivery (same
vessel, arrival near the declaration) is not counted twice. Every figure says which factor
and which source it used.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from interdiction.config import TradeConfig
from interdiction.ids import clean_imo
from interdiction.sources.base import InputError
from interdiction.store.db import Store
from interdiction.trade.parsing import parse_amount, parse_country, parse_day
from interdiction.trade.watchlists import PetroleumFactor, load_watchlists

LITRES_PER_BARREL = 158.987294928  # 42 US gallons of 3.785411784 litres (exact)
VOLUME_UNITS = {
    "bbl": 1.0,
    "barrel": 1.0,
    "barrels": 1.0,
    "l": 1 / LITRES_PER_BARREL,
    "litre": 1 / LITRES_PER_BARREL,
    "litres": 1 / LITRES_PER_BARREL,
    "liter": 1 / LITRES_PER_BARREL,
    "m3": 1000 / LITRES_PER_BARREL,
    "kl": 1000 / LITRES_PER_BARREL,
}
MASS_UNITS = {"t": 1.0, "mt": 1.0, "tonne": 1.0, "tonnes": 1.0, "ton": 1.0, "kg": 0.001}


@dataclass(frozen=True)
class Delivery:
    source: str  # shipment | port-call
    ref: str
    date: str
    month: str
    barrels: float
    method: str
    factor: str
    simulated: bool
    vessel: str | None = None
    imo: str | None = None


def product_for(hs6: str | None, description: str | None) -> PetroleumFactor:
    """The product whose factor converts this delivery: by description, then HS code."""
    factors = load_watchlists().factors
    text = (description or "").lower()
    for factor in factors:
        if any(word in text for word in factor.keywords):
            return factor
    for factor in factors:
        if hs6 and any(hs6.startswith(p) for p in factor.hs_prefixes):
            return factor
    return next(f for f in factors if f.product == "gasoil_diesel")


def declared_deliveries(store: Store, config: TradeConfig, year: int | None) -> list[Delivery]:
    prefixes = list(config.refined_hs_prefixes)
    if not store.has_table("trade_shipments"):
        return []
    rows = store.con.execute(
        """SELECT shipment_id, date, hs6, description, quantity, quantity_unit, weight_kg,
                simulated, origin, origin_line, vessel, vessel_imo
        FROM trade_shipments
        WHERE (destination_country = 'kp' OR end_user_country = 'kp' OR consignee_country = 'kp')
          AND len(list_filter($prefixes, lambda p: starts_with(hs6, p))) > 0
          AND ($year IS NULL OR year(date) = $year)
        ORDER BY date""",
        {"prefixes": prefixes, "year": year},
    ).fetchall()
    out = []
    for sid, day, hs6, description, qty, unit, weight, simulated, origin, line, vessel, imo in rows:
        factor = product_for(hs6, description)
        unit_key = (unit or "").strip().lower()
        if qty is not None and unit_key in VOLUME_UNITS:
            barrels = qty * VOLUME_UNITS[unit_key]
            method, used = f"declared volume ({qty:g} {unit})", "volume (exact)"
        elif qty is not None and unit_key in MASS_UNITS:
            barrels = qty * MASS_UNITS[unit_key] * factor.barrels_per_tonne
            method = f"declared quantity {qty:g} {unit} x {factor.barrels_per_tonne} bbl/t"
            used = f"{factor.product} {factor.barrels_per_tonne} bbl/t ({factor.source})"
        elif weight is not None:
            barrels = weight / 1000 * factor.barrels_per_tonne
            method = f"net weight {weight:g} kg x {factor.barrels_per_tonne} bbl/t"
            used = f"{factor.product} {factor.barrels_per_tonne} bbl/t ({factor.source})"
        else:
            continue
        out.append(
            Delivery(
                "shipment",
                f"{sid} ({origin}:{line})",
                str(day) if day else "",
                f"{day:%Y-%m}" if day else "unknown",
                barrels,
                method,
                used,
                bool(simulated),
                vessel,
                imo,
            )
        )
    return out


@dataclass(frozen=True)
class PortCall:
    """A tanker's call at a port, as the maritime capability or a CSV file reports it."""

    vessel: str
    arrival: date
    deadweight_t: float
    country: str = "kp"  # ISO 3166 alpha-2, lower case (FtM)
    port: str | None = None
    departure: date | None = None
    product: str | None = None  # a product of petroleum_factors.csv; None: gasoil/diesel
    imo: str | None = None
    source: str = ""  # where the call comes from: "calls.csv line 3", "maritime:<id>"
    simulated: bool = False


@runtime_checkable
class PortCallSource(Protocol):
    """Where port calls come from. ``CsvPortCalls`` reads a file; the maritime capability
    plugs in its own source (calls derived from AIS positions in its tables) without any
    change here: ``petroleum_table(store, config, port_calls=source)``."""

    name: str

    def port_calls(self, store: Store, *, country: str, year: int | None) -> Iterable[PortCall]: ...


def read_port_calls(path: Path) -> tuple[list[PortCall], list[str]]:
    """A port-calls CSV: ``vessel, arrival, deadweight_t`` and optionally ``port, country,
    departure, product, imo, source, simulated``. Rows that cannot be read are skipped with
    a reason naming the line (returned second), never silently."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(path, f"cannot read: {exc}") from exc
    if rows and not {"vessel", "arrival", "deadweight_t"} <= set(rows[0]):
        raise InputError(path, "a port-calls file needs columns vessel, arrival, deadweight_t", 1)
    products = {f.product for f in load_watchlists().factors}
    calls: list[PortCall] = []
    skipped: list[str] = []
    for line, row in enumerate(rows, start=2):
        where = f"{Path(path).name} line {line}"
        day = parse_day(row.get("arrival"))
        dwt = parse_amount(row.get("deadweight_t"))
        country = parse_country(row.get("country")) if (row.get("country") or "").strip() else "kp"
        product = (row.get("product") or "").strip() or None
        vessel = (row.get("vessel") or "").strip()
        problem = (
            "no vessel"
            if not vessel
            else f"arrival {row.get('arrival')!r} is not a date"
            if day is None
            else f"deadweight_t {row.get('deadweight_t')!r} is not a number"
            if dwt is None or dwt <= 0
            else f"country {row.get('country')!r} is not a country"
            if country is None
            else f"product {product!r} is not one of {', '.join(sorted(products))}"
            if product is not None and product not in products
            else None
        )
        if problem is not None or day is None or dwt is None or country is None:
            skipped.append(f"{where}: {problem}")
            continue
        imo_raw = (row.get("imo") or "").strip()
        calls.append(
            PortCall(
                vessel=vessel,
                arrival=day,
                deadweight_t=dwt,
                country=country,
                port=(row.get("port") or "").strip() or None,
                departure=parse_day(row.get("departure")),
                product=product,
                imo=clean_imo(imo_raw) if imo_raw else None,
                source=(row.get("source") or "").strip() or where,
                simulated=(row.get("simulated") or "").strip().lower() in {"1", "true", "yes"},
            )
        )
    return calls, skipped


@dataclass
class CsvPortCalls:
    """Port calls from a CSV file (``read_port_calls``), until the maritime capability has
    them; the rows it skipped are kept in ``skipped``."""

    path: Path
    name: str = "csv"
    skipped: list[str] = field(default_factory=list)

    def port_calls(self, store: Store, *, country: str, year: int | None) -> list[PortCall]:
        calls, self.skipped = read_port_calls(self.path)
        return [
            c for c in calls if c.country == country and (year is None or c.arrival.year == year)
        ]


_WORDS = re.compile(r"[^\W_]+")


def _same_vessel(call: PortCall, delivery: Delivery) -> bool:
    """The same ship: the same IMO number, or (either lacking one) the same name."""
    if call.imo and delivery.imo:
        return call.imo == delivery.imo
    names = [" ".join(_WORDS.findall((n or "").casefold())) for n in (call.vessel, delivery.vessel)]
    return bool(names[0]) and names[0] == names[1]


def port_call_deliveries(
    calls: Iterable[PortCall],
    config: TradeConfig,
    year: int | None,
    share: float,
    declared: Sequence[Delivery] = (),
) -> tuple[list[Delivery], list[str]]:
    """Estimated deliveries of port calls without a declared cargo, under one laden share.

    A call by a vessel that also carries a declared delivery (same IMO number or name)
    arriving within ``trade.port_call_match_days`` of that declaration is the same delivery:
    it is not counted twice (returned second, with the declaration it matched)."""
    factors = {f.product: f for f in load_watchlists().factors}
    window = config.port_call_match_days
    out: list[Delivery] = []
    matched: list[str] = []
    for call in calls:
        if call.country != "kp" or (year and call.arrival.year != year):
            continue
        twin = next(
            (
                d
                for d in declared
                if d.date
                and _same_vessel(call, d)
                and abs((call.arrival - date.fromisoformat(d.date)).days) <= window
            ),
            None,
        )
        if twin is not None:
            matched.append(f"{call.vessel} at {call.port or '?'} {call.arrival}: {twin.ref}")
            continue
        factor = factors.get(call.product or "gasoil_diesel", factors["gasoil_diesel"])
        barrels = call.deadweight_t * share * factor.barrels_per_tonne
        out.append(
            Delivery(
                "port-call",
                f"{call.vessel} at {call.port or '?'} ({call.source})",
                call.arrival.isoformat(),
                f"{call.arrival:%Y-%m}",
                barrels,
                f"deadweight {call.deadweight_t:g} t x {share:.0%} laden x "
                f"{factor.barrels_per_tonne} bbl/t",
                f"{factor.product} {factor.barrels_per_tonne} bbl/t ({factor.source})",
                call.simulated,
            )
        )
    return out, matched


def petroleum_table(
    store: Store,
    config: TradeConfig,
    *,
    year: int | None = None,
    port_calls: PortCallSource | Iterable[PortCall] | None = None,
) -> dict[str, Any]:
    """Deliveries by month, cumulative, against the cap; each scenario for port calls.

    ``port_calls``: a ``PortCallSource`` (``CsvPortCalls``, later the maritime capability's)
    or the calls themselves."""
    declared = declared_deliveries(store, config, year)
    if port_calls is None:
        calls: list[PortCall] = []
        source = None
    elif isinstance(port_calls, PortCallSource):
        calls = list(port_calls.port_calls(store, country="kp", year=year))
        source = port_calls.name
    else:
        calls = list(port_calls)
        source = "given"
    scenarios: dict[str, list[Delivery]] = {}
    matched: list[str] = []
    for share in config.tanker_laden_shares:
        scenarios[f"{share:.0%}"], matched = port_call_deliveries(
            calls, config, year, share, declared
        )
    months = sorted({d.month for d in declared} | {d.month for s in scenarios.values() for d in s})
    rows = []
    cumulative = 0.0
    cumulative_by = dict.fromkeys(scenarios, 0.0)
    for month in months:
        barrels = sum(d.barrels for d in declared if d.month == month)
        cumulative += barrels
        row: dict[str, Any] = {
            "month": month,
            "declared_barrels": round(barrels, 1),
            "declared_deliveries": sum(1 for d in declared if d.month == month),
            "declared_cumulative": round(cumulative, 1),
        }
        for label, deliveries in scenarios.items():
            value = sum(d.barrels for d in deliveries if d.month == month)
            cumulative_by[label] += value
            row[f"port_calls_{label}_barrels"] = round(value, 1)
            row[f"with_port_calls_{label}_cumulative"] = round(cumulative + cumulative_by[label], 1)
        row["cap_share_declared"] = round(cumulative / config.petroleum_cap_barrels, 4)
        rows.append(row)
    simulated = any(d.simulated for d in declared) or any(
        d.simulated for s in scenarios.values() for d in s
    )
    return {
        "cap_barrels": config.petroleum_cap_barrels,
        "cap_source": "UNSC resolution 2397 (2017): 500,000 barrels per 12 months from 2018",
        "year": year,
        "months": rows,
        "declared_total": round(cumulative, 1),
        "scenario_totals": {
            label: round(cumulative + sum(d.barrels for d in ds), 1)
            for label, ds in scenarios.items()
        },
        "deliveries": [d.__dict__ for d in declared]
        + [{**d.__dict__, "scenario": label} for label, ds in scenarios.items() for d in ds],
        "factors": sorted(
            {d.factor for d in declared} | {d.factor for s in scenarios.values() for d in s}
        ),
        "port_calls": {
            "source": source,
            "calls": len(calls),
            "counted": len(next(iter(scenarios.values()), [])),
            "matched_to_declared": matched,
        },
        "simulated": simulated,
    }
