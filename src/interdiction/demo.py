"""``make demo``: the main job on the bundled data, through the real CLI, into a fresh store.

Run from the repository (the bundle is ``data/lists/bundle``); the store is written to
``out/demo.duckdb`` and rebuilt each time, so the demo always shows what a new user gets.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from interdiction.cli import app
from interdiction.commands.common import err


def _run(args: list[str]) -> None:
    err.print(f"[bold cyan]$ interdiction {' '.join(args)}[/]")
    code = app(args, standalone_mode=False)
    if isinstance(code, int) and code:
        raise SystemExit(code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m interdiction.demo")
    parser.add_argument("--data", type=Path, default=Path("data/lists/bundle"))
    parser.add_argument("--more", type=Path, default=Path("data/lists/more"))
    parser.add_argument("--db", type=Path, default=Path("out/demo.duckdb"))
    args = parser.parse_args(argv)
    if not (args.data / "manifest.json").is_file():
        err.print(f"[red]error:[/] {args.data}: no bundle here; run the demo from the repository")
        return 3
    args.db.parent.mkdir(parents=True, exist_ok=True)
    for stale in (args.db, Path(f"{args.db}.wal")):
        stale.unlink(missing_ok=True)
    started = time.monotonic()
    bundles = [str(args.data)]
    if (args.more / "manifest.json").is_file():
        bundles.append(str(args.more))  # the UK, Australian and Canadian lists
    _run(["lists", "load", *bundles, "--db", str(args.db)])
    _run(["lists", "status", "--db", str(args.db)])
    _run(["report", "designations", "--db", str(args.db), "--vessels", "15"])
    _run(["entities", "show", "ofac-37059", "--db", str(args.db)])
    if len(bundles) > 1:
        _run(["lists", "reconcile", "--db", str(args.db)])
    err.print(
        f"[bold green]demo done[/] in {time.monotonic() - started:.1f} s; store: {args.db} "
        f"(try: interdiction entities show unsc-KPe.001 --db {args.db})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
