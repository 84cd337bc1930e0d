"""What every reader shares: file sets, provenance, issues and the batch a reader fills.

A reader turns one consistent set of files (a dataset version) into FtM entities whose every
statement carries its ``Origin`` (file, role in the set, record key, line). Problems with a
single record never stop the file: the record is quarantined (not loaded) or loaded with a
warning, and both are counted. Problems with a whole file (wrong kind, wrong encoding,
truncated) raise ``InputError`` naming the file and, where known, the line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from followthemoney import model
from followthemoney.dataset import Dataset
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy
from followthemoney.statement import Statement
from followthemoney.statement.util import NON_LANG_TYPE_NAMES
from followthemoney.types import registry

Level = Literal["quarantined", "warning"]


class InputError(ValueError):
    """A file cannot be read at all. The message names the file, line or element, and why."""

    def __init__(self, file: str | Path, reason: str, line: int | None = None) -> None:
        self.file = str(file)
        self.line = line
        self.reason = reason
        where = f"{file}, line {line}" if line else str(file)
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class SourceFile:
    path: Path
    role: str
    sha256: str
    size: int

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class FileSet:
    """One version of one dataset: the files a reader reads together."""

    dataset: str
    reader: str
    files: list[SourceFile]
    published: datetime | None = None
    published_from: str | None = None
    origin: str | None = None
    simulated: bool = False

    def role(self, role: str) -> SourceFile | None:
        for source in self.files:
            if source.role == role:
                return source
        return None

    @property
    def roles(self) -> set[str]:
        return {source.role for source in self.files}


@dataclass(frozen=True)
class Origin:
    file: str
    role: str
    record: str
    line: int | None = None

    @property
    def key(self) -> str:
        return f"{self.file}:{self.line}:{self.record}:{self.role}"


@dataclass
class Issue:
    level: Level
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    record: str | None = None
    raw: str | None = None


# A value as the store will hold it: (property, cleaned value, language).
ValueKey = tuple[str, str, str | None]


class DraftEntity(EntityProxy):
    """An entity being read: FtM's proxy, plus a view of its values as FtM statements."""

    __slots__ = ("_batch_values", "_dataset_name")

    def __init__(self, schema: Any, entity_id: str, values: dict[ValueKey, Any], dataset: str):
        super().__init__(schema, {"id": entity_id})
        self._batch_values = values
        self._dataset_name = dataset

    @property
    def statements(self) -> list[Statement]:
        """The statements this entity will be stored as (origin: the batch's origin key)."""
        return [
            Statement(
                entity_id=self.id or "",
                prop=prop,
                schema=self.schema.name,
                value=value,
                dataset=self._dataset_name,
                lang=lang,
                original_value=original,
                origin=origin,
            )
            for (prop, value, lang), (original, origin) in self._batch_values.items()
        ]


@dataclass
class Batch:
    """Entities, provenance and issues read from one file set.

    Entities are plain FtM proxies (cheap to fill); each value's provenance, original form and
    language are kept beside them in ``values`` and become statements in ``statements()``,
    with the ids FtM's ``Statement.make_key`` gives them.
    """

    fileset: FileSet
    dataset: Dataset
    entities: dict[str, DraftEntity] = field(default_factory=dict)
    # entity id -> value -> (original value, origin key), in the order values were added
    values: dict[str, dict[ValueKey, tuple[str | None, str]]] = field(default_factory=dict)
    origins: dict[str, Origin] = field(default_factory=dict)
    targets: set[str] = field(default_factory=set)
    issues: list[Issue] = field(default_factory=list)
    # Entity ids whose statements must not be retired by this load (known to be incomplete).
    incomplete: set[str] = field(default_factory=set)
    # Record keys seen in the primary file: the records this version lists.
    records: set[str] = field(default_factory=set)
    # Called by readers as they go: (records done, records in all, when known).
    progress: Callable[[int, int | None], None] = field(default=lambda done, total: None)

    @classmethod
    def for_fileset(cls, fileset: FileSet) -> Batch:
        return cls(fileset=fileset, dataset=Dataset.make({"name": fileset.dataset}))

    def entity(self, schema: str, entity_id: str, target: bool = False) -> DraftEntity:
        """The entity with this id, created on first use; a later, more specific schema wins."""
        found = self.entities.get(entity_id)
        if found is None:
            schema_obj = model.get(schema)
            if schema_obj is None:
                raise InvalidData(f"unknown schema {schema!r}")
            self.values[entity_id] = {}
            found = DraftEntity(schema_obj, entity_id, self.values[entity_id], self.fileset.dataset)
            self.entities[entity_id] = found
        elif found.schema.name != schema:
            found.schema = model.common_schema(found.schema, schema)
        if target:
            self.targets.add(entity_id)
        return found

    def add(
        self,
        entity: EntityProxy,
        prop: str,
        value: str | None,
        origin: Origin,
        *,
        lang: str | None = None,
        original_value: str | None = None,
        cleaned: bool = False,
    ) -> str | None:
        """Add one value with its provenance; returns the cleaned value, None if rejected."""
        if value is None:
            return None
        value = value.strip()
        if not value:
            return None
        self.origins.setdefault(origin.key, origin)
        prop_obj = entity.schema.get(prop)
        if prop_obj is None or prop_obj.stub:
            why = "is a reverse property" if prop_obj is not None else "is not a property"
            self.warn(
                "invalid-value", f"{prop}={value!r}: {prop} {why} of {entity.schema.name}", origin
            )
            return None
        clean = entity.unsafe_add(prop_obj, value, cleaned=cleaned)
        if clean is None and not cleaned and prop_obj.format is not None:
            # An identifier that fails its format's check (an LEI, INN or IMO check digit): the
            # list says it, so it is kept as written, and the failed check is reported.
            clean = entity.unsafe_add(prop_obj, prop_obj.type.clean_text(value), cleaned=True)
            if clean is not None:
                self.warn(
                    "bad-format",
                    f"{prop}={value!r} fails the {prop_obj.format} check; kept as written",
                    origin,
                )
        if clean is None:
            self.warn(
                "rejected-value",
                f"{prop}={value[:200]!r} is not a valid {prop_obj.type.name}; not loaded",
                origin,
            )
            return None
        if lang is not None:
            lang = (
                None
                if prop_obj.type.name in NON_LANG_TYPE_NAMES
                else registry.language.clean_text(lang)
            )
        key: ValueKey = (prop_obj.name, clean, lang)
        values = self.values.setdefault(entity.id or "", {})
        if key not in values:
            original = original_value or value
            values[key] = (None if original == clean else original, origin.key)
        return clean

    def statements(self, entity_id: str) -> list[tuple[ValueKey, str, str | None, str]]:
        """(value key, statement id, original value, origin key) of one entity's values."""
        dataset = self.fileset.dataset
        return [
            (
                key,
                Statement.make_key(dataset, entity_id, key[0], key[1], False, lang=key[2]) or "",
                original,
                origin,
            )
            for key, (original, origin) in self.values.get(entity_id, {}).items()
        ]

    def warn(
        self, code: str, message: str, origin: Origin | None = None, raw: str | None = None
    ) -> None:
        self.issues.append(self._issue("warning", code, message, origin, raw))

    def quarantine(
        self, code: str, message: str, origin: Origin | None = None, raw: str | None = None
    ) -> None:
        self.issues.append(self._issue("quarantined", code, message, origin, raw))

    def _issue(
        self, level: Level, code: str, message: str, origin: Origin | None, raw: str | None
    ) -> Issue:
        return Issue(
            level=level,
            code=code,
            message=message,
            file=origin.file if origin else None,
            line=origin.line if origin else None,
            record=origin.record if origin else None,
            raw=raw[:2000] if raw else None,
        )

    def quarantined(self) -> int:
        return sum(1 for issue in self.issues if issue.level == "quarantined")


# What the store can tell a reader about what it already holds (for partial file sets).
KnownSchema = Callable[[str], str | None]


class Reader:
    """A format: which files it recognises, and how to read a file set of them."""

    name: str = ""
    version: str = "1"
    title: str = ""
    # Readers of the same lists in an older format: when one load holds files of both for
    # the same dataset, this reader's set is read and theirs is skipped (OFAC XML over CSV).
    supersedes: tuple[str, ...] = ()

    def claim(self, path: Path, head: bytes) -> tuple[str, str] | None:
        """(dataset, role) when this reader reads ``path`` (``head``: its first bytes)."""
        raise NotImplementedError

    def complete(self, fileset: FileSet) -> bool:
        """True when the set holds every file of a full version (deletions are then allowed)."""
        raise NotImplementedError

    def primary_role(self) -> str:
        return "primary"

    def covers(self, fileset: FileSet) -> set[str]:
        """The origin roles a complete set of this reader speaks for: statements of the same
        dataset from other roles (another format's alias file) are retired when it omits them.
        """
        return fileset.roles

    def published(self, fileset: FileSet) -> datetime | None:
        """The publication date written in the files themselves, if the format has one."""
        return None

    def read(self, fileset: FileSet, batch: Batch, known_schema: KnownSchema) -> None:
        raise NotImplementedError


def iter_lines_checked(path: Path, encoding: str = "utf-8") -> Iterator[tuple[int, str]]:
    """Lines with their numbers, refusing a file in another encoding with the failing line."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                yield number, raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    path,
                    f"not {encoding} (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
                    "is this file in another encoding?",
                    line=number,
                ) from exc
