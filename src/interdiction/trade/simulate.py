"""Simulated trade data: fictitious parties, records and flows that exercise every rule.

Real customs data is not public. This generator writes records that look like real ones
(Hong Kong re-exports of tier-1 integrated circuits to Russian buyers, transit through
Kyrgyzstan and Armenia, tanker deliveries of diesel to Nampho, DPRK coal and seafood, a
listed consignee and one owned by a listed company, a recently formed intermediary, a
description that does not fit its code, and bad input), all marked simulated. Party names
are built from invented syllables; vessel names start with ``SIM``; no vessel carries an IMO
number. The same seed gives the same data (public API, reused by the cases capability):

    from interdiction.trade.simulate import generate_bundle
    paths = generate_bundle(Path("out/sim"), seed=7, records=5000)
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from interdiction.fileio import atomic_write
from interdiction.trade.layouts import FIELDS
from interdiction.trade.watchlists import load_watchlists

SIMULATED = "SIMULATED"
_SYL_A = ("vex", "qin", "lum", "dor", "kel", "zar", "mob", "tav", "rul", "syn", "pax", "orv")
_SYL_B = ("aru", "ora", "ix", "etta", "ion", "ovo", "arn", "ela", "uma", "ent", "ilo", "ask")
_WORDS = (
    "Trading",
    "Electronics",
    "Logistics",
    "Technology",
    "Industrial",
    "Supply",
    "Components",
    "Machinery",
    "Import Export",
    "Engineering",
)
_FORMS = {
    "hk": "Limited",
    "cn": "Co., Ltd.",
    "ru": "LLC",
    "by": "LLC",
    "kg": "LLC",
    "am": "LLC",
    "tr": "Ltd. Sti.",
    "ae": "FZE",
    "kz": "LLP",
    "kp": "Corporation",
    "us": "Inc.",
    "de": "GmbH",
    "jp": "K.K.",
    "kr": "Co., Ltd.",
    "tw": "Co., Ltd.",
    "nl": "B.V.",
    "in": "Pvt Ltd",
    "vn": "JSC",
    "br": "Ltda",
    "mx": "S.A. de C.V.",
    "gb": "Ltd",
}
MAKERS = ("us", "de", "jp", "kr", "tw", "nl", "gb")
HUBS = ("hk", "cn", "tr", "kz", "kg", "am", "ae")
OTHERS = ("in", "vn", "br", "mx", "us", "de", "nl", "gb", "jp", "kr")
# (scenario, share of records). The rest is ordinary trade.
SCENARIOS: tuple[tuple[str, float], ...] = (
    ("hk_ic_to_russia", 0.020),
    ("transit_kg_am", 0.020),
    ("chpl_direct_ru", 0.008),
    ("tanker_nampho", 0.002),
    ("dprk_exports", 0.003),
    ("dprk_supply", 0.002),
    ("listed_consignee", 0.003),
    ("linked_consignee", 0.003),
    ("mismatch", 0.004),
    ("bad_input", 0.005),
)
TIER1 = ("854231", "854232", "854233", "854239")
TRANSIT_CHPL = ("848210", "848220", "845811", "845961", "853669", "851762", "847150", "880730")
IC_WORDS = (
    "microcontrollers",
    "integrated circuits",
    "FPGA integrated circuits",
    "DRAM memory chips",
    "processors",
    "signal amplifier ICs",
)
TANKER_PORTS = ("Nampho", "Nampo")


@dataclass(frozen=True)
class PartyPool:
    names: list[str]
    countries: list[str]
    incorporated: list[date | None]
    by_country: dict[str, list[int]]


def _name(rng: np.random.Generator, country: str, used: set[str]) -> str:
    for _ in range(1000):
        stem = (rng.choice(_SYL_A) + rng.choice(_SYL_B)).capitalize()
        if rng.random() < 0.5:
            stem += rng.choice(_SYL_B)
        name = f"{stem} {rng.choice(_WORDS)} {_FORMS.get(country, 'Ltd')}"
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("party name space exhausted; lower the number of parties")


def party_pool(rng: np.random.Generator, size: int, start: date) -> PartyPool:
    countries = [*HUBS, *HUBS, "ru", "ru", "ru", "by", "kp", *MAKERS, *OTHERS]
    names: list[str] = []
    where: list[str] = []
    incorporated: list[date | None] = []
    used: set[str] = set()
    by_country: dict[str, list[int]] = {}
    for index in range(size):
        country = (
            countries[index % len(countries)]
            if index < len(countries)
            else str(rng.choice(countries))
        )
        names.append(_name(rng, country, used))
        where.append(country)
        old = start - timedelta(days=int(rng.integers(800, 9000)))
        incorporated.append(old if rng.random() < 0.6 else None)
        by_country.setdefault(country, []).append(index)
    return PartyPool(names, where, incorporated, by_country)


def _pick(rng: np.random.Generator, pool: PartyPool, country: str) -> int:
    return int(rng.choice(pool.by_country[country]))


def simulated_watchlist(seed: int = 0) -> list[dict[str, Any]]:
    """Fictitious listed entities (FtM, marked simulated), with owned and linked companies."""
    rng = np.random.default_rng(seed + 7919)
    used: set[str] = set()
    out: list[dict[str, Any]] = []
    for index in range(6):
        country = ("ru", "hk", "kp", "cn", "ae", "ru")[index]
        listed_id = f"sim-listed-{index}"
        owned_id = f"sim-owned-{index}"
        listed_name = _name(rng, country, used)
        owned_name = _name(rng, "hk" if country != "kp" else "cn", used)
        notes = [f"{SIMULATED}: fictitious entity from simulated data, not a real party"]
        out.append(
            {
                "id": listed_id,
                "schema": "Company",
                "target": True,
                "properties": {
                    "name": [listed_name],
                    "country": [country],
                    "notes": notes,
                    "topics": ["sanction"],
                },
            }
        )
        out.append(
            {
                "id": f"{listed_id}-sanction",
                "schema": "Sanction",
                "properties": {
                    "entity": [listed_id],
                    "authority": ["Simulated authority"],
                    "program": ["SIMULATED"],
                    "summary": notes,
                },
            }
        )
        out.append(
            {
                "id": owned_id,
                "schema": "Company",
                "properties": {
                    "name": [owned_name],
                    "country": ["hk" if country != "kp" else "cn"],
                    "notes": notes,
                },
            }
        )
        out.append(
            {
                "id": f"{owned_id}-ownership",
                "schema": "Ownership",
                "properties": {
                    "owner": [listed_id],
                    "asset": [owned_id],
                    "percentage": ["60"],
                    "summary": notes,
                },
            }
        )
    return out


def _day(rng: np.random.Generator, start: date, end: date) -> date:
    return start + timedelta(days=int(rng.integers(0, (end - start).days + 1)))


def iter_records(
    seed: int = 0,
    records: int = 2000,
    start: date = date(2023, 1, 1),
    end: date = date(2024, 12, 31),
    parties: int | None = None,
) -> Iterator[dict[str, str]]:
    """Records in the documented CSV layout (all values as text), deterministic per seed."""
    rng = np.random.default_rng(seed)
    lists = load_watchlists()
    hs6_all = sorted(c for c in lists.hs6 if not c.startswith(("93", "2701", "2710", "03")))
    pool = party_pool(rng, parties or max(300, records // 20), start)
    watch = simulated_watchlist(seed)
    listed = [e for e in watch if e["id"].startswith("sim-listed") and e["schema"] == "Company"]
    owned = [e for e in watch if e["id"].startswith("sim-owned") and e["schema"] == "Company"]
    kinds = [k for k, _ in SCENARIOS] + ["ordinary"]
    weights = [w for _, w in SCENARIOS]
    weights.append(1.0 - sum(weights))
    choice = rng.choice(len(kinds), size=records, p=weights)
    # Make sure every scenario appears at least once, whatever the size.
    for index, _ in enumerate(SCENARIOS):
        if records > index:
            choice[index] = index
    for number in range(records):
        kind = kinds[int(choice[number])]
        day = _day(rng, start, end)
        rec: dict[str, str] = {name: "" for name in FIELDS}
        rec.update(
            record_id=f"SIM-{seed}-{number:08d}",
            date=day.isoformat(),
            currency="USD",
            simulated="true",
            transport_mode="sea",
        )

        def party(role: str, country: str, rec: dict[str, str] = rec) -> None:
            index = _pick(rng, pool, country)
            rec[role] = pool.names[index]
            rec[f"{role}_country"] = country
            inc = pool.incorporated[index]
            if inc and role in ("shipper", "consignee"):
                rec[f"{role}_incorporated"] = inc.isoformat()

        if kind == "hk_ic_to_russia":
            party("shipper", "hk")
            party("consignee", "ru")
            hs6 = str(rng.choice(TIER1))
            rec.update(
                origin_country=str(rng.choice(("us", "tw", "kr", "jp", "cn"))),
                departure_country="hk",
                destination_country="ru",
                port_of_loading="Hong Kong",
                port_of_discharge="Vladivostok",
                hs_code=f"{hs6[:4]}.{hs6[4:]}.00",
                direction="re-export",
                description=str(rng.choice(IC_WORDS)),
                quantity=str(int(rng.integers(500, 200000))),
                quantity_unit="pcs",
                value=f"{rng.lognormal(10.5, 1.0):.2f}",
                weight_kg=f"{rng.lognormal(3.0, 1.0):.1f}",
                vessel=f"SIM {rng.choice(_SYL_A).capitalize()}{rng.choice(_SYL_B)}",
            )
            if rng.random() < 0.3:  # a recently formed Hong Kong shipper
                rec["shipper_incorporated"] = (
                    day - timedelta(days=int(rng.integers(30, 300)))
                ).isoformat()
        elif kind == "transit_kg_am":
            via = str(rng.choice(("kg", "am")))
            party("shipper", str(rng.choice(("cn", "tr", "de"))))
            party("consignee", via)
            hs6 = str(rng.choice(TRANSIT_CHPL))
            rec.update(
                origin_country=rec["shipper_country"],
                departure_country=rec["shipper_country"],
                transit_countries=via,
                destination_country=via,
                end_user_country="ru",
                hs_code=hs6,
                description=lists.describe(hs6) or "",
                direction="export",
                value=f"{rng.lognormal(10.0, 1.0):.2f}",
                transport_mode="road",
                weight_kg=f"{rng.lognormal(5.0, 1.0):.1f}",
            )
            if rng.random() < 0.3:
                rec["consignee_incorporated"] = (
                    day - timedelta(days=int(rng.integers(20, 200)))
                ).isoformat()
        elif kind == "chpl_direct_ru":
            party("shipper", "cn")
            party("consignee", "ru")
            hs6 = str(rng.choice(sorted(lists.chpl)))
            rec.update(
                origin_country="cn",
                departure_country="cn",
                destination_country="ru",
                hs_code=hs6,
                description=lists.describe(hs6) or "",
                direction="export",
                value=f"{rng.lognormal(9.5, 1.0):.2f}",
                weight_kg=f"{rng.lognormal(4, 1):.1f}",
            )
        elif kind == "tanker_nampho":
            party("shipper", str(rng.choice(("ru", "cn"))))
            party("consignee", "kp")
            tonnes = float(rng.uniform(400, 3000))
            rec.update(
                origin_country=rec["shipper_country"],
                departure_country=rec["shipper_country"],
                destination_country="kp",
                port_of_loading=str(rng.choice(("Vladivostok", "Nakhodka", "Longkou"))),
                port_of_discharge=str(rng.choice(TANKER_PORTS)),
                hs_code="2710.19",
                description=str(rng.choice(("diesel fuel", "gasoil 0.1% S", "marine gas oil"))),
                weight_kg=f"{tonnes * 1000:.0f}",
                quantity=f"{tonnes:.1f}",
                quantity_unit="t",
                value=f"{tonnes * rng.uniform(550, 800):.2f}",
                direction="export",
                vessel=f"SIM {rng.choice(_SYL_A).capitalize()}{rng.choice(_SYL_B)} Tanker",
                transport_mode="sea",
            )
        elif kind == "dprk_exports":
            party("shipper", "kp")
            party("consignee", "cn")
            hs6 = str(rng.choice(("270112", "030389", "620342", "260111", "850440")))
            rec.update(
                origin_country="kp",
                departure_country="kp",
                destination_country="cn",
                hs_code=hs6,
                description=lists.describe(hs6) or "",
                direction="export",
                value=f"{rng.lognormal(11, 1):.2f}",
                weight_kg=f"{rng.lognormal(9, 1):.0f}",
            )
        elif kind == "dprk_supply":
            party("shipper", str(rng.choice(("cn", "ru"))))
            party("consignee", "kp")
            hs6 = str(rng.choice(("843149", "870421", "722990", "890190")))
            rec.update(
                origin_country=rec["shipper_country"],
                departure_country=rec["shipper_country"],
                destination_country="kp",
                hs_code=hs6,
                description=lists.describe(hs6) or "",
                direction="export",
                value=f"{rng.lognormal(10, 1):.2f}",
            )
        elif kind in ("listed_consignee", "linked_consignee"):
            entity = (listed if kind == "listed_consignee" else owned)[
                int(rng.integers(0, len(listed)))
            ]
            party("shipper", str(rng.choice(("cn", "hk", "tr"))))
            name = entity["properties"]["name"][0]
            rec["consignee"] = name.upper() if rng.random() < 0.5 else name
            rec["consignee_country"] = entity["properties"]["country"][0]
            hs6 = str(rng.choice(hs6_all))
            rec.update(
                origin_country=rec["shipper_country"],
                departure_country=rec["shipper_country"],
                destination_country=rec["consignee_country"],
                hs_code=hs6,
                description=lists.describe(hs6) or "",
                value=f"{rng.lognormal(9, 1):.2f}",
            )
        elif kind == "mismatch":
            party("shipper", "hk")
            party("consignee", str(rng.choice(("kz", "ae", "tr"))))
            rec.update(
                origin_country="cn",
                departure_country="hk",
                destination_country=rec["consignee_country"],
                hs_code=str(rng.choice(("950300", "392690", "950590"))),
                description=str(
                    rng.choice(("microcontrollers STM-series", "integrated circuits, assorted"))
                ),
                value=f"{rng.lognormal(9, 1):.2f}",
            )
        elif kind == "bad_input":
            party("shipper", str(rng.choice(OTHERS)))
            party("consignee", str(rng.choice(OTHERS)))
            hs6 = str(rng.choice(hs6_all))
            rec.update(
                origin_country=rec["shipper_country"],
                destination_country=rec["consignee_country"],
                hs_code=hs6,
                description=lists.describe(hs6) or "",
                value=f"{rng.lognormal(9, 1):.2f}",
            )
            fault = int(rng.integers(0, 5))
            if fault == 0:
                rec["hs_code"] = "9912.34"
            elif fault == 1:
                rec["date"] = "31.02.2024"
            elif fault == 2:
                rec["currency"] = "XYZ"
            elif fault == 3:
                rec["consignee"] = ""
                rec["consignee_country"] = ""
            else:
                rec["value"] = "n/a"
        else:
            a, b = rng.choice(OTHERS + HUBS, size=2, replace=False)
            party("shipper", str(a))
            party("consignee", str(b))
            hs6 = str(rng.choice(hs6_all))
            rec.update(
                origin_country=str(a),
                departure_country=str(a),
                destination_country=str(b),
                hs_code=hs6,
                description=lists.describe(hs6) or "",
                direction="export",
                value=f"{rng.lognormal(9, 1.2):.2f}",
                weight_kg=f"{rng.lognormal(6, 1.5):.1f}",
            )
        yield rec


def write_records_csv(path: Path, rows: Iterator[dict[str, str]]) -> int:
    count = 0
    with atomic_write(Path(path)) as handle:
        writer = csv.DictWriter(handle, fieldnames=list(FIELDS))
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


COMTRADE_HEADER = (
    "typeCode",
    "freqCode",
    "refPeriodId",
    "refYear",
    "refMonth",
    "period",
    "reporterCode",
    "reporterISO",
    "reporterDesc",
    "flowCode",
    "flowDesc",
    "partnerCode",
    "partnerISO",
    "partnerDesc",
    "partner2Code",
    "partner2ISO",
    "partner2Desc",
    "classificationCode",
    "classificationSearchCode",
    "isOriginalClassification",
    "cmdCode",
    "cmdDesc",
    "aggrLevel",
    "isLeaf",
    "customsCode",
    "customsDesc",
    "mosCode",
    "motCode",
    "motDesc",
    "qtyUnitCode",
    "qtyUnitAbbr",
    "qty",
    "isQtyEstimated",
    "altQtyUnitCode",
    "altQtyUnitAbbr",
    "altQty",
    "isAltQtyEstimated",
    "netWgt",
    "isNetWgtEstimated",
    "grossWgt",
    "isGrossWgtEstimated",
    "cifvalue",
    "fobvalue",
    "primaryValue",
    "legacyEstimationFlag",
    "isReported",
    "isAggregate",
)
ISO3 = {
    "hk": "HKG",
    "cn": "CHN",
    "tr": "TUR",
    "kz": "KAZ",
    "kg": "KGZ",
    "am": "ARM",
    "ae": "ARE",
    "ru": "RUS",
    "by": "BLR",
    "kp": "PRK",
    "us": "USA",
    "de": "DEU",
    "jp": "JPN",
    "kr": "KOR",
    "tw": "S19",
    "nl": "NLD",
    "in": "IND",
}


def iter_flows(
    seed: int = 0,
    years: tuple[int, int] = (2017, 2024),
    codes: tuple[str, ...] | None = None,
    reporters: tuple[str, ...] = ("hk", "cn", "tr", "kz", "kg", "am", "us", "de", "jp", "kr"),
    partners: tuple[str, ...] = ("ru", "by", "kp", "hk", "kz", "kg", "am", "us", "de", "in"),
    monthly: bool = False,
) -> Iterator[dict[str, str]]:
    """Comtrade+ rows: both sides of each flow, with gaps, surges after 2022 and outliers."""
    rng = np.random.default_rng(seed + 104729)
    lists = load_watchlists()
    codes = codes or (*TIER1, "848210", "845811", "851762", "271019", "270112", "030389", "640399")
    periods = [
        (y, m) for y in range(years[0], years[1] + 1) for m in (range(1, 13) if monthly else [None])
    ]
    for reporter in reporters:
        for partner in partners:
            if reporter == partner:
                continue
            for code in codes:
                if rng.random() < 0.35:
                    continue
                base = float(rng.lognormal(13, 1.2)) / (12 if monthly else 1)
                unit = float(rng.lognormal(3, 0.4))
                for year, month in periods:
                    value = base * float(rng.lognormal(0, 0.15))
                    sensitive = partner in ("ru", "by") and reporter in HUBS and code in lists.chpl
                    if sensitive and year >= 2022:
                        value *= float(rng.uniform(2.5, 6.0))  # the post-2022 surge
                    if (
                        partner in ("ru", "by")
                        and reporter in ("us", "de", "jp", "kr")
                        and year >= 2022
                    ):
                        value *= 0.05  # makers' direct exports collapse
                    if partner == "kp" and not code.startswith(("2710", "0303")):
                        value *= 0.01
                    weight = value / unit
                    if rng.random() < 0.01:
                        weight /= 40  # a unit-value outlier
                    period = f"{year}{month:02d}" if month else str(year)
                    for flow, rep, par, val in (
                        ("X", reporter, partner, value),
                        ("M", partner, reporter, value * 1.06 * float(rng.lognormal(0, 0.05))),
                    ):
                        if rep in ("ru", "kp") and (year >= 2022 or rep == "kp"):
                            continue  # Russia stopped publishing; the DPRK never did
                        if flow == "M" and sensitive and year >= 2022 and rng.random() < 0.5:
                            val *= 0.3  # partner under-reports: a mirror gap
                        row = {h: "" for h in COMTRADE_HEADER}
                        iso_r, iso_p = ISO3.get(rep, rep.upper()), ISO3.get(par, par.upper())
                        row.update(
                            typeCode="C",
                            freqCode="M" if month else "A",
                            refPeriodId=f"{period}01" if month else f"{year}0101",
                            refYear=str(year),
                            refMonth=str(month or 52),
                            period=period,
                            reporterISO=iso_r,
                            reporterDesc=f"{iso_r} (simulated)",
                            flowCode=flow,
                            partnerISO=iso_p,
                            partner2ISO="W00",
                            classificationCode="H6",
                            cmdCode=code,
                            aggrLevel="6",
                            isLeaf="1",
                            customsCode="C00",
                            mosCode="0",
                            motCode="0",
                            qtyUnitCode="8",
                            qtyUnitAbbr="kg",
                            netWgt=f"{weight:.0f}",
                            primaryValue=f"{val:.0f}",
                            cifvalue=f"{val:.0f}" if flow == "M" else "",
                            fobvalue=f"{val:.0f}" if flow == "X" else "",
                            isReported="true",
                            isAggregate="false",
                        )
                        yield row
                    if reporter == "hk" and partner == "ru" and code in TIER1:
                        for origin in ("USA", "S19", "KOR", "CHN"):
                            share = float(rng.uniform(0.1, 0.4))
                            row = {h: "" for h in COMTRADE_HEADER}
                            row.update(
                                typeCode="C",
                                freqCode="M" if month else "A",
                                period=period,
                                refYear=str(year),
                                reporterISO="HKG",
                                flowCode="RX",
                                partnerISO="RUS",
                                partner2ISO=origin,
                                classificationCode="H6",
                                cmdCode=code,
                                aggrLevel="6",
                                netWgt=f"{weight * share:.0f}",
                                primaryValue=f"{value * share:.0f}",
                                fobvalue=f"{value * share:.0f}",
                                isReported="true",
                                isAggregate="false",
                            )
                            yield row


def write_comtrade_csv(path: Path, rows: Iterator[dict[str, str]]) -> int:
    count = 0
    with atomic_write(Path(path)) as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COMTRADE_HEADER))
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def port_calls(
    seed: int = 0, start: date = date(2023, 1, 1), end: date = date(2024, 12, 31), calls: int = 40
) -> list[dict[str, str]]:
    """Simulated tanker port calls at DPRK ports without a declared cargo."""
    rng = np.random.default_rng(seed + 15485863)
    out = []
    for index in range(calls):
        day = _day(rng, start, end)
        out.append(
            {
                "vessel": f"SIM {rng.choice(_SYL_A).capitalize()}{rng.choice(_SYL_B)} Tanker",
                "port": str(rng.choice(("Nampho", "Chongjin"))),
                "country": "kp",
                "arrival": day.isoformat(),
                "departure": (day + timedelta(days=int(rng.integers(1, 5)))).isoformat(),
                "deadweight_t": f"{rng.uniform(1500, 5000):.0f}",
                "product": "gasoil_diesel",
                "source": f"simulated port call {index}",
                "simulated": "true",
            }
        )
    return out


def generate_bundle(folder: Path, seed: int = 0, records: int = 2000) -> dict[str, Path]:
    """Write a complete simulated case: records, flows, port calls and a fictitious list."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "shipments": folder / "sim_shipments.csv",
        "comtrade": folder / "sim_comtrade.csv",
        "port_calls": folder / "sim_port_calls.csv",
        "watchlist": folder / "sim_trade_watchlist.ftm.json",
    }
    write_records_csv(paths["shipments"], iter_records(seed, records))
    write_comtrade_csv(paths["comtrade"], iter_flows(seed))
    calls = port_calls(seed)
    with atomic_write(paths["port_calls"]) as handle:
        writer = csv.DictWriter(handle, fieldnames=list(calls[0]))
        writer.writeheader()
        writer.writerows(calls)
    write_watchlist(paths["watchlist"], seed)
    return paths


def write_watchlist(path: Path, seed: int = 0) -> Path:
    """``simulated_watchlist(seed)`` as FtM JSON lines, loadable with ``lists load``."""
    with atomic_write(Path(path)) as handle:
        for entity in simulated_watchlist(seed):
            handle.write(
                json.dumps(
                    {
                        **entity,
                        "datasets": ["sim_trade_watchlist"],
                        "last_change": "2024-01-01T00:00:00",
                        "simulated": True,
                    },
                    sort_keys=True,
                )
                + "\n"
            )
    return Path(path)


def _take(vocab: Sequence[str | None], index: np.ndarray) -> pa.Array:
    """Strings by index into a small vocabulary, built in Arrow (no Python loop per row)."""
    return pa.array(vocab, pa.string()).take(pa.array(index, pa.int32()))


@dataclass(frozen=True)
class _TableParties:
    names: list[str | None]  # the pool, the watchlist's companies, and None (no party)
    keys: list[str | None]
    vocab: list[str | None]  # countries; the last one is None
    code: dict[str | None, int]
    country_of: np.ndarray
    incorporated: np.ndarray
    by_country: dict[int, np.ndarray]
    listed: np.ndarray  # indexes of the listed companies (each followed by the one it owns)
    trading: np.ndarray  # parties of ordinary trade


@lru_cache(maxsize=2)
def _table_parties(seed: int, parties: int) -> _TableParties:
    """The party pool of ``generate_table``, built once for all the chunks of a data set."""
    from interdiction.trade.parsing import party_key

    pool = party_pool(np.random.default_rng(seed), parties, date(2023, 1, 1))
    named = [
        (e["properties"]["name"][0], e["properties"]["country"][0])
        for e in simulated_watchlist(seed)
        if e["schema"] == "Company"
    ]  # listed, owned, listed, owned...
    names: list[str | None] = [*pool.names, *(n for n, _ in named), None]
    where: list[str | None] = [*pool.countries, *(c for _, c in named), None]
    vocab: list[str | None] = [
        *sorted({c for c in where if c} | {"ru", "kp", "hk", "kg", "am"}),
        None,
    ]
    code = {c: i for i, c in enumerate(vocab)}
    by_country = {code[c]: np.array(ix) for c, ix in pool.by_country.items()}
    return _TableParties(
        names=names,
        keys=[party_key(n, c) if n else None for n, c in zip(names, where, strict=True)],
        vocab=vocab,
        code=code,
        country_of=np.array([code[c] for c in where], dtype=np.int32),
        incorporated=np.array(
            [np.datetime64(d) if d else np.datetime64("NaT") for d in pool.incorporated]
            + [np.datetime64("NaT")] * (len(named) + 1),
            dtype="datetime64[D]",
        ),
        by_country=by_country,
        listed=np.arange(len(pool.names), len(pool.names) + len(named), 2),
        trading=np.concatenate([by_country[code[c]] for c in (*OTHERS, *HUBS)]),
    )


def generate_table(
    seed: int,
    records: int,
    parties: int,
    *,
    start: int = 0,
    distinct_descriptions: float = 0.25,
) -> pa.Table:
    """Records as typed columns of the shipments table, vectorised (for benchmarks).

    The scenarios of ``iter_records`` in the same shares (CHPL goods through Hong Kong and the
    Kyrgyz/Armenian transit, tanker deliveries to the DPRK, DPRK exports and supplies, listed
    and linked consignees from ``simulated_watchlist(seed)``, descriptions that do not fit
    their code, bad input kept with its reason as the loader keeps it), over a pool of
    ``parties`` distinct parties that depends on ``seed`` only, so that the chunks of one data
    set (``start``: the number of a chunk's first record) share it. A share
    ``distinct_descriptions`` of the records carries an order reference after its goods
    description, as bills of lading often do, so that descriptions are not all drawn from a
    few thousand texts.
    """
    import pyarrow.compute as pc

    from interdiction.trade.records import SHIPMENT_TYPES

    lists = load_watchlists()
    pool = _table_parties(seed, parties)
    names, keys, vocab, code = pool.names, pool.keys, pool.vocab, pool.code
    no_party = len(names) - 1
    listed_idx, owned_idx = pool.listed, pool.listed + 1
    incorporated, country_of, by_country = pool.incorporated, pool.country_of, pool.by_country
    none = code[None]

    rng = np.random.default_rng([seed, start])
    n = records
    kinds = [k for k, _ in SCENARIOS] + ["ordinary"]
    weights = [w for _, w in SCENARIOS]
    kind = rng.choice(len(kinds), size=n, p=[*weights, 1.0 - sum(weights)])
    kind[: min(n, len(SCENARIOS))] = np.arange(min(n, len(SCENARIOS)))

    def rows(name: str) -> np.ndarray:
        return np.asarray(kind == kinds.index(name))

    def some(values: Any, m: np.ndarray) -> np.ndarray:
        array: np.ndarray = np.asarray(values)
        picked: np.ndarray = array[rng.integers(0, len(array), int(m.sum()))]
        return picked

    def cc(*countries: str) -> np.ndarray:
        return np.array([code[c] for c in countries], dtype=np.int32)

    def pick(chosen: np.ndarray) -> np.ndarray:
        """A party of each row's country (``chosen``: country codes)."""
        out = np.empty(len(chosen), dtype=np.int64)
        for country in np.unique(chosen):
            at = chosen == country
            pool_c = by_country[int(country)]
            out[at] = pool_c[rng.integers(0, len(pool_c), int(at.sum()))]
        return out

    hs_all = np.array(sorted(lists.hs6), dtype=object)
    ordinary_hs = np.array(
        [c for c in hs_all if not c.startswith(("93", "2701", "2710", "03"))], dtype=object
    )

    # Ordinary trade first, then each scenario overwrites its rows.
    trading = pool.trading
    shipper = trading[rng.integers(0, len(trading), n)]
    consignee = trading[rng.integers(0, len(trading), n)]
    hs6 = ordinary_hs[rng.integers(0, len(ordinary_hs), n)]
    origin = country_of[shipper]
    departure = origin.copy()
    destination = country_of[consignee]
    end_user = np.full(n, none, dtype=np.int32)
    transit = np.full(n, none, dtype=np.int32)
    phrases: list[str] = []
    phrase = np.full(n, -1, dtype=np.int64)  # index into phrases; -1: the code's HS text
    value = rng.lognormal(9, 1.2, n)
    weight = rng.lognormal(6, 1.5, n)
    day = np.datetime64("2023-01-01") + rng.integers(0, 731, n).astype("timedelta64[D]")
    recently: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # role -> (rows, formed)

    def say(m: np.ndarray, texts: tuple[str, ...]) -> None:
        phrase[m] = len(phrases) + rng.integers(0, len(texts), int(m.sum()))
        phrases.extend(texts)

    def days(m: np.ndarray, low: int, high: int) -> np.ndarray:
        return rng.integers(low, high, int(m.sum())).astype("timedelta64[D]")

    m = rows("hk_ic_to_russia")
    shipper[m], consignee[m] = pick(some(cc("hk"), m)), pick(some(cc("ru"), m))
    hs6[m] = some(TIER1, m)
    origin[m] = some(cc("us", "tw", "kr", "jp", "cn"), m)
    departure[m], destination[m] = code["hk"], code["ru"]
    say(m, IC_WORDS)
    value[m] = rng.lognormal(10.5, 1.0, int(m.sum()))
    recent = m & (rng.random(n) < 0.3)  # a recently formed Hong Kong shipper
    recently["shipper"] = (recent, day[recent] - days(recent, 30, 300))
    m = rows("transit_kg_am")
    via = some(cc("kg", "am"), m)
    shipper[m], consignee[m] = pick(some(cc("cn", "tr", "de"), m)), pick(via)
    hs6[m] = some(TRANSIT_CHPL, m)
    origin[m] = departure[m] = country_of[shipper[m]]
    transit[m], destination[m], end_user[m] = via, via, code["ru"]
    recent = m & (rng.random(n) < 0.3)
    recently["consignee"] = (recent, day[recent] - days(recent, 20, 200))
    m = rows("chpl_direct_ru")
    shipper[m], consignee[m] = pick(some(cc("cn"), m)), pick(some(cc("ru"), m))
    hs6[m] = some(sorted(lists.chpl), m)
    origin[m], departure[m], destination[m] = code["cn"], code["cn"], code["ru"]
    m = rows("tanker_nampho")
    shipper[m], consignee[m] = pick(some(cc("ru", "cn"), m)), pick(some(cc("kp"), m))
    hs6[m] = "271019"
    origin[m] = departure[m] = country_of[shipper[m]]
    destination[m] = code["kp"]
    say(m, ("diesel fuel", "gasoil 0.1% S", "marine gas oil"))
    weight[m] = rng.uniform(400_000, 3_000_000, int(m.sum()))
    m = rows("dprk_exports")
    shipper[m], consignee[m] = pick(some(cc("kp"), m)), pick(some(cc("cn"), m))
    hs6[m] = some(("270112", "030389", "620342", "260111", "850440"), m)
    origin[m], departure[m], destination[m] = code["kp"], code["kp"], code["cn"]
    m = rows("dprk_supply")
    shipper[m], consignee[m] = pick(some(cc("cn", "ru"), m)), pick(some(cc("kp"), m))
    hs6[m] = some(("843149", "870421", "722990", "890190"), m)
    origin[m] = departure[m] = country_of[shipper[m]]
    destination[m] = code["kp"]
    for name, targets in (("listed_consignee", listed_idx), ("linked_consignee", owned_idx)):
        m = rows(name)
        shipper[m], consignee[m] = pick(some(cc("cn", "hk", "tr"), m)), some(targets, m)
        origin[m] = departure[m] = country_of[shipper[m]]
        destination[m] = country_of[consignee[m]]
    m = rows("mismatch")
    shipper[m], consignee[m] = pick(some(cc("hk"), m)), pick(some(cc("kz", "ae", "tr"), m))
    hs6[m] = some(("950300", "392690", "950590"), m)
    origin[m], departure[m] = code["cn"], code["hk"]
    destination[m] = country_of[consignee[m]]
    say(m, ("microcontrollers STM-series", "integrated circuits, assorted"))

    # Bad input as the loader keeps it: the value as read, and the reason.
    fault = np.where(rows("bad_input"), rng.integers(0, 5, n), -1)
    hs_declared = hs6.copy()
    hs_status = np.full(n, "ok", dtype=object)
    hs_declared[fault == 0], hs6[fault == 0], hs_status[fault == 0] = (
        "9912.34",
        "991234",
        "not-in-hs2022",
    )
    day[fault == 1] = np.datetime64("NaT")
    consignee[fault == 3] = no_party
    value_usd = np.where((fault == 2) | (fault == 4), np.nan, value)
    shipper_inc, consignee_inc = incorporated[shipper], incorporated[consignee]
    for role, formed in (("shipper", shipper_inc), ("consignee", consignee_inc)):
        if role in recently:
            formed[recently[role][0]] = recently[role][1]
    reasons = ["hs-not-in-hs2022", "bad-date", "unknown-currency", "missing-consignee"]
    reasons.append("bad-value")
    faulty = fault >= 0
    issues = pa.ListArray.from_arrays(
        pa.array(np.concatenate([[0], np.cumsum(faulty)]).astype(np.int32)),
        _take(reasons, fault[faulty]),
    )
    routed = transit != none
    transit_lists = pa.ListArray.from_arrays(
        pa.array(np.concatenate([[0], np.cumsum(routed)]).astype(np.int32)),
        _take(vocab, transit[routed]),
    )

    texts = [lists.describe(c) or "" for c in hs_all]
    by_code = np.searchsorted(hs_all, hs6)
    by_code[by_code >= len(hs_all)] = 0
    description = _take(texts + phrases, np.where(phrase >= 0, len(texts) + phrase, by_code))
    referenced = pc.binary_join_element_wise(
        description,
        pc.cast(pa.array(rng.integers(4_500_000_000, 4_600_000_000, n)), pa.string()),
        " PO ",
    )
    with_reference = pa.array(rng.random(n) < distinct_descriptions)
    description = pc.if_else(with_reference, referenced, description)

    ids = pc.binary_join_element_wise(
        f"shp-bench-{seed}", pc.cast(pa.array(np.arange(start, start + n)), pa.string()), "-"
    )
    zeros = np.zeros(n, np.int32)
    cols: dict[str, Any] = {
        name: pa.nulls(n, SHIPMENT_TYPES.field(name).type) for name in SHIPMENT_TYPES.names
    }
    cols.update(
        shipment_id=ids,
        dataset=_take(["bench"], zeros),
        load_id=_take([f"tld-bench-{seed}-{start}"], zeros),
        origin=_take(["bench.csv"], zeros),
        origin_record=ids,
        origin_line=pa.array(np.arange(start + 2, start + n + 2)),
        simulated=pa.array(np.ones(n, bool)),
        date=pa.array(day, pa.date32(), from_pandas=True),
        direction=_take(["export"], zeros),
        shipper=_take(names, shipper),
        shipper_country=_take(vocab, country_of[shipper]),
        shipper_key=_take(keys, shipper),
        shipper_incorporated=pa.array(shipper_inc, pa.date32(), from_pandas=True),
        consignee=_take(names, consignee),
        consignee_country=_take(vocab, country_of[consignee]),
        consignee_key=_take(keys, consignee),
        consignee_incorporated=pa.array(consignee_inc, pa.date32(), from_pandas=True),
        origin_country=_take(vocab, origin),
        departure_country=_take(vocab, departure),
        transit_countries=transit_lists,
        destination_country=_take(vocab, destination),
        end_user_country=_take(vocab, end_user),
        hs_declared=pa.array(hs_declared, pa.string()),
        hs_digits=pa.array(hs6, pa.string()),
        hs6=pa.array(hs6, pa.string()),
        hs_status=pa.array(hs_status, pa.string()),
        description=description,
        value=pa.array(np.where(fault == 4, np.nan, value), from_pandas=True),
        currency=_take(["USD", "XYZ"], (fault == 2).astype(np.int32)),
        value_usd=pa.array(value_usd, from_pandas=True),
        weight_kg=pa.array(weight),
        transport_mode=_take(["sea"], zeros),
        issues=issues,
    )
    return pa.table([cols[name] for name in SHIPMENT_TYPES.names], schema=SHIPMENT_TYPES)
