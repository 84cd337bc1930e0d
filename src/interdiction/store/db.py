"""The store: one embedded DuckDB file, opened for writing by one process at a time.

DuckDB lets one process open a file read-write, or several processes open it read-only, never
both at once. Writers therefore wait (``store.lock_timeout_s``) for the file, write in one
transaction and close; long-running readers (the HTTP server) open read-only for as long as
they read, cache what they need, and reopen when ``store_version`` has changed. Every
committed write increments ``store_version`` in the same transaction as the data.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from interdiction.store.schema import ALERTS, CORE, TableSchema


def one(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> tuple[Any, ...] | None:
    """The first row of a query, with the result fully consumed.

    DuckDB 2 refuses some operations (``register``) while a result is only partly fetched,
    so single-row reads go through here rather than ``fetchone()``.
    """
    rows = (
        con.execute(sql, params).fetchall() if params is not None else con.execute(sql).fetchall()
    )
    return rows[0] if rows else None


class StoreError(RuntimeError):
    """The store cannot be opened or used: missing, locked, or written by a newer version."""


def dict_rows(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: object = None,
    json_columns: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """Rows as dicts keyed by the query's own column names (one list of names: the SELECT),
    with JSON columns decoded ({} when empty)."""
    result = con.execute(sql, params) if params is not None else con.execute(sql)
    names = [d[0] for d in result.description]
    out = [dict(zip(names, row, strict=True)) for row in result.fetchall()]
    for item in out:
        for column in json_columns:
            item[column] = json.loads(item[column]) if item[column] else {}
    return out


def default_store_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "interdiction" / "interdiction.duckdb"


def resolve_store_path(path: Path | str | None) -> Path:
    """``--db``, else ``INTERDICTION_DB``, else the per-user default."""
    if path:
        return Path(path)
    if os.environ.get("INTERDICTION_DB"):
        return Path(os.environ["INTERDICTION_DB"])
    return default_store_path()


class Store:
    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, read_only: bool) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only
        self._in_transaction = False

    @classmethod
    def open(
        cls,
        path: Path | str | None = None,
        *,
        read_only: bool = False,
        timeout: float = 30.0,
        threads: int | None = None,
    ) -> Store:
        resolved = resolve_store_path(path)
        if read_only and not resolved.exists():
            raise StoreError(
                f"{resolved}: no store here yet; load lists first (interdiction lists load)"
            )
        if not read_only:
            resolved.parent.mkdir(parents=True, exist_ok=True)
        config: dict[str, Any] = {}
        if threads:
            config["threads"] = threads
        deadline = time.monotonic() + timeout
        delay = 0.05
        while True:
            try:
                con = duckdb.connect(str(resolved), read_only=read_only, config=config)
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise StoreError(f"{resolved}: cannot open the store: {exc}") from exc
                if time.monotonic() >= deadline:
                    raise StoreError(
                        f"{resolved}: another process is using the store and did not release "
                        f"it within {timeout:g} s ({exc})"
                    ) from exc
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
            except duckdb.Error as exc:
                raise StoreError(f"{resolved}: not a readable interdiction store: {exc}") from exc
        # DuckDB's own progress bar writes to stdout and would mix with our data output.
        con.execute("SET enable_progress_bar = false")
        store = cls(con, resolved, read_only)
        if read_only:
            store._check_readable()
        else:
            store.ensure(CORE)
            store.ensure(ALERTS)
        return store

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- versions -------------------------------------------------------------------------

    def version(self) -> int:
        """The store version: incremented by every committed write."""
        if not self.has_table("meta"):
            return 0
        row = one(self.con, "SELECT value FROM meta WHERE key = 'store_version'")
        return int(row[0]) if row else 0

    def has_table(self, name: str) -> bool:
        row = one(
            self.con, "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        )
        return bool(row and row[0])

    def _component_version(self, component: str) -> int:
        if not self.has_table("meta"):
            return 0
        row = one(self.con, "SELECT value FROM meta WHERE key = ?", [f"schema.{component}"])
        return int(row[0]) if row else 0

    def _check_readable(self) -> None:
        for schema in (CORE, ALERTS):
            found = self._component_version(schema.component)
            if found > schema.version:
                raise StoreError(
                    f"{self.path}: written by a newer interdiction ({schema.component} schema "
                    f"v{found}, this program knows v{schema.version}); upgrade interdiction"
                )

    def ensure(self, schema: TableSchema) -> None:
        """Bring one component's tables up to date (write mode only)."""
        found = self._component_version(schema.component)
        if found == schema.version:
            return
        if found > schema.version:
            raise StoreError(
                f"{self.path}: written by a newer interdiction ({schema.component} schema "
                f"v{found}, this program knows v{schema.version}); upgrade interdiction"
            )
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only, cannot create {schema.component}")
        with self.transaction(bump=False):
            for version, statements in schema.steps:
                if version <= found:
                    continue
                for sql in statements:
                    self.con.execute(sql)
            self.con.execute(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                [f"schema.{schema.component}", str(schema.version)],
            )

    @contextlib.contextmanager
    def transaction(self, bump: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: commit on success (bumping store_version), roll back otherwise."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        if self._in_transaction:
            yield self.con
            return
        self.con.execute("BEGIN TRANSACTION")
        self._in_transaction = True
        try:
            yield self.con
            if bump:
                self.con.execute(
                    """INSERT OR REPLACE INTO meta
                    SELECT 'store_version', CAST(coalesce(
                        (SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'store_version'), 0
                    ) + 1 AS VARCHAR)"""
                )
            self.con.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                self.con.execute("ROLLBACK")
            raise
        finally:
            self._in_transaction = False
