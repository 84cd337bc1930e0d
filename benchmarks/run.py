"""Run the benchmarks: ``python -m benchmarks.run [NAME ...] [--quick]``.

Discovers ``benchmarks/bench_*.py``; each writes ``benchmarks/results/<name>.json``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
from pathlib import Path

from benchmarks.harness import Context, write_results

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="smaller inputs, for a smoke run")
    args = parser.parse_args(argv)
    available = sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    names = args.names or available
    unknown = set(names) - set(available)
    if unknown:
        print(f"unknown benchmarks: {', '.join(sorted(unknown))}; known: {', '.join(available)}")
        return 2
    failed = False
    for name in names:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
            ctx = Context(tmp=Path(tmp), quick=args.quick)
            print(f"== {name}", flush=True)
            results = module.run(ctx)
        path = write_results(name, results, ctx.notes)
        for row in results:
            failed = failed or "error" in row
            print("  " + ", ".join(f"{k}={v}" for k, v in row.items() if k != "error"))
            if "error" in row:
                print(row["error"])
        print(f"  -> {path.relative_to(HERE.parent)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
