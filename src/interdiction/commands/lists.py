"""``interdiction lists``: load, update, status, changes, issues, sources, reconcile."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from interdiction.commands.common import (
    ConfigOption,
    DbOption,
    FormatOption,
    JsonOption,
    NotFound,
    OutputOption,
    config_from,
    data_console,
    data_out,
    emit_rows,
    err,
    open_store,
    output_format,
    progress_bar,
    report_lists,
    to_json,
)
from interdiction.report.reconcile import published_date, reconcile, status_symbol
from interdiction.sources import REGISTRY, SOURCES, load_paths, load_plans, plan
from interdiction.sources.registry import OWNERSHIP_RULES
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
        str | None,
        typer.Option(
            "--reader",
            help="Force a reader: ofac-xml, ofac-csv, un-xml, eu-xml, uk-ofsi-csv, "
            "ca-sema-xml, au-dfat-xlsx, us-csl, ftm-json.",
        ),
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
        warnings = stale(
            [v for v in lists_in_use(store) if v.name in REGISTRY], config.lists.max_age_days
        )
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
    """The lists interdiction knows: authority, ownership rule, formats, official URLs."""
    rows = [
        {
            "dataset": s.dataset,
            "title": s.title,
            "authority": s.authority,
            "country": s.country,
            "ownership_rule": s.ownership_rule,
            "rule": OWNERSHIP_RULES.get(s.ownership_rule, ""),
            "blocking": s.blocking,
            "reader": s.reader,
            "formats": [f.reader for f in s.formats()],
            "urls": [f"{role}: {url}" for role, url in sorted(s.urls.items())],
            "alternatives": [
                {"reader": f.reader, "urls": f.urls, "note": f.note} for f in s.alternatives
            ],
            "homepage": s.homepage,
            "notes": s.notes,
        }
        for s in REGISTRY.values()
    ]
    emit_rows(
        rows,
        ["dataset", "authority", "ownership_rule", "blocking", "formats", "urls"],
        output_format(fmt, as_json),
        output,
        title="Known lists (update URL: the first format's)",
    )
    if output_format(fmt, as_json) == "table":
        for rule, meaning in OWNERSHIP_RULES.items():
            err.print(f"{rule}: {meaning}")


@app.command("reconcile")
def reconcile_cmd(
    program: Annotated[str, typer.Option(help="UN list type to reconcile.")] = "DPRK",
    lists: Annotated[
        list[str] | None,
        typer.Option("--list", help="Lists to compare (default: OFAC SDN, EU, UK and Australia)."),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Which UN designations appear on the national lists, with the matching method."""
    config = config_from(config_path, db)
    fmt = output_format(fmt, as_json)
    with open_store(config, read_only=True) as store:
        report_lists(store, config)
        try:
            data = reconcile(store, program=program, lists=lists)
        except LookupError as exc:
            raise NotFound(str(exc)) from exc
    if not data["designations"]:
        err.print(f"[yellow]warning:[/] no UN designations under program {program!r}")
    datasets = [entry["dataset"] for entry in data["lists"]]
    if fmt == "json":
        with data_out(output) as handle:
            handle.write(to_json(data) + "\n")
        return
    if fmt == "jsonl":
        emit_rows(data["designations"], [], "jsonl", output)
        return
    if fmt == "csv":
        flat = [
            {
                "un_reference": row["un_reference"],
                "name": row["name"],
                "schema": row["schema"],
                "un_listed": row["un_listed"],
                "dataset": dataset,
                **row["findings"][dataset],
            }
            for row in data["designations"]
            for dataset in datasets
        ]
        columns = [
            "un_reference",
            "name",
            "schema",
            "un_listed",
            "dataset",
            "status",
            "method",
            "entity_ids",
            "programs",
            "evidence",
        ]
        emit_rows(flat, columns, "csv", output)
        return
    with data_out(output) as handle:
        out = data_console(handle)
        out.print(_summary_table(data, program))
        table = Table(
            title="By designation (method: UN reference > identifier > name + birth date > name; "
            "--json for the entities and values behind each result)"
        )
        for column in ("UN ref", "name", "type", "UN listed", *datasets):
            table.add_column(column)
        for row in data["designations"]:
            table.add_row(
                row["un_reference"],
                row["name"],
                row["schema"],
                row["un_listed"] or "",
                *(status_symbol(row["findings"][d]) for d in datasets),
            )
        out.print(table)
        if data["cited_not_on_un_list"]:
            cited = Table(
                title="National records citing a UN reference the UN list does not hold "
                "(delisted since, listed after the UN file's date, or a typo)"
            )
            for column in ("list", "UN ref", "entities", "names"):
                cited.add_column(column)
            for item in data["cited_not_on_un_list"]:
                cited.add_row(
                    item["dataset"],
                    item["un_reference"],
                    "; ".join(item["entity_ids"]),
                    "; ".join(item["names"]),
                )
            out.print(cited)


def _summary_table(data: dict[str, Any], program: str) -> Table:
    summary = Table(
        title=f"UN {program} designations on other lists: {len(data['designations'])} "
        f"(UN list of {published_date(data['un_list']['published'])})"
    )
    for column in (
        "list",
        "published",
        "listed",
        "possible",
        "not found",
        "after list date",
        "by method",
    ):
        summary.add_column(column)
    for entry in data["lists"]:
        counts = entry["summary"]
        methods = "; ".join(
            f"{k.replace(' by ', ': ')} {v}" for k, v in sorted(counts.items()) if " by " in k
        )
        summary.add_row(
            entry["dataset"],
            published_date(entry["published"]) if entry["loaded"] else "not loaded",
            str(counts.get("listed", 0)),
            str(counts.get("possible", 0)),
            str(counts.get("not found", 0)),
            str(counts.get("after list date", 0)),
            methods,
        )
    return summary
