"""The screening capability's matcher behind trade's ``PartyScreener`` interface.

Shipment parties are screened with the same multilingual, explained matcher analysts use
(``interdiction screen``): romanisations, Hangul, Han and Cyrillic, legal forms, identifiers.
Every match above the screening threshold becomes a ``PartyMatch`` with the matcher's own
explanation. The exact-name screener stays as the fallback for stores without listed
entities to index.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from interdiction.config import ScreeningConfig
from interdiction.screening import ensure_index, screen_many
from interdiction.screening.index import ScreeningIndex
from interdiction.screening.matching import QueryError
from interdiction.store.db import Store
from interdiction.trade.parties import Party, PartyMatch


class MatcherScreener:
    """Parties screened with ``interdiction.screening`` (the index is built once per run)."""

    def __init__(self, config: ScreeningConfig | None = None, limit: int = 3) -> None:
        self.config = config or ScreeningConfig()
        self.limit = limit
        self.index: ScreeningIndex | None = None
        from interdiction.screening.scoring import MATCHER_VERSION

        self.name = f"screening-{MATCHER_VERSION}"

    def prepare(self, store: Store) -> None:
        self.index = ensure_index(store)

    def screen(self, parties: Sequence[Party]) -> Iterable[PartyMatch]:
        if self.index is None:
            raise RuntimeError("MatcherScreener.prepare(store) first")
        queries = []
        for party in parties:
            properties: dict[str, list[str]] = {"name": [party.name]}
            if party.country:
                properties["country"] = [party.country]
            if party.identifier:
                properties["registrationNumber"] = [party.identifier]
            queries.append({"schema": "LegalEntity", "properties": properties})
        for party, screening in zip(
            parties, screen_many(self.index, queries, self.config, limit=self.limit), strict=True
        ):
            if isinstance(screening, QueryError):
                continue
            for result in screening.results:
                if not result.match:
                    continue
                entity = result.entity
                yield PartyMatch(
                    party.key,
                    entity.id,
                    entity.caption,
                    tuple(sorted(entity.datasets)),
                    bool(entity.target and entity.delisted is None),
                    round(float(result.score), 4),
                    result.explanation,
                )
