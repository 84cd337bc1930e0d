"""``make demo``: the main job on the bundled data, through the real CLI, into a fresh store.

Run from the repository. Every step is a real command a user can run: load the real lists,
generate the simulated material (seeded AIS tracks and customs records with fictitious
identities), run the detectors, flags and ownership rules, build the bundled case
"DPRK-Russia nexus" and write its briefing. Nothing is precomputed; the store
(``out/demo.duckdb``) is rebuilt each time, so the demo shows what a new user gets.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from interdiction.cli import run
from interdiction.commands.common import err, tell_lists_once

CASE = Path("data/cases/dprk-russia-nexus")
SEED = 0  # the seed the case file and the simulated registry extract were written for


def _run(args: list[str]) -> None:
    err.print(f"[bold cyan]$ interdiction {' '.join(args)}[/]")
    code = run(args)
    if code:
        err.print(f"[red]demo stopped: the step above exited with {code}[/]")
        raise SystemExit(code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m interdiction.demo")
    parser.add_argument("--data", type=Path, default=Path("data/lists/bundle"))
    parser.add_argument("--more", type=Path, default=Path("data/lists/more"))
    parser.add_argument("--case", type=Path, default=CASE)
    parser.add_argument("--out", type=Path, default=Path("out"))
    parser.add_argument("--quick", action="store_true", help="skip the extra national lists")
    args = parser.parse_args(argv)
    if not (args.data / "manifest.json").is_file():
        err.print(f"[red]error:[/] {args.data}: no bundle here; run the demo from the repository")
        return 3
    out: Path = args.out
    db = out / "demo.duckdb"
    sim = out / "simulated"
    out.mkdir(parents=True, exist_ok=True)
    for stale in (db, Path(f"{db}.wal")):
        stale.unlink(missing_ok=True)
    config = str(args.case / "interdiction.toml")
    common = ["--db", str(db)]
    started = time.monotonic()
    tell_lists_once()  # one pipeline: the list versions are said once, not at every step

    err.print("[bold]1. Real lists[/] (OFAC SDN, UN; UK, Australia, Canada)")
    bundles = [str(args.data)]
    if not args.quick and (args.more / "manifest.json").is_file():
        bundles.append(str(args.more))
    _run(["lists", "load", *bundles, *common, "-q"])
    _run(["report", "designations", *common, "--vessels", "8", "--companies", "8"])
    # The route's ships as the reports name them (no IMO numbers), screened against the lists.
    reported = args.case / "reported_names.csv"
    screened = out / "reported-names-screened.csv"
    _run(["screen", "--input", str(reported), "--alerts", "--output", str(screened), *common])

    err.print("[bold]2. Simulated material[/] (fictitious identities, marked SIMULATED)")
    _run(["ais", "simulate", "--seed", str(SEED), *common])
    _run(["trade", "simulate", str(sim / "trade"), "--seed", str(SEED)])
    _run(
        [
            "lists",
            "load",
            str(sim / "trade" / "sim_trade_watchlist.ftm.json"),
            "--simulated",
            *common,
            "-q",
        ]
    )
    _run(
        [
            "lists",
            "load",
            str(args.case / "simulated" / "registry_extract.csv"),
            "--simulated",
            "--dataset",
            "sim_registry",
            "--published",
            "2024-02-01",
            *common,
            "-q",
        ]
    )
    _run(
        [
            "trade",
            "load",
            str(sim / "trade" / "sim_shipments.csv"),
            str(sim / "trade" / "sim_comtrade.csv"),
            "--simulated",
            *common,
        ]
    )

    err.print("[bold]3. Detectors, flags and rules[/]")
    _run(["ais", "detect", *common])
    _run(["ais", "quality", *common])
    _run(["trade", "flags", *common, "--format", "json", "--output", str(out / "trade-flags.json")])
    _run(["network", "alerts", *common, "--config", config])

    err.print("[bold]4. The case and its briefing[/]")
    case_file = str(args.case / "case.yaml")
    _run(["case", "build", case_file, *common])
    html = out / "dprk-russia-nexus.html"
    for fmt, path in (("html", html), ("md", out / "dprk-russia-nexus.md")):
        report = ["case", "report", "dprk-russia-nexus", "--format", fmt, "--output", str(path)]
        _run([*report, *common, "--config", config])
    _run(["case", "show", "dprk-russia-nexus", *common])
    err.print(
        f"[bold green]demo done[/] in {time.monotonic() - started:.1f} s; store: {db}\n"
        f"briefing: {html.resolve()}"
    )
    print(html.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
