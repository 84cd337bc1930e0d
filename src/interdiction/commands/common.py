"""What every command shares: options that mean the same everywhere, output, exit codes.

Conventions (docs/architecture.md, "CLI"): ``interdiction NOUN VERB``; ``--db``, ``--json``,
``--format``, ``--output`` and ``--config`` mean the same in every command; data goes to
stdout (or ``--output``, written atomically), progress, warnings and logs to stderr.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from enum import IntEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from interdiction.config import Config, load_config
from interdiction.fileio import atomic_write
from interdiction.sources.registry import REGISTRY
from interdiction.store import Store, lists_in_use, stale


class Exit(IntEnum):
    OK = 0
    INTERNAL = 1  # a bug: please report it with the traceback (--debug)
    USAGE = 2  # bad arguments or configuration
    INPUT = 3  # an input file cannot be read: wrong kind, encoding, truncated, no records
    STORE = 4  # the store is missing, locked by another writer, or newer than this program
    NETWORK = 5  # a download failed (lists update)
    INTEGRITY = 6  # a bundle's files do not match their manifest
    NOT_FOUND = 7  # the entity, dataset or alert asked for does not exist
    REFUSED = 8  # a handling marking forbids the output asked for (TLP, REL TO)


class NotFound(LookupError):
    pass


err = Console(stderr=True, highlight=False, soft_wrap=True)  # log lines are never wrapped


def data_console(handle: Any) -> Console:
    """A console for data: the terminal's width, or wide enough for files and pipes."""
    is_tty = bool(getattr(handle, "isatty", lambda: False)())
    return Console(file=handle, highlight=False, width=None if is_tty else 220)


DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Store file (default: $INTERDICTION_DB or the per-user store).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Write JSON (same as --format json).")]
FormatOption = Annotated[
    str | None, typer.Option("--format", "-f", help="Output format: table, json, csv.")
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write data to this file instead of stdout.")
]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="Configuration file (TOML).", show_default=False)
]


def config_from(path: Path | None, db: Path | None = None) -> Config:
    config = load_config(path)
    if db is not None:
        config = config.model_copy(update={"store": config.store.model_copy(update={"path": db})})
    return config


def open_store(config: Config, read_only: bool) -> Store:
    return Store.open(
        config.store.path,
        read_only=read_only,
        timeout=config.store.lock_timeout_s,
        threads=config.store.threads,
    )


def output_format(fmt: str | None, as_json: bool, default: str = "table") -> str:
    chosen = "json" if as_json else (fmt or default)
    if chosen not in ("table", "json", "csv", "jsonl", "md", "html", "geojson", "ftm"):
        raise typer.BadParameter(f"unknown format {chosen!r}", param_hint="--format")
    return chosen


def _default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not serialisable: {type(value).__name__}")


def to_json(data: Any) -> str:
    return json.dumps(data, default=_default, ensure_ascii=False, indent=2)


@contextmanager
def data_out(output: Path | None) -> Iterator[Any]:
    """Where data goes: stdout, or a file written atomically (complete or absent)."""
    if output is None:
        yield sys.stdout
    else:
        with atomic_write(output) as handle:
            yield handle


def emit_rows(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: str,
    output: Path | None,
    title: str | None = None,
) -> None:
    """Rows as a table, JSON, JSON lines or CSV."""
    with data_out(output) as handle:
        if fmt == "json":
            handle.write(to_json(list(rows)) + "\n")
        elif fmt == "jsonl":
            for row in rows:
                handle.write(json.dumps(row, default=_default, ensure_ascii=False) + "\n")
        elif fmt == "csv":
            writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _cell(row.get(k)) for k in columns})
        else:
            table = Table(title=title, show_lines=False)
            for column in columns:
                table.add_column(column)
            for row in rows:
                table.add_row(*(_cell(row.get(c)) for c in columns))
            data_console(handle).print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, datetime):
        return (
            value.strftime("%Y-%m-%d") if value.time() == datetime.min.time() else value.isoformat()
        )
    return str(value)


_said: set[str] = set()


def report_lists(store: Store, config: Config) -> list[dict[str, Any]]:
    """Say on stderr which list versions a command used, and warn about old ones (once per
    process for the same versions: a pipeline of commands is not told ten times)."""
    versions = lists_in_use(store)
    if not versions:
        err.print("[yellow]warning:[/] no lists loaded in this store")
        return []
    key = "|".join(v.version for v in versions)
    if key in _said:
        return [v.to_dict() for v in versions]
    _said.add(key)
    err.print("lists used: " + "; ".join(v.label() for v in versions))
    # Only official lists go stale by publication: an ownership extract or a case's own data
    # does not miss designations.
    official = [v for v in versions if v.name in REGISTRY]
    for warning in stale(official, config.lists.max_age_days):
        err.print(f"[yellow]warning:[/] {warning}")
    return [v.to_dict() for v in versions]


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Any]:
    """A progress callback (stage, done, total) drawing a bar on stderr."""
    if not enabled:
        yield lambda _stage, _done, _total: None
        return
    if not err.is_terminal:
        # Logs and pipes get one plain line per stage, written at once (no live display).
        started: set[str] = set()

        def log(stage: str, _done: int | None, _total: int | None) -> None:
            if stage not in started:
                started.add(stage)
                err.print(f"{stage} ...")
                err.file.flush()

        yield log
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=False) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int | None, total: int | None) -> None:
            if stage not in tasks:
                for other in tasks.values():
                    task = bar.tasks[other]
                    bar.update(other, completed=task.total or task.completed)
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done or 0, total=total)

        yield update


def csv_text(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
