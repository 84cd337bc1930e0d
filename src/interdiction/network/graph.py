"""The network as arrays: parties, relationships and shared attributes read from the store.

Nodes are canonical entities (after entity resolution) plus one node per shared attribute
value (a normalised address, phone, e-mail, website or identifier held by two entities or
more). Edges are FtM relationships (Ownership, Control, Directorship, Representation,
Family, Associate, UnknownLink such as OFAC's "Linked To"), a vessel's owner and operator,
and entity-attribute ties weighted by the attribute's rarity. Everything is held in numpy
arrays (no per-node Python objects) so that a million entities fit and rules run as array
operations; the SQL that extracts them runs in DuckDB.

Ownership percentages are read with ``sources.shares`` into integer intervals; every
problem met on the way (a reference to an entity that is not loaded, a share over 100, two
sources disagreeing about one holding, holdings adding up to more than 100%) is kept in
``Graph.issues`` and shown with the results that depend on it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from normality import normalize

from interdiction.config import NetworkConfig
from interdiction.sources.shares import FULL, parse_share
from interdiction.store.db import Store, one

# Edge kinds, in the order of their codes.
KINDS = (
    "ownership",  # equity: the 50% rules add these up
    "voting",  # voting rights (EU/UK majority test)
    "interest",  # other economic interest (surplus assets, profits, trust beneficiary)
    "control",
    "directorship",
    "agent",  # Representation: agent of the client
    "vessel_owner",
    "vessel_operator",
    "family",
    "associate",
    "link",  # UnknownLink (OFAC "Linked To")
    "attribute",  # entity -> shared attribute value
)
KIND = {name: code for code, name in enumerate(KINDS)}
RELATION_KINDS = frozenset(KIND[k] for k in KINDS if k != "attribute")

# Edge flags (bits).
INDIRECT = 1  # a declared indirect (look-through) interest: never summed by the rules
SHARE_UNKNOWN = 2  # no usable percentage: the share is [0, 100]
SHARE_PROBLEM = 4  # a percentage was given but could not be used (over 100, unreadable)
CONFLICT = 8  # several records for one holding disagree; the interval covers them all
DUPLICATE = 16  # several records for one holding agree; counted once

# Relationship schemata: (schema, source property, target property, kind or None = by type).
RELATIONS = (
    ("Ownership", "owner", "asset", None),
    ("Control", "controller", "controlled", "control"),
    ("Directorship", "director", "organization", "directorship"),
    ("Representation", "agent", "client", "agent"),
    ("Family", "person", "relative", "family"),
    ("Associate", "person", "associate", "associate"),
    ("UnknownLink", "subject", "object", "link"),
)
PARTY_SCHEMATA = (
    "Person",
    "Organization",
    "Company",
    "LegalEntity",
    "PublicBody",
    "Vessel",
    "Airplane",
)
IDENTIFIER_PROPS = (
    "registrationNumber",
    "taxNumber",
    "innCode",
    "ogrnCode",
    "leiCode",
    "swiftBic",
    "imoNumber",
    "idNumber",
    "passportNumber",
)
VOTING_TYPES = {"votingrights", "voting", "voting rights"}
INTEREST_TYPES = {
    "rightstosurplusassetsondissolution",
    "rightstoprofitorincome",
    "beneficiaryoflegalarrangement",
}


@dataclass
class Graph:
    """Nodes and edges as arrays; ``rel_ids[e]`` is the relationship (or attribute) behind
    edge ``e``, for evidence."""

    ids: list[str]
    schema: list[str]
    caption: list[str]
    listed: np.ndarray  # bool: a current target of some loaded list
    attribute: np.ndarray  # bool: a shared-attribute node
    missing: np.ndarray  # bool: referenced by a relationship but not in the store
    src: np.ndarray  # int32
    dst: np.ndarray  # int32
    kind: np.ndarray  # int8
    lo: np.ndarray  # int64 share units (sources.shares.UNIT), 0 where not a share
    hi: np.ndarray  # int64
    flags: np.ndarray  # int16
    cost: np.ndarray  # float64 path cost
    rel: np.ndarray  # int32 index into rel_ids
    rel_ids: list[str]
    holders: np.ndarray  # int32: for attribute nodes, how many entities hold the value
    key: str  # fingerprint of the data the graph was built from
    issues: list[dict[str, Any]] = field(default_factory=list)
    _index: dict[str, int] | None = None

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def m(self) -> int:
        return int(self.src.shape[0])

    def index(self, entity_id: str) -> int | None:
        if self._index is None:
            self._index = {eid: i for i, eid in enumerate(self.ids)}
        return self._index.get(entity_id)

    def edge_kind(self, e: int) -> str:
        return KINDS[int(self.kind[e])]

    def degree(self) -> np.ndarray:
        return np.bincount(self.src, minlength=self.n) + np.bincount(self.dst, minlength=self.n)

    def summary(self) -> dict[str, Any]:
        kinds = np.bincount(self.kind.astype(np.int64), minlength=len(KINDS))
        return {
            "entities": int((~self.attribute & ~self.missing).sum()),
            "listed": int(self.listed.sum()),
            "shared_attributes": int(self.attribute.sum()),
            "missing_references": int(self.missing.sum()),
            "edges": self.m,
            "edges_by_kind": {KINDS[i]: int(c) for i, c in enumerate(kinds) if c},
            "issues": len(self.issues),
            "key": self.key,
        }


def graph_key(store: Store) -> str:
    """A fingerprint of what a graph is built from: dataset versions and merge decisions."""
    digest = hashlib.sha256()
    for name, version in store.con.execute(
        "SELECT name, version FROM datasets ORDER BY name, version"
    ).fetchall():
        digest.update(f"{name}:{version}\n".encode())
    if store.has_table("resolution_log"):
        row = one(store.con, "SELECT count(*), max(logged_at) FROM resolution_log")
        if row and row[0]:
            digest.update(f"resolution:{row}\n".encode())
    return digest.hexdigest()[:16]


def normalise_attribute(prop: str, value: str) -> str | None:
    """The key two entities must share for an attribute to tie them; None if too vague."""
    if prop == "address":
        text = normalize(value, lowercase=True, ascii=True)
        if not text:
            return None
        # City-and-country addresses ("Pyongyang, Democratic People's Republic of Korea")
        # tie nothing: require a number, or a street before the city and country.
        parts = [p for p in value.split(",") if p.strip()]
        if not any(ch.isdigit() for ch in text) and len(parts) < 3:
            return None
        return text
    if prop == "email":
        return value.strip().lower() or None
    if prop == "website":
        text = value.strip().lower()
        for head in ("https://", "http://"):
            text = text.removeprefix(head)
        text = text.removeprefix("www.").rstrip("/")
        return text or None
    if prop == "phone":
        digits = "".join(ch for ch in value if ch.isdigit())
        return digits if len(digits) >= 7 else None
    text = "".join(ch for ch in value.upper() if ch.isalnum())
    return text if len(text) >= 4 else None


def _arrow(con: Any, sql: str, params: dict[str, Any] | None = None) -> pa.Table:
    """A query's rows as an Arrow table, without the copy a DB-API result would make."""
    return con.sql(sql, params=params).to_arrow_table()


def _arrow_list(table: pa.Table, column: str) -> list[str]:
    return [str(v) for v in table.column(column).to_pylist()]


def build_graph(
    store: Store,
    config: NetworkConfig,
    as_of: date | None = None,
    datasets: Iterable[str] | None = None,
) -> Graph:
    """Read the store into a ``Graph`` (current statements; relationships ended before
    ``as_of``, default today, are left out)."""
    con = store.con.cursor()
    as_of = as_of or date.today()
    only = sorted(datasets) if datasets is not None else None
    params: dict[str, Any] = {"all": only is None, "ds": only or []}
    scope = "retired IS NULL AND ($all OR dataset IN (SELECT unnest($ds)))"
    party_list = ", ".join(f"'{s}'" for s in PARTY_SCHEMATA)
    # Relationship ends and list entries are parties: map their source ids to canonical ids.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE nw_canon AS
        SELECT entity_id, any_value(canonical_id) AS canonical_id
        FROM statements WHERE {scope} AND schema IN ({party_list}) GROUP BY entity_id""",
        params,
    )
    # Parties: one node per canonical entity.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE nw_nodes AS
        SELECT canonical_id AS id, any_value(schema) AS schema,
            coalesce(min(value) FILTER (WHERE prop = 'name'), canonical_id) AS caption
        FROM statements WHERE {scope} AND schema IN ({party_list})
        GROUP BY canonical_id""",
        params,
    )
    # Relationship records: one row per record, its ends, share, type and dates. Ends are
    # read with min() (cheap); the rare record with several owners or assets is expanded
    # below from its statements.
    sources = ", ".join(f"'{src}'" for _schema, src, _t, _k in RELATIONS)
    targets = ", ".join(f"'{tgt}'" for _schema, _s, tgt, _k in RELATIONS)
    schemas_sql = ", ".join(f"'{schema}'" for schema, _s, _t, _k in RELATIONS)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE nw_rels AS
        SELECT canonical_id AS rel, any_value(schema) AS schema,
            min(value) FILTER (WHERE prop IN ({sources})) AS source,
            min(value) FILTER (WHERE prop IN ({targets})) AS target,
            count(*) FILTER (WHERE prop IN ({sources})) AS n_sources,
            count(*) FILTER (WHERE prop IN ({targets})) AS n_targets,
            min(value) FILTER (WHERE prop = 'percentage') AS percentage,
            CASE WHEN min(value) FILTER (WHERE prop = 'percentage')
                      <> max(value) FILTER (WHERE prop = 'percentage') THEN 2 ELSE 1 END
                AS n_percentages,
            lower(coalesce(min(value) FILTER (WHERE prop = 'ownershipType'), '')) AS otype,
            lower(coalesce(min(value) FILTER (WHERE prop = 'role'), '')) AS role,
            min(value) FILTER (WHERE prop = 'startDate') AS start_date,
            max(value) FILTER (WHERE prop = 'endDate') AS end_date
        FROM statements WHERE {scope} AND schema IN ({schemas_sql}) GROUP BY canonical_id""",
        params,
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE nw_multi AS
        SELECT r.rel, s.value AS source, t.value AS target
        FROM nw_rels r
        JOIN statements s ON s.canonical_id = r.rel AND s.prop IN ({sources})
            AND s.retired IS NULL
        JOIN statements t ON t.canonical_id = r.rel AND t.prop IN ({targets})
            AND t.retired IS NULL
        WHERE r.n_sources > 1 OR r.n_targets > 1""",
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE nw_vessel AS
        SELECT canonical_id AS rel, prop, value FROM statements
        WHERE {scope} AND schema IN ('Vessel', 'Airplane') AND prop IN ('owner', 'operator')""",
        params,
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE nw_edges_raw AS
        SELECT r.rel, r.schema, r.source, r.target, r.percentage,
            r.n_percentages, r.otype, r.role, r.start_date, r.end_date
        FROM nw_rels r
        WHERE r.n_sources = 1 AND r.n_targets = 1
        UNION ALL
        SELECT r.rel, r.schema, m.source, m.target, r.percentage,
            r.n_percentages, r.otype, r.role, r.start_date, r.end_date
        FROM nw_rels r JOIN nw_multi m ON m.rel = r.rel
        UNION ALL
        SELECT v.rel || ':' || v.prop, 'Vessel', v.value, v.rel, NULL, 0, v.prop, '', NULL, NULL
        FROM nw_vessel v"""
    )
    cutoff = as_of.isoformat()
    ended = one(
        con,
        """SELECT count(*) FROM nw_edges_raw
        WHERE (end_date IS NOT NULL AND end_date < $d)
           OR (start_date IS NOT NULL AND start_date > $d)""",
        {"d": cutoff},
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE nw_edges AS
        SELECT e.*, coalesce(a.canonical_id, e.source) AS a,
            coalesce(b.canonical_id, e.target) AS b,
            a.canonical_id IS NULL AS a_missing, b.canonical_id IS NULL AS b_missing
        FROM nw_edges_raw e
        LEFT JOIN nw_canon a ON a.entity_id = e.source
        LEFT JOIN nw_canon b ON b.entity_id = e.target
        WHERE NOT ((e.end_date IS NOT NULL AND e.end_date < $d)
                   OR (e.start_date IS NOT NULL AND e.start_date > $d))""",
        {"d": cutoff},
    )
    # Shared attributes: values held by two canonical entities or more.
    attr_props = [p for p in config.shared_attributes]
    attr_rows = _arrow(
        con,
        f"""SELECT s.canonical_id, s.prop, s.value FROM statements s
        WHERE {scope.replace("retired", "s.retired").replace("dataset", "s.dataset")}
          AND s.schema IN ({party_list}) AND s.prop IN (SELECT unnest($props))
        UNION ALL
        SELECT h.canonical_id, 'idNumber', n.value FROM statements n
        JOIN statements h ON h.entity_id = n.entity_id AND h.prop = 'holder'
            AND h.retired IS NULL
        WHERE n.retired IS NULL AND n.schema IN ('Passport', 'Identification')
          AND n.prop = 'number' AND list_contains($props, 'idNumber')""",
        {**params, "props": attr_props},
    )

    con.execute(
        """CREATE OR REPLACE TEMP TABLE nw_index AS
        SELECT id, CAST(row_number() OVER (ORDER BY id) - 1 AS INTEGER) AS idx FROM nw_nodes"""
    )
    nodes = _arrow(
        con,
        """SELECT n.id, n.schema, n.caption
        FROM nw_nodes n JOIN nw_index i USING (id) ORDER BY i.idx""",
    )
    ids = _arrow_list(nodes, "id")
    schemas = _arrow_list(nodes, "schema")
    caption = _arrow_list(nodes, "caption")
    index = {eid: i for i, eid in enumerate(ids)}
    issues: list[dict[str, Any]] = []
    if ended and ended[0]:
        issues.append(
            {
                "code": "relationships-ended",
                "level": "info",
                "message": f"{ended[0]} relationships ended before {cutoff} (or start after it) "
                "are history and left out",
            }
        )

    edges = _arrow(
        con,
        """SELECT e.rel, e.schema, e.a, e.b, e.percentage, e.n_percentages, e.otype, e.role,
            ia.idx AS ai, ib.idx AS bi
        FROM nw_edges e
        LEFT JOIN nw_index ia ON ia.id = e.a
        LEFT JOIN nw_index ib ON ib.id = e.b
        ORDER BY ai NULLS LAST, bi NULLS LAST, e.rel""",
    )
    n_parties = len(ids)
    src, dst, missing_ids = _endpoints(edges, index, ids, schemas, caption)
    kind, lo, hi, flags = _classify(edges, issues)
    rel_ids = _arrow_list(edges, "rel")
    rel = np.arange(len(rel_ids), dtype=np.int32)
    for eid in missing_ids:
        issues.append(
            {
                "code": "missing-entity",
                "level": "warning",
                "message": f"{eid} is referenced by a relationship but is not in the store "
                "(shown as an unknown party)",
                "entity_ids": [eid],
            }
        )
    base_cost = {
        "ownership": config.cost_ownership,
        "voting": config.cost_control,
        "interest": config.cost_ownership,
        "control": config.cost_control,
        "directorship": config.cost_directorship,
        "agent": config.cost_link,
        "vessel_owner": config.cost_vessel,
        "vessel_operator": config.cost_vessel,
        "family": config.cost_family,
        "associate": config.cost_associate,
        "link": config.cost_link,
    }
    cost_by_kind = np.array([base_cost.get(k, 1.0) for k in KINDS], dtype=np.float64)
    cost = cost_by_kind[kind]

    n_known = len(ids)
    # Attribute nodes and entity -> attribute edges.
    a_src, a_dst, a_rel, holders_list = _attributes(attr_rows, index, ids, schemas, caption)
    n_total = len(ids)
    attribute = np.zeros(n_total, dtype=bool)
    attribute[n_total - len(holders_list) :] = True
    missing = np.zeros(n_total, dtype=bool)
    missing[n_parties:n_known] = True
    holders = np.zeros(n_total, dtype=np.int32)
    holders[n_total - len(holders_list) :] = holders_list
    a_cost = config.cost_attribute + np.log2(np.maximum(holders[a_dst], 2)) / 2.0
    rel_base = len(rel_ids)
    rel_ids.extend(ids[n_total - len(holders_list) :])
    src = np.concatenate([src, a_src]).astype(np.int32)
    dst = np.concatenate([dst, a_dst]).astype(np.int32)
    kind = np.concatenate([kind, np.full(len(a_src), KIND["attribute"], dtype=np.int8)])
    lo = np.concatenate([lo, np.zeros(len(a_src), dtype=np.int64)])
    hi = np.concatenate([hi, np.zeros(len(a_src), dtype=np.int64)])
    flags = np.concatenate([flags, np.zeros(len(a_src), dtype=np.int16)])
    cost = np.concatenate([cost, a_cost])
    rel = np.concatenate([rel, rel_base + a_rel]).astype(np.int32)

    listed = np.zeros(n_total, dtype=bool)
    listed_rows = _arrow(
        con,
        """SELECT DISTINCT c.canonical_id FROM entities e
        JOIN nw_canon c ON c.entity_id = e.entity_id
        WHERE e.target AND e.delisted IS NULL""",
    )
    for eid in _arrow_list(listed_rows, "canonical_id"):
        i = index.get(eid)
        if i is not None:
            listed[i] = True
    for table in (
        "nw_canon",
        "nw_nodes",
        "nw_index",
        "nw_rels",
        "nw_multi",
        "nw_vessel",
        "nw_edges_raw",
        "nw_edges",
    ):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    graph = Graph(
        ids=ids,
        schema=schemas,
        caption=caption,
        listed=listed,
        attribute=attribute,
        missing=missing,
        src=src,
        dst=dst,
        kind=kind,
        lo=lo,
        hi=hi,
        flags=flags,
        cost=cost,
        rel=rel,
        rel_ids=rel_ids,
        holders=holders,
        key=graph_key(store),
        issues=issues,
    )
    graph._index = index
    merge_holdings(graph)
    check_holdings(graph)
    sort_edges(graph)
    if n_total:
        mass = np.flatnonzero(attribute & (holders > config.max_attribute_holders))
        if mass.size:
            issues.append(
                {
                    "code": "mass-attribute",
                    "level": "info",
                    "message": f"{mass.size} attribute values are held by more than "
                    f"{config.max_attribute_holders} entities (mass registration or generic "
                    "values): kept, never traversed",
                    "entity_ids": [ids[i] for i in mass[:20]],
                }
            )
    return graph


def _endpoints(
    edges: pa.Table,
    index: dict[str, int],
    ids: list[str],
    schema: list[str],
    caption: list[str],
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Edge ends as node indices (joined in SQL); references to entities that are not in
    the store become nodes flagged missing."""
    missing_ids: list[str] = []
    out = []
    for column, ids_column in (("ai", "a"), ("bi", "b")):
        found = edges.column(column)
        values = found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        if found.null_count:
            names = edges.column(ids_column).to_pylist()
            for e in np.flatnonzero(values < 0):
                value = names[e]
                if value not in index:
                    index[value] = len(ids)
                    ids.append(value)
                    schema.append("LegalEntity")
                    caption.append(f"{value} (not in the store)")
                    missing_ids.append(value)
                values[e] = index[value]
        out.append(values.astype(np.int32))
    return out[0], out[1], missing_ids


def _classify(
    edges: pa.Table, issues: list[dict[str, Any]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Kind, share interval and flags of each relationship edge (shares parsed once per
    distinct text)."""
    m = edges.num_rows
    kind = np.zeros(m, dtype=np.int8)
    lo = np.zeros(m, dtype=np.int64)
    hi = np.zeros(m, dtype=np.int64)
    flags = np.zeros(m, dtype=np.int16)
    if m == 0:
        return kind, lo, hi, flags
    schemas = edges.column("schema").to_numpy(zero_copy_only=False)
    otypes = edges.column("otype").to_numpy(zero_copy_only=False)
    roles = edges.column("role").to_numpy(zero_copy_only=False)
    static = {schema: k for schema, _s, _t, k in RELATIONS if k}
    for schema_name, code in static.items():
        kind[schemas == schema_name] = KIND[code]
    vessel = schemas == "Vessel"
    kind[vessel & (otypes == "owner")] = KIND["vessel_owner"]
    kind[vessel & (otypes == "operator")] = KIND["vessel_operator"]
    own = schemas == "Ownership"
    voting = own & np.isin(otypes, list(VOTING_TYPES))
    interest = own & np.isin(otypes, list(INTEREST_TYPES))
    kind[own] = KIND["ownership"]
    kind[voting] = KIND["voting"]
    kind[interest] = KIND["interest"]
    indirect = np.char.find(roles.astype(str), "indirect") >= 0
    flags[indirect & (own | (schemas == "Control"))] |= INDIRECT

    texts = edges.column("percentage")
    encoded = pc.dictionary_encode(texts).combine_chunks()
    dictionary = encoded.dictionary.to_pylist()
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    d_lo = np.zeros(len(dictionary) + 1, dtype=np.int64)
    d_hi = np.full(len(dictionary) + 1, FULL, dtype=np.int64)
    d_flag = np.full(len(dictionary) + 1, SHARE_UNKNOWN, dtype=np.int16)
    for i, text in enumerate(dictionary):
        share = parse_share(text)
        d_lo[i], d_hi[i] = share.lo, share.hi
        d_flag[i] = 0 if share.known else SHARE_UNKNOWN | (SHARE_PROBLEM if share.problem else 0)
    shares = own | voting | interest
    sel = np.where(codes >= 0, codes, len(dictionary))
    lo[shares] = d_lo[sel][shares]
    hi[shares] = d_hi[sel][shares]
    flags[shares] |= d_flag[sel][shares]
    many = edges.column("n_percentages").to_numpy(zero_copy_only=False) > 1
    if np.any(many & shares):
        flags[many & shares] |= CONFLICT
        # The record states several percentages: use the whole span they cover.
        rels = edges.column("rel").to_pylist()
        for e in np.flatnonzero(many & shares):
            lo[e], hi[e] = 0, FULL
            issues.append(
                {
                    "code": "share-conflict",
                    "level": "warning",
                    "message": f"{rels[e]} states several percentages; read as unknown",
                    "rel_ids": [rels[e]],
                }
            )
    problems = np.flatnonzero(shares & ((flags & SHARE_PROBLEM) > 0))
    if problems.size:
        rels = edges.column("rel").to_pylist()
        for e in problems:
            issues.append(
                {
                    "code": "bad-share",
                    "level": "warning",
                    "message": f"{rels[e]}: percentage {texts[int(e)].as_py()!r} is not usable "
                    "(over 100 or unreadable); read as unknown (0-100%)",
                    "rel_ids": [rels[e]],
                }
            )
    return kind, lo, hi, flags


def _attributes(
    rows: pa.Table,
    index: dict[str, int],
    ids: list[str],
    schema: list[str],
    caption: list[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """Attribute nodes for values held by two entities or more, and their edges."""
    holders: dict[tuple[str, str], set[int]] = {}
    labels: dict[tuple[str, str], str] = {}
    cache: dict[tuple[str, str], str | None] = {}
    owners = rows.column("canonical_id").to_pylist()
    props = rows.column("prop").to_pylist()
    values = rows.column("value").to_pylist()
    for owner, prop, value in zip(owners, props, values, strict=True):
        node = index.get(owner)
        if node is None:
            continue
        ckey = (prop, value)
        if ckey not in cache:
            cache[ckey] = normalise_attribute(prop, value)
        norm = cache[ckey]
        if norm is None:
            continue
        group = "identifier" if prop in IDENTIFIER_PROPS else prop
        key = (group, norm)
        holders.setdefault(key, set()).add(node)
        labels.setdefault(key, value)
    a_src: list[int] = []
    a_dst: list[int] = []
    a_rel: list[int] = []
    counts: list[int] = []
    for key, members in sorted(holders.items()):
        if len(members) < 2:
            continue
        node = len(ids)
        ids.append(f"attr:{key[0]}:{key[1]}")
        schema.append(f"attribute:{key[0]}")
        caption.append(labels[key])
        counts.append(len(members))
        for member in sorted(members):
            a_src.append(member)
            a_dst.append(node)
            a_rel.append(len(counts) - 1)
    return (
        np.asarray(a_src, dtype=np.int32),
        np.asarray(a_dst, dtype=np.int32),
        np.asarray(a_rel, dtype=np.int32),
        counts,
    )


def merge_holdings(graph: Graph) -> None:
    """One edge per (holder, asset, kind) of the share-bearing kinds.

    Two records for one holding (two sources, a re-filed return) must not be added up. When
    they agree, one is kept (flag DUPLICATE); when they disagree, the interval spans from the
    lowest low to the sum of the highs (either record may be the true one, or both may be
    parts of one holding), flag CONFLICT, and the disagreement is reported.
    """
    share_kinds = np.array([KIND["ownership"], KIND["voting"], KIND["interest"]], dtype=np.int8)
    sel = np.flatnonzero(np.isin(graph.kind, share_kinds) & ((graph.flags & INDIRECT) == 0))
    if sel.size < 2:
        return
    key = (graph.src[sel].astype(np.int64) * graph.n + graph.dst[sel]) * 4 + graph.kind[sel]
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    sizes = np.diff(np.r_[starts, sorted_key.size])
    if not np.any(sizes > 1):
        return
    drop: list[int] = []
    for start, size in zip(starts[sizes > 1], sizes[sizes > 1], strict=True):
        group = sel[order[start : start + size]]
        keep = int(group[0])
        los, his = graph.lo[group], graph.hi[group]
        unknown = (graph.flags[group] & SHARE_UNKNOWN) > 0
        rels = sorted({graph.rel_ids[graph.rel[e]] for e in group})
        if np.all(los == los[0]) and np.all(his == his[0]) and np.all(unknown == unknown[0]):
            graph.flags[keep] |= DUPLICATE
            code, message = "duplicate-holding", "records agree; counted once"
        else:
            known = ~unknown
            graph.lo[keep] = int(los.min()) if np.all(known) else 0
            graph.hi[keep] = min(int(his.sum()), FULL)
            graph.flags[keep] |= CONFLICT | (SHARE_UNKNOWN if not np.all(known) else 0)
            code = "conflicting-holding"
            message = (
                "records disagree; read as the interval "
                f"{graph.lo[keep] / 10000:g}-{graph.hi[keep] / 10000:g}%"
            )
        graph.issues.append(
            {
                "code": code,
                "level": "warning" if code == "conflicting-holding" else "info",
                "message": f"{len(group)} records for the {KINDS[int(graph.kind[keep])]} of "
                f"{graph.ids[graph.dst[keep]]} by {graph.ids[graph.src[keep]]}: {message}",
                "entity_ids": [graph.ids[graph.src[keep]], graph.ids[graph.dst[keep]]],
                "rel_ids": rels,
            }
        )
        drop.extend(int(e) for e in group[1:])
    if drop:
        keep_mask = np.ones(graph.m, dtype=bool)
        keep_mask[drop] = False
        for name in ("src", "dst", "kind", "lo", "hi", "flags", "cost", "rel"):
            setattr(graph, name, getattr(graph, name)[keep_mask])


def sort_edges(graph: Graph) -> None:
    """Edges grouped by source node, so rules index them without sorting again."""
    order = np.argsort(graph.src, kind="stable")
    for name in ("src", "dst", "kind", "lo", "hi", "flags", "cost", "rel"):
        setattr(graph, name, getattr(graph, name)[order])


def check_holdings(graph: Graph) -> None:
    """Report assets whose known direct equity holdings add up to more than 100%."""
    equity = (graph.kind == KIND["ownership"]) & ((graph.flags & (INDIRECT | SHARE_UNKNOWN)) == 0)
    if not np.any(equity):
        return
    total = np.bincount(graph.dst[equity], weights=graph.lo[equity], minlength=graph.n)
    over = np.flatnonzero(total > FULL)
    for i in over[:1000]:
        graph.issues.append(
            {
                "code": "holdings-over-100",
                "level": "warning",
                "message": f"direct holdings in {graph.ids[i]} add up to "
                f"{total[i] / 10000:g}% (outdated or duplicated records?)",
                "entity_ids": [graph.ids[i]],
            }
        )


def attribute_cost(holders: int, base: float) -> float:
    return base + math.log2(max(holders, 2)) / 2.0
