"""``interdiction case``: check, build, show and report a case."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from interdiction.cases.build import build_case, load_built_case
from interdiction.cases.casefile import load_case_file
from interdiction.cases.check import check_case
from interdiction.commands.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    NotFound,
    OutputOption,
    config_from,
    data_console,
    err,
    open_store,
    report_lists,
    to_json,
)
from interdiction.report.briefing import assemble
from interdiction.report.render import write_briefing

app = typer.Typer(
    help="Cases: alerts, entities and reported claims, with judgements.", no_args_is_help=True
)


@app.command("check")
def check(
    path: Annotated[Path, typer.Argument(help="Case file (YAML).")],
    db: DbOption = None,
    as_json: JsonOption = False,
    config_path: ConfigOption = None,
) -> None:
    """Check a case file's form (ICD 203, grades, markings) and its links to the store."""
    config = config_from(config_path, db)
    case = load_case_file(path)
    with open_store(config, read_only=True) as store:
        problems = check_case(store, case)
    if as_json:
        print(to_json([p.__dict__ for p in problems]))
    for problem in problems:
        err.print(str(problem))
    if any(p.level == "error" for p in problems):
        raise typer.Exit(3)
    err.print(f"{path}: {len(problems)} warnings, no errors")


@app.command("build")
def build(
    path: Annotated[Path, typer.Argument(help="Case file (YAML).")],
    db: DbOption = None,
    as_json: JsonOption = False,
    config_path: ConfigOption = None,
) -> None:
    """Check a case and record what it resolves to (alerts, entities) in the store."""
    config = config_from(config_path, db)
    with open_store(config, read_only=False) as store:
        report_lists(store, config)
        built = build_case(store, path)
    for problem in built.problems:
        err.print(str(problem))
    summary = {
        "case": built.case.id,
        "alerts": len(built.alerts),
        "entities": len(built.entities),
        "claims": len(built.case.claims),
        "judgements": len(built.case.judgements),
        "warnings": len(built.warnings),
        "store_version": built.store_version,
    }
    err.print(
        f"case {built.case.id}: {summary['alerts']} alerts, {summary['entities']} entities, "
        f"{summary['claims']} claims, {summary['judgements']} judgements, "
        f"{summary['warnings']} warnings"
    )
    if as_json:
        print(to_json(summary))


@app.command("show")
def show(
    case_id: Annotated[str, typer.Argument(help="Case id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
    config_path: ConfigOption = None,
) -> None:
    """What a built case holds."""
    config = config_from(config_path, db)
    with open_store(config, read_only=True) as store:
        try:
            built = load_built_case(store, case_id)
        except LookupError as exc:
            raise NotFound(str(exc)) from exc
        briefing = assemble(store, built)
    if as_json:
        print(
            to_json(
                {
                    "case": built.case.model_dump(mode="json"),
                    "alerts": built.alerts,
                    "entities": built.entities,
                    "marking": briefing.marking.banner(),
                    "simulated": briefing.simulated,
                }
            )
        )
        return
    out = data_console(sys.stdout)
    out.print(f"[bold]{briefing.marking.banner()}[/]")
    out.print(f"[bold]{built.case.title}[/] ({case_id})")
    if briefing.simulated:
        out.print("[bold red]rests in part on SIMULATED data[/]")
    out.print(f"BLUF: {built.case.bluf}")
    for view in briefing.judgements:
        mark = " [software-suggested wording]" if view.judgement.suggested else ""
        level = view.confidence_level
        out.print(f"- {view.judgement.id}: {view.judgement.text}{mark} ({level} confidence)")
    for name, sentences in briefing.sections.items():
        if sentences:
            out.print(f"[bold]{name}[/]: {len(sentences)} findings and claims")


@app.command("report")
def report(
    case_id: Annotated[str, typer.Argument(help="Case id (built with `case build`).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="html or md.")] = "html",
    output: OutputOption = None,
    release_to: Annotated[
        str | None,
        typer.Option(
            help="Write the copy for this recipient (ISO alpha-3); refused if the marking "
            "does not release to it."
        ),
    ] = None,
    db: DbOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Write the briefing (self-contained HTML, or Markdown) and print its path."""
    if fmt not in ("html", "md"):
        raise typer.BadParameter("html or md", param_hint="--format")
    config = config_from(config_path, db)
    with open_store(config, read_only=True) as store:
        report_lists(store, config)
        try:
            built = load_built_case(store, case_id)
        except LookupError as exc:
            raise NotFound(str(exc)) from exc
        from interdiction.report import figure_makers

        briefing = assemble(store, built, figure_makers(config))
    path = output or Path(f"{case_id}.{fmt}")
    write_briefing(briefing, path, fmt, audience=release_to)
    print(path)


@app.command("suggest")
def suggest_cmd(
    case_id: Annotated[str, typer.Argument(help="Case id (built), whose alerts to word.")],
    alert_type: Annotated[
        str | None, typer.Option("--type", help="Only alerts of this type.")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many suggestions.")] = 5,
    db: DbOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Draft judgements (YAML, flagged suggested: true) for an analyst to edit into the case."""
    import yaml

    from interdiction.cases.suggest import suggest
    from interdiction.store import read_alerts

    config = config_from(config_path, db)
    with open_store(config, read_only=True) as store:
        try:
            built = load_built_case(store, case_id)
        except LookupError as exc:
            raise NotFound(str(exc)) from exc
        wanted = set(built.alerts)
        alerts = [
            a for a in read_alerts(store, type=alert_type, limit=1_000_000) if a["id"] in wanted
        ][:limit]
    drafts = [j.model_dump(mode="json", exclude_defaults=True) for j in suggest(alerts)]
    for draft in drafts:
        draft["suggested"] = True
    print("# Suggested by interdiction: edit the wording, then remove `suggested: true`.")
    print(yaml.safe_dump({"judgements": drafts}, sort_keys=False, allow_unicode=True), end="")
    err.print(f"{len(drafts)} suggestions from {len(alerts)} alerts")
