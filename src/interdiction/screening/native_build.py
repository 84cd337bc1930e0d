"""Build the compiled matcher (``make native``): ``python -m interdiction.screening.native_build``.

It needs the development tools (mypy, which carries mypyc, setuptools and a C compiler);
the build it leaves in ``_native/`` needs nothing of them at run time. See native.py.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
import sysconfig
import tempfile
import time
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

from interdiction.screening.native import (
    COMPILED,
    GROUP,
    MANIFEST,
    NATIVE,
    PACKAGE,
    ROOT,
    digest,
    sources,
    stale,
)


def build(native: Path = NATIVE, root: Path = ROOT, jobs: int = 2) -> Path:
    """Compile ``COMPILED`` into ``native``, whole or not at all.

    The sources are copied first and the copy is compiled, so the manifest's hashes are of
    exactly what was compiled; the new build replaces the old by renaming folders, so a
    process starting meanwhile sees the old build, none (Python), or the new one."""
    from mypyc.build import mypycify
    from setuptools import Distribution

    deps = sources(root)
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or EXTENSION_SUFFIXES[0]
    with tempfile.TemporaryDirectory(prefix="interdiction-native-") as tmp_name:
        tmp = Path(tmp_name)
        src = tmp / "src"
        for path in (root / "interdiction").rglob("*.py"):
            copy = src / path.relative_to(root)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy)
        digests = {module: digest(src / path.relative_to(root)) for module, path in deps.items()}
        config = tmp / "mypy.ini"
        # The package is mypy-strict clean (make lint); here mypy only gives mypyc the types.
        config.write_text(
            f"[mypy]\nmypy_path = {src}\nignore_missing_imports = True\nfollow_imports = silent\n",
            encoding="utf-8",
        )
        paths = [str(src.joinpath(*PACKAGE.split("."), f"{name}.py")) for name in COMPILED]
        cwd = Path.cwd()
        os.chdir(tmp)  # setuptools and mypyc write their intermediate files here
        try:
            said = io.StringIO()  # mypyc's notes (a generator read as a list), shown on failure
            try:
                with contextlib.redirect_stdout(said):
                    extensions = mypycify(
                        ["--config-file", str(config), *paths],
                        opt_level="3",
                        group_name=GROUP,
                        target_dir=str(tmp / "c"),
                    )
            except BaseException:
                print(said.getvalue(), file=sys.stderr)
                raise
            dist = Distribution({"name": "interdiction-native", "ext_modules": extensions})
            command = dist.get_command_obj("build_ext")
            command.build_lib = str(tmp / "lib")
            command.build_temp = str(tmp / "obj")
            command.parallel = jobs
            dist.run_command("build_ext")
        finally:
            os.chdir(cwd)
        built = tmp.joinpath("lib", *PACKAGE.split("."))
        staging = Path(tempfile.mkdtemp(prefix="_native.", dir=native.parent))
        staging.chmod(0o755)  # mkdtemp's 0700 would hide the build from other users
        for library in built.glob(f"*{suffix}"):
            shutil.copyfile(library, staging / library.name)
        manifest = {
            "cache_tag": sys.implementation.cache_tag,
            "suffix": suffix,
            "compiled": list(COMPILED),
            "sources": digests,
            "mypy": _version("mypy"),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        problem = stale(staging, src)
        if problem is not None:
            shutil.rmtree(staging, ignore_errors=True)
            raise RuntimeError(f"native build incomplete: {problem}")
    _install(staging, native)
    return native


def _install(staging: Path, native: Path) -> None:
    old = native.with_name(f"{native.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if native.exists():
        native.rename(old)
    staging.rename(native)
    shutil.rmtree(old, ignore_errors=True)
    for leftover in native.parent.glob(f"{native.name}.*"):  # a killed build's staging
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "status":
        print(stale() or "compiled (mypyc), up to date")
        return 0
    if args and args[0] not in ("build",):
        print(
            "usage: python -m interdiction.screening.native_build [build [--force]|status]",
            file=sys.stderr,
        )
        return 2
    if stale() is None and "--force" not in args:
        print(f"{NATIVE}: compiled matcher up to date")
        return 0
    missing = missing_tools()
    if missing:
        print(
            f"compiled matcher not built ({missing}): screening runs as Python, with the same "
            "results, slower",
            file=sys.stderr,
        )
        return 1
    started = time.perf_counter()
    built = build()
    print(
        f"{built}: compiled {', '.join(COMPILED)} (mypyc) in {time.perf_counter() - started:.0f} s"
    )
    return 0


def missing_tools() -> str | None:
    """What the build lacks here (mypyc, setuptools, a C compiler), or None."""
    for module in ("mypyc.build", "setuptools"):
        try:
            __import__(module)
        except ImportError:
            return f"no {module.split('.')[0]}: install the development tools (uv sync)"
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        return f"no C compiler ({compiler})"
    return None


if __name__ == "__main__":
    raise SystemExit(main())
