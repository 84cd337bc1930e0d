"""``interdiction lists``: load, update, status, changes, issues, sources."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from interdiction.commands.common import (
    ConfigOption,
    DbOption,
    FormatOption,
    JsonOption,
    OutputOption,
    config_from,
    emit_rows,
    err,
    open_store,
    output_format,
    progress_bar,
    to_json,
)
from interdiction.sources import REGISTRY, SOURCES, load_paths, load_plans, plan
from interdiction.sources.update import download_bundle
from interdiction.store import dataset_versions, lists_in_use, stale
from interdiction.store.datasets import changes, load_issues

app = typer.Typer(
    help="Sanctions lists: load, update, and what the store holds.", no_args_is_help=True
)


def _print_reports(reports: list[Any], notes: list[str]) -> None:
    for note in notes:
        err.print(f"[yellow]note:[/] {note}")
    for report in reports:
        c = report.counts
        if report.status == "unchanged":
            err.print(f"{report.dataset}: unchanged (already loaded as version {report.version})")
            continue
        err.print(
            f"[bold]{report.dataset}[/] {report.published:%Y-%m-%d} version {report.version} "
            f"({report.status}{'' if report.complete else ', partial set'}): "
            f"{c.get('targets', 0)} listed entities "
            f"({', '.join(f'{k} {v}' for k, v in c.get('targets_by_schema', {}).items())}); "
            f"{c.get('statements', 0)} statements; added {c.get('targets_added', 0)}, "
            f"removed {c.get('targets_removed', 0)}, modified {c.get('targets_modified', 0)}; "
            f"quarantined {c.get('quarantined', 0)}, warnings {c.get('warnings', 0)}"
        )


@app.command("load")
def load(
    paths: Annotated[list[Path], typer.Argument(help="Files, folders or bundles to load.")],
    dataset: Annotated[
        str | None, typer.Option(help="Dataset name (default: from the files).")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--reader", help="Force a reader: ofac-csv, un-xml, ftm-json.")
    ] = None,
    published: Annotated[
        datetime | None, typer.Option(help="Publication date of this version (YYYY-MM-DD).")
    ] = None,
    simulated: Annotated[bool, typer.Option(help="Mark the data as simulated.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
    config_path: ConfigOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Load list files into the store: one transaction per dataset version."""
    config = config_from(config_path, db)
    # Recognise, date and verify every file before the store is opened: a bad bundle or an
    # unreadable file leaves no trace in the store.
    plans = plan(
        paths, dataset=dataset, fmt=fmt, published=published, simulated=simulated, config=config
    )
    with open_store(config, read_only=False) as store, progress_bar(not quiet) as bar:
        reports, notes = load_plans(store, plans, progress=bar)
    _print_reports(reports, notes)
    if as_json:
        print(to_json({"loads": [r.to_dict() for r in reports], "notes": notes}))


@app.command("update")
def update(
    lists: Annotated[
        list[str] | None, typer.Option("--list", help="Datasets to update (default: all known).")
    ] = None,
    download_only: Annotated[
        Path | None,
        typer.Option(help="Only download, into this new folder (a bundle to carry offline)."),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    config_path: ConfigOption = None,
) -> None:
    """Download the official files (network), then load them, or keep them as a bundle."""
    config = config_from(config_path, db)
    names = lists or [s.dataset for s in SOURCES]
    if download_only is not None:
        manifest = download_bundle(names, download_only, config, say=lambda m: err.print(m))
        err.print(
            f"bundle written to {download_only}: "
            f"load it with `interdiction lists load {download_only}`"
        )
        if as_json:
            print(to_json(manifest))
        return
    with tempfile.TemporaryDirectory(prefix="interdiction-update-") as tmp:
        bundle = Path(tmp) / "bundle"
        download_bundle(names, bundle, config, say=lambda m: err.print(m))
        with open_store(config, read_only=False) as store, progress_bar() as bar:
            reports, notes = load_paths(store, [bundle], config=config, progress=bar)
    _print_reports(reports, notes)
    if as_json:
        print(to_json({"loads": [r.to_dict() for r in reports], "notes": notes}))


@app.command("status")
def status(
    all_versions: Annotated[
        bool, typer.Option("--all", help="Every loaded version, not only the newest.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """The lists in the store: versions, publication dates, counts, age."""
    config = config_from(config_path, db)
    fmt = output_format(fmt, as_json)
    with open_store(config, read_only=True) as store:
        versions = dataset_versions(store) if all_versions else lists_in_use(store)
        warnings = stale(lists_in_use(store), config.lists.max_age_days)
        rows = [
            {
                "dataset": v.name,
                "published": v.published,
                "version": v.version,
                "complete": v.complete,
                "simulated": v.simulated,
                "targets": v.counts.get("targets"),
                "statements": v.counts.get("statements"),
                "quarantined": v.counts.get("quarantined"),
                "warnings": v.counts.get("warnings"),
                "age_days": round(v.age_days(), 1),
                "published_from": v.published_from,
                "loaded_at": v.loaded_at,
                "mode": v.mode,
            }
            for v in versions
        ]
    columns = [
        "dataset",
        "published",
        "version",
        "complete",
        "simulated",
        "targets",
        "statements",
        "quarantined",
        "warnings",
        "age_days",
        "published_from",
    ]
    emit_rows(rows, columns, fmt, output, title="Lists in the store")
    for warning in warnings:
        err.print(f"[yellow]warning:[/] {warning}")


@app.command("changes")
def changes_cmd(
    dataset: Annotated[str, typer.Argument(help="Dataset name, e.g. us_ofac_sdn.")],
    version: Annotated[str | None, typer.Option(help="Version (default: the newest).")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Listed entities added, removed, relisted or modified by a version."""
    config = config_from(config_path, db)
    with open_store(config, read_only=True) as store:
        rows = changes(store, dataset, version)
    emit_rows(
        rows, ["change", "entity_id", "schema", "caption"], output_format(fmt, as_json), output
    )


@app.command("issues")
def issues_cmd(
    dataset: Annotated[str | None, typer.Argument(help="Dataset name (default: all).")] = None,
    version: Annotated[str | None, typer.Option(help="Version (default: all).")] = None,
    level: Annotated[str | None, typer.Option(help="quarantined or warning.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 1000,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Quarantined records and warnings of loads, with file, line and reason."""
    config = config_from(config_path, db)
    with open_store(config, read_only=True) as store:
        rows = load_issues(store, dataset, version, limit)
    if level:
        rows = [r for r in rows if r["level"] == level]
    emit_rows(
        rows,
        ["dataset", "version", "level", "code", "file", "line", "record", "message"],
        output_format(fmt, as_json),
        output,
    )


@app.command("sources")
def sources_cmd(
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """The lists interdiction knows: authority, ownership rule, reader, official URLs."""
    rows = [
        {
            "dataset": s.dataset,
            "title": s.title,
            "authority": s.authority,
            "ownership_rule": s.ownership_rule,
            "blocking": s.blocking,
            "reader": s.reader,
            "urls": [f"{role}: {url}" for role, url in sorted(s.urls.items())],
        }
        for s in REGISTRY.values()
    ]
    emit_rows(
        rows,
        ["dataset", "authority", "ownership_rule", "blocking", "reader", "urls"],
        output_format(fmt, as_json),
        output,
        title="Known lists",
    )
