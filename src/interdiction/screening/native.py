"""The matcher compiled to C by mypyc: the same typed source, run 1.5 to 1.7 times as fast.

Screening spends its time in a few modules of plain, mypy-strict Python (``COMPILED``).
``make native`` (``native_build.py``) compiles them with mypyc into ``_native/`` beside them
and writes a manifest of the hashes of every source the build read. The package puts
``_native/`` first on its ``__path__`` (``activate``) only while each of those sources is
unchanged, so an edited module is never shadowed by an old build: it runs as Python until
the next build. The compiled and the Python matcher give the same scores (a test compares
them); the saved index is the same pickle for both. ``INTERDICTION_PURE_PYTHON=1`` runs the
Python source regardless.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

PACKAGE = "interdiction.screening"
# The hot modules (profiled on the screening benchmark: scoring and candidate search).
COMPILED = ("scoring", "matching", "names", "transliteration", "korean", "arabic")
# One shared library for the group, inside the package (so nothing is added to sys.path).
GROUP = f"{PACKAGE}.compiled"
NATIVE = Path(__file__).with_name("_native")
MANIFEST = "manifest.json"
PURE_ENV = "INTERDICTION_PURE_PYTHON"
ROOT = Path(__file__).resolve().parents[2]  # the folder that holds the interdiction package

# What this process runs, set by ``activate`` when the package is imported.
STATUS = "python (not activated)"


def _file(module: str, root: Path = ROOT) -> Path | None:
    """The source of a module of the package (``a.b`` -> a/b.py or a/b/__init__.py)."""
    base = root.joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imports(path: Path) -> set[str]:
    """The package's modules this source imports, and the packages that hold them."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            if name.split(".")[0] == "interdiction":
                parts = name.split(".")
                found.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return found


def sources(root: Path = ROOT) -> dict[str, Path]:
    """Every source a build depends on: the compiled modules and, transitively, the package's
    modules they import (mypyc reads their types, and may fold their constants in)."""
    todo = [f"{PACKAGE}.{name}" for name in COMPILED]
    out: dict[str, Path] = {}
    while todo:
        module = todo.pop()
        if module in out:
            continue
        path = _file(module, root)
        if path is None:
            continue
        out[module] = path
        todo.extend(_imports(path) - out.keys())
    return dict(sorted(out.items()))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stale(native: Path = NATIVE, root: Path = ROOT) -> str | None:
    """Why the build in ``native`` may not run here (None when it may)."""
    try:
        manifest = json.loads((native / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "not built (make native)"
    except (OSError, ValueError) as exc:
        return f"unreadable build manifest {native / MANIFEST}: {exc}"
    if manifest.get("cache_tag") != sys.implementation.cache_tag:
        return f"built for {manifest.get('cache_tag')}, this is {sys.implementation.cache_tag}"
    suffix = manifest.get("suffix")
    if suffix not in EXTENSION_SUFFIXES:
        return f"built for extension suffix {suffix}, not this interpreter's"
    for name in (*COMPILED, GROUP.rsplit(".", 1)[1] + "__mypyc"):
        if not (native / f"{name}{suffix}").is_file():
            return f"incomplete build: no {name}{suffix}"
    recorded: dict[str, str] = manifest.get("sources", {})
    for module, built in recorded.items():
        path = _file(module, root)
        if path is None or digest(path) != built:
            return f"{module} changed since the build (rebuild: make native)"
    if not recorded:
        return "build manifest names no sources"
    return None


def activate(package_path: list[str], native: Path = NATIVE, root: Path = ROOT) -> str:
    """Put the compiled modules first on the package's path when they match the source.

    Called by the package's ``__init__`` before any compiled module is imported; returns
    what the process runs ("compiled (mypyc)" or "python (why)")."""
    global STATUS
    if os.environ.get(PURE_ENV, "") not in ("", "0"):
        STATUS = f"python ({PURE_ENV} is set)"
    elif (why := stale(native, root)) is not None:
        STATUS = f"python ({why})"
    else:
        if str(native) not in package_path:
            package_path.insert(0, str(native))
        STATUS = "compiled (mypyc)"
    return STATUS


def compiled() -> bool:
    return STATUS.startswith("compiled")
