"""``interdiction resolve``: entity resolution across sources, with a review queue."""

from __future__ import annotations

import getpass
import json
from typing import Annotated, Any, cast

import typer

from interdiction.commands.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    NotFound,
    OutputOption,
    config_from,
    data_console,
    data_out,
    err,
    open_store,
    report_lists,
    to_json,
)
from interdiction.network.resolution import (
    JUDGEMENTS,
    Judgement,
    ResolutionError,
    decide,
    find_candidates,
    judgements,
    review_queue,
    undo,
)

app = typer.Typer(
    help="Entity resolution: the same party across lists and sources. Auto-merges only on "
    "strong identifiers; the rest goes to a review queue.",
    no_args_is_help=True,
)

ByOption = Annotated[str | None, typer.Option("--by", help="Who decides (default: your login).")]


def _who(by: str | None) -> str:
    if by:
        return by
    try:
        return getpass.getuser()
    except Exception:
        return "analyst"


@app.command("candidates")
def candidates(
    no_auto: Annotated[
        bool, typer.Option("--no-auto", help="Queue strong pairs too instead of merging them.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
    config_path: ConfigOption = None,
) -> None:
    """Find candidate pairs, merge those with strong evidence, queue the rest for review."""
    config = config_from(config_path, db)
    with open_store(config, read_only=False) as store:
        report_lists(store, config)
        result = find_candidates(store, config.network, auto_merge=not no_auto)
    if as_json:
        print(to_json(result))
        return
    err.print(
        f"{result['entities']} entities, {result['candidates']} candidate pairs: "
        f"{result['auto_merged']} merged on strong evidence, {result['queued']} queued for "
        f"review, {result['below_threshold']} below the review threshold"
    )
    for merge in result["merges"]:
        for change in merge["changes"]:
            err.print(f"  merged {', '.join(change['members'])} as {change['canonical_id']}")
    err.print("review with: interdiction resolve review")


def _print_pair(out: Any, item: dict[str, Any], index: int) -> None:
    strong = " [bold]strong[/]" if item["strong"] else ""
    out.print(
        f"[bold]{index}.[/] {item['score']:.2f}{strong}  {item['left_caption']} ({item['left']})"
        f"  <->  {item['right_caption']} ({item['right']})"
    )
    for feature in item["evidence"]:
        detail = {k: v for k, v in feature.items() if k != "feature"}
        out.print(f"      {feature['feature']}: {json.dumps(detail, ensure_ascii=False)}")


@app.command("review")
def review(
    limit: Annotated[int, typer.Option(help="How many pairs.")] = 20,
    interactive: Annotated[
        bool, typer.Option("--interactive", "-i", help="Decide each pair at a prompt.")
    ] = False,
    by: ByOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """The review queue: candidate pairs with their evidence, best first."""
    config = config_from(config_path, db)
    with open_store(config, read_only=not interactive) as store:
        items = review_queue(store, limit)
        if not interactive:
            with data_out(output) as handle:
                if as_json:
                    handle.write(to_json(items) + "\n")
                    return
                out = data_console(handle)
                if not items:
                    out.print("the review queue is empty (run `interdiction resolve candidates`)")
                for i, item in enumerate(items, start=1):
                    _print_pair(out, item, i)
            return
        out = data_console(err.file)
        choices: dict[str, Judgement] = {"y": "positive", "n": "negative", "u": "unsure"}
        for i, item in enumerate(items, start=1):
            _print_pair(out, item, i)
            answer = typer.prompt(
                "same entity? [y]es / [n]o / [u]nsure / [s]kip / [q]uit", default="s"
            )
            answer = answer.strip().lower()[:1]
            if answer == "q":
                break
            if answer not in choices:
                continue
            try:
                result = decide(
                    store,
                    item["left"],
                    item["right"],
                    choices[answer],
                    by=_who(by),
                    evidence=item["evidence"],
                    score_value=item["score"],
                    keys=item["keys"],
                )
            except ResolutionError as exc:
                err.print(f"[yellow]{exc}[/]")
                continue
            for change in result["changes"]:
                err.print(
                    f"  {change['action']}: {', '.join(change['members'])} "
                    f"-> {change['canonical_id']}"
                )


@app.command("decide")
def decide_cmd(
    left: Annotated[str, typer.Argument(help="Entity id.")],
    right: Annotated[str, typer.Argument(help="Entity id.")],
    judgement: Annotated[str, typer.Argument(help="positive, negative or unsure.")],
    reason: Annotated[str | None, typer.Option(help="Why (kept with the judgement).")] = None,
    by: ByOption = None,
    db: DbOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Record a judgement on a pair; a positive merges them, a negative blocks any merge."""
    if judgement not in JUDGEMENTS:
        raise typer.BadParameter(f"{judgement!r}: one of {', '.join(JUDGEMENTS)}")
    config = config_from(config_path, db)
    with open_store(config, read_only=False) as store:
        try:
            result = decide(
                store, left, right, cast(Judgement, judgement), by=_who(by), reason=reason
            )
        except ResolutionError as exc:
            if "no such entity" in str(exc):
                raise NotFound(str(exc)) from exc
            raise typer.BadParameter(f"refused: {exc}") from exc
    err.print(f"{result['judgement']}: {result['left']} / {result['right']}")
    for change in result["changes"]:
        err.print(
            f"  {change['action']}: {', '.join(change['members'])} -> {change['canonical_id']}"
        )


@app.command("undo")
def undo_cmd(
    entity: Annotated[str, typer.Argument(help="An entity of the merge (source or canonical id).")],
    other: Annotated[
        str | None, typer.Argument(help="Only the judgement between ENTITY and this one.")
    ] = None,
    by: ByOption = None,
    db: DbOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Undo a merge (all of it, or one judgement) and restore the source ids."""
    config = config_from(config_path, db)
    with open_store(config, read_only=False) as store:
        try:
            result = undo(store, entity, other, by=_who(by))
        except ResolutionError as exc:
            raise NotFound(str(exc)) from exc
    err.print(f"{result['retracted']} judgement(s) retracted")
    for change in result["changes"]:
        err.print(
            f"  {change['action']}: {', '.join(change['members'])} -> {change['canonical_id']}"
        )


@app.command("show")
def show(
    entity: Annotated[
        str | None, typer.Argument(help="Entity id (default: every judgement).")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    config_path: ConfigOption = None,
) -> None:
    """The judgements recorded (the judgement graph), with who decided and when."""
    config = config_from(config_path, db)
    with open_store(config, read_only=True) as store:
        rows = judgements(store, entity)
    if as_json:
        print(to_json(rows))
        return
    out = data_console(__import__("sys").stdout)
    for row in rows:
        state = f" (retracted {row['retracted_at']:%Y-%m-%d})" if row["retracted_at"] else ""
        auto = " auto" if row["auto"] else ""
        out.print(
            f"{row['judgement']}{auto}: {row['left']} / {row['right']} by {row['by']} "
            f"{row['decided_at']:%Y-%m-%d %H:%M}{state}"
            + (f": {row['reason']}" if row["reason"] else "")
        )
