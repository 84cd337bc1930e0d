"""``interdiction screen``, ``interdiction compare`` and ``interdiction decisions``.

The screening itself is ``interdiction.screening``; these commands read arguments and files,
call it, and write what it returns.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from interdiction import screening
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
from interdiction.config import Config
from interdiction.screening import Filters, QueryError, Screening
from interdiction.screening.alerts import ScreenedName, write_match_alerts
from interdiction.sources.base import InputError
from interdiction.store import Store, StoreError

# FtM properties a batch file may carry, and the column names taken for them by default.
BATCH_PROPS = (
    "name",
    "alias",
    "schema",
    "birthDate",
    "nationality",
    "country",
    "jurisdiction",
    "gender",
    "imoNumber",
    "mmsi",
    "passportNumber",
    "idNumber",
    "registrationNumber",
    "taxNumber",
    "innCode",
    "ogrnCode",
    "leiCode",
    "swiftBic",
    "publicKey",
    "id",
)
RESULT_COLUMNS = (
    "row",
    "status",
    "error",
    "match",
    "score",
    "entity_id",
    "caption",
    "schema_listed",
    "datasets",
    "explanation",
    "decision",
    "other_results",
)


def _index(store: Store, rebuild: bool = False) -> screening.ScreeningIndex:
    if rebuild:
        index = screening.build_index(store)
        try:
            screening.save_index(index, screening.index_path(store))
        except OSError as exc:
            err.print(f"[yellow]warning:[/] index not saved beside the store: {exc}")
        return index
    try:
        return screening.load_index(store)
    except screening.StaleIndex as exc:
        err.print(f"{exc}: rebuilding the screening index ...")
    return _index(store, rebuild=True)


def _example(
    name: str | None,
    schema: str,
    birth_date: list[str],
    country: list[str],
    imo: str | None,
    mmsi: str | None,
    identifier: list[str],
    passport: list[str],
) -> dict[str, Any]:
    props: dict[str, list[str]] = {}
    if name:
        props["name"] = [name]
    if birth_date:
        props["birthDate"] = birth_date
    if country:
        key = "nationality" if schema == "Person" else "country"
        props[key] = [c.lower() for c in country]
    if imo:
        props["imoNumber"] = [imo]
    if mmsi:
        props["mmsi"] = [mmsi]
    if identifier:
        props["idNumber"] = identifier
    if passport:
        props["passportNumber"] = passport
    return {"schema": schema, "properties": props}


def screen(
    name: Annotated[str | None, typer.Argument(help="Name to screen (any script).")] = None,
    schema: Annotated[
        str, typer.Option(help="FtM schema: Person, Organization, Company, Vessel, LegalEntity.")
    ] = "LegalEntity",
    birth_date: Annotated[
        list[str], typer.Option("--birth-date", help="Birth date (YYYY, YYYY-MM-DD).")
    ] = [],  # noqa: B006
    country: Annotated[
        list[str], typer.Option("--country", help="Country or nationality code (kp, ru, cn).")
    ] = [],  # noqa: B006
    imo: Annotated[str | None, typer.Option("--imo", help="Ship IMO number.")] = None,
    mmsi: Annotated[str | None, typer.Option("--mmsi", help="MMSI.")] = None,
    identifier: Annotated[
        list[str], typer.Option("--id", help="An identifier: registration, tax or national id.")
    ] = [],  # noqa: B006
    passport: Annotated[list[str], typer.Option("--passport", help="Passport number.")] = [],  # noqa: B006
    input_file: Annotated[
        Path | None, typer.Option("--input", "-i", help="Batch: a CSV file of queries.")
    ] = None,
    column: Annotated[
        list[str],
        typer.Option(
            "--column",
            help="Batch column mapping PROP=COLUMN (e.g. name='Company name'); by default "
            "columns named like FtM properties (name, schema, birthDate, country, imoNumber ...).",
        ),
    ] = [],  # noqa: B006
    limit: Annotated[int | None, typer.Option(help="Results per query.")] = None,
    threshold: Annotated[float | None, typer.Option(help="Match threshold (0-1).")] = None,
    dataset: Annotated[
        list[str], typer.Option("--dataset", help="Only these lists (us_ofac_sdn ...).")
    ] = [],  # noqa: B006
    include_delisted: Annotated[
        bool, typer.Option("--include-delisted", help="Also match delisted entities.")
    ] = False,
    client: Annotated[str, typer.Option(help="Client id for human decisions.")] = "",
    reindex: Annotated[
        bool, typer.Option("--reindex", help="Rebuild the screening index first.")
    ] = False,
    alerts: Annotated[
        bool,
        typer.Option(
            "--alerts",
            help="Batch: also write each match as a screening_match alert (with the input "
            "line and an optional 'source' column as its evidence) for cases to rest on.",
        ),
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Screen a name (or a CSV of queries) against the loaded lists, with explanations."""
    config = config_from(config_path, db)
    if alerts and input_file is None:
        raise typer.BadParameter("--alerts goes with --input FILE.csv")
    if (
        name is None
        and input_file is None
        and not reindex
        and not (imo or mmsi or identifier or passport)
    ):
        raise typer.BadParameter("give a NAME, --imo/--mmsi/--id, or --input FILE.csv")
    with open_store(config, read_only=True) as store:
        lists = report_lists(store, config)
        index = _index(store, rebuild=reindex)
        decisions = screening.load_decisions(store)
    filters = Filters(datasets=set(dataset) or None, include_delisted=include_delisted)
    options: dict[str, Any] = {
        "limit": limit,
        "threshold": threshold,
        "filters": filters,
        "decisions": decisions,
        "client_id": client,
    }
    if input_file is not None:
        screened = _screen_batch(
            index, config, input_file, column, output, options, fmt or "csv", keep=alerts
        )
        if alerts:
            with open_store(config, read_only=False) as store:
                written = write_match_alerts(store, screened, config, input_file.name)
            err.print(f"alerts written: screening_match {written.get('alerts', 0)}")
        return
    if name is None and not (imo or mmsi or identifier or passport):
        err.print(f"index rebuilt: {len(index.entities)} entities, {len(index.names)} names")
        return
    example = _example(name, schema, birth_date, country, imo, mmsi, identifier, passport)
    try:
        result = screening.screen(index, example, config.screening, **options)
    except (QueryError, screening.NameError_) as exc:
        raise typer.BadParameter(str(exc)) from exc
    for note in result.notes:
        err.print(f"[yellow]note:[/] {note}")
    chosen = output_format(fmt, as_json)
    if chosen == "json":
        with data_out(output) as handle:
            handle.write(to_json({**screening.to_dict(result), "lists_used": lists}) + "\n")
        return
    _print_result(result, output)


def _print_result(result: Screening, output: Path | None) -> None:
    with data_out(output) as handle:
        out = data_console(handle)
        if not result.results:
            out.print(f"no result above the cutoff ({result.candidates} candidates scored)")
        for n, hit in enumerate(result.results, 1):
            flag = "[bold red]MATCH[/]" if hit.match else "[dim]no match[/]"
            delisted = (
                f" [yellow]delisted {hit.entity.delisted:%Y-%m-%d}[/]"
                if hit.entity.delisted
                else ""
            )
            out.print(
                f"{n}. {flag} {hit.score:.3f}  [bold]{hit.entity.caption}[/] "
                f"({hit.entity.schema}, {hit.entity.id}; "
                f"{', '.join(hit.entity.datasets)}){delisted}"
            )
            for feature, detail in hit.features.items():
                out.print(f"     {feature}: {detail.detail}")
            if hit.decision:
                out.print(f"     [cyan]{hit.decision['note']}[/]")
        labels = "; ".join(f"{v['dataset']} {v['published'][:10]}" for v in result.lists)
        out.print(f"[dim]screened against: {labels}; threshold {result.threshold}[/]")


def _count_lines(path: Path) -> int:
    """For the progress bar only (a quoted field may span lines)."""
    try:
        with open(path, "rb") as handle:
            return sum(1 for _ in handle)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc}") from exc


def _read_csv(path: Path) -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
    """(line, row, error) per record; a broken record is an error row, the file goes on."""
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc}") from exc
    with handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader)
        except StopIteration as exc:
            raise InputError(path, "empty file (a header row is expected)") from exc
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(path, f"unreadable header: {exc}", 1) from exc
        columns = [h.strip() for h in header]
        while True:
            line = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                raise InputError(path, f"not UTF-8 text: {exc}", line) from exc
            except csv.Error as exc:
                yield line, None, f"broken CSV record: {exc}"
                continue
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(columns):
                yield (
                    line,
                    None,
                    f"{len(values)} fields where the header has {len(columns)} (broken quoting?)",
                )
                continue
            yield line, dict(zip(columns, values, strict=True)), None


def _mapping(columns: list[str], column: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    lowered = {c.lower(): c for c in columns}
    for prop in BATCH_PROPS:
        if prop.lower() in lowered:
            mapping[prop] = lowered[prop.lower()]
    for item in column:
        prop, sep, col = item.partition("=")
        if not sep or not prop or not col:
            raise typer.BadParameter(f"--column {item!r}: expected PROP=COLUMN")
        if col not in columns:
            raise typer.BadParameter(f"--column {item!r}: no column {col!r} in the input")
        mapping[prop] = col
    return mapping


# Rows between two collections of the young generations in a batch (see
# screening.collector_paused).
BATCH_CHUNK = 1000


def _screen_batch(
    index: screening.ScreeningIndex,
    config: Config,
    path: Path,
    column: list[str],
    output: Path | None,
    options: dict[str, Any],
    fmt: str,
    keep: bool = False,
) -> list[ScreenedName]:
    """Screen every row; with ``keep``, the matched rows come back (for ``--alerts``): a
    plain batch holds no results in memory, however long the file."""
    screened: list[ScreenedName] = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
    header = next(csv.reader([first])) if first else []
    mapping = _mapping([h.strip() for h in header], column)
    if not any(p in mapping for p in ("name", "imoNumber", "mmsi", "idNumber", "passportNumber")):
        raise InputError(
            path,
            f"no name or identifier column (have {', '.join(header)}); map one with "
            "--column name=COLUMN",
        )
    total = _count_lines(path) - 1
    errors = matches = done = 0
    with data_out(output) as handle, progress_bar() as progress:
        writer = csv.DictWriter(
            handle, fieldnames=[*header, *RESULT_COLUMNS], extrasaction="ignore"
        )
        writer.writeheader()
        for line, row, problem in screening.collector_paused(_read_csv(path), BATCH_CHUNK):
            done += 1
            progress("screening", done, total)
            out: dict[str, Any] = {"row": line}
            if row is not None:
                out.update(row)
            if problem is None and row is not None:
                try:
                    example = _row_example(row, mapping)
                    result = screening.screen(index, example, config.screening, **options)
                    out.update(_row_result(result))
                    matched = bool(result.results and result.results[0].match)
                    matches += matched
                    if matched and keep:
                        screened.append(
                            ScreenedName(
                                path.name,
                                line,
                                example,
                                result,
                                source=(row.get("source") or "").strip(),
                                note=(row.get("note") or "").strip(),
                            )
                        )
                except (QueryError, screening.NameError_) as exc:
                    problem = str(exc)
            if problem is not None:
                errors += 1
                out.update({"status": "error", "error": problem})
            writer.writerow(out)
    err.print(
        f"screened {done} rows: {matches} with a match, {errors} errors (see the error column)"
    )
    return screened


def _row_example(row: dict[str, str], mapping: dict[str, str]) -> dict[str, Any]:
    props: dict[str, list[str]] = {}
    schema = "LegalEntity"
    for prop, col in mapping.items():
        value = (row.get(col) or "").strip()
        if not value:
            continue
        if prop == "schema":
            schema = value
        elif prop != "id":
            props[prop] = [v.strip() for v in value.split(";") if v.strip()]
    return {"schema": schema, "properties": props}


def _row_result(result: Screening) -> dict[str, Any]:
    if not result.results:
        return {"status": "ok", "match": False, "score": 0.0}
    best = result.results[0]
    others = [f"{r.entity.id} {r.score:.3f}" for r in result.results[1:]]
    return {
        "status": "ok",
        "match": best.match,
        "score": round(best.score, 4),
        "entity_id": best.entity.id,
        "caption": best.entity.caption,
        "schema_listed": best.entity.schema,
        "datasets": ";".join(best.entity.datasets),
        "explanation": best.explanation,
        "decision": best.decision["note"] if best.decision else "",
        "other_results": "; ".join(others),
    }


def compare(
    input_file: Annotated[
        Path, typer.Option("--input", "-i", help="CSV with columns name1,name2[,schema].")
    ],
    output: OutputOption = None,
    explain: Annotated[bool, typer.Option(help="Add an explanation column.")] = True,
    db: DbOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Score name pairs (name1 = the query, name2 = the listed name) to evaluate the matcher.

    Token rarity comes from the store's screening index when a store exists (--db); without
    one, built-in weights are used and a note says so.
    """
    config = config_from(config_path, db)
    index = None
    try:
        with open_store(config, read_only=True) as store:
            index = _index(store)
    except StoreError as exc:
        err.print(f"[yellow]note:[/] no store ({exc}); token rarity uses built-in weights")
    columns = ("name1", "name2", "schema")
    total = _count_lines(input_file) - 1
    errors = done = 0
    with open(input_file, encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader([handle.readline()]), [])
    missing = [c for c in columns[:2] if c not in [h.strip() for h in header]]
    if missing:
        raise InputError(input_file, f"missing column(s) {', '.join(missing)} (have {header})")
    out_columns = [
        *[h.strip() for h in header],
        "score",
        "match",
        *(["explanation"] if explain else []),
        "error",
    ]
    with data_out(output) as handle, progress_bar() as progress:
        writer = csv.DictWriter(handle, fieldnames=out_columns, extrasaction="ignore")
        writer.writeheader()
        for line, row, problem in screening.collector_paused(_read_csv(input_file), BATCH_CHUNK):
            done += 1
            progress("comparing", done, total)
            out: dict[str, Any] = dict(row or {})
            if row is not None and problem is None:
                try:
                    score, match, why = screening.compare_pair(
                        row["name1"],
                        row["name2"],
                        (row.get("schema") or "LegalEntity").strip() or "LegalEntity",
                        index,
                        config.screening,
                    )
                    out.update({"score": score, "match": match, "explanation": why})
                except (QueryError, screening.NameError_, ValueError) as exc:
                    problem = str(exc)
            if problem is not None:
                errors += 1
                out["error"] = f"line {line}: {problem}"
            writer.writerow(out)
    err.print(f"compared {done} pairs, {errors} errors")


decisions_app = typer.Typer(
    help="Human decisions on screening hits: confirm, or mark false positive.",
    no_args_is_help=True,
)


@decisions_app.command("add")
def decisions_add(
    name: Annotated[str, typer.Argument(help="The screened name, as screened.")],
    entity_id: Annotated[str, typer.Argument(help="The listed entity the hit was on.")],
    decision: Annotated[str, typer.Option(help="false_positive or confirmed.")],
    analyst: Annotated[str, typer.Option(help="Who decides.")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit log).")],
    schema: Annotated[str, typer.Option(help="Schema of the screened query.")] = "LegalEntity",
    birth_date: Annotated[list[str], typer.Option("--birth-date")] = [],  # noqa: B006
    country: Annotated[list[str], typer.Option("--country")] = [],  # noqa: B006
    imo: Annotated[str | None, typer.Option("--imo")] = None,
    mmsi: Annotated[str | None, typer.Option("--mmsi")] = None,
    client: Annotated[str, typer.Option(help="Client id (the query's owner).")] = "",
    db: DbOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Record a decision on a hit; later screenings of the same query apply it."""
    config = config_from(config_path, db)
    example = _example(name, schema, birth_date, country, imo, mmsi, [], [])
    query = screening.as_query(example, config=config.screening)
    with open_store(config, read_only=True) as store:
        index = _index(store)
    with open_store(config, read_only=False) as store:
        try:
            row = screening.record_decision(
                store, index, query, entity_id, decision, analyst, reason, client_id=client
            )
        except screening.DecisionError as exc:
            if "no listed entity" in str(exc):
                raise NotFound(str(exc)) from exc
            raise typer.BadParameter(str(exc)) from exc
    print(to_json(row.to_dict()))


@decisions_app.command("list")
def decisions_list(
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Every decision recorded, oldest first: the audit log (also as JSON or CSV)."""
    config = config_from(config_path, db)
    with open_store(config, read_only=True) as store:
        rows = screening.export_decisions(store)
    chosen = output_format(fmt, as_json)
    for row in rows:
        row["query"] = json.dumps(row["query"], ensure_ascii=False)
        row["lists"] = json.dumps(row["lists"])
    columns = (
        "decided_at",
        "analyst",
        "decision",
        "entity_id",
        "client_id",
        "query_key",
        "reason",
        "entity_checksum",
        "matcher_version",
        "query",
        "lists",
        "id",
    )
    emit_rows(rows, columns, chosen, output, title="screening decisions")
