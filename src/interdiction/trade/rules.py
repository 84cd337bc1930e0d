"""The flag rules over shipment records: one declarative list, each rule one SQL query.

Every rule names its alert type, its version and the published source it rests on; its SQL
selects ``(shipment_id, severity, key, entity_id, detail)`` from the prepared view ``ts``
(shipments in scope, with their route and buyer countries) joined to the watchlist tables
(``tw_chpl``, ``tw_measures``, ``tw_keywords``) and the party screening cache (``tc``). The
SQL is plain ANSI-style SQL with DuckDB list functions, generated from the configuration,
so the same definitions can be ported to another engine (Spark SQL has the same list
functions under other names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from interdiction.config import TradeConfig

_CODE = re.compile(r"^[a-z]{2}$")


@dataclass(frozen=True)
class Rule:
    id: str
    version: str
    alert_type: str
    title: str
    source: str
    sql: str


def _codes(values: tuple[str, ...] | list[str]) -> str:
    codes = [v.lower() for v in values]
    for code in codes:
        if not _CODE.match(code):
            raise ValueError(f"trade: {code!r} is not an ISO 3166 alpha-2 country code")
    return "[" + ", ".join(f"'{c}'" for c in codes) + "]"


def prepare_view_sql(scope_sql: str) -> str:
    """The shipments in scope, with route and buyer countries as lists."""
    return f"""CREATE OR REPLACE TEMP VIEW ts AS
    SELECT s.*,
        list_distinct(list_filter(
            [s.origin_country, s.departure_country] || coalesce(s.transit_countries, [])
                || [s.destination_country],
            lambda x: x IS NOT NULL)) AS route,
        list_filter([s.destination_country, s.end_user_country, s.consignee_country],
            lambda x: x IS NOT NULL) AS buyers
    FROM trade_shipments s WHERE {scope_sql}"""


def rules(config: TradeConfig) -> tuple[Rule, ...]:
    dests = _codes(config.chpl_destinations)
    hubs = _codes(config.hubs)
    recent = int(config.recent_days)
    parties = """(SELECT shipment_id, date, 'shipper' AS role, shipper AS name,
                         shipper_country AS country, shipper_key AS party_key,
                         shipper_incorporated AS incorporated, buyers, hs6, route FROM ts
                  UNION ALL
                  SELECT shipment_id, date, 'consignee', consignee, consignee_country,
                         consignee_key, consignee_incorporated, buyers, hs6, route FROM ts
                  UNION ALL
                  SELECT shipment_id, date, 'notify party', notify_party, notify_country,
                         notify_key, NULL, buyers, hs6, route FROM ts)"""
    return (
        Rule(
            id="chpl_russia",
            version="1",
            alert_type="chpl_shipment",
            title="CHPL goods to Russia or Belarus, directly or through a hub",
            source="BIS Common High Priority List (with the EU, UK, Japan), 2024-02-23",
            sql=f"""
            SELECT s.shipment_id,
                CASE WHEN c.tier_rank <= 2 THEN 'high' ELSE 'medium' END AS severity,
                'tier-' || c.tier AS key, NULL AS entity_id,
                json_object('tier', c.tier, 'hs6', s.hs6, 'route', s.route,
                    'hubs', list_filter(s.route, lambda x: list_contains({hubs}, x)),
                    'buyer_countries', list_filter(s.buyers, lambda x: list_contains({dests}, x)),
                    'path', CASE WHEN len(list_filter(s.route,
                                 lambda x: list_contains({hubs}, x))) > 0
                            THEN 'through a hub' ELSE 'direct' END) AS detail
            FROM ts s JOIN tw_chpl c ON c.hs6 = s.hs6
            WHERE list_has_any(s.buyers, {dests})""",
        ),
        Rule(
            id="un_dprk_measure",
            version="1",
            alert_type="un_dprk_trade",
            title="Goods under a UN DPRK measure, to or from the DPRK",
            source="UN Security Council resolutions 1718 (2006) to 2397 (2017)",
            sql="""
            WITH kp AS (
                SELECT *,
                    list_contains(buyers, 'kp') AS to_kp,
                    (origin_country = 'kp' OR departure_country = 'kp'
                     OR shipper_country = 'kp') AS from_kp
                FROM ts WHERE hs_digits IS NOT NULL AND (list_contains(buyers, 'kp')
                    OR origin_country = 'kp' OR departure_country = 'kp'
                    OR shipper_country = 'kp'))
            SELECT s.shipment_id,
                CASE WHEN m.kind = 'cap' THEN 'medium' ELSE 'critical' END AS severity,
                m.measure_id AS key, NULL AS entity_id,
                json_object('measure', m.measure_id, 'kind', m.kind, 'title', m.title,
                    'citation', m.citation, 'direction', m.direction,
                    'hs_prefix', m.hs_prefix, 'in_force', m.in_force,
                    'date_known', s.date IS NOT NULL) AS detail
            FROM kp s JOIN tw_measures m ON starts_with(s.hs_digits, m.hs_prefix)
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
            SELECT p.shipment_id,
                CASE WHEN c.score >= 1.0 THEN 'high' ELSE 'medium' END AS severity,
                p.role || ':' || c.entity_id AS key, c.entity_id,
                json_object('role', p.role, 'party', p.name, 'country', p.country,
                    'entity_id', c.entity_id, 'caption', c.caption, 'datasets', c.datasets,
                    'score', c.score, 'explanation', c.explanation) AS detail
            FROM {parties} p JOIN tc c ON c.party_key = p.party_key AND c.kind = 'listed'""",
        ),
        Rule(
            id="linked_party",
            version="1",
            alert_type="trade_linked_party",
            title="A party is linked to a listed entity",
            source="ownership and link statements in the store (FtM)",
            sql=f"""
            SELECT p.shipment_id, 'medium' AS severity,
                p.role || ':' || c.entity_id AS key, c.entity_id,
                json_object('role', p.role, 'party', p.name, 'country', p.country,
                    'listed_entity_id', c.entity_id, 'caption', c.caption,
                    'datasets', c.datasets, 'explanation', c.explanation,
                    'path', c.path::JSON) AS detail
            FROM {parties} p JOIN tc c ON c.party_key = p.party_key AND c.kind = 'linked'""",
        ),
        Rule(
            id="recent_intermediary",
            version="1",
            alert_type="trade_recent_intermediary",
            title="A recently formed intermediary in a diversion hub",
            source="FinCEN/BIS joint alert FIN-2022-Alert003 (2022-06-28): red flags",
            sql=f"""
            SELECT p.shipment_id, 'medium' AS severity, p.role AS key, NULL AS entity_id,
                json_object('role', p.role, 'party', p.name, 'country', p.country,
                    'incorporated', coalesce(p.incorporated, tp.incorporated),
                    'days_before_shipment',
                    date_diff('day', coalesce(p.incorporated, tp.incorporated), p.date),
                    'threshold_days', {recent}) AS detail
            FROM {parties} p LEFT JOIN trade_parties tp ON tp.party_key = p.party_key
            WHERE p.country IN (SELECT unnest({hubs})) AND p.date IS NOT NULL
              AND coalesce(p.incorporated, tp.incorporated) IS NOT NULL
              AND date_diff('day', coalesce(p.incorporated, tp.incorporated), p.date)
                  BETWEEN 0 AND {recent}
              AND (list_has_any(p.buyers, {dests} || ['kp'])
                   OR p.hs6 IN (SELECT hs6 FROM tw_chpl))""",
        ),
        Rule(
            id="description_mismatch",
            version="1",
            alert_type="trade_description_mismatch",
            title="The goods description does not fit the declared HS code",
            source="HS 2022 heading texts (WCO) and interdiction's description keywords",
            sql="""
            WITH d AS (
                SELECT DISTINCT lower(description) AS text, hs6 FROM ts
                WHERE description IS NOT NULL AND hs6 IS NOT NULL),
            k AS (
                -- A keyword fits when the declared code is under one of its headings, or
                -- when the declared code's own nomenclature text uses the same words.
                SELECT d.text, d.hs6, kw.label, kw.hs_prefixes,
                    len(list_filter(kw.hs_prefixes,
                        lambda p: starts_with(d.hs6, p))) > 0
                    OR coalesce(regexp_matches(t.text, kw.pattern), false) AS fits
                FROM d JOIN tw_keywords kw ON regexp_matches(d.text, kw.pattern)
                LEFT JOIN tw_hstext t ON t.hs6 = d.hs6),
            v AS (
                SELECT text, hs6, list(DISTINCT label) AS named,
                    flatten(list(hs_prefixes)) AS expected
                FROM k GROUP BY text, hs6 HAVING NOT bool_or(fits))
            SELECT s.shipment_id,
                CASE WHEN s.hs6 IN (SELECT hs6 FROM tw_chpl)
                      OR len(list_filter(v.expected, lambda p: list_contains(
                         ['8542', '8541', '8532', '8482', '8457', '8458', '8459', '9030',
                          '8526', '8806', '2710', '2709', '93', '2701'], p))) > 0
                     THEN 'medium' ELSE 'low' END AS severity,
                'description' AS key, NULL AS entity_id,
                json_object('description', s.description, 'hs6', s.hs6,
                    'description_names', v.named,
                    'expected_hs', list_distinct(v.expected)) AS detail
            FROM ts s JOIN v ON lower(s.description) = v.text AND s.hs6 = v.hs6""",
        ),
        Rule(
            id="unchecked",
            version="1",
            alert_type="trade_record_unchecked",
            title="A record that could not be fully checked",
            source="interdiction load rules (bad input is kept with a reason, never clean)",
            sql="""
            SELECT shipment_id, 'info' AS severity, 'unchecked' AS key, NULL AS entity_id,
                json_object('issues', issues, 'hs_status', hs_status,
                    'hs_declared', hs_declared) AS detail
            FROM ts WHERE hs_status <> 'ok' OR date IS NULL
                OR len(list_filter(issues, lambda i: i NOT IN ('no-usd-rate', 'no-currency')))
                   > 0""",
        ),
    )
