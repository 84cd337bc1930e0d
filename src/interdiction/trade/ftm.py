"""Shipment records and their parties as FollowTheMoney entities, with provenance.

The mapping (docs/trade-records.md, "FtM export"):

- a record is an ``EconomicActivity`` (id: the record's ``shipment_id``): ``date``,
  ``recordId`` (the record key), ``ccdNumber`` (the declaration number), ``vedCode`` (the HS
  code as normalised: 6, 8 or 10 digits; the code as declared when it could not be read),
  ``vedCodeDescription`` (the HS 2022 text of its HS-6), ``goodsDescription``,
  ``customsAmount`` (value and currency as declared), ``originCountry``,
  ``departureCountry``, ``destinationCountry``, ``directionOfTransportation``, ``sender``
  (the shipper), ``receiver`` (the consignee), ``transport`` (the vessel), ``namesMentioned``
  (the notify party's name); what FtM has no property for (transit and end-user countries,
  ports, quantity, weight, voyage, the reasons a record could not be fully read) is written
  into ``description`` as text, and stays typed in ``trade_shipments``;
- a party is a ``LegalEntity`` (id: its ``party_key``, one per normalised name and
  country): ``name``, ``country``, ``registrationNumber``, ``incorporationDate``, and a
  ``description`` of its roles (shipper in n records...);
- a vessel is a ``Vessel``: ``vsl-imo<number>`` when the record's IMO number passes the
  ship check digit (one vessel across records), else ``<shipment_id>-vessel`` (a name only
  identifies nothing: merging is left to entity resolution).

Provenance: every statement carries the record's dataset and ``origin`` = ``file:line`` of
the record it was read from (a party's: of the first record it appears in); the entity
export adds ``datasets``, ``first_seen`` and ``last_seen`` (dates of the records). A record's
``summary`` (its caption) says what it is in one line: HS code, goods, route, date. Simulated
records carry the simulated mark: ``"simulated": true`` on each exported entity, a note where
the schema has notes, and at the start of an ``EconomicActivity``'s summary (Interval
schemata have no notes).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from followthemoney.dataset import Dataset
from followthemoney.statement import StatementEntity

from interdiction.sources.ftm_json import SIMULATED_MARK, entity_dict
from interdiction.store.db import Store
from interdiction.trade.layouts import FIELDS
from interdiction.trade.watchlists import load_watchlists

SIMULATED_RECORD = f"{SIMULATED_MARK}: fictitious record from simulated data, not a real shipment"
SIMULATED_PARTY = f"{SIMULATED_MARK}: fictitious entity from simulated data, not a real party"
BATCH = 50_000


@dataclass
class Exported:
    """One entity and what the entity export says around it."""

    entity: StatementEntity
    datasets: list[str]
    first_seen: str | None
    last_seen: str | None
    simulated: bool

    def to_dict(self) -> dict[str, Any]:
        return entity_dict(
            self.entity,
            datasets=self.datasets,
            target=False,
            first_seen=self.first_seen,
            last_seen=self.last_seen,
            simulated=self.simulated,
        )


class _Datasets(dict[str, Dataset]):
    def __missing__(self, name: str) -> Dataset:
        found = self[name] = Dataset.make({"name": name, "title": name})
        return found


def _where(dataset: str | None, alias: str = "s") -> tuple[str, list[Any]]:
    return (f"{alias}.dataset = ?", [dataset]) if dataset else ("TRUE", [])


def _rows(store: Store, sql: str, params: list[Any]) -> Iterator[dict[str, Any]]:
    """Rows as dicts, streamed in batches (ten million records do not fit in a list)."""
    reader = store.con.sql(sql, params=params).to_arrow_reader(BATCH)
    for batch in reader:
        yield from batch.to_pylist()


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _origin(row: dict[str, Any]) -> str:
    line = row.get("origin_line")
    return f"{row['origin']}:{line}" if line is not None else str(row["origin"])


def party_entities(
    store: Store, *, dataset: str | None = None, mark_notes: bool = False
) -> Iterator[Exported]:
    """Each distinct party of the records in scope, with its roles and first record."""
    where, params = _where(dataset)
    sql = f"""
        WITH roles AS (
            SELECT shipper_key AS party_key, 'shipper' AS role, dataset, origin, origin_line,
                date, simulated FROM trade_shipments s WHERE shipper_key IS NOT NULL AND {where}
            UNION ALL
            SELECT consignee_key, 'consignee', dataset, origin, origin_line, date, simulated
            FROM trade_shipments s WHERE consignee_key IS NOT NULL AND {where}
            UNION ALL
            SELECT notify_key, 'notify party', dataset, origin, origin_line, date, simulated
            FROM trade_shipments s WHERE notify_key IS NOT NULL AND {where}),
        used AS (
            SELECT party_key, list(DISTINCT dataset ORDER BY dataset) AS datasets,
                min(date) AS first_seen, max(date) AS last_seen,
                arg_min(struct_pack(dataset := dataset, origin := origin,
                    origin_line := origin_line), struct_pack(d := dataset, o := origin,
                    l := origin_line)) AS first,
                count(*) FILTER (WHERE role = 'shipper') AS shipper,
                count(*) FILTER (WHERE role = 'consignee') AS consignee,
                count(*) FILTER (WHERE role = 'notify party') AS notify,
                bool_or(simulated) AS simulated
            FROM roles GROUP BY party_key)
        SELECT p.party_key, p.name, p.country, p.identifier, p.incorporated,
            p.simulated OR u.simulated AS simulated, u.datasets, u.first_seen, u.last_seen,
            u.first, u.shipper, u.consignee, u.notify
        FROM trade_parties p JOIN used u USING (party_key)
        ORDER BY p.party_key"""
    datasets = _Datasets()
    for row in _rows(store, sql, params * 3):
        first = row["first"]
        entity = StatementEntity(
            datasets[first["dataset"]], {"schema": "LegalEntity", "id": row["party_key"]}
        )
        origin = _origin(first)
        entity.add("name", row["name"], origin=origin)
        entity.add("country", row["country"], origin=origin, quiet=True)
        entity.add("registrationNumber", row["identifier"], origin=origin)
        entity.add("incorporationDate", row["incorporated"], origin=origin, quiet=True)
        roles = ", ".join(
            f"{label} in {row[key]}"
            for key, label in (
                ("shipper", "shipper"),
                ("consignee", "consignee"),
                ("notify", "notify party"),
            )
            if row[key]
        )
        entity.add("description", f"Party to trade records: {roles}", origin=origin)
        if row["simulated"] and mark_notes:
            entity.add("notes", SIMULATED_PARTY, origin=origin)
        yield Exported(
            entity,
            list(row["datasets"]),
            _day(row["first_seen"]),
            _day(row["last_seen"]),
            bool(row["simulated"]),
        )


def shipment_entities(
    store: Store, *, dataset: str | None = None, mark_notes: bool = False
) -> Iterator[Exported]:
    """Each record as an EconomicActivity, with its vessel where the record names one."""
    lists = load_watchlists()
    where, params = _where(dataset)
    sql = f"SELECT * FROM trade_shipments s WHERE {where} ORDER BY dataset, origin, origin_line"
    datasets = _Datasets()
    for row in _rows(store, sql, params):
        ds = datasets[row["dataset"]]
        origin = _origin(row)
        simulated = bool(row["simulated"])
        day = _day(row["date"])
        vessel_id: str | None = None
        if row["vessel"] or row["vessel_imo"]:
            imo = row["vessel_imo"]
            vessel_id = (
                f"vsl-imo{imo.upper().removeprefix('IMO')}"
                if imo
                else f"{row['shipment_id']}-vessel"
            )
            vessel = StatementEntity(ds, {"schema": "Vessel", "id": vessel_id})
            vessel.add("name", row["vessel"], origin=origin)
            vessel.add("imoNumber", imo, origin=origin)
            if simulated and mark_notes:
                vessel.add("notes", SIMULATED_PARTY, origin=origin)
            yield Exported(vessel, [row["dataset"]], day, day, simulated)
        entity = StatementEntity(ds, {"schema": "EconomicActivity", "id": row["shipment_id"]})

        def add(
            prop: str, value: Any, entity: StatementEntity = entity, origin: str = origin
        ) -> None:
            entity.add(prop, value, origin=origin, quiet=True)

        add("date", row["date"])
        add("recordId", row["origin_record"])
        add("ccdNumber", row["declaration_id"])
        add("vedCode", row["hs_digits"] or row["hs_declared"])
        add("vedCodeDescription", lists.describe(row["hs6"]))
        add("goodsDescription", row["description"])
        if row["value"] is not None:
            add("customsAmount", f"{row['value']:.2f} {row['currency'] or '(no currency)'}")
        add("originCountry", row["origin_country"])
        add("departureCountry", row["departure_country"])
        add("destinationCountry", row["destination_country"])
        add("directionOfTransportation", row["direction"])
        add("sender", row["shipper_key"])
        add("receiver", row["consignee_key"])
        add("transport", vessel_id)
        add("namesMentioned", row["notify_party"])
        add("description", _details(row))
        add("summary", _summary(row))
        yield Exported(entity, [row["dataset"]], day, day, simulated)


def _summary(row: dict[str, Any]) -> str:
    """One line that says what the record is (the entity's caption), marked if simulated."""
    stops = (
        row.get("origin_country"),
        row.get("departure_country"),
        *(row.get("transit_countries") or []),
        row.get("destination_country"),
    )
    route = " > ".join(dict.fromkeys(c for c in stops if c))
    text = (
        f"HS {row.get('hs6') or row.get('hs_declared') or '?'} "
        f"{(row.get('description') or '').strip()[:80]} ({route or 'route unknown'}, "
        f"{_day(row.get('date')) or 'date unknown'})"
    )
    return f"{SIMULATED_RECORD}. {text}" if row.get("simulated") else text


def _details(row: dict[str, Any]) -> str | None:
    """What FtM has no property for, as text (it stays typed in trade_shipments)."""
    parts = []
    for label, key in (
        ("transit", "transit_countries"),
        ("end user in", "end_user_country"),
        ("port of loading", "port_of_loading"),
        ("port of discharge", "port_of_discharge"),
        ("voyage", "voyage"),
        ("transport", "transport_mode"),
    ):
        value = row.get(key)
        if value:
            parts.append(f"{label} {', '.join(value) if isinstance(value, list) else value}")
    if row.get("quantity") is not None:
        parts.append(f"quantity {row['quantity']:g} {row.get('quantity_unit') or ''}".strip())
    if row.get("weight_kg") is not None:
        parts.append(f"weight {row['weight_kg']:g} kg")
    if row.get("value_usd") is not None and row.get("currency") != "USD":
        parts.append(f"value USD {row['value_usd']:.2f}")
    if row.get("issues"):
        parts.append("not fully read: " + ", ".join(row["issues"]))
    return "; ".join(parts) or None


def write_ftm(store: Store, handle: IO[str], *, dataset: str | None = None) -> dict[str, int]:
    """FtM entities as JSON lines (the OpenSanctions export format): parties, then records."""
    counts = {"parties": 0, "records": 0, "vessels": 0}
    for item in party_entities(store, dataset=dataset):
        handle.write(json.dumps(item.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
        counts["parties"] += 1
    for item in shipment_entities(store, dataset=dataset):
        handle.write(json.dumps(item.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
        counts["vessels" if item.entity.schema.name == "Vessel" else "records"] += 1
    return counts


def write_statements(
    store: Store, handle: IO[str], *, dataset: str | None = None
) -> dict[str, int]:
    """FtM statements as JSON lines (``followthemoney.statement`` JSON format): one line per
    value, each with its dataset and origin (file:line of the record it was read from)."""
    counts = {"entities": 0, "statements": 0}
    for source in (party_entities, shipment_entities):
        for item in source(store, dataset=dataset, mark_notes=True):
            counts["entities"] += 1
            for stmt in item.entity.statements:
                if stmt.prop == "id":
                    continue  # the schema statement carries no value of its own
                stmt.first_seen = item.first_seen
                stmt.last_seen = item.last_seen
                handle.write(json.dumps(stmt.to_dict(), ensure_ascii=False) + "\n")
                counts["statements"] += 1
    return counts


def write_csv(store: Store, handle: IO[str], *, dataset: str | None = None) -> int:
    """The records in the documented CSV layout (docs/trade-records.md): loadable again."""
    import csv

    where, params = _where(dataset)
    writer = csv.DictWriter(handle, fieldnames=list(FIELDS), lineterminator="\n")
    writer.writeheader()
    count = 0
    sql = f"SELECT * FROM trade_shipments s WHERE {where} ORDER BY dataset, origin, origin_line"
    for row in _rows(store, sql, params):
        out: dict[str, Any] = {}
        for name in FIELDS:
            if name == "hs_code":
                value = row["hs_declared"]
            elif name == "record_id":
                value = row["origin_record"]
            elif name in ("transit_countries", "issues"):
                value = ("; " if name == "transit_countries" else " ").join(row[name] or [])
            elif name == "simulated":
                value = "true" if row["simulated"] else ""
            else:
                value = row.get(name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, float):
                value = f"{value:.15g}"
            out[name] = "" if value is None else value
        writer.writerow(out)
        count += 1
    return count
