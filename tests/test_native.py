"""The compiled matcher (mypyc): it runs only while it matches the source, and it scores
exactly as the Python source does."""

from __future__ import annotations

import hashlib
import inspect
import itertools
import json
import os
import subprocess
import sys
from collections.abc import Callable
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from interdiction import screening
from interdiction.screening import native
from interdiction.store import Store

SUFFIX = EXTENSION_SUFFIXES[0]


def _fake_build(tmp_path: Path) -> tuple[Path, Path]:
    """A package tree (the compiled modules, one importing the config) and a build of it."""
    root = tmp_path / "root"
    package = root / "interdiction" / "screening"
    package.mkdir(parents=True)
    (root / "interdiction" / "__init__.py").write_text("")
    (root / "interdiction" / "config.py").write_text("THRESHOLD = 0.7\n")
    (root / "interdiction" / "cli.py").write_text("import interdiction.screening\n")
    (package / "__init__.py").write_text("")
    for name in native.COMPILED:
        (package / f"{name}.py").write_text(f"X = {name!r}\n")
    (package / "scoring.py").write_text("from interdiction.config import THRESHOLD\n")
    build = tmp_path / "_native"
    build.mkdir()
    for name in (*native.COMPILED, "compiled__mypyc"):
        (build / f"{name}{SUFFIX}").write_bytes(b"")
    digests = {
        module: hashlib.sha256(path.read_bytes()).hexdigest()
        for module, path in native.sources(root).items()
    }
    manifest = {"cache_tag": sys.implementation.cache_tag, "suffix": SUFFIX, "sources": digests}
    (build / native.MANIFEST).write_text(json.dumps(manifest))
    return root, build


@pytest.fixture()
def keep_status(monkeypatch: pytest.MonkeyPatch) -> None:
    """activate() records what the process runs; these tests must not change the record."""
    monkeypatch.setattr(native, "STATUS", native.STATUS)
    monkeypatch.delenv(native.PURE_ENV, raising=False)


def test_build_depends_on_what_the_compiled_modules_import(tmp_path: Path) -> None:
    root, _ = _fake_build(tmp_path)
    deps = native.sources(root)
    assert "interdiction.config" in deps  # mypyc reads its types and may fold its constants
    assert "interdiction.screening.scoring" in deps
    assert "interdiction.cli" not in deps  # not imported by a compiled module
    real = native.sources()
    assert {f"interdiction.screening.{m}" for m in native.COMPILED} <= real.keys()
    assert "interdiction.config" in real and "interdiction.cli" not in real


def test_a_current_build_goes_first_on_the_package_path(tmp_path: Path, keep_status: None) -> None:
    root, build = _fake_build(tmp_path)
    path = [str(root / "interdiction" / "screening")]
    assert native.activate(path, build, root) == "compiled (mypyc)"
    assert path[0] == str(build)


@pytest.mark.parametrize(
    "spoil, why",
    [
        (
            lambda root, build: (root / "interdiction/config.py").write_text("THRESHOLD = 0.8\n"),
            "interdiction.config changed since the build",
        ),
        (
            lambda root, build: (root / "interdiction/screening/korean.py").write_text("X = 1\n"),
            "interdiction.screening.korean changed since the build",
        ),
        (lambda root, build: (build / f"names{SUFFIX}").unlink(), "incomplete build"),
        (lambda root, build: (build / native.MANIFEST).unlink(), "not built"),
        (lambda root, build: (build / native.MANIFEST).write_text("{"), "unreadable"),
        (
            lambda root, build: (build / native.MANIFEST).write_text(
                json.dumps({"cache_tag": "cpython-99", "suffix": SUFFIX, "sources": {"a": "b"}})
            ),
            "built for cpython-99",
        ),
    ],
)
def test_a_stale_or_broken_build_leaves_the_python_source_running(
    tmp_path: Path, keep_status: None, spoil: Callable[[Path, Path], object], why: str
) -> None:
    root, build = _fake_build(tmp_path)
    spoil(root, build)
    path = [str(root / "interdiction" / "screening")]
    status = native.activate(path, build, root)
    assert status.startswith("python (") and why in status
    assert path == [str(root / "interdiction" / "screening")]


def test_the_environment_can_ask_for_the_python_source(
    tmp_path: Path, keep_status: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, build = _fake_build(tmp_path)
    monkeypatch.setenv(native.PURE_ENV, "1")
    path: list[str] = []
    assert native.activate(path, build, root) == f"python ({native.PURE_ENV} is set)"
    assert path == []


# The Python source, in a child process: it screens with the index this process saved,
# builds and saves its own, and scores pairs; this process (compiled) does the same.
_PURE_HEAD = """
import json, sys
from pathlib import Path
from interdiction import screening
from interdiction.screening import native
from interdiction.store import Store
assert not native.compiled(), native.STATUS
"""
_PURE_BODY = """
store_path, saved, own, queries_file = map(Path, sys.argv[1:5])
queries = json.loads(queries_file.read_text(encoding="utf-8"))
with Store.open(store_path, read_only=True) as store:
    theirs = screening.load_index(store, saved)
    index = screening.build_index(store)
screening.save_index(index, own)
print(json.dumps({"status": native.STATUS, "results": _run(theirs, queries)}))
"""


def _run(index: screening.ScreeningIndex, queries: dict[str, list[list[str]]]) -> object:
    out: list[object] = []
    for name, schema in queries["screen"]:
        result = screening.screen(index, {"schema": schema, "properties": {"name": [name]}})
        out.append([[r.entity.id, r.score, r.match, r.explanation] for r in result.results])
    for name1, name2, schema in queries["compare"]:
        out.append(list(screening.compare_pair(name1, name2, schema)))
    return out


def _queries(index: screening.ScreeningIndex) -> dict[str, list[list[str]]]:
    """Listed names as written and varied (words turned round, a letter dropped, joined with
    another entity's words), names in other scripts, and pairs of neighbouring names."""
    screen: list[list[str]] = []
    step = max(1, len(index.names) // 500)
    names = index.names[::step]
    for i, name in enumerate(names):
        schema = index.entities[index.name_owner[i * step]].schema
        words = name.text.split()
        screen.append([name.text, schema])
        screen.append([" ".join(reversed(words)), schema])
        longest = max(words, key=len)
        screen.append([name.text.replace(longest, longest[:-1], 1), schema])
        other = names[(i * 7 + 3) % len(names)].text.split()
        screen.append([" ".join(words[:1] + other[-1:]), schema])
    for text in (
        "김정은",
        "金正恩",
        "Ким Чен Ын",
        "리병철",
        "조선광선은행",
        "朝鲜光鲜银行",
        "Дмитрий Сергеевич Новиков",
        "中國船舶",
        "محمد علي",
    ):
        screen.append([text, "LegalEntity"])
    compare = [
        [a.text, b.text, "Person" if i % 2 else "Organization"]
        for i, (a, b) in enumerate(itertools.pairwise(names))
    ]
    return {"screen": screen, "compare": compare}


def test_the_compiled_matcher_scores_exactly_as_the_python_source(
    loaded_store_path: Path, tmp_path: Path
) -> None:
    if not native.compiled():
        if os.environ.get("CI"):
            pytest.fail(f"CI runs the compiled matcher (make native); this runs {native.STATUS}")
        pytest.skip(f"the compiled matcher is not built here: {native.STATUS}")
    ours, theirs = tmp_path / "ours.idx", tmp_path / "theirs.idx"
    with Store.open(loaded_store_path, read_only=True) as store:
        index = screening.build_index(store)
    screening.save_index(index, ours)
    queries = _queries(index)
    queries_file = tmp_path / "queries.json"
    queries_file.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    script = _PURE_HEAD + inspect.getsource(_run) + _PURE_BODY
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            str(loaded_store_path),
            str(ours),
            str(theirs),
            str(queries_file),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, native.PURE_ENV: "1"},
    )
    assert child.returncode == 0, child.stderr[-3000:]
    python = json.loads(child.stdout.splitlines()[-1])
    assert python["status"].startswith("python")
    compiled = json.loads(json.dumps(_run(index, queries)))
    assert len(compiled) == len(python["results"]) > 2000
    assert any(r and r[0][1] < 1.0 for r in compiled[: len(queries["screen"])])  # not all exact
    for query, ours_, theirs_ in zip(
        queries["screen"] + queries["compare"], compiled, python["results"], strict=True
    ):
        assert ours_ == theirs_, query
    # Each loads the index the other saved (one pickle for both builds).
    with Store.open(loaded_store_path, read_only=True) as store:
        from_python = screening.load_index(store, theirs)
    assert json.loads(json.dumps(_run(from_python, queries))) == compiled
