"""Parties of shipments against the lists: each distinct party screened once, then cached.

Two interfaces keep trade independent of how matching is done:

- ``PartyScreener`` finds the store entities a party is (a name, a country, an identifier).
  ``ExactScreener`` is the simple honest implementation shipped with trade: normalised exact
  names (legal forms and punctuation removed) and cleaned identifiers against the current
  entities of the store, each match explained. The screening capability's fuzzy,
  cross-script matcher plugs in here without any change to the rules.
- ``LinkResolver`` finds listed entities one step away from a matched entity (an owner, a
  subsidiary, a director, an unknown link). ``StatementLinks`` reads the store's FtM link
  entities (Ownership, Directorship, UnknownLink, ...) and entity properties directly; the
  networks capability's resolver (paths of several hops, the 50% rule) plugs in here.

Results are cached in ``trade_party_checks`` per (party, screener, lists state): loading a new
list version changes the state, and parties are screened again; flagging never screens.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

import pyarrow as pa

from interdiction.ids import content_hash
from interdiction.store.db import Store
from interdiction.trade.parsing import clean_identifier, normalise_name
from interdiction.trade.schema import TRADE

NAME_PROPS = ("name", "alias", "previousName")
PARTY_SCHEMATA = ("LegalEntity", "Company", "Organization", "PublicBody", "Person")
# FtM schemata whose entity properties connect two parties (an "interval" between them).
LINK_SCHEMATA = (
    "Ownership",
    "Directorship",
    "Employment",
    "Membership",
    "Representation",
    "UnknownLink",
    "Associate",
    "Family",
    "Succession",
)


@dataclass(frozen=True)
class Party:
    key: str
    name: str
    country: str | None = None
    identifier: str | None = None
    incorporated: date | None = None


@dataclass(frozen=True)
class PartyMatch:
    party_key: str
    entity_id: str
    caption: str | None
    datasets: tuple[str, ...]
    listed: bool
    score: float
    explanation: str


@dataclass(frozen=True)
class PartyLink:
    entity_id: str  # the entity a party matched
    listed_id: str  # the listed entity next to it
    caption: str | None
    datasets: tuple[str, ...]
    path: tuple[dict[str, Any], ...]
    explanation: str


class PartyScreener(Protocol):
    """Finds which store entities a party is. ``name`` includes a version."""

    name: str

    def prepare(self, store: Store) -> None: ...

    def screen(self, parties: Sequence[Party]) -> Iterable[PartyMatch]: ...


class LinkResolver(Protocol):
    name: str

    def links(self, store: Store, entity_ids: Sequence[str]) -> Iterable[PartyLink]: ...


@dataclass
class _Entity:
    caption: str | None
    datasets: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    listed: bool = False


def _entities(store: Store) -> dict[str, _Entity]:
    found: dict[str, _Entity] = {}
    rows = store.con.execute(
        """SELECT s.canonical_id, any_value(e.caption), list(DISTINCT e.dataset),
                  bool_or(e.target AND e.delisted IS NULL)
        FROM entities e JOIN (SELECT DISTINCT entity_id, canonical_id FROM statements) s
          ON s.entity_id = e.entity_id
        GROUP BY s.canonical_id"""
    ).fetchall()
    for canonical, caption, datasets, listed in rows:
        found[canonical] = _Entity(caption, set(datasets or []), set(), bool(listed))
    for canonical, value in store.con.execute(
        """SELECT canonical_id, value FROM statements
        WHERE retired IS NULL AND prop_type = 'country'"""
    ).fetchall():
        if canonical in found:
            found[canonical].countries.add(value)
    return found


class ExactScreener:
    """Normalised exact names and identifiers against the store's current entities."""

    name = "exact-names-v1"

    def __init__(self) -> None:
        self.by_name: dict[str, set[str]] = defaultdict(set)
        self.by_id: dict[str, set[str]] = defaultdict(set)
        self.entities: dict[str, _Entity] = {}
        self.how: dict[tuple[str, str], str] = {}

    def prepare(self, store: Store) -> None:
        self.entities = _entities(store)
        schemata = list(PARTY_SCHEMATA)
        for canonical, prop, value in store.con.execute(
            """SELECT canonical_id, prop, value FROM statements
            WHERE retired IS NULL AND schema IN (SELECT unnest($schemata))
              AND (prop IN (SELECT unnest($names)) OR prop_type = 'identifier')""",
            {"schemata": schemata, "names": list(NAME_PROPS)},
        ).fetchall():
            if prop in NAME_PROPS:
                norm = normalise_name(value)
                if norm:
                    self.by_name[norm].add(canonical)
                    self.how.setdefault((canonical, norm), f"{prop} {value!r}")
            else:
                ident = clean_identifier(value)
                if ident and len(ident) >= 5:
                    self.by_id[ident].add(canonical)
                    self.how.setdefault((canonical, ident), f"{prop} {value!r}")

    def _match(self, party: Party, entity_id: str, score: float, why: str) -> PartyMatch:
        info = self.entities.get(entity_id) or _Entity(None)
        return PartyMatch(
            party.key,
            entity_id,
            info.caption,
            tuple(sorted(info.datasets)),
            info.listed,
            score,
            why,
        )

    def screen(self, parties: Sequence[Party]) -> Iterable[PartyMatch]:
        for party in parties:
            seen: set[str] = set()
            ident = clean_identifier(party.identifier)
            if ident:
                for entity_id in sorted(self.by_id.get(ident, ())):
                    seen.add(entity_id)
                    how = self.how.get((entity_id, ident), "identifier")
                    yield self._match(
                        party,
                        entity_id,
                        1.0,
                        f"identifier {party.identifier!r} equals the entity's {how}",
                    )
            norm = normalise_name(party.name)
            for entity_id in sorted(self.by_name.get(norm, ())):
                if entity_id in seen:
                    continue
                info = self.entities.get(entity_id) or _Entity(None)
                how = self.how.get((entity_id, norm), "name")
                why = f"normalised name {norm!r} equals the entity's {how}"
                score = 1.0
                if party.country and info.countries and party.country not in info.countries:
                    score = 0.8
                    why += (
                        f"; but the party's country {party.country} is not among the "
                        f"entity's ({', '.join(sorted(info.countries))})"
                    )
                elif party.country and party.country in info.countries:
                    why += f"; country {party.country} agrees"
                yield self._match(party, entity_id, score, why)


class StatementLinks:
    """One hop from a matched entity to a listed one, through the store's FtM statements."""

    name = "statement-links-v1"

    def links(self, store: Store, entity_ids: Sequence[str]) -> Iterable[PartyLink]:
        if not entity_ids:
            return []
        entities = _entities(store)
        rows = store.con.execute(
            """WITH edges AS (
                SELECT canonical_id AS src, value AS dst, schema, prop
                FROM statements WHERE retired IS NULL AND prop_type = 'entity'),
            hops AS (
                -- through a link entity (Ownership: owner -> asset, UnknownLink...)
                SELECT a.dst AS a, b.dst AS b, a.src AS via, a.schema AS via_schema,
                       a.prop AS a_role, b.prop AS b_role
                FROM edges a JOIN edges b ON a.src = b.src AND a.dst <> b.dst
                WHERE a.schema IN (SELECT unnest($links))
                UNION ALL
                -- a direct property (Company.parent, Vessel.owner...), both ways
                SELECT src, dst, NULL, schema, 'self', prop FROM edges
                WHERE schema NOT IN (SELECT unnest($links))
                UNION ALL
                SELECT dst, src, NULL, schema, prop, 'self' FROM edges
                WHERE schema NOT IN (SELECT unnest($links)))
            SELECT DISTINCT a, b, via, via_schema, a_role, b_role FROM hops
            WHERE a IN (SELECT unnest($ids))""",
            {"links": list(LINK_SCHEMATA), "ids": list(entity_ids)},
        ).fetchall()
        out: list[PartyLink] = []
        for a, b, via, via_schema, a_role, b_role in rows:
            target = entities.get(b)
            if target is None or not target.listed or a == b:
                continue
            if via:
                relation = f"{via_schema} {via} ({a_role}: {a}; {b_role}: {b})"
            else:
                relation = f"{via_schema}.{b_role if a_role == 'self' else a_role} ({a} - {b})"
            out.append(
                PartyLink(
                    entity_id=a,
                    listed_id=b,
                    caption=target.caption,
                    datasets=tuple(sorted(target.datasets)),
                    path=(
                        {"entity": a},
                        {"via": via, "schema": via_schema, "roles": [a_role, b_role]},
                        {"entity": b, "listed": True},
                    ),
                    explanation=f"linked to listed {target.caption or b} by {relation}",
                )
            )
        return out


def lists_state(store: Store) -> str:
    """A fingerprint of the list versions in the store: screening results depend on it."""
    rows = store.con.execute("SELECT name, version FROM datasets ORDER BY 1, 2").fetchall()
    return "lists-" + content_hash(*(f"{n}:{v}" for n, v in rows), length=16)


def screen_parties(
    store: Store,
    screener: PartyScreener | None = None,
    resolver: LinkResolver | None = None,
) -> dict[str, Any]:
    """Screen every party not yet screened under the current lists; cache the results."""
    screener = screener or ExactScreener()
    resolver = resolver or StatementLinks()
    store.ensure(TRADE)
    state = lists_state(store)
    label = f"{screener.name}+{resolver.name}"
    pending = store.con.execute(
        """SELECT p.party_key, p.name, p.country, p.identifier, p.incorporated
        FROM trade_parties p
        WHERE NOT EXISTS (SELECT 1 FROM trade_party_screened s WHERE s.party_key = p.party_key
                          AND s.screener = ? AND s.lists_state = ?)""",
        [label, state],
    ).fetchall()
    total = store.con.execute("SELECT count(*) FROM trade_parties").fetchall()[0][0]
    counts: dict[str, Any] = {
        "parties": total,
        "screened_now": len(pending),
        "cached": total - len(pending),
        "screener": label,
        "lists_state": state,
    }
    if not pending:
        return counts
    parties = [Party(r[0], r[1], r[2], r[3], r[4]) for r in pending]
    screener.prepare(store)
    matches = list(screener.screen(parties))
    by_entity: dict[str, list[PartyMatch]] = defaultdict(list)
    for match in matches:
        by_entity[match.entity_id].append(match)
    links = list(resolver.links(store, sorted(by_entity)))
    now = datetime.now(UTC).replace(tzinfo=None)
    rows: dict[str, list[Any]] = defaultdict(list)

    def add(
        key: str,
        kind: str,
        entity: str,
        caption: str | None,
        datasets: Sequence[str],
        score: float,
        why: str,
        path: Any,
    ) -> None:
        for column, value in (
            ("party_key", key),
            ("screener", label),
            ("lists_state", state),
            ("kind", kind),
            ("entity_id", entity),
            ("caption", caption),
            ("datasets", list(datasets)),
            ("score", score),
            ("explanation", why),
            ("path", json.dumps(path)),
            ("checked_at", now),
        ):
            rows[column].append(value)

    for match in matches:
        add(
            match.party_key,
            "listed" if match.listed else "matched",
            match.entity_id,
            match.caption,
            match.datasets,
            match.score,
            match.explanation,
            [{"entity": match.entity_id}],
        )
    for link in links:
        for match in by_entity.get(link.entity_id, []):
            add(
                match.party_key,
                "linked",
                link.listed_id,
                link.caption,
                link.datasets,
                match.score,
                f"{match.explanation}; {link.explanation}",
                [{"party": match.party_key}, *link.path],
            )
    with store.transaction() as con:
        con.execute(
            """DELETE FROM trade_party_checks WHERE screener = ?
            AND party_key IN (SELECT unnest(?))""",
            [label, [p.key for p in parties]],
        )
        if rows:
            con.register("incoming_checks", pa.table(rows))
            con.execute("INSERT INTO trade_party_checks BY NAME SELECT * FROM incoming_checks")
            con.unregister("incoming_checks")
        con.register(
            "incoming_screened",
            pa.table(
                {
                    "party_key": [p.key for p in parties],
                    "screener": [label] * len(parties),
                    "lists_state": [state] * len(parties),
                }
            ),
        )
        con.execute("INSERT OR IGNORE INTO trade_party_screened SELECT * FROM incoming_screened")
        con.unregister("incoming_screened")
    counts["matches"] = len(matches)
    counts["listed"] = sum(1 for m in matches if m.listed)
    counts["links"] = len(links)
    return counts
