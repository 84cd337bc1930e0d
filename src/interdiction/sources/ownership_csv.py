"""Registry extracts in one documented CSV layout: one relationship per row, into FtM.

Company registries, leaks and analysts' spreadsheets all come as tables; rather than one
reader per registry, extracts are brought to this layout (UTF-8, a header row, columns in any
order, unknown columns reported once and ignored):

Columns:

- ``relationship`` (required): ``ownership``, ``voting`` (voting rights), ``control``,
  ``directorship``, ``agent`` (registration or formation agent of the asset), ``family``,
  ``associate``, ``link``;
- ``owner_ref`` / ``asset_ref``: an entity already in the store (``ofac-12345``,
  ``unsc-KPe.001``), linked to, nothing added to it;
- ``owner_id`` / ``asset_id``: the extract's own key for a party (``reg-<dataset>-<key>``);
- ``owner_name`` / ``asset_name``: the party's name (required unless a ref is given);
- ``owner_schema`` / ``asset_schema``: ``Person``, ``Company``, ``Organization``,
  ``LegalEntity`` (default), ``Vessel``, ``PublicBody``;
- ``owner_country`` / ``asset_country``: country name or code;
- ``owner_registration`` / ``asset_registration``: registration number (IMO for a Vessel);
- ``owner_address`` / ``asset_address``: registered address, as written;
- ``share``: ``50``, ``50%``, ``25-50``, ``>25``, ``[75,100)``; empty = unknown;
- ``direct``: ``direct``, ``indirect`` or empty (unknown);
- ``start_date``, ``end_date``: ISO dates or ``12 Mar 2021``;
- ``record_id``: the source's record key (kept as provenance);
- ``source_url``, ``note``: where the row was read, and any remark.

In ``ownership``, ``voting`` and ``control`` the owner holds the asset; in ``directorship`` the
owner is the director of the asset; in ``agent`` the owner is the agent of the asset. A row
that cannot be read is quarantined with its line; a share over 100 is loaded as written and
reported (the ownership rules then read it as unknown, never as 0 or 100).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from interdiction.ids import clean_imo, content_hash, ftm_id_part, slug
from interdiction.sources.base import Batch, FileSet, InputError, KnownSchema, Origin, Reader
from interdiction.sources.countries import clean_country
from interdiction.sources.dates import parse_date
from interdiction.sources.shares import parse_share

RELATIONSHIPS = {
    # kind: (schema, holder property, held property)
    "ownership": ("Ownership", "owner", "asset"),
    "voting": ("Ownership", "owner", "asset"),
    "control": ("Control", "controller", "controlled"),
    "directorship": ("Directorship", "director", "organization"),
    "agent": ("Representation", "agent", "client"),
    "family": ("Family", "person", "relative"),
    "associate": ("Associate", "person", "associate"),
    "link": ("UnknownLink", "subject", "object"),
}
SCHEMATA = {"Person", "Company", "Organization", "LegalEntity", "Vessel", "PublicBody"}
PARTY_COLUMNS = ("ref", "id", "name", "schema", "country", "registration", "address")
COLUMNS = {
    "relationship",
    "share",
    "direct",
    "start_date",
    "end_date",
    "record_id",
    "source_url",
    "note",
    *(f"{side}_{col}" for side in ("owner", "asset") for col in PARTY_COLUMNS),
}


def _header(head: bytes) -> list[str] | None:
    text = head.decode("utf-8-sig", errors="replace")
    first = text.splitlines()[0] if text.strip() else ""
    names = [c.strip().lower() for c in next(csv.reader([first]), [])]
    return names or None


class OwnershipCsvReader(Reader):
    name = "ownership-csv"
    version = "1"
    title = "Ownership and directorship CSV (registry extracts, documented layout)"

    def claim(self, path: Path, head: bytes) -> tuple[str, str] | None:
        if not path.name.lower().endswith(".csv"):
            return None
        names = set(_header(head) or [])
        has_owner = bool({"owner_name", "owner_ref", "owner_id"} & names)
        has_asset = bool({"asset_name", "asset_ref", "asset_id"} & names)
        if "relationship" not in names or not has_owner or not has_asset:
            return None
        stem = slug(path.name.split(".")[0]).lower().replace("-", "_")
        return (f"registry_{stem}" if stem else "registry_import", "primary")

    def complete(self, fileset: FileSet) -> bool:
        return fileset.role("primary") is not None

    def published(self, fileset: FileSet) -> datetime | None:
        return None

    def read(self, fileset: FileSet, batch: Batch, known_schema: KnownSchema) -> None:
        source = fileset.role("primary")
        assert source is not None
        try:
            text = source.path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(
                source.path, f"not UTF-8 (byte at {exc.start}): re-save as UTF-8"
            ) from exc
        rows = csv.reader(io.StringIO(text, newline=""))
        header = [c.strip().lower() for c in next(rows, [])]
        unknown = [c for c in header if c and c not in COLUMNS]
        if unknown:
            batch.warn(
                "unknown-column",
                f"columns {', '.join(unknown)} are not part of the layout; ignored",
                Origin(source.name, "primary", "", 1),
            )
        prefix = "reg-" + ftm_id_part(fileset.dataset)
        count = 0
        seen: dict[str, int] = {}
        for row in rows:
            line = rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                batch.quarantine(
                    "bad-row",
                    f"{len(row)} cells where the header has {len(header)}",
                    Origin(source.name, "primary", "", line),
                    ",".join(row),
                )
                continue
            values = {k: v.strip() for k, v in zip(header, row, strict=True) if k}
            record = values.get("record_id") or f"line-{line}"
            origin = Origin(source.name, "primary", record, line)
            if self._row(prefix, values, origin, batch, seen):
                count += 1
            batch.progress(count, None)
        if count == 0 and not batch.issues:
            raise InputError(source.path, "no relationship rows")

    def _row(
        self,
        prefix: str,
        values: dict[str, str],
        origin: Origin,
        batch: Batch,
        seen: dict[str, int],
    ) -> bool:
        raw = ",".join(values.values())
        kind = values.get("relationship", "").lower()
        if kind not in RELATIONSHIPS:
            batch.quarantine(
                "bad-relationship",
                f"relationship {kind!r} is not one of {', '.join(sorted(RELATIONSHIPS))}",
                origin,
                raw,
            )
            return False
        holder = self._party(prefix, "owner", values, origin, batch)
        held = self._party(prefix, "asset", values, origin, batch)
        if holder is None or held is None:
            return False
        if holder == held:
            batch.quarantine("self-relationship", "owner and asset are the same party", origin, raw)
            return False
        schema, holder_prop, held_prop = RELATIONSHIPS[kind]
        key = content_hash(kind, holder, held, values.get("record_id") or "", values.get("share"))
        if key in seen:
            batch.warn(
                "duplicate-row",
                f"the same {kind} of {holder} in {held} as line {seen[key]}; counted once",
                origin,
            )
            return True
        seen[key] = origin.line or 0
        batch.records.add(origin.record)
        rel = batch.entity(schema, f"{prefix}-rel-{key[:16]}")
        batch.add(rel, holder_prop, holder, origin)
        batch.add(rel, held_prop, held, origin)
        if kind in ("ownership", "voting"):
            batch.add(
                rel, "ownershipType", "votingRights" if kind == "voting" else "shareholding", origin
            )
            share = values.get("share")
            if share:
                parsed = parse_share(share)
                if parsed.problem:
                    batch.warn(
                        "bad-share",
                        f"{parsed.problem}; kept as written, read as unknown by the "
                        "ownership rules",
                        origin,
                    )
                batch.add(rel, "percentage", share, origin)
            else:
                batch.warn(
                    "share-missing",
                    f"no share for the ownership of {held} by {holder}: read as unknown "
                    "(between 0 and 100%)",
                    origin,
                )
        direct = values.get("direct", "").lower()
        if direct and direct not in ("direct", "indirect", "unknown"):
            batch.warn("bad-direct", f"direct {direct!r}: not direct or indirect; ignored", origin)
        elif direct and schema in ("Ownership", "Control"):
            batch.add(rel, "role", direct, origin)
        elif schema in ("Ownership", "Control"):
            batch.add(rel, "role", "unknown", origin)
        for column, prop in (("start_date", "startDate"), ("end_date", "endDate")):
            if value := values.get(column):
                parsed_date = parse_date(value)
                if parsed_date:
                    batch.add(rel, prop, parsed_date, origin, original_value=value, cleaned=True)
                else:
                    batch.warn("bad-date", f"{column} {value!r} is not a date", origin)
        batch.add(rel, "recordId", values.get("record_id"), origin)
        batch.add(rel, "sourceUrl", values.get("source_url"), origin)
        batch.add(rel, "description", values.get("note"), origin)
        return True

    def _party(
        self, prefix: str, side: str, values: dict[str, str], origin: Origin, batch: Batch
    ) -> str | None:
        ref = values.get(f"{side}_ref")
        if ref:
            if registry.entity.clean_text(ref) is None:
                batch.quarantine(
                    "bad-ref",
                    f"{side}_ref {ref!r} is not an entity id (letters, digits, '.' and '-')",
                    origin,
                    ",".join(values.values()),
                )
                return None
            return ref
        name = values.get(f"{side}_name")
        key = values.get(f"{side}_id")
        if not name:
            batch.quarantine(
                "missing-party",
                f"no {side}_name and no {side}_ref: the {side} cannot be identified",
                origin,
                ",".join(values.values()),
            )
            return None
        schema = values.get(f"{side}_schema") or "LegalEntity"
        if schema not in SCHEMATA:
            batch.warn("bad-schema", f"{side}_schema {schema!r} unknown; LegalEntity used", origin)
            schema = "LegalEntity"
        country_raw = values.get(f"{side}_country")
        registration = values.get(f"{side}_registration")
        local = (
            ftm_id_part(key)
            if key
            else content_hash(
                " ".join(name.lower().split()), registration or "", country_raw or "", length=16
            )
        )
        entity = batch.entity(schema, f"{prefix}-{local}")
        batch.add(entity, "name", name, origin)
        if country_raw:
            code = clean_country(country_raw)
            if code:
                prop = "flag" if schema == "Vessel" else "country"
                batch.add(entity, prop, code, origin, original_value=country_raw, cleaned=True)
            else:
                batch.warn("bad-country", f"{side}_country {country_raw!r} unknown", origin)
        if registration:
            self._registration(entity, schema, registration, origin, batch)
        batch.add(entity, "address", values.get(f"{side}_address"), origin)
        return entity.id

    def _registration(
        self, entity: EntityProxy, schema: str, value: str, origin: Origin, batch: Batch
    ) -> None:
        if schema == "Vessel":
            imo = clean_imo(value)
            if imo:
                batch.add(entity, "imoNumber", imo, origin, original_value=value, cleaned=True)
            else:
                batch.warn("bad-imo", f"{value!r} is not a valid ship IMO number", origin)
            return
        batch.add(entity, "registrationNumber", value, origin)
