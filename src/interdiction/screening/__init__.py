"""Screening: is this person, company or ship on a list? Multilingual, explained.

Public API (what the CLI, the HTTP API and other capabilities call)::

    from interdiction import screening
    index = screening.ensure_index(store)              # load the saved index, or rebuild it
    result = screening.screen(index, {"schema": "Person", "properties": {"name": ["김정은"]}})
    for hit in result.results:
        hit.score, hit.match, hit.entity.id, hit.explanation
    results = screening.screen_many(index, queries)    # batch; a bad query is a QueryError item
    screening.to_yente(result)                         # the yente /match response shape

A query is an FtM example entity (``{"schema", "properties"}``), a ``Query``, or a plain name.
Every ``Screening`` names the list versions it was screened against (``.lists``).
"""

# ruff: noqa: E402 (the imports below must follow activate)
from __future__ import annotations

# The compiled matcher, when built and current, goes first on the package's path: before
# any module below imports a compiled one (see native.py).
from interdiction.screening import native

native.activate(__path__)

import json
from collections.abc import Iterable, Sequence
from typing import Any

from interdiction.config import ScreeningConfig
from interdiction.screening.decisions import (
    CONFIRMED,
    DECISIONS,
    FALSE_POSITIVE,
    Decision,
    DecisionError,
    apply_decisions,
    export_decisions,
    load_decisions,
    record_decision,
)
from interdiction.screening.index import (
    ScreeningIndex,
    StaleIndex,
    build_index,
    collector_paused,
    ensure_index,
    index_path,
    load_index,
    no_gc,
    save_index,
)
from interdiction.screening.matching import (
    Filters,
    Query,
    QueryError,
    Result,
    Screening,
    compare_pair,
    matcher_docs,
    screen_query,
)
from interdiction.screening.names import NameError_
from interdiction.screening.scoring import MATCHER, MATCHER_VERSION, round_score

QueryLike = Query | dict[str, Any] | str


def as_query(
    query: QueryLike, schema: str = "LegalEntity", config: ScreeningConfig | None = None
) -> Query:
    """A Query from an FtM example, a Query, or a plain name."""
    config = config or ScreeningConfig()
    if isinstance(query, Query):
        return query
    if isinstance(query, str):
        query = {"schema": schema, "properties": {"name": [query]}}
    if not isinstance(query, dict):
        raise QueryError("a query is an FtM example entity: {'schema': ..., 'properties': ...}")
    return Query.from_example(query, max_name_chars=config.max_name_chars)


def screen(
    index: ScreeningIndex,
    query: QueryLike,
    config: ScreeningConfig | None = None,
    *,
    threshold: float | None = None,
    cutoff: float | None = None,
    limit: int | None = None,
    filters: Filters | None = None,
    decisions: dict[tuple[str, str], Decision] | None = None,
    client_id: str = "",
) -> Screening:
    """Screen one query: ranked results with score, match flag and explanations."""
    config = config or ScreeningConfig()
    result = screen_query(
        index,
        as_query(query, config=config),
        config,
        threshold=threshold,
        cutoff=cutoff,
        limit=limit,
        filters=filters,
    )
    if decisions:
        apply_decisions(result, decisions, client_id)
    return result


def screen_many(
    index: ScreeningIndex,
    queries: Iterable[QueryLike],
    config: ScreeningConfig | None = None,
    **options: Any,
) -> list[Screening | QueryError]:
    """Screen a batch; a query that cannot be screened yields its ``QueryError`` in place.

    A query repeated in the batch (a shipment party on every line of its customs records)
    is screened once: its repeats share that one result object."""
    out: list[Screening | QueryError] = []
    seen: dict[str, Screening | QueryError] = {}
    # Results hold no reference cycles: the cyclic collector would only walk them, again
    # and again, as the batch grows (reference counting still frees what is dropped).
    with no_gc():
        for query in queries:
            key = _batch_key(query)
            if key is not None and key in seen:
                out.append(seen[key])
                continue
            try:
                result: Screening | QueryError = screen(index, query, config, **options)
            except (QueryError, NameError_) as exc:
                result = QueryError(str(exc))
            out.append(result)
            if key is not None:
                seen[key] = result
    return out


def _batch_key(query: QueryLike) -> str | None:
    """A repeated query's key within one batch: its text, or its example canonically."""
    if isinstance(query, str):
        return "\x00" + query
    if isinstance(query, dict):
        try:
            return json.dumps(query, sort_keys=True, ensure_ascii=False)
        except (TypeError, ValueError):
            return None
    return None


def result_to_dict(result: Result, lists: Sequence[dict[str, Any]] | None = None) -> dict[str, Any]:
    """One result in yente's ScoredEntityResponse shape, plus our decision and status."""
    entity = result.entity
    out: dict[str, Any] = {
        "id": entity.id,
        "caption": entity.caption,
        "schema": entity.schema,
        "properties": entity.properties,
        "datasets": list(entity.datasets),
        "referents": [r for r in entity.referents if r != entity.id],
        "target": entity.target,
        "first_seen": entity.first_seen.isoformat() if entity.first_seen else None,
        "last_seen": entity.last_seen.isoformat() if entity.last_seen else None,
        "last_change": entity.last_change.isoformat() if entity.last_change else None,
        "score": round_score(result.score),
        "match": result.match,
        "features": {k: round(f.score, 4) for k, f in result.features.items()},
        "explanations": {k: f.to_dict() for k, f in result.features.items()},
        "delisted": entity.delisted.isoformat() if entity.delisted else None,
        "simulated": entity.simulated,
        "decision": result.decision,
    }
    return out


def to_dict(screening: Screening) -> dict[str, Any]:
    """A screening as JSON: the query, the results, and the lists it was screened against."""
    return {
        "query": {"schema": screening.query.schema, "properties": screening.query.properties},
        "results": [result_to_dict(r) for r in screening.results],
        "total": {"value": len(screening.results), "relation": "eq"},
        "candidates_scored": screening.candidates,
        "threshold": screening.threshold,
        "matcher": {"name": MATCHER, "version": MATCHER_VERSION},
        "lists": [list_label(v) for v in screening.lists],
        "notes": screening.notes,
    }


def list_label(version: dict[str, Any]) -> dict[str, Any]:
    return {
        "dataset": version["dataset"],
        "version": version["version"],
        "published": version["published"],
        "simulated": version.get("simulated", False),
    }


__all__ = [
    "CONFIRMED",
    "DECISIONS",
    "FALSE_POSITIVE",
    "MATCHER",
    "MATCHER_VERSION",
    "Decision",
    "DecisionError",
    "Filters",
    "NameError_",
    "Query",
    "QueryError",
    "Result",
    "Screening",
    "ScreeningIndex",
    "StaleIndex",
    "apply_decisions",
    "as_query",
    "build_index",
    "collector_paused",
    "compare_pair",
    "ensure_index",
    "export_decisions",
    "index_path",
    "list_label",
    "load_decisions",
    "load_index",
    "matcher_docs",
    "record_decision",
    "result_to_dict",
    "save_index",
    "screen",
    "screen_many",
    "to_dict",
]
