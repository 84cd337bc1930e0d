"""``interdiction report``: readable summaries and briefings."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from interdiction.commands.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    OutputOption,
    config_from,
    data_console,
    data_out,
    open_store,
    report_lists,
    to_json,
)
from interdiction.report.designations import designations_summary

app = typer.Typer(help="Summaries and briefings.", no_args_is_help=True)


@app.command("designations")
def designations(
    vessels: Annotated[int, typer.Option(help="Show at most this many vessels.")] = 25,
    companies: Annotated[int, typer.Option(help="Show at most this many shipping firms.")] = 200,
    db: DbOption = None,
    as_json: JsonOption = False,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """DPRK and Russia designations: counts by program and schema, vessels, shipping firms."""
    config = config_from(config_path, db)
    with open_store(config, read_only=True) as store:
        report_lists(store, config)
        summary = designations_summary(store)
    with data_out(output) as handle:
        if as_json:
            handle.write(to_json(summary) + "\n")
            return
        out = data_console(handle)
        for family, data in summary["families"].items():
            table = Table(title=f"{family} programs: {data['total']} listed entities")
            for column in ("list", "program", "schema", "entities"):
                table.add_column(column)
            for row in data["by_program"]:
                table.add_row(row["dataset"], row["program"], row["schema"], str(row["count"]))
            out.print(table)
        shown = summary["vessels"][:vessels]
        table = Table(
            title=f"Listed vessels under DPRK and Russia programs: {len(summary['vessels'])} "
            f"(first {len(shown)})"
        )
        for column in ("name", "IMO", "flag", "type", "programs", "id"):
            table.add_column(column)
        for v in shown:
            table.add_row(
                v["name"],
                v["imo"] or "",
                v["flag"] or "",
                v["type"] or "",
                v["programs"],
                v["entity_id"],
            )
        out.print(table)
        firms = summary["dprk_shipping_companies"]
        table = Table(
            title=f"DPRK shipping companies: {len(firms)} (first {min(companies, len(firms))})"
        )
        for column in ("name", "company IMO", "programs", "list", "id"):
            table.add_column(column)
        for c in firms[:companies]:
            table.add_row(c["name"], c["imo"] or "", c["programs"], c["dataset"], c["entity_id"])
        out.print(table)
