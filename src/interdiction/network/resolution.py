"""Entity resolution across sources: candidates, scores, a judgement graph, merges and undo.

The same DPRK shipping company sits on the OFAC and UN lists under two ids; a vessel's owner
named in OFAC's owner column is a listed company; a consignee in customs data is a listed
firm. Resolution pairs such records, scores them with an explanation, and merges only on
strong evidence or an analyst's decision.

- **Candidates** come from a ``CandidateSource``. ``KeyBlocking`` (here) pairs entities that
  share a blocking key: a normalised name (legal forms dropped, tokens sorted), a ship IMO,
  a company IMO, a registration-type identifier (registration number, INN, OGRN, tax
  number, LEI, SWIFT/BIC), a document number or a UN reference. The screening index
  (issue 3) can be plugged in as another source returning the same ``Candidate`` rows.
- **Keys used between lists**: legacy OFAC rows carry no UN reference, so OFAC-UN pairs rest
  on names, birth dates, nationality, document numbers and IMO numbers (company IMO for
  DPRK shipping companies).
- **Scores** combine name similarity with agreeing or conflicting birth dates, nationality,
  documents and identifiers; every feature is kept as evidence.
- **Auto-merge** only on strong evidence: the same valid ship IMO (vessels), the same company
  IMO or registration-type identifier (with compatible countries and a similar name), or the
  same UN reference, no conflict, and the two from different sources (two entries of one
  list were listed apart on purpose). Everything else scoring at least
  ``review_threshold`` goes to the review queue.
- **Judgements** (positive / negative / unsure) form a graph over source ids; a negative
  between two clusters blocks their merge. Merged entities get a canonical id (``nk-...``)
  set on their statements (``statements.canonical_id``); their source ids remain as
  referents; every change is logged and can be undone.
"""

from __future__ import annotations

import difflib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import combinations
from typing import Any, Literal, Protocol

from followthemoney import model
from normality import normalize

from interdiction.config import NetworkConfig
from interdiction.ids import content_hash
from interdiction.network.tables import NETWORK
from interdiction.store.db import Store

Judgement = Literal["positive", "negative", "unsure"]
JUDGEMENTS = ("positive", "negative", "unsure")

# Words that say what kind of body a name is, not which one (rigour's legal forms, short).
LEGAL_FORMS = {
    "co",
    "company",
    "corp",
    "corporation",
    "ltd",
    "limited",
    "llc",
    "llp",
    "inc",
    "plc",
    "jsc",
    "ojsc",
    "cjsc",
    "pjsc",
    "ooo",
    "oao",
    "zao",
    "pao",
    "ao",
    "sa",
    "ag",
    "gmbh",
    "bv",
    "nv",
    "srl",
    "spa",
    "fze",
    "fzco",
    "fzc",
    "fzllc",
    "pte",
    "pvt",
    "sdn",
    "bhd",
    "the",
    "of",
    "and",
    "group",
    "holding",
    "holdings",
    "trading",
    "international",
}
REGISTRATION_PROPS = (
    "registrationNumber",
    "innCode",
    "ogrnCode",
    "taxNumber",
    "leiCode",
    "swiftBic",
)
DOCUMENT_PROPS = ("passportNumber", "idNumber")


def name_key(name: str) -> str | None:
    text = normalize(name, lowercase=True, ascii=True) or ""
    tokens = sorted({t for t in text.split() if t not in LEGAL_FORMS})
    key = " ".join(tokens)
    return key if len(key.replace(" ", "")) >= 4 else None


def _norm_id(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum())


@dataclass
class Record:
    """What resolution reads about one canonical entity."""

    id: str
    schema: str
    datasets: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    birth: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    ids: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    unsc: set[str] = field(default_factory=set)
    referents: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Candidate:
    left: str
    right: str
    keys: tuple[str, ...]
    source: str = "blocking"


class CandidateSource(Protocol):
    """Where candidate pairs come from: our key blocking now, the screening index later."""

    name: str

    def candidates(
        self, records: dict[str, Record], config: NetworkConfig
    ) -> Iterable[Candidate]: ...


PARTIES = ("Person", "Organization", "Company", "LegalEntity", "PublicBody", "Vessel", "Airplane")


def load_records(store: Store, ids: Iterable[str] | None = None) -> dict[str, Record]:
    only = sorted(set(ids)) if ids is not None else None
    rows = store.con.execute(
        """SELECT canonical_id, entity_id, schema, prop, value, dataset FROM statements
        WHERE retired IS NULL AND schema IN (SELECT unnest($parties))
          AND ($all OR canonical_id IN (SELECT unnest($ids)))
          AND prop IN ('name', 'alias', 'previousName', 'weakAlias', 'birthDate',
                       'nationality', 'country', 'jurisdiction', 'imoNumber',
                       'registrationNumber', 'innCode', 'ogrnCode', 'taxNumber', 'leiCode',
                       'swiftBic', 'passportNumber', 'idNumber')""",
        {"parties": list(PARTIES), "all": only is None, "ids": only or []},
    ).fetchall()
    records: dict[str, Record] = {}
    for canonical, entity_id, schema, prop, value, dataset in rows:
        rec = records.get(canonical)
        if rec is None:
            rec = records[canonical] = Record(canonical, schema)
        elif rec.schema != schema:
            common = (
                model.common_schema(rec.schema, schema) if _compatible(rec.schema, schema) else None
            )
            rec.schema = common.name if common else rec.schema
        rec.datasets.add(dataset)
        rec.referents.add(entity_id)
        if prop in ("name", "alias", "previousName"):
            rec.names.add(value)
        elif prop == "birthDate":
            rec.birth.add(value)
        elif prop in ("nationality", "country", "jurisdiction"):
            rec.countries.add(value)
        else:
            rec.ids[prop].add(_norm_id(value))
    # Documents held in Passport/Identification entities, and UN references on sanctions.
    for holder, number, kind in store.con.execute(
        """SELECT c.canonical_id, n.value, n.schema FROM statements n
        JOIN statements h ON h.entity_id = n.entity_id AND h.prop = 'holder' AND h.retired IS NULL
        JOIN (SELECT DISTINCT entity_id, canonical_id FROM statements WHERE retired IS NULL) c
            ON c.entity_id = h.value
        WHERE n.retired IS NULL AND n.schema IN ('Passport', 'Identification')
          AND n.prop = 'number'"""
    ).fetchall():
        if holder in records:
            records[holder].ids["passportNumber" if kind == "Passport" else "idNumber"].add(
                _norm_id(number)
            )
    for holder, ref in store.con.execute(
        """SELECT c.canonical_id, u.value FROM statements u
        JOIN statements e ON e.entity_id = u.entity_id AND e.prop = 'entity' AND e.retired IS NULL
        JOIN (SELECT DISTINCT entity_id, canonical_id FROM statements WHERE retired IS NULL) c
            ON c.entity_id = e.value
        WHERE u.retired IS NULL AND u.schema = 'Sanction' AND u.prop = 'unscId'"""
    ).fetchall():
        if holder in records:
            records[holder].unsc.add(ref.strip().upper())
    return records


def _compatible(a: str, b: str) -> bool:
    try:
        model.common_schema(a, b)
    except Exception:
        return False
    return True


def _is_vessel(schema: str) -> bool:
    return schema in ("Vessel", "Airplane")


def blocking_keys(rec: Record) -> set[str]:
    keys = {f"name:{k}" for n in rec.names if (k := name_key(n))}
    vessel = _is_vessel(rec.schema)
    for imo in rec.ids.get("imoNumber", ()):
        keys.add(("imo-ship:" if vessel else "imo-company:") + imo)
    for prop in REGISTRATION_PROPS:
        keys.update(f"reg:{prop}:{v}" for v in rec.ids.get(prop, ()) if len(v) >= 4)
    for prop in DOCUMENT_PROPS:
        keys.update(f"doc:{v}" for v in rec.ids.get(prop, ()) if len(v) >= 5)
    keys.update(f"unsc:{v}" for v in rec.unsc)
    return keys


class KeyBlocking:
    """Pairs of entities sharing a blocking key; keys held by too many entities are skipped
    (``max_block_size``), and pairs from one dataset need a shared identifier."""

    name = "blocking"

    def candidates(self, records: dict[str, Record], config: NetworkConfig) -> Iterable[Candidate]:
        blocks: dict[str, list[str]] = defaultdict(list)
        for rec in records.values():
            for key in blocking_keys(rec):
                blocks[key].append(rec.id)
        pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
        for key, members in blocks.items():
            if len(members) < 2 or len(members) > config.max_block_size:
                continue
            for a, b in combinations(sorted(set(members)), 2):
                pairs[(a, b)].add(key)
        for (a, b), keys in sorted(pairs.items()):
            ra, rb = records[a], records[b]
            if not _compatible(ra.schema, rb.schema):
                continue
            if _is_vessel(ra.schema) != _is_vessel(rb.schema):
                continue  # never a vessel with a company, whatever the number
            same_source = ra.datasets == rb.datasets and len(ra.datasets) == 1
            if same_source and all(k.startswith("name:") for k in keys):
                continue
            yield Candidate(a, b, tuple(sorted(keys)), self.name)


# -- scoring ------------------------------------------------------------------------------


@dataclass
class Scored:
    candidate: Candidate
    score: float
    strong: bool
    conflict: bool
    features: list[dict[str, Any]]


def _name_similarity(a: set[str], b: set[str]) -> tuple[float, str, str]:
    best = (0.0, "", "")
    for x in a:
        kx = name_key(x) or (normalize(x, lowercase=True, ascii=True) or "")
        for y in b:
            ky = name_key(y) or (normalize(y, lowercase=True, ascii=True) or "")
            if not kx or not ky:
                continue
            if kx == ky:
                return 1.0, x, y
            tx, ty = set(kx.split()), set(ky.split())
            jaccard = len(tx & ty) / len(tx | ty)
            ratio = difflib.SequenceMatcher(None, kx, ky).ratio()
            value = max(jaccard, ratio * 0.95)
            if value > best[0]:
                best = (value, x, y)
    return best


def _dates_agree(a: set[str], b: set[str]) -> bool | None:
    if not a or not b:
        return None
    return any(x.startswith(y) or y.startswith(x) for x in a for y in b)


def score(candidate: Candidate, records: dict[str, Record]) -> Scored:
    a, b = records[candidate.left], records[candidate.right]
    features: list[dict[str, Any]] = []
    name, na, nb = _name_similarity(a.names, b.names)
    features.append({"feature": "name", "value": round(name, 3), "left": na, "right": nb})
    total = name
    strong = False
    conflict = False
    vessel = _is_vessel(a.schema)
    imo_a, imo_b = a.ids.get("imoNumber", set()), b.ids.get("imoNumber", set())
    if imo_a and imo_b:
        if imo_a & imo_b:
            kind = "ship IMO" if vessel else "company IMO"
            features.append({"feature": kind, "match": sorted(imo_a & imo_b), "strong": True})
            strong = strong or vessel or name >= 0.7
        else:
            features.append({"feature": "IMO", "conflict": [sorted(imo_a), sorted(imo_b)]})
            conflict = True
            total -= 0.5
    for prop in REGISTRATION_PROPS:
        va, vb = a.ids.get(prop, set()), b.ids.get(prop, set())
        if va and vb:
            if va & vb:
                countries_ok = not a.countries or not b.countries or bool(a.countries & b.countries)
                ok = countries_ok and name >= 0.7
                features.append({"feature": prop, "match": sorted(va & vb), "strong": ok})
                strong = strong or ok
                total += 0.3
            else:
                features.append({"feature": prop, "conflict": [sorted(va), sorted(vb)]})
                conflict = True
                total -= 0.3
    if a.unsc and b.unsc:
        if a.unsc & b.unsc:
            features.append(
                {"feature": "UN reference", "match": sorted(a.unsc & b.unsc), "strong": True}
            )
            strong = True
        else:
            features.append(
                {"feature": "UN reference", "conflict": [sorted(a.unsc), sorted(b.unsc)]}
            )
            conflict = True
            total -= 0.5
    docs_a = set().union(*(a.ids.get(p, set()) for p in DOCUMENT_PROPS))
    docs_b = set().union(*(b.ids.get(p, set()) for p in DOCUMENT_PROPS))
    if docs_a & docs_b:
        features.append({"feature": "document number", "match": sorted(docs_a & docs_b)})
        total += 0.2
    born = _dates_agree(a.birth, b.birth)
    if born is True:
        features.append(
            {"feature": "birth date", "match": sorted(a.birth & b.birth) or sorted(a.birth)}
        )
        total += 0.1
    elif born is False:
        features.append({"feature": "birth date", "conflict": [sorted(a.birth), sorted(b.birth)]})
        conflict = True
        total -= 0.3
    if a.countries and b.countries:
        if a.countries & b.countries:
            features.append({"feature": "country", "match": sorted(a.countries & b.countries)})
            total += 0.05
        else:
            features.append(
                {"feature": "country", "conflict": [sorted(a.countries), sorted(b.countries)]}
            )
            total -= 0.1
    shared = sorted(a.datasets & b.datasets)
    if strong and shared:
        # Two entries of one list: the publisher listed them apart on purpose (a branch, a
        # namesake); an analyst decides.
        features.append({"feature": "same list", "datasets": shared, "note": "no auto-merge"})
    if strong and not conflict:
        total = max(total, 0.95)
    strong = strong and not shared
    value = max(0.0, min(1.0, total))
    return Scored(candidate, round(value, 4), strong and not conflict, conflict, features)


# -- judgements and merges ----------------------------------------------------------------


class ResolutionError(ValueError):
    pass


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _referent(store: Store, entity: str) -> str:
    """A source id for an entity given by source or canonical id."""
    row = store.con.execute(
        """SELECT min(entity_id) FROM statements
        WHERE (entity_id = $e OR canonical_id = $e) AND schema IN (SELECT unnest($p))""",
        {"e": entity, "p": list(PARTIES)},
    ).fetchall()
    if not row or row[0][0] is None:
        raise ResolutionError(f"{entity}: no such entity")
    return str(row[0][0])


def _canonical_of(store: Store, entity_id: str) -> str:
    row = store.con.execute(
        "SELECT any_value(canonical_id) FROM statements WHERE entity_id = ?", [entity_id]
    ).fetchall()
    return str(row[0][0]) if row and row[0][0] else entity_id


def _active(store: Store, judgement: str | None = None) -> list[tuple[str, str, str]]:
    return [
        (r[0], r[1], r[2])
        for r in store.con.execute(
            """SELECT left_id, right_id, judgement FROM resolution_judgements
            WHERE retracted_at IS NULL AND ($j IS NULL OR judgement = $j)""",
            {"j": judgement},
        ).fetchall()
    ]


def _components(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, set[str]] = defaultdict(set)
    for x in list(parent):
        groups[find(x)].add(x)
    return {min(g): g for g in groups.values()}


def _members_of(store: Store, entity_id: str) -> set[str]:
    canonical = _canonical_of(store, entity_id)
    rows = store.con.execute(
        """SELECT DISTINCT entity_id FROM statements
        WHERE canonical_id = ? AND schema IN (SELECT unnest(?))""",
        [canonical, list(PARTIES)],
    ).fetchall()
    return {r[0] for r in rows} or {entity_id}


def decide(
    store: Store,
    left: str,
    right: str,
    judgement: Judgement,
    *,
    by: str = "analyst",
    reason: str | None = None,
    evidence: Any = None,
    score_value: float | None = None,
    keys: Iterable[str] = (),
    auto: bool = False,
) -> dict[str, Any]:
    """Record a judgement on a pair and apply what it implies (merge on positive)."""
    if judgement not in JUDGEMENTS:
        raise ResolutionError(f"judgement {judgement!r}: one of {', '.join(JUDGEMENTS)}")
    store.ensure(NETWORK)
    a, b = sorted((_referent(store, left), _referent(store, right)))
    if a == b:
        raise ResolutionError(f"{left} and {right} are the same entity")
    cluster_a, cluster_b = _members_of(store, a), _members_of(store, b)
    merged = bool(cluster_a & cluster_b)
    if judgement == "positive" and not merged:
        for x, y, _ in _active(store, "negative"):
            if (x in cluster_a and y in cluster_b) or (x in cluster_b and y in cluster_a):
                raise ResolutionError(
                    f"a negative judgement between {x} and {y} blocks merging {a} with {b}; "
                    "retract it first (interdiction resolve undo)"
                )
    if judgement == "negative" and merged:
        raise ResolutionError(
            f"{a} and {b} are merged (canonical {_canonical_of(store, a)}); undo the merge "
            "first (interdiction resolve undo)"
        )
    with store.transaction() as con:
        con.execute(
            """UPDATE resolution_judgements SET retracted_at = $t
            WHERE left_id = $a AND right_id = $b AND retracted_at IS NULL""",
            {"t": _now(), "a": a, "b": b},
        )
        con.execute(
            "INSERT INTO resolution_judgements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            [
                a,
                b,
                judgement,
                score_value,
                json.dumps(sorted(keys)),
                json.dumps(evidence, default=str),
                reason,
                by,
                auto,
                _now(),
            ],
        )
        ca, cb = _canonical_of(store, a), _canonical_of(store, b)
        con.execute(
            """DELETE FROM resolution_queue
            WHERE (left_id = $x AND right_id = $y) OR (left_id = $y AND right_id = $x)""",
            {"x": ca, "y": cb},
        )
        changes = _apply(store, by, {"left": a, "right": b, "judgement": judgement})
    return {"left": a, "right": b, "judgement": judgement, "changes": changes}


def _apply(store: Store, by: str, judgement: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Set ``statements.canonical_id`` from the active positive judgements; log changes.
    Runs inside the caller's transaction."""
    con = store.con
    components = _components((a, b) for a, b, _ in _active(store, "positive"))
    in_component = {m for members in components.values() for m in members}
    current = dict(
        con.execute(
            """SELECT entity_id, any_value(canonical_id) FROM statements
            WHERE canonical_id LIKE 'nk-%' OR entity_id IN (SELECT unnest($m))
            GROUP BY entity_id""",
            {"m": sorted(in_component)},
        ).fetchall()
    )
    target: dict[str, str] = {}
    used: set[str] = set()
    for members in sorted(components.values(), key=lambda m: (-len(m), min(m))):
        held: dict[str, int] = defaultdict(int)
        for m in members:
            cid = current.get(m, m)
            if cid.startswith("nk-") and cid not in used:
                held[cid] += 1
        if held:
            canonical = sorted(held, key=lambda c: (-held[c], c))[0]
        else:
            canonical = "nk-" + content_hash(*sorted(members), length=16)
        used.add(canonical)
        for m in members:
            target[m] = canonical
    # Entities merged before but no longer in any component go back to their own id.
    for entity_id, cid in current.items():
        if cid.startswith("nk-") and entity_id not in target:
            target[entity_id] = entity_id
    changes = []
    by_canonical: dict[str, list[str]] = defaultdict(list)
    previous: dict[str, dict[str, str]] = defaultdict(dict)
    for entity_id, canonical in target.items():
        if current.get(entity_id, entity_id) != canonical:
            by_canonical[canonical].append(entity_id)
            previous[canonical][entity_id] = current.get(entity_id, entity_id)
    for canonical, moved in sorted(by_canonical.items()):
        con.execute(
            "UPDATE statements SET canonical_id = $c WHERE entity_id IN (SELECT unnest($m))",
            {"c": canonical, "m": moved},
        )
        action = "split" if all(m == canonical for m in moved) else "merge"
        entry = {
            "id": "rl-" + content_hash(canonical, *sorted(moved), _now().isoformat()),
            "action": action,
            "canonical_id": canonical,
            "members": sorted(moved),
            "previous": previous[canonical],
        }
        con.execute(
            "INSERT INTO resolution_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                entry["id"],
                action,
                canonical,
                json.dumps(entry["members"]),
                json.dumps(entry["previous"]),
                json.dumps(judgement),
                by,
                _now(),
            ],
        )
        changes.append(entry)
    return changes


def undo(
    store: Store, entity: str, other: str | None = None, by: str = "analyst"
) -> dict[str, Any]:
    """Retract the positive judgements that merged ``entity`` (with ``other`` only, when
    given) and restore the canonical ids; also retracts a negative between the two."""
    store.ensure(NETWORK)
    a = _referent(store, entity)
    members = _members_of(store, a)
    if other is not None:
        b = _referent(store, other)
        pair = tuple(sorted((a, b)))
        where = "left_id = $a AND right_id = $b"
        params: dict[str, Any] = {"a": pair[0], "b": pair[1]}
        judgement_filter = "1=1"
    else:
        where = "left_id IN (SELECT unnest($m)) AND right_id IN (SELECT unnest($m))"
        params = {"m": sorted(members)}
        judgement_filter = "judgement = 'positive'"
    found = store.con.execute(
        f"""SELECT count(*) FROM resolution_judgements
        WHERE retracted_at IS NULL AND {judgement_filter} AND {where}""",
        params,
    ).fetchall()
    count = int(found[0][0]) if found else 0
    if count == 0:
        raise ResolutionError(f"{entity}: no judgement to undo")
    with store.transaction() as con:
        con.execute(
            f"""UPDATE resolution_judgements SET retracted_at = $t
            WHERE retracted_at IS NULL AND {judgement_filter} AND {where}""",
            {**params, "t": _now()},
        )
        changes = _apply(store, by, {"undo": entity, "other": other})
    return {"retracted": count, "changes": changes}


# -- the pipeline -------------------------------------------------------------------------


def find_candidates(
    store: Store,
    config: NetworkConfig,
    sources: Iterable[CandidateSource] | None = None,
    auto_merge: bool = True,
    by: str = "auto",
) -> dict[str, Any]:
    """Generate and score candidates; auto-merge strong ones; queue the rest for review."""
    store.ensure(NETWORK)
    records = load_records(store)
    judged = {(a, b) for a, b, _ in _active(store)}
    seen: dict[tuple[str, str], Candidate] = {}
    for source in sources or [KeyBlocking()]:
        for cand in source.candidates(records, config):
            key = (cand.left, cand.right)
            if key in seen:
                seen[key] = Candidate(
                    cand.left,
                    cand.right,
                    tuple(sorted({*seen[key].keys, *cand.keys})),
                    f"{seen[key].source}+{cand.source}",
                )
            else:
                seen[key] = cand
    merged: list[dict[str, Any]] = []
    queued = 0
    below = 0
    blocked = 0
    rows = []
    for cand in seen.values():
        ra, rb = records[cand.left], records[cand.right]
        pair_refs = {(x, y) for x in ra.referents for y in rb.referents} | {
            (y, x) for x in ra.referents for y in rb.referents
        }
        if pair_refs & judged:
            continue
        scored = score(cand, records)
        if auto_merge and scored.strong:
            try:
                result = decide(
                    store,
                    cand.left,
                    cand.right,
                    "positive",
                    by=by,
                    auto=True,
                    reason="strong identifier: "
                    + ", ".join(f["feature"] for f in scored.features if f.get("strong")),
                    evidence=scored.features,
                    score_value=scored.score,
                    keys=cand.keys,
                )
                merged.append(result)
                continue
            except ResolutionError:
                blocked += 1  # a negative judgement stands in the way: review it instead
        if scored.score >= config.review_threshold or scored.strong:
            rows.append(
                [
                    cand.left,
                    cand.right,
                    scored.score,
                    scored.strong,
                    json.dumps(list(cand.keys)),
                    json.dumps(scored.features, default=str),
                    cand.source,
                    _now(),
                ]
            )
            queued += 1
        else:
            below += 1
    with store.transaction() as con:
        if rows:
            con.executemany(
                "INSERT OR REPLACE INTO resolution_queue VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows
            )
    return {
        "entities": len(records),
        "candidates": len(seen),
        "auto_merged": len(merged),
        "queued": queued,
        "below_threshold": below,
        "blocked_by_negative": blocked,
        "merges": merged,
    }


def review_queue(store: Store, limit: int = 50) -> list[dict[str, Any]]:
    if not store.has_table("resolution_queue"):
        return []
    rows = store.con.execute(
        """SELECT left_id, right_id, score, strong, keys, evidence, source, created_at
        FROM resolution_queue ORDER BY strong DESC, score DESC, left_id LIMIT ?""",
        [limit],
    ).fetchall()
    wanted = sorted({r[0] for r in rows} | {r[1] for r in rows})
    captions = dict(
        store.con.execute(
            """SELECT canonical_id, min(value) FROM statements
            WHERE canonical_id IN (SELECT unnest($ids)) AND prop = 'name' AND retired IS NULL
            GROUP BY canonical_id""",
            {"ids": wanted},
        ).fetchall()
    )
    out = []
    for left, right, value, strong, keys, evidence, source, created in rows:
        out.append(
            {
                "left": left,
                "left_caption": captions.get(left, left),
                "right": right,
                "right_caption": captions.get(right, right),
                "score": value,
                "strong": strong,
                "keys": json.loads(keys),
                "evidence": json.loads(evidence),
                "source": source,
                "queued_at": created,
            }
        )
    return out


def judgements(store: Store, entity: str | None = None) -> list[dict[str, Any]]:
    if not store.has_table("resolution_judgements"):
        return []
    rows = store.con.execute(
        """SELECT left_id, right_id, judgement, score, reason, decided_by, auto, decided_at,
                  retracted_at
        FROM resolution_judgements
        WHERE $e IS NULL OR left_id = $e OR right_id = $e
        ORDER BY decided_at""",
        {"e": entity},
    ).fetchall()
    keys = (
        "left",
        "right",
        "judgement",
        "score",
        "reason",
        "by",
        "auto",
        "decided_at",
        "retracted_at",
    )
    return [dict(zip(keys, r, strict=True)) for r in rows]
