"""Beneficial Ownership Data Standard 0.4 statements (openownership.org) into FtM.

A BODS file is a JSON array (a "package") or JSON lines of statements; each statement is
about one record (``recordId``): an entity, a person or a relationship, and records evolve
through statements with ``recordStatus`` new, updated and closed. The state a file publishes
is the last statement of each record (by ``statementDate``, then file order); a closed
relationship keeps its interests with an end date (the closing statement's date when the
interest gives none), so that it is history, not a current tie.

Mapping (one FtM relationship per interest):
- ``shareholding``, ``votingRights``, ``rightsToSurplusAssetsOnDissolution``,
  ``rightsToProfitOrIncome``, ``beneficiaryOfLegalArrangement`` -> ``Ownership``
  (``ownershipType`` = the interest type; ``percentage`` = the share, ranges written as
  intervals, see ``sources.shares``; ``role`` = ``direct``/``indirect``/``unknown``);
- ``appointmentOfBoard``, ``otherInfluenceOrControl``, ``controlViaCompanyRulesOrArticles``,
  ``controlByLegalFramework``, ``rightsGrantedByContract``,
  ``conditionalRightsGrantedByContract``, ``settlor``, ``trustee``, ``protector``,
  ``enjoymentAndUseOfAssets``, ``rightToProfitOrIncomeFromAssets`` -> ``Control``
  (``controlType`` = the interest type);
- ``boardMember``, ``boardChair``, ``seniorManagingOfficial`` -> ``Directorship``;
- ``nominee``, ``nominator``, ``unknownInterest``, ``unpublishedInterest`` and interests
  without a type -> ``UnknownLink`` (``role`` = the type, or "interest of unknown type").

An indirect interest is a declared look-through figure (often a product of shares along a
chain): it is kept, but the blocking rules never add it to direct holdings.
Entity ids are ``bods-<dataset>-<recordId>`` (characters FtM ids refuse become ``-``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from followthemoney.proxy import EntityProxy

from interdiction.ids import ftm_id_part, slug
from interdiction.sources.base import Batch, FileSet, InputError, KnownSchema, Origin, Reader
from interdiction.sources.countries import clean_country
from interdiction.sources.dates import parse_date, parse_timestamp
from interdiction.sources.shares import parse_share, share_text

OWNERSHIP_INTERESTS = {
    "shareholding",
    "votingRights",
    "rightsToSurplusAssetsOnDissolution",
    "rightsToProfitOrIncome",
    "beneficiaryOfLegalArrangement",
}
CONTROL_INTERESTS = {
    "appointmentOfBoard",
    "otherInfluenceOrControl",
    "controlViaCompanyRulesOrArticles",
    "controlByLegalFramework",
    "rightsGrantedByContract",
    "conditionalRightsGrantedByContract",
    "settlor",
    "trustee",
    "protector",
    "enjoymentAndUseOfAssets",
    "rightToProfitOrIncomeFromAssets",
}
DIRECTOR_INTERESTS = {"boardMember", "boardChair", "seniorManagingOfficial"}
ENTITY_SCHEMA = {
    "registeredEntity": "Company",
    "legalEntity": "Organization",
    "arrangement": "LegalEntity",
    "anonymousEntity": "LegalEntity",
    "unknownEntity": "LegalEntity",
    "state": "PublicBody",
    "stateBody": "PublicBody",
}
LEI_SCHEMES = {"XI-LEI", "LEI"}


def _is_bods(head: bytes) -> bool:
    text = head[:65536].decode("utf-8", errors="replace")
    return '"recordType"' in text and ('"statementId"' in text or '"bodsVersion"' in text)


class BodsReader(Reader):
    name = "bods"
    version = "1"
    title = "Beneficial Ownership Data Standard 0.4 (JSON package or JSON lines)"

    def claim(self, path: Path, head: bytes) -> tuple[str, str] | None:
        if not path.name.lower().endswith((".json", ".jsonl", ".ndjson")) or not _is_bods(head):
            return None
        stem = slug(path.name.split(".")[0]).lower().replace("-", "_")
        return (f"bods_{stem}" if stem else "bods_import", "primary")

    def complete(self, fileset: FileSet) -> bool:
        return fileset.role("primary") is not None

    def published(self, fileset: FileSet) -> datetime | None:
        source = fileset.role("primary")
        if source is None:
            return None
        latest: datetime | None = None
        try:
            for _, data, _ in iter_statements(source.path):
                details = data.get("publicationDetails") if isinstance(data, dict) else None
                if isinstance(details, dict) and isinstance(details.get("publicationDate"), str):
                    stamp = parse_timestamp(details["publicationDate"])
                    if stamp and (latest is None or stamp > latest):
                        latest = stamp
        except InputError:
            return None
        return latest

    def read(self, fileset: FileSet, batch: Batch, known_schema: KnownSchema) -> None:
        source = fileset.role("primary")
        assert source is not None
        prefix = "bods-" + ftm_id_part(fileset.dataset)
        latest: dict[str, tuple[str, int, int, dict[str, Any]]] = {}
        seen_statements: set[str] = set()
        count = 0
        for order, (line, data, error) in enumerate(iter_statements(source.path)):
            record = str(data.get("recordId", "")) if isinstance(data, dict) else ""
            origin = Origin(source.name, "primary", record, line)
            if error is not None or not isinstance(data, dict):
                batch.quarantine("bad-json", error or "not a JSON object", origin, raw=str(data))
                continue
            problem = _check_statement(data)
            if problem:
                batch.quarantine("bad-statement", problem, origin, raw=json.dumps(data)[:2000])
                continue
            statement_id = str(data["statementId"])
            if statement_id in seen_statements:
                batch.warn(
                    "duplicate-statement",
                    f"statement {statement_id} appears twice; the later copy is used",
                    origin,
                )
            seen_statements.add(statement_id)
            count += 1
            stamp = str(data.get("statementDate") or "")
            previous = latest.get(record)
            if previous is None or (stamp, order) >= (previous[0], previous[1]):
                latest[record] = (stamp, order, line, data)
            batch.progress(count, None)
        if count == 0 and not batch.issues:
            raise InputError(source.path, "no BODS statements")

        kinds = {rid: item[3]["recordType"] for rid, item in latest.items()}
        # Parties first, so that relationships can check that both ends exist.
        for rid, (_, _, line, data) in sorted(latest.items(), key=lambda kv: kv[1][1]):
            origin = Origin(source.name, "primary", rid, line)
            if data["recordType"] == "person":
                self._person(prefix, rid, data, origin, batch)
            elif data["recordType"] == "entity":
                self._entity(prefix, rid, data, origin, batch)
        for rid, (_, _, line, data) in sorted(latest.items(), key=lambda kv: kv[1][1]):
            if data["recordType"] == "relationship":
                origin = Origin(source.name, "primary", rid, line)
                self._relationship(prefix, rid, data, kinds, origin, batch, known_schema)

    # -- parties ------------------------------------------------------------------------

    def _person(
        self, prefix: str, rid: str, data: dict[str, Any], origin: Origin, batch: Batch
    ) -> None:
        details = data.get("recordDetails") or {}
        entity = batch.entity("Person", f"{prefix}-{ftm_id_part(rid)}")
        batch.records.add(rid)
        names = details.get("names") or []
        primary_done = False
        for item in names if isinstance(names, list) else []:
            if not isinstance(item, dict):
                continue
            full = item.get("fullName") or " ".join(
                str(item[k]) for k in ("givenName", "patronymicName", "familyName") if item.get(k)
            )
            if not full:
                continue
            kind = item.get("type")
            if not primary_done and kind in (None, "legal", "individual"):
                batch.add(entity, "name", full, origin)
                batch.add(entity, "firstName", item.get("givenName"), origin)
                batch.add(entity, "lastName", item.get("familyName"), origin)
                primary_done = True
            elif kind == "birth":
                batch.add(entity, "previousName", full, origin)
            else:
                batch.add(entity, "alias", full, origin)
        if not primary_done:
            label = details.get("personType") or "person"
            batch.add(entity, "name", f"{label} ({rid})", origin)
            batch.warn("unnamed-party", f"person record {rid} has no name", origin)
        for nat in details.get("nationalities") or []:
            if isinstance(nat, dict):
                self._country(entity, "nationality", nat, origin, batch)
        for res in details.get("taxResidencies") or []:
            if isinstance(res, dict):
                self._country(entity, "country", res, origin, batch)
        birth = details.get("birthDate")
        if isinstance(birth, str):
            parsed = parse_date(birth)
            if parsed:
                batch.add(entity, "birthDate", parsed, origin, original_value=birth, cleaned=True)
            else:
                batch.warn("bad-date", f"birthDate {birth!r} is not a date", origin)
        self._addresses(entity, details, origin, batch)
        for ident in details.get("identifiers") or []:
            if isinstance(ident, dict) and ident.get("id"):
                batch.add(
                    entity, "idNumber", str(ident["id"]), origin, original_value=_scheme(ident)
                )
        for pep in details.get("politicalExposure", {}).get("details", []) or []:
            if isinstance(pep, dict) and pep.get("reason"):
                batch.add(entity, "position", str(pep["reason"]), origin)
        if (details.get("politicalExposure") or {}).get("status") == "isPep":
            batch.add(entity, "topics", "role.pep", origin, cleaned=True)

    def _entity(
        self, prefix: str, rid: str, data: dict[str, Any], origin: Origin, batch: Batch
    ) -> None:
        details = data.get("recordDetails") or {}
        kind = (details.get("entityType") or {}).get("type") or "unknownEntity"
        schema = ENTITY_SCHEMA.get(kind, "LegalEntity")
        entity = batch.entity(schema, f"{prefix}-{ftm_id_part(rid)}")
        batch.records.add(rid)
        name = details.get("name")
        if isinstance(name, str) and name.strip():
            batch.add(entity, "name", name, origin)
        else:
            batch.add(entity, "name", f"{kind} ({rid})", origin)
            batch.warn("unnamed-party", f"entity record {rid} has no name", origin)
        for alt in details.get("alternateNames") or []:
            batch.add(entity, "alias", str(alt), origin)
        jurisdiction = details.get("jurisdiction")
        if isinstance(jurisdiction, dict):
            self._country(entity, "jurisdiction", jurisdiction, origin, batch)
        for ident in details.get("identifiers") or []:
            if not isinstance(ident, dict) or not ident.get("id"):
                continue
            prop = "leiCode" if ident.get("scheme") in LEI_SCHEMES else "registrationNumber"
            batch.add(entity, prop, str(ident["id"]), origin, original_value=_scheme(ident))
        for key, prop in (
            ("foundingDate", "incorporationDate"),
            ("dissolutionDate", "dissolutionDate"),
        ):
            value = details.get(key)
            if isinstance(value, str) and (parsed := parse_date(value)):
                batch.add(entity, prop, parsed, origin, original_value=value, cleaned=True)
        if isinstance(details.get("uri"), str):
            batch.add(entity, "sourceUrl", details["uri"], origin)
        self._addresses(entity, details, origin, batch)

    def _addresses(
        self, entity: EntityProxy, details: dict[str, Any], origin: Origin, batch: Batch
    ) -> None:
        for address in details.get("addresses") or []:
            if not isinstance(address, dict):
                continue
            text = address.get("address")
            country = address.get("country")
            code = None
            if isinstance(country, dict):
                code = self._country(entity, "country", country, origin, batch)
            if isinstance(text, str) and text.strip():
                full = text.strip()
                if code and isinstance(country, dict) and country.get("name"):
                    full = f"{full}, {country['name']}"
                batch.add(entity, "address", full, origin)

    def _country(
        self,
        entity: EntityProxy,
        prop: str,
        value: dict[str, Any],
        origin: Origin,
        batch: Batch,
    ) -> str | None:
        raw = value.get("code") or value.get("name")
        if not raw:
            return None
        code = clean_country(str(raw))
        if code is None:
            batch.warn("bad-country", f"{prop} {raw!r} unknown", origin)
            return None
        batch.add(entity, prop, code, origin, original_value=str(raw), cleaned=True)
        return code

    # -- relationships ------------------------------------------------------------------

    def _relationship(
        self,
        prefix: str,
        rid: str,
        data: dict[str, Any],
        kinds: dict[str, str],
        origin: Origin,
        batch: Batch,
        known_schema: KnownSchema,
    ) -> None:
        details = data.get("recordDetails") or {}
        subject, party = details.get("subject"), details.get("interestedParty")
        raw = json.dumps(data)[:2000]
        if isinstance(party, dict):
            reason = party.get("reason") or "unspecified"
            batch.warn(
                "party-undisclosed",
                f"relationship {rid}: interested party not disclosed ({reason}: "
                f"{party.get('description') or 'no description'}); no link made",
                origin,
            )
            return
        for role, ref in (("subject", subject), ("interestedParty", party)):
            if not isinstance(ref, str) or not ref:
                batch.quarantine("bad-relationship", f"relationship {rid}: no {role}", origin, raw)
                return
            if (
                kinds.get(ref) not in ("entity", "person")
                and known_schema(f"{prefix}-{ftm_id_part(ref)}") is None
            ):
                batch.quarantine(
                    "missing-party",
                    f"relationship {rid}: {role} {ref!r} is not a person or entity record "
                    "of this file or of this dataset in the store",
                    origin,
                    raw,
                )
                return
        if subject == party:
            batch.quarantine(
                "self-relationship",
                f"relationship {rid}: a party holds an interest in itself",
                origin,
                raw,
            )
            return
        asset_id = f"{prefix}-{ftm_id_part(str(subject))}"
        holder_id = f"{prefix}-{ftm_id_part(str(party))}"
        batch.records.add(rid)
        closed = data.get("recordStatus") == "closed"
        closing = parse_date(str(data.get("statementDate") or "")[:10]) if closed else None
        interests = details.get("interests") or [{}]
        used: dict[str, int] = {}
        for interest in interests:
            if not isinstance(interest, dict):
                batch.warn("bad-interest", f"relationship {rid}: interest is not an object", origin)
                continue
            kind = str(interest.get("type") or "")
            direct = str(interest.get("directOrIndirect") or "unknown")
            key = f"{kind or 'unknown'}-{direct}"
            used[key] = used.get(key, 0) + 1
            eid = f"{prefix}-{ftm_id_part(rid)}-{key}" + (f"-{used[key]}" if used[key] > 1 else "")
            if kind in OWNERSHIP_INTERESTS:
                rel = batch.entity("Ownership", eid)
                batch.add(rel, "owner", holder_id, origin)
                batch.add(rel, "asset", asset_id, origin)
                batch.add(rel, "ownershipType", kind, origin)
                batch.add(rel, "role", direct, origin)
                self._share(rel, rid, interest, origin, batch)
            elif kind in CONTROL_INTERESTS:
                rel = batch.entity("Control", eid)
                batch.add(rel, "controller", holder_id, origin)
                batch.add(rel, "controlled", asset_id, origin)
                batch.add(rel, "controlType", kind, origin)
                batch.add(rel, "role", direct, origin)
            elif kind in DIRECTOR_INTERESTS:
                rel = batch.entity("Directorship", eid)
                batch.add(rel, "director", holder_id, origin)
                batch.add(rel, "organization", asset_id, origin)
                batch.add(rel, "role", kind, origin)
            else:
                rel = batch.entity("UnknownLink", eid)
                batch.add(rel, "subject", holder_id, origin)
                batch.add(rel, "object", asset_id, origin)
                batch.add(rel, "role", kind or "interest of unknown type", origin)
            batch.add(rel, "recordId", str(data.get("statementId")), origin)
            for key_, prop in (("startDate", "startDate"), ("endDate", "endDate")):
                value = interest.get(key_)
                if isinstance(value, str):
                    parsed = parse_date(value)
                    if parsed:
                        batch.add(rel, prop, parsed, origin, original_value=value, cleaned=True)
                    else:
                        batch.warn("bad-date", f"relationship {rid}: {key_} {value!r}", origin)
            if closed:
                batch.add(rel, "status", "closed", origin)
                if not interest.get("endDate") and closing:
                    batch.add(rel, "endDate", closing, origin, cleaned=True)

    def _share(
        self,
        rel: EntityProxy,
        rid: str,
        interest: dict[str, Any],
        origin: Origin,
        batch: Batch,
    ) -> None:
        share = interest.get("share")
        if not isinstance(share, dict):
            return
        numbers: dict[str, float] = {}
        for key in ("exact", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            value = share.get(key)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                batch.warn("bad-share", f"relationship {rid}: share {key} {value!r}", origin)
                continue
            numbers[key] = float(value)
        text = share_text(
            numbers.get("exact"),
            numbers.get("minimum"),
            numbers.get("maximum"),
            numbers.get("exclusiveMinimum"),
            numbers.get("exclusiveMaximum"),
        )
        if text is None:
            return
        parsed = parse_share(text)
        if parsed.problem or any(v < 0 for v in numbers.values()):
            batch.warn(
                "bad-share",
                f"relationship {rid}: share {json.dumps(share)} is not a percentage between 0 "
                "and 100; kept as written, read as unknown by the ownership rules",
                origin,
            )
        batch.add(rel, "percentage", text, origin, original_value=json.dumps(share), cleaned=True)


def _scheme(ident: dict[str, Any]) -> str:
    scheme = ident.get("scheme") or ident.get("schemeName") or "?"
    return f"{scheme}:{ident.get('id')}"


def _check_statement(data: dict[str, Any]) -> str | None:
    for key in ("statementId", "recordId", "recordType", "recordDetails"):
        if not data.get(key):
            return f"no {key}"
    if data["recordType"] not in ("entity", "person", "relationship"):
        return f"recordType {data['recordType']!r} is not entity, person or relationship"
    if not isinstance(data["recordDetails"], dict):
        return "recordDetails is not an object"
    return None


def iter_statements(path: Path) -> Iterator[tuple[int, Any, str | None]]:
    """(line, statement, error) for each statement of a JSON array or of JSON lines.

    In an array a syntax error stops the file (nothing after it can be trusted: the load is
    refused with the line); in JSON lines the bad line alone is reported.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8: {exc.reason}") from exc
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc}") from exc
    stripped = text.lstrip()
    if stripped.startswith("["):
        decoder = json.JSONDecoder()
        pos = text.index("[") + 1
        while True:
            while pos < len(text) and text[pos] in " \t\r\n,":
                pos += 1
            if pos >= len(text):
                raise InputError(path, "truncated: the JSON array is not closed")
            if text[pos] == "]":
                return
            line = text.count("\n", 0, pos) + 1
            try:
                value, end = decoder.raw_decode(text, pos)
            except json.JSONDecodeError as exc:
                raise InputError(
                    path, f"not valid JSON: {exc.msg}", line=text.count("\n", 0, exc.pos) + 1
                ) from exc
            yield line, value, None
            pos = end
    else:
        for number, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                yield number, json.loads(raw), None
            except json.JSONDecodeError as exc:
                yield number, raw[:2000], f"not JSON: {exc.msg} at column {exc.colno}"
