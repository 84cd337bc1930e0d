"""The US Consolidated Screening List (CSL) CSV of the International Trade Administration.

One file joins the export-screening lists of Commerce (BIS Entity List, Denied Persons,
Unverified, Military End User), State (ITAR debarred, nonproliferation) and Treasury (SDN,
SSI, ...). Each row becomes a Person, Organization, Vessel or Airplane (LegalEntity when the
type is not given) with a Sanction naming its source list, programs, Federal Register
notice, licence requirement and policy. Ids: ``uscsl-<_id>`` when the file carries the ITA
row id, else ``uscsl-<source>-<entity_number>`` for Treasury rows, else a hash of the
source list and name (the older files have no other stable key).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from interdiction.ids import clean_imo, content_hash, slug
from interdiction.sources.base import (
    Batch,
    FileSet,
    InputError,
    KnownSchema,
    Origin,
    Reader,
    iter_lines_checked,
)
from interdiction.sources.countries import clean_country

HEADER = ("source", "entity_number", "type", "programs", "name")
SCHEMA = {
    "individual": "Person",
    "entity": "Organization",
    "vessel": "Vessel",
    "aircraft": "Airplane",
}
SOURCE_ABBR = re.compile(r"\(([A-Z]{2,5})\)")


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(";") if part.strip()]


class UsCslReader(Reader):
    name = "us-csl"
    version = "1"
    title = "US Consolidated Screening List CSV (ITA)"

    def claim(self, path: Path, head: bytes) -> tuple[str, str] | None:
        first = head.splitlines()[0].decode("utf-8-sig", errors="replace") if head else ""
        cells = [c.strip().lower() for c in next(csv.reader([first]), [])]
        if all(h in cells for h in HEADER) and "federal_register_notice" in cells:
            return ("us_trade_csl", "primary")
        return None

    def complete(self, fileset: FileSet) -> bool:
        return fileset.role("primary") is not None

    def read(self, fileset: FileSet, batch: Batch, known_schema: KnownSchema) -> None:
        source = fileset.role("primary")
        assert source is not None
        lines = (text for _, text in iter_lines_checked(source.path, "utf-8-sig"))
        reader = csv.DictReader(lines)
        if not reader.fieldnames or not all(h in reader.fieldnames for h in HEADER):
            raise InputError(source.path, "not a CSL CSV: missing columns " + ", ".join(HEADER), 1)
        count = 0
        seen: dict[str, int] = {}
        for row in reader:
            line = reader.line_num
            name = " ".join((row.get("name") or "").split())
            list_name = (row.get("source") or "").strip()
            if not name or not list_name:
                batch.quarantine(
                    "no-name",
                    "a row without a name or source list",
                    Origin(source.name, "primary", "", line),
                    raw=str(row)[:2000],
                )
                continue
            match = SOURCE_ABBR.search(list_name)
            abbr = match.group(1).lower() if match else slug(list_name)[:12].lower()
            if row.get("_id"):
                entity_id = f"uscsl-{slug(row['_id'])}"
            elif (row.get("entity_number") or "").strip():
                entity_id = f"uscsl-{abbr}-{slug(row['entity_number'])}"
            else:
                entity_id = f"uscsl-{abbr}-{content_hash(list_name, name.casefold(), length=12)}"
            seen[entity_id] = seen.get(entity_id, 0) + 1
            if seen[entity_id] > 1:
                entity_id = f"{entity_id}-{seen[entity_id]}"
                batch.warn(
                    "duplicate-row",
                    f"{name!r} appears again in {list_name}; kept as {entity_id}",
                    Origin(source.name, "primary", entity_id, line),
                )
            origin = Origin(source.name, "primary", entity_id, line)
            batch.records.add(entity_id)
            schema = SCHEMA.get((row.get("type") or "").strip().lower(), "LegalEntity")
            entity = batch.entity(schema, entity_id, target=True)
            batch.add(entity, "name", name, origin)
            for alias in _split(row.get("alt_names")):
                batch.add(entity, "alias", alias, origin)
            for address in _split(row.get("addresses")):
                batch.add(entity, "address", address, origin)
                tail = address.rsplit(",", 1)[-1].strip()
                if len(tail) == 2 and (country := clean_country(tail)):
                    batch.add(entity, "country", country, origin)
            if row.get("title"):
                prop = "position" if schema == "Person" else "notes"
                batch.add(entity, prop, row["title"], origin)
            if schema == "Person":
                for prop, column in (
                    ("birthDate", "dates_of_birth"),
                    ("nationality", "nationalities"),
                    ("citizenship", "citizenships"),
                    ("birthPlace", "places_of_birth"),
                ):
                    for value in _split(row.get(column)):
                        batch.add(entity, prop, value, origin)
            if schema == "Vessel":
                batch.add(entity, "callSign", row.get("call_sign"), origin)
                batch.add(entity, "flag", row.get("vessel_flag"), origin)
                batch.add(entity, "type", row.get("vessel_type"), origin)
                batch.add(entity, "tonnage", row.get("gross_tonnage"), origin)
            for ident in _split(row.get("ids")):
                parts = [p.strip() for p in ident.split(",")]
                number = parts[1] if len(parts) >= 2 else parts[0]
                kind = parts[2].lower() if len(parts) >= 3 else ""
                if "imo" in kind and schema == "Vessel":
                    batch.add(entity, "imoNumber", clean_imo(number), origin)
                elif "tax" in kind:
                    batch.add(entity, "taxNumber", number, origin)
                elif "registration" in kind:
                    batch.add(entity, "registrationNumber", number, origin)
                elif schema != "Vessel":
                    batch.add(entity, "idNumber", number, origin)
            if row.get("remarks"):
                batch.add(entity, "notes", row["remarks"], origin)
            sanction = batch.entity("Sanction", f"{entity_id}-sanction")
            batch.add(sanction, "entity", entity_id, origin)
            batch.add(sanction, "authority", list_name, origin)
            for program in _split(row.get("programs")):
                batch.add(sanction, "program", program, origin)
            batch.add(sanction, "startDate", row.get("start_date"), origin)
            batch.add(sanction, "endDate", row.get("end_date"), origin)
            provisions = "; ".join(
                f"{label}: {row[col].strip()}"
                for label, col in (
                    ("License requirement", "license_requirement"),
                    ("License policy", "license_policy"),
                )
                if (row.get(col) or "").strip()
            )
            batch.add(sanction, "provisions", provisions or None, origin)
            if row.get("federal_register_notice"):
                batch.add(
                    sanction,
                    "summary",
                    f"Federal Register: {row['federal_register_notice']}",
                    origin,
                )
            batch.add(
                sanction,
                "sourceUrl",
                row.get("source_information_url") or row.get("source_list_url"),
                origin,
            )
            count += 1
            batch.progress(count, None)
        if count == 0:
            raise InputError(source.path, "no CSL rows")
