"""``interdiction network``: ownership and shared-attribute graph, blocking rules, exposure."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

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
    report_lists,
    to_json,
)
from interdiction.fileio import atomic_write
from interdiction.network.analysis import (
    EntityNotFound,
    Network,
    blocked_report,
    cluster_report,
    graph_summary,
    hub_report,
    neighbourhood,
    paths_report,
    store_scores,
)
from interdiction.network.blocking import NotComputable
from interdiction.network.export import whole_graph, write_view
from interdiction.network.findings import run_findings
from interdiction.network.picture import draw

app = typer.Typer(
    help="Ownership and shared-attribute network: blocking rules (OFAC 50%, EU, UK), paths "
    "to sanctioned parties, clusters, hubs, exports and pictures.",
    no_args_is_help=True,
)

AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Date (YYYY-MM-DD) for relationships in force (default today)."),
]
RegimeOption = Annotated[str, typer.Option("--regime", help="ofac, eu or uk.")]


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r}: use YYYY-MM-DD", param_hint="--as-of") from exc


def _load(
    db: Path | None, config_path: Path | None, as_of: str | None, write: bool = False
) -> tuple[Any, Any, Network]:
    config = config_from(config_path, db)
    store = open_store(config, read_only=not write)
    report_lists(store, config)
    return config, store, Network.load(store, config, as_of=_as_of(as_of))


def _warn_issues(net: Network) -> None:
    warnings = [i for i in net.graph.issues if i.get("level") == "warning"]
    if warnings:
        err.print(
            f"[yellow]warning:[/] {len(warnings)} data problems in the graph (missing entities, "
            "unusable or conflicting shares); `interdiction network build` lists them"
        )


def _regime_name(regime: str) -> str:
    name = regime.lower()
    if name not in ("ofac", "eu", "uk"):
        raise typer.BadParameter(f"{regime!r}: ofac, eu or uk", param_hint="--regime")
    return name


@app.command("build")
def build(
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Build the graph from the store and report its size, regimes and data problems."""
    _config, store, net = _load(db, config_path, as_of)
    with store:
        summary = graph_summary(net)
    with data_out(output) as handle:
        if as_json:
            handle.write(to_json(summary) + "\n")
            return
        out = data_console(handle)
        out.print(
            f"[bold]{summary['entities']}[/] entities ({summary['listed']} listed), "
            f"{summary['shared_attributes']} shared attribute values, {summary['edges']} edges, "
            f"{summary['missing_references']} references to entities not loaded"
        )
        for kind, count in summary["edges_by_kind"].items():
            out.print(f"  {kind}: {count}")
        for name, info in summary["regimes"].items():
            if info.get("computable") is False:
                out.print(f"[yellow]{name}[/]: {info['reason']}")
            else:
                out.print(
                    f"{name}: {info.get('listed', 0)} listed, {info.get('blocked', 0)} blocked "
                    f"and not listed, {info.get('possibly blocked', 0)} possibly blocked "
                    f"(lists: {', '.join(info['lists'])})"
                )
        for issue in summary["issues_list"]:
            out.print(f"  [{issue['level']}] {issue['code']}: {issue['message']}")


@app.command("blocked")
def blocked(
    regime: RegimeOption = "ofac",
    certain_only: Annotated[
        bool, typer.Option("--certain-only", help="Leave out 'possibly blocked' entities.")
    ] = False,
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Entities blocked by a regime's ownership rule but not on its lists, with the paths."""
    name = _regime_name(regime)
    chosen = output_format(fmt, as_json)
    _config, store, net = _load(db, config_path, as_of)
    with store:
        report = blocked_report(net, name, include_possible=not certain_only)
    if not report["computable"]:
        # Not computable is an answer, not an empty list: say it on stdout too.
        with data_out(output) as handle:
            if chosen == "json":
                handle.write(to_json(report) + "\n")
            else:
                handle.write(f"{report['reason']}\n")
        raise NotFound(report["reason"])
    _warn_issues(net)
    err.print(
        f"{report['title']} ({report['rule']}); lists {', '.join(report['lists'])}: "
        f"{report['seeds']} listed parties in the graph"
    )
    if chosen == "json":
        with data_out(output) as handle:
            handle.write(to_json(report) + "\n")
        return
    rows = []
    for entity in report["entities"]:
        path = entity["paths"][0] if entity["paths"] else []
        rows.append(
            {
                "status": entity["status"],
                "entity_id": entity["entity_id"],
                "caption": entity["caption"],
                "round": entity["round"],
                "holders": "; ".join(
                    f"{h['from_caption']} {h.get('share', h['kind'])} ({h['holder_status']})"
                    for h in entity["holders"]
                ),
                "path": " -> ".join([path[0]["from_caption"], *(h["to_caption"] for h in path)])
                if path
                else "",
                "paths": len(entity["paths"]),
                "open_questions": "; ".join(
                    f"{h['from_caption']} -> {h['to_caption']}: {h.get('share', '?')}"
                    + (f" ({h['note']})" if h.get("note") else "")
                    for h in [*entity["uncertain_edges"], *entity["indirect_hints"]]
                ),
                "listed_elsewhere": entity["listed_elsewhere"],
            }
        )
    columns = [
        "status",
        "entity_id",
        "caption",
        "holders",
        "path",
        "paths",
        "open_questions",
        "listed_elsewhere",
    ]
    emit_rows(rows, columns, chosen, output, title=f"{report['title']}: blocked but not listed")
    err.print(
        f"{report['counts']['blocked']} blocked and not listed, "
        f"{report['counts']['possibly blocked']} possibly blocked"
    )


@app.command("paths")
def paths(
    entity: Annotated[str, typer.Argument(help="Entity id (or exact name).")],
    k: Annotated[int | None, typer.Option("-k", help="How many paths.")] = None,
    hops: Annotated[int | None, typer.Option("--hops", help="Hop limit.")] = None,
    seeds: Annotated[
        str, typer.Option("--seeds", help="listed (every list) or a regime: ofac, eu, uk.")
    ] = "listed",
    per_target: Annotated[int, typer.Option(help="Paths per sanctioned party.")] = 2,
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """The shortest paths from an entity to sanctioned parties, and its proximity score."""
    _config, store, net = _load(db, config_path, as_of)
    with store:
        try:
            report = paths_report(net, entity, k, hops, seeds, per_target)
        except (EntityNotFound, NotComputable) as exc:
            raise NotFound(str(exc)) from exc
    _warn_issues(net)
    with data_out(output) as handle:
        if as_json:
            handle.write(to_json(report) + "\n")
            return
        out = data_console(handle)
        listed = " [bold red]LISTED[/]" if report["listed"] else ""
        out.print(
            f"[bold]{report['caption']}[/] ({report['schema']}, {report['entity_id']}){listed}"
        )
        out.print("blocking: " + "; ".join(f"{k}: {v}" for k, v in report["blocking"].items()))
        prox = report["proximity"]
        out.print(
            f"proximity to {report['seeds']}: percentile {prox['percentile']} "
            f"(score {prox['score']:.3g}, {prox['method']}, {prox['scores']})"
        )
        if not report["paths"]:
            out.print(f"no path to a sanctioned party within {report['hop_limit']} steps")
        for i, path in enumerate(report["paths"], start=1):
            out.print(
                f"[bold]{i}.[/] to {path['to_caption']} ({path['to']}): {path['hops']} "
                f"step(s), cost {path['cost']}"
            )
            for step in path["steps"]:
                extra = (
                    f" [{step['attribute_type']}, {step['holders']} holders]"
                    if step.get("attribute")
                    else ""
                )
                out.print(
                    f"     {step['from_caption']} {step['label']} "
                    f"{step.get('attribute') or step['to_caption']}{extra}  "
                    f"[dim]({step['relationship']})[/]"
                )
        if report["search_truncated"]:
            out.print("[yellow]search cut short: the graph around this entity is dense[/]")


@app.command("show")
def show(
    entity: Annotated[str, typer.Argument(help="Entity id (or exact name).")],
    depth: Annotated[int, typer.Option("--depth", help="Steps out from the entity.")] = 2,
    max_nodes: Annotated[int, typer.Option(help="Stop adding entities beyond this.")] = 200,
    regime: RegimeOption = "ofac",
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """An entity's neighbourhood: who is around it, how, and their status."""
    _config, store, net = _load(db, config_path, as_of)
    with store:
        try:
            view = neighbourhood(net, entity, depth, max_nodes, _regime_name(regime))
        except EntityNotFound as exc:
            raise NotFound(str(exc)) from exc
    with data_out(output) as handle:
        if as_json:
            handle.write(to_json(view) + "\n")
            return
        out = data_console(handle)
        out.print(f"[bold]{view['caption']}[/] ({view['entity_id']}), depth {view['depth']}")
        if view["regime_note"]:
            out.print(f"[yellow]{view['regime_note']}[/]")
        for node in view["nodes"]:
            flags = [f for f in ("listed", "hub", "missing") if node.get(f)]
            if node.get("status") and node["status"] not in ("not blocked", "listed"):
                flags.append(node["status"])
            mark = escape(f" [{', '.join(flags)}]") if flags else ""
            indent = "  " * node["depth"]
            out.print(f"{indent}{node['caption']} ({node['schema']}, {node['id']}){mark}")
        out.print("[bold]ties[/]")
        for edge in view["edges"]:
            out.print(
                f"  {edge['from_caption']} {edge['label']} {edge['to_caption']}  "
                f"[dim]({edge['relationship']})[/]"
            )
        if view["truncated"]:
            out.print(f"[yellow]stopped at {max_nodes} entities (--max-nodes)[/]")


@app.command("clusters")
def clusters_cmd(
    min_size: Annotated[int, typer.Option(help="Smallest cluster shown.")] = 2,
    limit: Annotated[int, typer.Option(help="How many clusters.")] = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Entities tied by shared identifiers, phones, e-mails, websites or addresses."""
    _config, store, net = _load(db, config_path, None)
    with store:
        report = cluster_report(net, min_size, limit)
    with data_out(output) as handle:
        if as_json:
            handle.write(to_json(report) + "\n")
            return
        out = data_console(handle)
        out.print(f"{report['total']} clusters of {min_size} or more entities")
        for c in report["clusters"]:
            out.print(f"[bold]{c['size']} entities, {c['listed']} listed[/]")
            for s in c["shared"]:
                out.print(f"   shared {s['type']}: {s['value']} ({s['holders']} holders)")
            for e in c["entities"]:
                out.print(f"   {'*' if e['listed'] else ' '} {e['caption']} ({e['id']})")


@app.command("hubs")
def hubs_cmd(
    top: Annotated[int, typer.Option(help="How many.")] = 25,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """The most connected entities (degree, and sampled betweenness on graphs that allow it)."""
    _config, store, net = _load(db, config_path, None)
    with store:
        report = hub_report(net, top)
    columns = [
        "id",
        "caption",
        "schema",
        "listed",
        "relationships",
        "shared_attributes",
        "betweenness",
    ]
    emit_rows(report["hubs"], columns, output_format(fmt, as_json), output, title="Hubs")


@app.command("score")
def score(
    seeds: Annotated[str, typer.Option("--seeds", help="listed, ofac, eu or uk.")] = "listed",
    db: DbOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Compute the proximity scores for a seed set once and keep them in the store."""
    _config, store, net = _load(db, config_path, None, write=True)
    with store:
        try:
            result = store_scores(net, seeds)
        except NotComputable as exc:
            raise NotFound(str(exc)) from exc
    err.print(
        f"proximity to {result['label']}: {result['entities']} entities scored "
        f"({result['iterations']} iterations)"
    )


@app.command("alerts")
def alerts(
    db: DbOption = None,
    as_json: JsonOption = False,
    config_path: ConfigOption = None,
) -> None:
    """Write blocked-but-not-listed and exposure findings to the shared alerts table."""
    config, store, net = _load(db, config_path, None, write=True)
    with store:
        result = run_findings(net, config)
    _warn_issues(net)
    if as_json:
        print(to_json(result))
        return
    for name, info in result["regimes"].items():
        err.print(f"{name}: {info}")
    err.print("alerts written: " + ", ".join(f"{k} {v}" for k, v in result["by_type"].items()))


@app.command("export")
def export(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="graphml, cytoscape or ftm.")
    ] = "graphml",
    entity: Annotated[
        str | None, typer.Option("--entity", help="Only this entity's neighbourhood.")
    ] = None,
    depth: Annotated[int, typer.Option("--depth", help="Neighbourhood depth.")] = 2,
    max_nodes: Annotated[int, typer.Option(help="Neighbourhood size limit.")] = 500,
    regime: RegimeOption = "ofac",
    db: DbOption = None,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """The graph (or a neighbourhood) as GraphML, Cytoscape JSON or FtM JSON lines."""
    if fmt not in ("graphml", "cytoscape", "ftm"):
        raise typer.BadParameter(f"{fmt!r}: graphml, cytoscape or ftm", param_hint="--format")
    _config, store, net = _load(db, config_path, None)
    with store:
        try:
            view = (
                neighbourhood(net, entity, depth, max_nodes, _regime_name(regime))
                if entity
                else whole_graph(net, _regime_name(regime))
            )
        except EntityNotFound as exc:
            raise NotFound(str(exc)) from exc
        with data_out(output) as handle:
            count = write_view(net, view, fmt, handle)
    err.print(
        f"{count} {'entities' if fmt == 'ftm' else 'nodes'} written"
        + (f" to {output}" if output else "")
    )


@app.command("picture")
def picture(
    entity: Annotated[str, typer.Argument(help="Entity id (or exact name).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write (.svg or .png).")],
    depth: Annotated[int, typer.Option("--depth", help="Steps out from the entity.")] = 2,
    max_nodes: Annotated[int, typer.Option(help="Size limit.")] = 60,
    regime: RegimeOption = "ofac",
    db: DbOption = None,
    config_path: ConfigOption = None,
) -> None:
    """A picture of an entity's neighbourhood for a report (SVG or PNG, drawn offline)."""
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("svg", "png"):
        raise typer.BadParameter(f"{output}: use a .svg or .png file", param_hint="--output")
    config = config_from(config_path, db)
    with open_store(config, read_only=True) as store:
        lists = report_lists(store, config)
        net = Network.load(store, config)
        try:
            view = neighbourhood(net, entity, depth, max_nodes, _regime_name(regime))
        except EntityNotFound as exc:
            raise NotFound(str(exc)) from exc
        simulated = bool(
            store.con.execute(
                """SELECT count(*) FROM statements s JOIN datasets d ON d.name = s.dataset
                WHERE d.simulated AND s.canonical_id IN (SELECT unnest(?))""",
                [[n["id"] for n in view["nodes"]]],
            ).fetchall()[0][0]
        )
    footer = "lists: " + ", ".join(f"{v['dataset']} {v['published'][:10]}" for v in lists)
    if view["regime_note"]:
        footer += f"  ·  {view['regime_note']}"
    title = f"{view['caption']} ({view['entity_id']}): neighbourhood, {depth} steps"
    with atomic_write(output, "wb") as handle:
        draw(view, handle, fmt, title, footer, simulated)
    err.print(f"{len(view['nodes'])} entities drawn to {output}")
    if view["truncated"]:
        err.print(f"[yellow]stopped at {max_nodes} entities (--max-nodes)[/]")
