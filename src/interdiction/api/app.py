"""yente-compatible HTTP API over the store: ``POST /match/{dataset}``, search, entities.

Clients written for yente 5.x work unchanged: the same request body (``{"queries": {key:
FtM example}}``), the same query parameters (``algorithm``, ``threshold``, ``cutoff``,
``limit``, ``topics``, ``include_dataset``, ``exclude_dataset``, ``exclude_schema``,
``changed_since``, ``exclude_entity_ids``) and the same response (``responses`` with
``results`` carrying ``score``, ``match``, ``features``, ``explanations``; ``matcher``;
``limit``). Datasets are named as OpenSanctions names them (``default``, ``us_ofac_sdn``,
``un_sc_sanctions``). We add ``lists`` (the versions screened against), ``decision`` and
``delisted`` to results.

The server opens the store read-only, only while it refreshes its cache (index and
decisions), and checks ``store_version`` at most every ``refresh_s`` seconds; when a writer
holds the store, it keeps serving what it has and says so in ``/readyz``.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Request
from fastapi import Path as PathParam
from fastapi import Query as Param
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from interdiction import __version__, screening
from interdiction.config import Config
from interdiction.screening import Filters, QueryError, ScreeningIndex
from interdiction.screening.decisions import Decision
from interdiction.store import Store, StoreError

log = logging.getLogger("interdiction.api")

ALGORITHMS = {screening.MATCHER, "best", "default"}
# yente's algorithm names: accepted so that yente clients work, answered by our matcher
# (the response's ``matcher`` says which one scored).
YENTE_ALGORITHMS = {"logic-v1", "logic-v2", "regression-v1", "name-based", "name-qualified"}
COLLECTIONS = {"default", "sanctions", "all"}


class EntityExample(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str | None = Field(None, examples=["my-entity-id"])
    schema_: str = Field(..., alias="schema", examples=["Person"])
    properties: dict[str, str | list[Any]] = Field(
        ..., examples=[{"name": ["Kim Jong Un"], "birthDate": ["1984-01-08"]}]
    )


class EntityMatchQuery(BaseModel):
    weights: dict[str, float] = Field({}, examples=[{}])
    queries: dict[str, EntityExample]


class State:
    """The cached index and decisions of one store, refreshed when the store changes."""

    def __init__(self, store_path: Path, config: Config, refresh_s: float = 5.0) -> None:
        self.store_path = store_path
        self.config = config
        self.refresh_s = refresh_s
        self.index: ScreeningIndex | None = None
        self.decisions: dict[tuple[str, str], Decision] = {}
        self.store_version = -1
        self.checked = 0.0
        self.problem: str | None = None
        self.lock = threading.Lock()

    def current(self) -> tuple[ScreeningIndex, dict[tuple[str, str], Decision]]:
        if self.index is None or time.monotonic() - self.checked > self.refresh_s:
            with self.lock:
                if self.index is None or time.monotonic() - self.checked > self.refresh_s:
                    self.refresh()
        if self.index is None:
            raise HTTPException(503, f"the store cannot be read: {self.problem}")
        return self.index, self.decisions

    def refresh(self) -> None:
        self.checked = time.monotonic()
        try:
            with Store.open(self.store_path, read_only=True, timeout=2.0) as store:
                version = store.version()
                if self.index is None or version != self.store_version:
                    self.index = screening.ensure_index(store)
                    self.decisions = screening.load_decisions(store)
                    self.store_version = version
            self.problem = None
        except StoreError as exc:
            self.problem = str(exc)
            log.warning("store not refreshed, serving the cached index: %s", exc)


def _filters(
    index: ScreeningIndex,
    dataset: str,
    topics: list[str],
    include_dataset: list[str],
    exclude_dataset: list[str],
    exclude_schema: list[str],
    changed_since: str | None,
    exclude_entity_ids: list[str],
    include_delisted: bool,
) -> Filters:
    known = {v["dataset"] for v in index.lists}
    if dataset not in COLLECTIONS and dataset not in known:
        raise HTTPException(
            404, f"dataset {dataset!r} not loaded; known: {', '.join(sorted(known | COLLECTIONS))}"
        )
    scope: set[str] | None = None if dataset in COLLECTIONS else {dataset}
    if include_dataset:
        scope = set(include_dataset) if scope is None else scope & set(include_dataset)
    since = None
    if changed_since:
        try:
            since = datetime.fromisoformat(changed_since)
        except ValueError as exc:
            raise HTTPException(400, f"changed_since: not an ISO date: {changed_since!r}") from exc
    return Filters(
        datasets=scope,
        exclude_datasets=set(exclude_dataset),
        exclude_schema=set(exclude_schema),
        topics=set(topics),
        changed_since=since,
        exclude_entity_ids=set(exclude_entity_ids),
        include_delisted=include_delisted,
    )


def create_app(store_path: Path, config: Config | None = None, refresh_s: float = 5.0) -> FastAPI:
    config = config or Config()
    state = State(Path(store_path), config, refresh_s)
    sc = config.screening
    app = FastAPI(
        title="interdiction screening API",
        version=__version__,
        description=(
            "Sanctions screening across Korean, Russian and Chinese scripts, compatible with "
            "yente 5.x (/match, /search, /entities). Read-only over the local store; offline."
        ),
    )
    app.state.screening = state

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        return JSONResponse(status_code=422, content={"detail": problems})

    @app.get("/healthz", tags=["System"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["System"])
    def readyz() -> dict[str, Any]:
        index, _ = state.current()
        return {
            "status": "ok" if state.problem is None else "stale",
            "problem": state.problem,
            "store_version": state.store_version,
            "index_built": index.built_at,
            "lists": [screening.list_label(v) for v in index.lists],
        }

    @app.get("/catalog", tags=["System"])
    def catalog() -> dict[str, Any]:
        index, _ = state.current()
        datasets = [
            {
                "name": v["dataset"],
                "title": v.get("title") or v["dataset"],
                "version": v["version"],
                "published": v["published"],
                "load": True,
                "index_version": index.fingerprint,
                "index_current": True,
                "children": [],
            }
            for v in index.lists
        ]
        names = [d["name"] for d in datasets]
        datasets.append(
            {
                "name": "default",
                "title": "All loaded lists",
                "version": index.fingerprint,
                "load": True,
                "index_current": True,
                "children": names,
            }
        )
        return {"datasets": datasets, "current": names, "outdated": [], "index_stale": False}

    @app.get("/algorithms", tags=["Matching"])
    def algorithms() -> dict[str, Any]:
        docs = screening.matcher_docs(sc)
        return {
            "algorithms": [
                {
                    "name": docs["name"],
                    "description": docs["description"],
                    "features": docs["features"],
                }
            ],
            "default": screening.MATCHER,
            "best": screening.MATCHER,
        }

    @app.post("/match/{dataset}", tags=["Matching"])
    def match(
        body: EntityMatchQuery,
        dataset: Annotated[str, PathParam(description="default, us_ofac_sdn, un_sc_sanctions ...")],
        algorithm: Annotated[str, Param(description="Scoring algorithm")] = "best",
        threshold: Annotated[float | None, Param(ge=0.0, le=1.0)] = None,
        cutoff: Annotated[float | None, Param(ge=0.0, le=1.0)] = None,
        limit: Annotated[int | None, Param(ge=1, le=500)] = None,
        topics: Annotated[list[str], Param()] = [],  # noqa: B006 (FastAPI copies defaults)
        include_dataset: Annotated[list[str], Param()] = [],  # noqa: B006
        exclude_dataset: Annotated[list[str], Param()] = [],  # noqa: B006
        exclude_schema: Annotated[list[str], Param()] = [],  # noqa: B006
        changed_since: Annotated[str | None, Param()] = None,
        exclude_entity_ids: Annotated[list[str], Param()] = [],  # noqa: B006
        include_delisted: Annotated[
            bool, Param(description="Also match delisted entities")
        ] = False,
        client_id: Annotated[str, Param(description="Whose decisions apply")] = "",
    ) -> dict[str, Any]:
        """Match a batch of FtM example entities against the lists (yente's /match)."""
        if algorithm not in ALGORITHMS | YENTE_ALGORITHMS:
            raise HTTPException(400, f"algorithm {algorithm!r} unknown; use {screening.MATCHER}")
        if len(body.queries) > sc.max_batch:
            raise HTTPException(
                400, f"too many queries in one batch: {len(body.queries)} (at most {sc.max_batch})"
            )
        index, decisions = state.current()
        filters = _filters(
            index,
            dataset,
            topics,
            include_dataset,
            exclude_dataset,
            exclude_schema,
            changed_since,
            exclude_entity_ids,
            include_delisted,
        )
        limit_ = limit or sc.limit
        responses: dict[str, Any] = {}
        lists = [screening.list_label(v) for v in index.lists]
        for key, example in body.queries.items():
            raw = {"id": example.id, "schema": example.schema_, "properties": example.properties}
            try:
                result = screening.screen(
                    index,
                    raw,
                    sc,
                    threshold=threshold,
                    cutoff=cutoff,
                    limit=limit_,
                    filters=filters,
                    decisions=decisions,
                    client_id=client_id,
                )
            except (QueryError, screening.NameError_) as exc:
                responses[key] = {
                    "status": 400,
                    "detail": str(exc),
                    "results": [],
                    "total": {"value": 0, "relation": "eq"},
                    "query": raw,
                }
                continue
            results = [screening.result_to_dict(r) for r in result.results]
            responses[key] = {
                "status": 200,
                "results": results,
                "total": {"value": len(results), "relation": "eq"},
                "query": raw,
                "lists": lists,
                "notes": result.notes,
            }
        return {
            "responses": responses,
            "matcher": screening.matcher_docs(sc),
            "limit": limit_,
            "lists": lists,
        }

    @app.get("/search/{dataset}", tags=["Matching"])
    def search(
        dataset: str,
        q: Annotated[str, Param(min_length=1, max_length=1000, description="A name")],
        schema: Annotated[str, Param()] = "Thing",
        limit: Annotated[int, Param(ge=1, le=500)] = 10,
        offset: Annotated[int, Param(ge=0, le=10000)] = 0,
        topics: Annotated[list[str], Param()] = [],  # noqa: B006
        include_delisted: Annotated[bool, Param()] = False,
    ) -> dict[str, Any]:
        """Names like ``q``, ranked by score (no threshold): yente's /search response shape."""
        index, decisions = state.current()
        filters = _filters(index, dataset, topics, [], [], [], None, [], include_delisted)
        search_schema = "LegalEntity" if schema == "Thing" else schema
        try:
            result = screening.screen(
                index,
                {"schema": search_schema, "properties": {"name": [q]}},
                sc,
                cutoff=0.3,
                limit=limit + offset,
                filters=filters,
                decisions=decisions,
            )
        except (QueryError, screening.NameError_) as exc:
            raise HTTPException(400, str(exc)) from exc
        rows = [screening.result_to_dict(r) for r in result.results[offset:]]
        return {
            "limit": limit,
            "offset": offset,
            "total": {"value": len(result.results), "relation": "eq"},
            "results": rows,
            "facets": {},
            "lists": [screening.list_label(v) for v in index.lists],
        }

    @app.get("/entities/{entity_id}", tags=["Data access"])
    def entity(entity_id: str) -> dict[str, Any]:
        """A listed entity as the index holds it (its current properties)."""
        index, _ = state.current()
        found = index.entity(entity_id)
        if found is None:
            raise HTTPException(404, f"{entity_id}: no listed entity with this id")
        return {
            "id": found.id,
            "caption": found.caption,
            "schema": found.schema,
            "properties": found.properties,
            "datasets": list(found.datasets),
            "referents": [r for r in found.referents if r != found.id],
            "target": found.target,
            "first_seen": found.first_seen,
            "last_seen": found.last_seen,
            "last_change": found.last_change,
            "delisted": found.delisted,
            "simulated": found.simulated,
        }

    return app
