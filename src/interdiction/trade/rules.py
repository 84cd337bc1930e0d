"""The flag rules over shipment records: one declarative list, each rule one SQL query.

Every rule names its alert type, its version and the published source it rests on; its SQL
selects ``(row_id, shipment_id, date, severity, key, entity_id, detail)`` from the view
``ts`` (the shipments in scope; ``row_id`` is the row's position in ``trade_shipments``, by
which the writer fetches the other columns of the records that hit) joined to the watchlist
tables (``tw_chpl``, ``tw_measures``, ``tw_keywords``, ``tw_hstext``) and the party
screening cache (``tc``). The SQL is plain ANSI-style SQL with DuckDB list functions,
generated from the configuration and the watchlists, so the same definitions can be ported
to another engine (Spark SQL has the same list and regex functions under other names).

Written for tens of millions of records (``benchmarks/bench_trade.py``):

- every rule first narrows the records with cheap scalar predicates and equality joins on
  small tables, and builds lists (route, buyer countries) and JSON only for its hits;
- HS prefixes (UN measures by chapter, heading or subheading) are joined on equality of
  ``(prefix length, prefix)``, not with ``starts_with`` in a nested-loop join;
- description keywords are regular expressions written into the SQL as constants (compiled
  once, not once per row), evaluated once per distinct (description, HS code) pair: first
  all of them as one alternation, then one by one only on the pairs that matched any.

``tests/test_trade.py`` holds the description and UN measure rules to a plain Python
reading of their definitions (hypothesis).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from interdiction.config import TradeConfig
from interdiction.trade.watchlists import Watchlists, load_watchlists

_CODE = re.compile(r"^[a-z]{2}$")
# Goods whose description-code mismatch is worth a medium alert even outside the CHPL: chips,
# machine tools, navigation, drones, fuel, arms and coal (the goods of the UN and CHPL rules).
SENSITIVE_PREFIXES = (
    "8542",
    "8541",
    "8532",
    "8482",
    "8457",
    "8458",
    "8459",
    "9030",
    "8526",
    "8806",
    "2710",
    "2709",
    "93",
    "2701",
)


@dataclass(frozen=True)
class Rule:
    id: str
    version: str
    alert_type: str
    title: str
    source: str
    sql: str


def _codes(values: tuple[str, ...] | list[str]) -> list[str]:
    codes = [v.lower() for v in values]
    for code in codes:
        if not _CODE.match(code):
            raise ValueError(f"trade: {code!r} is not an ISO 3166 alpha-2 country code")
    return codes


def _list(values: list[str] | tuple[str, ...]) -> str:
    """A SQL list literal of strings: ``['ru', 'by']``."""
    return "[" + ", ".join(sql_str(v) for v in values) + "]"


def _in(values: list[str] | tuple[str, ...]) -> str:
    """A SQL ``IN`` tuple of strings: ``('ru', 'by')``."""
    return "(" + ", ".join(sql_str(v) for v in values) + ")"


def sql_str(text: str) -> str:
    """A SQL string literal (standard SQL: quotes doubled, backslashes literal)."""
    return "'" + text.replace("'", "''") + "'"


def route_sql(a: str) -> str:
    """The countries a record passes through, in order, without repeats."""
    return f"""list_distinct(list_filter(
            [{a}.origin_country, {a}.departure_country] || coalesce({a}.transit_countries, [])
                || [{a}.destination_country],
            lambda x: x IS NOT NULL))"""


def buyers_sql(a: str) -> str:
    """The countries a record's buyer is in: destination, end user, consignee."""
    return (
        f"list_filter([{a}.destination_country, {a}.end_user_country, {a}.consignee_country], "
        "lambda x: x IS NOT NULL)"
    )


def buyer_in_sql(a: str, codes: list[str]) -> str:
    """True when a buyer country is one of ``codes`` (never NULL)."""
    tup = _in(codes)
    return (
        f"coalesce({a}.destination_country IN {tup} OR {a}.end_user_country IN {tup} "
        f"OR {a}.consignee_country IN {tup}, false)"
    )


def prepare_view_sql(scope_sql: str) -> str:
    """The shipments in scope (a plain filter: rules compute what they need on their hits)."""
    return (
        "CREATE OR REPLACE TEMP VIEW ts AS SELECT s.rowid AS row_id, s.* "
        f"FROM trade_shipments s WHERE {scope_sql}"
    )


# (role, name column, country column, party key column, incorporation column)
_ROLES = (
    ("shipper", "shipper", "shipper_country", "shipper_key", "shipper_incorporated"),
    ("consignee", "consignee", "consignee_country", "consignee_key", "consignee_incorporated"),
    ("notify party", "notify_party", "notify_country", "notify_key", "NULL"),
)


def _parties_sql(join: str, where: str, extra: str = "") -> str:
    """The parties of each record, one row per role, with ``join`` and ``where`` applied in
    each branch (``{key}``, ``{country}`` name the role's columns), so that the three scans
    are narrowed before anything is built."""
    branches = []
    for role, name, country, key, incorporated in _ROLES:
        inc = "CAST(NULL AS DATE)" if incorporated == "NULL" else f"s.{incorporated}"
        branches.append(
            f"""SELECT s.row_id, s.shipment_id, s.date, {sql_str(role)} AS role, s.{name} AS name,
                s.{country} AS country, s.{key} AS party_key, {inc} AS incorporated,
                s.hs6{extra}
            FROM ts s {join.format(key=f"s.{key}", country=f"s.{country}")}
            WHERE {where.format(key=f"s.{key}", country=f"s.{country}")}"""
        )
    return "(" + "\n            UNION ALL\n            ".join(branches) + ")"


def _description_sql(lists: Watchlists) -> str:
    keywords = lists.keywords
    alternation = sql_str("|".join(f"(?:{k.pattern})" for k in keywords))
    named = ", ".join(
        f"CASE WHEN regexp_matches(m.text, {sql_str(k.pattern)}) THEN {i} END"
        for i, k in enumerate(keywords)
    )
    fitting = ", ".join(
        "CASE WHEN "
        + " OR ".join(
            [f"starts_with(h.hs6, {sql_str(p)})" for p in k.hs_prefixes]
            + [f"coalesce(regexp_matches(t.text, {sql_str(k.pattern)}), false)"]
        )
        + f" THEN {i} END"
        for i, k in enumerate(keywords)
    )
    return f"""
            WITH m AS (
                -- Each distinct (description, code) pair once: a condition on an aggregate
                -- is not pushed below the grouping, so the regex runs once per pair, not
                -- once per record.
                SELECT description, hs6, lower(description) AS text FROM ts
                WHERE description IS NOT NULL AND hs6 IS NOT NULL
                GROUP BY description, hs6
                HAVING CASE WHEN count(*) > 0
                    THEN regexp_matches(lower(description), {alternation}) END),
            n AS (
                -- the keywords each description names
                SELECT description, hs6,
                    list_filter([{named}], lambda x: x IS NOT NULL) AS named
                FROM m),
            f AS (
                -- A keyword fits a code when the code is under one of its headings, or when
                -- the code's own nomenclature text uses the same words.
                SELECT h.hs6, list_filter([{fitting}], lambda x: x IS NOT NULL) AS fitting
                FROM (SELECT DISTINCT hs6 FROM n) h LEFT JOIN tw_hstext t ON t.hs6 = h.hs6),
            v AS (
                SELECT n.description, n.hs6, unnest(n.named) AS kw_id
                FROM n JOIN f ON f.hs6 = n.hs6
                WHERE NOT list_has_any(n.named, f.fitting)),
            e AS (
                SELECT v.description, v.hs6, list_sort(list(DISTINCT kw.label)) AS named,
                    list_sort(list_distinct(flatten(list(kw.hs_prefixes)))) AS expected
                FROM v JOIN tw_keywords kw ON kw.kw_id = v.kw_id
                GROUP BY v.description, v.hs6)
            SELECT s.row_id, s.shipment_id, s.date,
                CASE WHEN s.hs6 IN (SELECT hs6 FROM tw_chpl)
                      OR len(list_filter(e.expected,
                         lambda p: list_contains({_list(SENSITIVE_PREFIXES)}, p))) > 0
                     THEN 'medium' ELSE 'low' END AS severity,
                'description' AS key, NULL AS entity_id,
                json_object('description', s.description, 'hs6', s.hs6,
                    'description_names', e.named, 'expected_hs', e.expected) AS detail
            FROM ts s JOIN e ON s.description = e.description AND s.hs6 = e.hs6"""


def rules(config: TradeConfig, lists: Watchlists | None = None) -> tuple[Rule, ...]:
    lists = lists or load_watchlists()
    dests = _codes(config.chpl_destinations)
    hubs = _codes(config.hubs)
    recent = int(config.recent_days)
    party_columns = """, c.entity_id, c.caption, c.datasets, c.score, c.explanation,
                c.path"""
    return (
        Rule(
            id="chpl_russia",
            version="1",
            alert_type="chpl_shipment",
            title="CHPL goods to Russia or Belarus, directly or through a hub",
            source="BIS Common High Priority List (with the EU, UK, Japan), 2024-02-23",
            sql=f"""
            WITH h AS (
                SELECT s.row_id, s.shipment_id, s.date, s.hs6, c.tier, c.tier_rank,
                    {route_sql("s")} AS route, {buyers_sql("s")} AS buyers
                FROM ts s JOIN tw_chpl c ON c.hs6 = s.hs6
                WHERE {buyer_in_sql("s", dests)})
            SELECT row_id, shipment_id, date,
                CASE WHEN tier_rank <= 2 THEN 'high' ELSE 'medium' END AS severity,
                'tier-' || tier AS key, NULL AS entity_id,
                json_object('tier', tier, 'hs6', hs6, 'route', route,
                    'hubs', list_filter(route, lambda x: list_contains({_list(hubs)}, x)),
                    'buyer_countries', list_filter(buyers,
                        lambda x: list_contains({_list(dests)}, x)),
                    'path', CASE WHEN len(list_filter(route,
                                 lambda x: list_contains({_list(hubs)}, x))) > 0
                            THEN 'through a hub' ELSE 'direct' END) AS detail
            FROM h""",
        ),
        Rule(
            id="un_dprk_measure",
            version="1",
            alert_type="un_dprk_trade",
            title="Goods under a UN DPRK measure, to or from the DPRK",
            source="UN Security Council resolutions 1718 (2006) to 2397 (2017)",
            sql=f"""
            WITH kp AS (
                SELECT s.row_id, s.shipment_id, s.date, s.hs_digits,
                    {buyer_in_sql("s", ["kp"])} AS to_kp,
                    coalesce(s.origin_country = 'kp' OR s.departure_country = 'kp'
                        OR s.shipper_country = 'kp', false) AS from_kp
                FROM ts s WHERE s.hs_digits IS NOT NULL AND ({buyer_in_sql("s", ["kp"])}
                    OR s.origin_country = 'kp' OR s.departure_country = 'kp'
                    OR s.shipper_country = 'kp')),
            k AS (
                -- each record's code cut at every prefix length the measures use
                SELECT kp.*, l.prefix_len, substr(kp.hs_digits, 1, l.prefix_len) AS hs_key
                FROM kp CROSS JOIN (SELECT DISTINCT prefix_len FROM tw_measures) l)
            SELECT s.row_id, s.shipment_id, s.date,
                CASE WHEN m.kind = 'cap' THEN 'medium' ELSE 'critical' END AS severity,
                m.measure_id AS key, NULL AS entity_id,
                json_object('measure', m.measure_id, 'kind', m.kind, 'title', m.title,
                    'citation', m.citation, 'direction', m.direction,
                    'hs_prefix', m.hs_prefix, 'in_force', m.in_force,
                    'date_known', s.date IS NOT NULL) AS detail
            FROM k s JOIN tw_measures m
                ON m.prefix_len = s.prefix_len AND m.hs_prefix = s.hs_key
            WHERE (s.date IS NULL OR s.date >= m.in_force)
              AND ((m.direction IN ('to_dprk', 'both') AND s.to_kp)
                OR (m.direction IN ('from_dprk', 'both') AND s.from_kp))""",
        ),
        Rule(
            id="listed_party",
            version="1",
            alert_type="trade_listed_party",
            title="A party matches a listed entity",
            source="the sanctions and screening lists loaded in the store",
            sql=f"""
            SELECT p.row_id, p.shipment_id, p.date,
                CASE WHEN p.score >= 1.0 THEN 'high' ELSE 'medium' END AS severity,
                p.role || ':' || p.entity_id AS key, p.entity_id,
                json_object('role', p.role, 'party', p.name, 'country', p.country,
                    'entity_id', p.entity_id, 'caption', p.caption, 'datasets', p.datasets,
                    'score', p.score, 'explanation', p.explanation) AS detail
            FROM {
                _parties_sql(
                    "JOIN tc c ON c.party_key = {key} AND c.kind = 'listed'",
                    "TRUE",
                    party_columns,
                )
            } p""",
        ),
        Rule(
            id="linked_party",
            version="1",
            alert_type="trade_linked_party",
            title="A party is linked to a listed entity",
            source="ownership and link statements in the store (FtM)",
            sql=f"""
            SELECT p.row_id, p.shipment_id, p.date, 'medium' AS severity,
                p.role || ':' || p.entity_id AS key, p.entity_id,
                json_object('role', p.role, 'party', p.name, 'country', p.country,
                    'listed_entity_id', p.entity_id, 'caption', p.caption,
                    'datasets', p.datasets, 'explanation', p.explanation,
                    'path', p.path::JSON) AS detail
            FROM {
                _parties_sql(
                    "JOIN tc c ON c.party_key = {key} AND c.kind = 'linked'",
                    "TRUE",
                    party_columns,
                )
            } p""",
        ),
        Rule(
            id="recent_intermediary",
            version="1",
            alert_type="trade_recent_intermediary",
            title="A recently formed intermediary in a diversion hub",
            source="FinCEN/BIS joint alert FIN-2022-Alert003 (2022-06-28): red flags",
            sql=f"""
            WITH p AS (
                SELECT p.*, coalesce(p.incorporated, tp.incorporated) AS formed
                FROM {
                _parties_sql(
                    "",
                    "{country} IN "
                    + _in(hubs)
                    + " AND s.date IS NOT NULL AND ("
                    + buyer_in_sql("s", [*dests, "kp"])
                    + " OR s.hs6 IN (SELECT hs6 FROM tw_chpl))",
                )
            } p
                LEFT JOIN trade_parties tp ON tp.party_key = p.party_key)
            SELECT p.row_id, p.shipment_id, p.date, 'medium' AS severity, p.role AS key,
                NULL AS entity_id,
                json_object('role', p.role, 'party', p.name, 'country', p.country,
                    'incorporated', p.formed,
                    'days_before_shipment', date_diff('day', p.formed, p.date),
                    'threshold_days', {recent}) AS detail
            FROM p
            WHERE p.formed IS NOT NULL
              AND date_diff('day', p.formed, p.date) BETWEEN 0 AND {recent}""",
        ),
        Rule(
            id="description_mismatch",
            version="1",
            alert_type="trade_description_mismatch",
            title="The goods description does not fit the declared HS code",
            source="HS 2022 heading texts (WCO) and interdiction's description keywords",
            sql=_description_sql(lists),
        ),
        Rule(
            id="unchecked",
            version="1",
            alert_type="trade_record_unchecked",
            title="A record that could not be fully checked",
            source="interdiction load rules (bad input is kept with a reason, never clean)",
            sql="""
            SELECT row_id, shipment_id, date, 'info' AS severity, 'unchecked' AS key,
                NULL AS entity_id,
                json_object('issues', issues, 'hs_status', hs_status,
                    'hs_declared', hs_declared) AS detail
            FROM ts WHERE hs_status <> 'ok' OR date IS NULL
                OR len(list_filter(issues, lambda i: i NOT IN ('no-usd-rate', 'no-currency')))
                   > 0""",
        ),
    )
