"""``lists update``: the only code that touches the network, and only when a user runs it.

On a connected machine it downloads the official files of each list into a *bundle*: a folder
with the files and a ``manifest.json`` holding each file's role, URL, size and SHA-256, and the
publication date (the HTTP ``Last-Modified`` header, or the date written in the file, or else
the download date, marked as such). ``lists load BUNDLE`` verifies every hash before reading,
so a bundle carried to an air-gapped machine loads exactly what was downloaded, or nothing.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from interdiction import __version__
from interdiction.config import Config
from interdiction.fileio import sha256_file
from interdiction.sources.base import FileSet, InputError, SourceFile
from interdiction.sources.load import BUNDLE_FORMAT, MANIFEST, readers
from interdiction.sources.registry import REGISTRY, ListSource, download_format, file_name


class UpdateError(RuntimeError):
    """A download failed; the message names the list, the URL and the reason."""


def _urls(source: ListSource, config: Config) -> tuple[str, dict[str, str]]:
    """(reader, role -> URL): the preferred format, or the one the URL overrides name."""
    return download_format(source, config.lists.urls.get(source.dataset, {}))


def _fetch(url: str, dest: Path, timeout: float) -> dict[str, Any]:
    request = urllib.request.Request(url, headers={"User-Agent": f"interdiction/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response, open(dest, "wb") as out:
            shutil.copyfileobj(response, out, 1 << 20)
            modified = response.headers.get("Last-Modified")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise UpdateError(f"{url}: download failed: {reason}") from exc
    if dest.stat().st_size == 0:
        raise UpdateError(f"{url}: the server sent an empty file")
    stamp = None
    if modified:
        with contextlib.suppress(TypeError, ValueError):
            parsed = email.utils.parsedate_to_datetime(modified)
            stamp = parsed.astimezone(UTC).replace(tzinfo=None)
    return {"last_modified": stamp.isoformat() if stamp else None}


def download_bundle(
    datasets: Iterable[str], dest: Path, config: Config, say: Any = None
) -> dict[str, Any]:
    """Download the lists into ``dest`` (created atomically: it appears complete or not at all)."""
    say = say or (lambda _msg: None)
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise InputError(dest, "exists and is not empty; choose a new folder for the bundle")
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    by_name = {r.name: r for r in readers(config)}
    manifest: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "created": datetime.now(UTC).replace(tzinfo=None).isoformat(),
        "tool": f"interdiction {__version__}",
        "datasets": [],
    }
    try:
        for name in datasets:
            source = REGISTRY.get(name)
            if source is None:
                raise UpdateError(f"{name}: not a known list (see `interdiction lists sources`)")
            files = []
            modified: list[str] = []
            reader, urls = _urls(source, config)
            for role, url in sorted(urls.items()):
                local = file_name(source, role, reader)
                say(f"downloading {name} {role}: {url}")
                info = _fetch(url, staging / local, config.lists.download_timeout_s)
                if info["last_modified"]:
                    modified.append(info["last_modified"])
                files.append(
                    {
                        "name": local,
                        "role": role,
                        "url": url,
                        "bytes": (staging / local).stat().st_size,
                        "sha256": sha256_file(staging / local),
                        "last_modified": info["last_modified"],
                    }
                )
            fileset = FileSet(
                dataset=name,
                reader=reader,
                files=[
                    SourceFile(staging / f["name"], f["role"], f["sha256"], f["bytes"])
                    for f in files
                ],
            )
            in_file = by_name[reader].published(fileset)
            if in_file is not None:
                published, published_from = in_file, "file"
            elif modified:
                published, published_from = (
                    datetime.fromisoformat(max(modified)),
                    "http-last-modified",
                )
            else:
                published = datetime.now(UTC).replace(tzinfo=None)
                published_from = "download-date"
            manifest["datasets"].append(
                {
                    "dataset": name,
                    "reader": reader,
                    "published": published.isoformat(),
                    "published_from": published_from,
                    "origin": urls.get("primary") or source.homepage,
                    "files": files,
                }
            )
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        if dest.exists():
            dest.rmdir()
        os.replace(staging, dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest
