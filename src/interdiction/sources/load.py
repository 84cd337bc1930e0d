"""From paths on disk to dataset versions in the store: recognise, date, read, ingest.

The public entry point of the sources capability (``load_paths``). Files are grouped into
file sets (one dataset version each) by the reader that recognises them; each set is dated
(``--published``, a bundle manifest, the file itself, or a date in its name, in that order),
read into entities with provenance, and handed to the store in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from interdiction.config import Config
from interdiction.fileio import sha256_file
from interdiction.sources.au_dfat import AuDfatReader
from interdiction.sources.base import Batch, FileSet, InputError, Reader, SourceFile
from interdiction.sources.bods import BodsReader
from interdiction.sources.ca_sema import CaSemaReader
from interdiction.sources.eu_xml import EuXmlReader
from interdiction.sources.ftm_json import FtmJsonReader
from interdiction.sources.ofac_csv.reader import OfacCsvReader
from interdiction.sources.ofac_xml.reader import OfacXmlReader
from interdiction.sources.ownership_csv import OwnershipCsvReader
from interdiction.sources.registry import REGISTRY
from interdiction.sources.uk_ofsi import UkOfsiReader
from interdiction.sources.un_xml import UnXmlReader
from interdiction.sources.us_csl import UsCslReader
from interdiction.store.db import Store
from interdiction.store.ingest import STATEMENT_TYPES, IngestBatch, IngestReport, ingest

MANIFEST = "manifest.json"
BUNDLE_FORMAT = "interdiction-bundle/1"
HEAD_BYTES = 65536

# (stage, records done, records in all): stages are sentences; counts drive a progress bar.
Progress = Callable[[str, int | None, int | None], None]


def readers(config: Config | None = None) -> list[Reader]:
    limit = config.lists.ofac_remarks_limit if config else 1000
    return [
        OfacXmlReader(remarks_limit=limit),
        OfacCsvReader(remarks_limit=limit),
        UnXmlReader(),
        EuXmlReader(),
        UkOfsiReader(),
        CaSemaReader(),
        AuDfatReader(),
        UsCslReader(),
        BodsReader(),  # before FtM JSON: both read .json files
        FtmJsonReader(),
        OwnershipCsvReader(),
    ]


class BundleError(InputError):
    """A bundle's files do not match its manifest: nothing is loaded."""


@dataclass
class Plan:
    fileset: FileSet
    reader: Reader
    notes: list[str]


def _date_in_name(path: Path) -> datetime | None:
    for part in (path.name, path.parent.name):
        match = re.search(r"(20\d{2}|19\d{2})-?(\d{2})-?(\d{2})", part)
        if match:
            try:
                return datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
    return None


def _expand(paths: Iterable[Path]) -> tuple[list[Path], list[dict[str, Any]]]:
    """Files to read, and the manifests of bundles among them (verified here)."""
    files: list[Path] = []
    manifests: list[dict[str, Any]] = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise InputError(path, "no such file or directory")
        if path.is_dir():
            manifest = path / MANIFEST
            if manifest.is_file():
                data = read_manifest(manifest)
                manifests.append(data)
                files.extend(path / f["name"] for ds in data["datasets"] for f in ds["files"])
            else:
                files.extend(
                    sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
                )
        elif path.name == MANIFEST:
            data = read_manifest(path)
            manifests.append(data)
            files.extend(path.parent / f["name"] for ds in data["datasets"] for f in ds["files"])
        else:
            files.append(path)
    return files, manifests


def read_manifest(path: Path) -> dict[str, Any]:
    """A bundle manifest, with every file's hash checked before anything is read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BundleError(path, f"unreadable manifest: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != BUNDLE_FORMAT:
        raise BundleError(path, f"not an interdiction bundle manifest (format {BUNDLE_FORMAT})")
    for ds in data.get("datasets", []):
        for entry in ds.get("files", []):
            file = path.parent / entry["name"]
            if not file.is_file():
                raise BundleError(path, f"{entry['name']} is listed but missing from the bundle")
            digest = sha256_file(file)
            if digest != entry["sha256"]:
                raise BundleError(
                    file,
                    f"sha256 {digest[:16]}... does not match the manifest's "
                    f"{entry['sha256'][:16]}...: the file changed after download; not loaded",
                )
    data["_dir"] = str(path.parent)
    return data


def plan(
    paths: Iterable[Path],
    *,
    dataset: str | None = None,
    fmt: str | None = None,
    published: datetime | None = None,
    simulated: bool = False,
    config: Config | None = None,
) -> list[Plan]:
    files, manifests = _expand(paths)
    if not files:
        raise InputError(", ".join(str(p) for p in paths), "no files to load")
    by_name = {r.name: r for r in readers(config)}
    if fmt and fmt not in by_name:
        raise InputError(fmt, f"unknown format; known: {', '.join(sorted(by_name))}")
    bundled: dict[Path, dict[str, Any]] = {}
    for manifest in manifests:
        for ds in manifest["datasets"]:
            for entry in ds["files"]:
                bundled[(Path(manifest["_dir"]) / entry["name"]).resolve()] = {
                    **ds,
                    "role": entry["role"],
                }

    groups: dict[tuple[str, str], dict[str, SourceFile]] = {}
    meta: dict[tuple[str, str], dict[str, Any]] = {}
    for path in files:
        try:
            with open(path, "rb") as handle:
                head = handle.read(HEAD_BYTES)
        except OSError as exc:
            raise InputError(path, f"cannot read: {exc}") from exc
        entry = bundled.get(path.resolve())
        claim: tuple[str, str] | None = None
        reader: Reader | None = None
        if entry is not None:
            reader, claim = by_name.get(entry["reader"]), (entry["dataset"], entry["role"])
        else:
            candidates = [by_name[fmt]] if fmt else list(by_name.values())
            for candidate in candidates:
                claim = candidate.claim(path, head)
                if claim:
                    reader = candidate
                    break
        if reader is None or claim is None:
            if not head.strip():
                raise InputError(path, "empty file")
            raise InputError(
                path,
                "not a list format interdiction reads (known: "
                + ", ".join(f"{r.name}: {r.title}" for r in by_name.values())
                + ")",
            )
        ds_name = dataset or claim[0]
        key = (reader.name, ds_name)
        group = groups.setdefault(key, {})
        if claim[1] in group:
            raise InputError(
                path,
                f"two {claim[1]} files for {ds_name} ({group[claim[1]].path.name} and "
                f"{path.name}): load one version at a time",
            )
        group[claim[1]] = SourceFile(path, claim[1], sha256_file(path), path.stat().st_size)
        if entry is not None:
            meta[key] = entry

    skipped = _superseded(groups, by_name)
    plans: list[Plan] = []
    for (reader_name, ds_name), members in groups.items():
        if (reader_name, ds_name) in skipped:
            continue
        reader = by_name[reader_name]
        entry = meta.get((reader_name, ds_name), {})
        fileset = FileSet(
            dataset=ds_name,
            reader=reader_name,
            files=sorted(members.values(), key=lambda f: f.role),
            simulated=simulated or bool(entry.get("simulated")),
            origin=entry.get("origin") or str(Path(next(iter(members.values())).path).parent),
        )
        notes: list[str] = []
        if published is not None:
            fileset.published, fileset.published_from = published, "argument"
        elif entry.get("published"):
            fileset.published = datetime.fromisoformat(entry["published"])
            fileset.published_from = entry.get("published_from") or "manifest"
        elif (stamp := reader.published(fileset)) is not None:
            fileset.published, fileset.published_from = stamp, "file"
        elif (stamp := _date_in_name(fileset.files[0].path)) is not None:
            fileset.published, fileset.published_from = stamp, "file name"
            notes.append(
                f"{ds_name}: publication date {stamp:%Y-%m-%d} taken from the file or folder "
                "name; pass --published to state it"
            )
        else:
            raise InputError(
                fileset.files[0].path,
                f"{ds_name}: the files carry no publication date; pass --published YYYY-MM-DD",
            )
        for (other, other_ds), why in skipped.items():
            if other_ds == ds_name and why == reader_name:
                names = ", ".join(sorted(f.name for f in groups[(other, other_ds)].values()))
                notes.append(
                    f"{ds_name}: {names} ({other}) skipped: the same list in the {reader_name} "
                    "format is in this load and is preferred (it carries what the older "
                    "format lacks)"
                )
        if not reader.complete(fileset):
            notes.append(
                f"{ds_name}: partial file set ({', '.join(sorted(fileset.roles))}): values "
                "are added and refreshed, but nothing is retired or delisted"
            )
        plans.append(Plan(fileset, reader, notes))
    return plans


def _superseded(
    groups: dict[tuple[str, str], dict[str, SourceFile]], by_name: dict[str, Reader]
) -> dict[tuple[str, str], str]:
    """File sets not to read because a preferred format of the same dataset is in the load:
    (reader, dataset) -> the reader that supersedes it."""
    out: dict[tuple[str, str], str] = {}
    for reader_name, ds_name in groups:
        for older in by_name[reader_name].supersedes:
            if (older, ds_name) in groups:
                out[(older, ds_name)] = reader_name
    return out


def _stage_progress(say: Progress, stage: str) -> Callable[[int, int | None], None]:
    def tick(done: int, total: int | None) -> None:
        say(stage, done, total)

    return tick


def _known_schema_lookup(store: Store, dataset: str) -> Callable[[str], str | None]:
    cache: dict[str, str] | None = None

    def lookup(entity_id: str) -> str | None:
        nonlocal cache
        if cache is None:
            rows = store.con.execute(
                """SELECT entity_id, schema FROM entities WHERE dataset = ? AND delisted IS NULL""",
                [dataset],
            ).fetchall()
            cache = dict(rows)
        return cache.get(entity_id)

    return lookup


def to_ingest(plan: Plan, batch: Batch) -> IngestBatch:
    fileset, reader = plan.fileset, plan.reader
    assert fileset.published is not None and fileset.published_from is not None
    columns: dict[str, list[Any]] = {name: [] for name in STATEMENT_TYPES.names}
    entities: dict[str, tuple[str, str, bool]] = {}
    for entity_id, entity in batch.entities.items():
        schema = entity.schema.name
        rows = batch.statements(entity_id)
        if not rows:
            continue
        entities[entity_id] = (schema, entity.caption, entity_id in batch.targets)
        for (prop, value, lang), statement_id, original, origin_key in rows:
            origin = batch.origins.get(origin_key)
            columns["id"].append(statement_id)
            columns["entity_id"].append(entity_id)
            columns["schema"].append(schema)
            columns["prop"].append(prop)
            columns["prop_type"].append(entity.schema.properties[prop].type.name)
            columns["value"].append(value)
            columns["original_value"].append(original)
            columns["lang"].append(lang)
            columns["external"].append(False)
            columns["origin"].append(origin.file if origin else "")
            columns["origin_role"].append(origin.role if origin else reader.primary_role())
            columns["origin_record"].append(origin.record if origin else entity_id)
            columns["origin_line"].append(origin.line if origin else None)
    table = pa.table(columns, schema=STATEMENT_TYPES)
    digest = hashlib.sha256()
    for source in sorted(fileset.files, key=lambda f: (f.role, f.sha256)):
        digest.update(f"{source.role}:{source.sha256}\n".encode())
    fileset_hash = digest.hexdigest()
    registered = REGISTRY.get(fileset.dataset)
    return IngestBatch(
        dataset=fileset.dataset,
        version=f"{fileset.published:%Y%m%d}-{fileset_hash[:8]}",
        published=fileset.published,
        published_from=fileset.published_from,
        reader=reader.name,
        reader_version=reader.version,
        files=[
            {"name": f.name, "role": f.role, "sha256": f.sha256, "bytes": f.size}
            for f in fileset.files
        ],
        fileset_hash=fileset_hash,
        complete=reader.complete(fileset),
        simulated=fileset.simulated,
        present_roles=reader.covers(fileset),
        primary_present=fileset.role(reader.primary_role()) is not None,
        statements=table,
        entities=entities,
        records=batch.records,
        incomplete=batch.incomplete,
        issues=[issue.__dict__ for issue in batch.issues],
        origin=fileset.origin,
        title=registered.title if registered else None,
        authority=registered.authority if registered else None,
    )


def load_plans(
    store: Store, plans: list[Plan], progress: Progress | None = None
) -> tuple[list[IngestReport], list[str]]:
    """Read and ingest planned versions; one store transaction per version."""
    say = progress or (lambda _stage, _done, _total: None)
    reports: list[IngestReport] = []
    notes: list[str] = []
    for item in plans:
        notes.extend(item.notes)
        fileset = item.fileset
        stage = f"reading {fileset.dataset} ({', '.join(f.name for f in fileset.files)})"
        say(stage, 0, None)
        batch = Batch.for_fileset(fileset)
        batch.progress = _stage_progress(say, stage)
        item.reader.read(fileset, batch, _known_schema_lookup(store, fileset.dataset))
        ingest_batch = to_ingest(item, batch)
        say(
            f"writing {fileset.dataset}: {len(ingest_batch.entities)} entities, "
            f"{ingest_batch.statements.num_rows} statements",
            None,
            None,
        )
        reports.append(ingest(store, ingest_batch))
    return reports, notes


def load_paths(
    store: Store,
    paths: Iterable[Path],
    *,
    dataset: str | None = None,
    fmt: str | None = None,
    published: datetime | None = None,
    simulated: bool = False,
    config: Config | None = None,
    progress: Progress | None = None,
) -> tuple[list[IngestReport], list[str]]:
    """Load every dataset version found in ``paths``; one transaction per version."""
    plans = plan(
        paths, dataset=dataset, fmt=fmt, published=published, simulated=simulated, config=config
    )
    return load_plans(store, plans, progress)
