"""What every benchmark shares: isolated cases with time and peak memory, machine facts.

Each case runs in a forked child process, so its peak resident memory is its own and one
case's caches do not flatter the next. A benchmark module ``bench_<name>.py`` exposes
``run(ctx: Context) -> list[dict]``; every figure sits beside its baseline, measured in the
same run on the same machine.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import resource
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"  # benchmarks may read the full reference files
RESULTS = REPO / "benchmarks" / "results"


def machine() -> dict[str, Any]:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions = {}
    for module in ("duckdb", "followthemoney", "pyarrow", "lxml"):
        try:
            versions[module] = __import__(module).__version__
        except Exception:
            versions[module] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "versions": versions,
    }


@dataclass
class Context:
    tmp: Path
    quick: bool = False
    notes: list[str] = field(default_factory=list)


def _child(conn: Any, fn: Callable[[], dict[str, Any]]) -> None:
    try:
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        out = fn() or {}
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        out.setdefault("seconds", round(elapsed, 4))
        out["peak_rss_mb"] = round(peak / 1024, 1)
        out["rss_at_start_mb"] = round(base / 1024, 1)
        conn.send(("ok", out))
    except BaseException:
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


def measure(fn: Callable[[], dict[str, Any]], timeout: float = 1800) -> dict[str, Any]:
    """Run ``fn`` in a forked child; return its dict plus seconds and peak RSS (MB)."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn))
    proc.start()
    child.close()
    if not parent.poll(timeout):
        proc.kill()
        return {"error": f"timed out after {timeout} s"}
    status, payload = parent.recv()
    proc.join()
    if status != "ok":
        return {"error": payload}
    return dict(payload)


def per_second(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else float("inf")


def write_results(name: str, results: list[dict[str, Any]], notes: list[str]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    data = {
        "benchmark": name,
        "run_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine(),
        "results": results,
        "notes": notes,
    }
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
