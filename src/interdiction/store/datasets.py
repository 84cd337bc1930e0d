"""Which list versions the store holds, which are in use, and how old they are."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from interdiction.store.db import Store, dict_rows


@dataclass(frozen=True)
class DatasetVersion:
    name: str
    version: str
    title: str | None
    published: datetime
    published_from: str
    complete: bool
    simulated: bool
    mode: str
    loaded_at: datetime
    reader: str
    files: list[dict[str, Any]]
    counts: dict[str, Any]
    origin: str | None

    def age_days(self, now: datetime | None = None) -> float:
        now = now or datetime.now(UTC).replace(tzinfo=None)
        return (now - self.published) / timedelta(days=1)

    def label(self) -> str:
        flags = [] if self.complete else ["partial"]
        if self.simulated:
            flags.append("SIMULATED")
        extra = f" [{', '.join(flags)}]" if flags else ""
        return f"{self.name} {self.published:%Y-%m-%d} (version {self.version}){extra}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.name,
            "version": self.version,
            "title": self.title,
            "published": self.published.isoformat(),
            "published_from": self.published_from,
            "complete": self.complete,
            "simulated": self.simulated,
            "mode": self.mode,
            "loaded_at": self.loaded_at.isoformat(),
            "reader": self.reader,
            "files": self.files,
            "counts": self.counts,
            "origin": self.origin,
        }


def dataset_versions(store: Store, name: str | None = None) -> list[DatasetVersion]:
    if not store.has_table("datasets"):
        return []
    rows = store.con.execute(
        """SELECT name, version, title, published, published_from, complete, simulated, mode,
                  loaded_at, reader, files, counts, origin
        FROM datasets WHERE ? IS NULL OR name = ? ORDER BY name, published, loaded_at""",
        [name, name],
    ).fetchall()
    return [
        DatasetVersion(
            name=r[0],
            version=r[1],
            title=r[2],
            published=r[3],
            published_from=r[4],
            complete=r[5],
            simulated=r[6],
            mode=r[7],
            loaded_at=r[8],
            reader=r[9],
            files=json.loads(r[10]),
            counts=json.loads(r[11]),
            origin=r[12],
        )
        for r in rows
    ]


def lists_in_use(store: Store) -> list[DatasetVersion]:
    """The newest version of each dataset: what every analysis reads."""
    latest: dict[str, DatasetVersion] = {}
    for version in dataset_versions(store):
        if version.mode == "backfill":
            continue
        current = latest.get(version.name)
        if current is None or (version.published, version.loaded_at) >= (
            current.published,
            current.loaded_at,
        ):
            latest[version.name] = version
    return sorted(latest.values(), key=lambda v: v.name)


def stale(
    versions: list[DatasetVersion], max_age_days: int, now: datetime | None = None
) -> list[str]:
    """Warnings for lists older than the configured age (simulated data never goes stale)."""
    out = []
    for version in versions:
        if version.simulated:
            continue
        age = version.age_days(now)
        if age > max_age_days:
            out.append(
                f"{version.name} was published {version.published:%Y-%m-%d}, {age:.0f} days ago "
                f"(limit {max_age_days}): designations made since then are missing; "
                "run `interdiction lists update`"
            )
    return out


def load_issues(
    store: Store, dataset: str | None = None, version: str | None = None, limit: int = 1000
) -> list[dict[str, Any]]:
    return dict_rows(
        store.con,
        """SELECT dataset, version, file, line, record, level, code, message, raw
        FROM load_issues
        WHERE (? IS NULL OR dataset = ?) AND (? IS NULL OR version = ?)
        ORDER BY dataset, version, level, file, line LIMIT ?""",
        [dataset, dataset, version, version, limit],
    )


def changes(store: Store, dataset: str, version: str | None = None) -> list[dict[str, Any]]:
    if version is None:
        in_use = {v.name: v for v in lists_in_use(store)}
        if dataset not in in_use:
            return []
        version = in_use[dataset].version
    rows = store.con.execute(
        """SELECT c.change, c.entity_id, c.schema, c.caption FROM changes c
        JOIN entities e ON e.entity_id = c.entity_id AND e.dataset = c.dataset
        WHERE c.dataset = ? AND c.version = ? AND e.target ORDER BY c.change, c.caption""",
        [dataset, version],
    ).fetchall()
    return [{"change": r[0], "entity_id": r[1], "schema": r[2], "caption": r[3]} for r in rows]
