"""``interdiction entities``: look up what the store holds about an entity, with provenance."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from interdiction.commands.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    NotFound,
    config_from,
    data_console,
    open_store,
    report_lists,
    to_json,
)
from interdiction.store import get_entity, related

app = typer.Typer(
    help="Entities: persons, organisations, vessels and their records.", no_args_is_help=True
)


@app.command("show")
def show(
    entity_id: Annotated[str, typer.Argument(help="Entity id, e.g. ofac-306 or unsc-KPe.001.")],
    history: Annotated[
        bool, typer.Option(help="Include retired statements (past versions).")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
    config_path: ConfigOption = None,
) -> None:
    """Every property of an entity, where each value came from, and what points to it."""
    config = config_from(config_path, db)
    with open_store(config, read_only=True) as store:
        lists = report_lists(store, config)
        record = get_entity(store, entity_id, history=history)
        if record is None:
            raise NotFound(f"{entity_id}: no such entity in the store")
        neighbours = related(store, record.entity.id or entity_id)
    entity = record.entity
    if as_json:
        print(
            to_json(
                {
                    "id": entity.id,
                    "schema": entity.schema.name,
                    "caption": entity.caption,
                    "properties": entity.properties,
                    "datasets": record.datasets,
                    "referents": sorted(entity.referents),
                    "target": record.target,
                    "first_seen": record.first_seen,
                    "last_seen": record.last_seen,
                    "delisted": record.delisted,
                    "simulated": record.simulated,
                    "statements": [s.to_dict() for s in record.statements],
                    "related": neighbours,
                    "lists": lists,
                }
            )
        )
        return
    out = data_console(sys.stdout)
    status = (
        f"delisted {record.delisted:%Y-%m-%d}"
        if record.delisted
        else "listed"
        if record.target
        else "not a listed target"
    )
    mark = " [bold red]SIMULATED[/]" if record.simulated else ""
    out.print(f"[bold]{entity.caption}[/] ({entity.schema.label}, {entity.id}){mark}")
    out.print(
        f"{status}; datasets: {', '.join(record.datasets)}; first seen "
        f"{record.first_seen:%Y-%m-%d}, last seen {record.last_seen:%Y-%m-%d}"
        if record.first_seen and record.last_seen
        else status
    )
    table = Table(show_lines=False)
    for column in ("property", "value", "source", "seen"):
        table.add_column(column)
    for stmt in record.statements:
        seen = f"{stmt.first_seen:%Y-%m-%d}..{stmt.last_seen:%Y-%m-%d}"
        if stmt.retired:
            seen += f" (retired {stmt.retired:%Y-%m-%d})"
        value = (
            stmt.value
            if not stmt.original_value
            else f"{stmt.value}  [dim]({stmt.original_value[:80]})[/]"
        )
        table.add_row(stmt.prop, value, f"{stmt.dataset} {stmt.provenance}", seen)
    out.print(table)
    if neighbours:
        out.print("[bold]Related[/]")
        for item in neighbours:
            line = f"  {item['schema']} {item['id']} ({item['via']}): {item['caption']}"
            for other in item["others"]:
                line += (
                    f"\n      {other['prop']} -> {other['caption']} "
                    f"({other['schema']}, {other['id']})"
                )
            out.print(line)
