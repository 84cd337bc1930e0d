"""Refined petroleum delivered to the DPRK, counted against resolution 2397's yearly cap.

Declared deliveries come from shipment records (HS 2710 less waste oils, to the DPRK);
their barrels come from the declared quantity when it is a volume, else from the weight with
the product's tonnes-to-barrels factor (``data/petroleum_factors.csv``, BP's approximate
conversion factors; the product is read from the HS code, then the description). Tanker
port calls at DPRK ports without a declared cargo (from the maritime capability, or a CSV
of port calls) are estimated under each laden-share scenario of the configuration. Every
figure says which factor and which source it used.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interdiction.config import TradeConfig
from interdiction.sources.base import InputError
from interdiction.store.db import Store
from interdiction.trade.parsing import parse_amount, parse_day
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
                simulated, origin, origin_line
        FROM trade_shipments
        WHERE (destination_country = 'kp' OR end_user_country = 'kp' OR consignee_country = 'kp')
          AND len(list_filter($prefixes, lambda p: starts_with(hs6, p))) > 0
          AND ($year IS NULL OR year(date) = $year)
        ORDER BY date""",
        {"prefixes": prefixes, "year": year},
    ).fetchall()
    out = []
    for sid, day, hs6, description, qty, unit, weight, simulated, origin, line in rows:
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
            )
        )
    return out


def read_port_calls(path: Path) -> list[dict[str, str]]:
    """Port calls CSV: vessel, port, country, arrival, deadweight_t[, product, source]."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read: {exc}") from exc
    if rows and not {"vessel", "arrival", "deadweight_t"} <= set(rows[0]):
        raise InputError(path, "a port-calls file needs columns vessel, arrival, deadweight_t", 1)
    return rows


def port_call_deliveries(
    calls: list[dict[str, str]], config: TradeConfig, year: int | None, share: float
) -> list[Delivery]:
    factors = {f.product: f for f in load_watchlists().factors}
    out = []
    for number, call in enumerate(calls, start=2):
        day = parse_day(call.get("arrival"))
        dwt = parse_amount(call.get("deadweight_t"))
        if day is None or dwt is None or (year and day.year != year):
            continue
        if (call.get("country") or "kp").lower() != "kp":
            continue
        factor = factors.get(call.get("product") or "", factors["gasoil_diesel"])
        barrels = dwt * share * factor.barrels_per_tonne
        out.append(
            Delivery(
                "port-call",
                f"{call.get('vessel')} at {call.get('port')} (line {number})",
                day.isoformat(),
                f"{day:%Y-%m}",
                barrels,
                f"deadweight {dwt:g} t x {share:.0%} laden x {factor.barrels_per_tonne} bbl/t",
                f"{factor.product} {factor.barrels_per_tonne} bbl/t ({factor.source})",
                (call.get("simulated") or "").lower() in {"1", "true", "yes"},
            )
        )
    return out


def petroleum_table(
    store: Store,
    config: TradeConfig,
    *,
    year: int | None = None,
    port_calls: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Deliveries by month, cumulative, against the cap; each scenario for port calls."""
    declared = declared_deliveries(store, config, year)
    scenarios = {
        f"{share:.0%}": port_call_deliveries(port_calls or [], config, year, share)
        for share in config.tanker_laden_shares
    }
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
        "simulated": simulated,
    }
