"""``interdiction export``: the store's entities in exchange formats."""

from __future__ import annotations

from typing import Annotated

import typer

from interdiction.commands.common import (
    ConfigOption,
    DbOption,
    OutputOption,
    config_from,
    data_out,
    err,
    open_store,
    report_lists,
)
from interdiction.sources.ftm_json import entity_dict, write_entities
from interdiction.store import iter_entities

app = typer.Typer(help="Export the store's data.", no_args_is_help=True)


@app.command("ftm")
def ftm(
    output: OutputOption = None,
    dataset: Annotated[
        list[str] | None, typer.Option("--dataset", help="Only these datasets (default: all).")
    ] = None,
    include_delisted: Annotated[bool, typer.Option(help="Also delisted entities.")] = False,
    db: DbOption = None,
    config_path: ConfigOption = None,
) -> None:
    """FollowTheMoney JSON lines with datasets, referents and first/last seen."""
    config = config_from(config_path, db)
    with open_store(config, read_only=True) as store, data_out(output) as handle:
        report_lists(store, config)
        lines = (
            entity_dict(
                record.entity,
                datasets=record.datasets,
                target=record.target,
                first_seen=record.first_seen.isoformat() if record.first_seen else None,
                last_seen=record.last_seen.isoformat() if record.last_seen else None,
                simulated=record.simulated,
            )
            for record in iter_entities(store, datasets=dataset, include_delisted=include_delisted)
        )
        count = write_entities(lines, handle)
    err.print(f"{count} entities written" + (f" to {output}" if output else ""))
