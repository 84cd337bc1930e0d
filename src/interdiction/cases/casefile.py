"""Reading a case file (YAML), with errors that name the field and its line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from interdiction.cases.model import CaseFile


class CaseFileError(ValueError):
    """A case file that cannot be read; the message names file, line and field."""


def _node_line(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The line (1-based) of the YAML node at ``loc`` (a pydantic error location)."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            found = None
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == str(key):
                    found = v
                    break
            if found is None:
                break
            node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
        line = node.start_mark.line + 1
    return line


def load_case_file(path: Path) -> CaseFile:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseFileError(f"{path}: cannot read: {exc}") from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        raise CaseFileError(f"{path}{where}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise CaseFileError(f"{path}: a case file is a YAML mapping (id, title, bluf, ...)")
    try:
        return CaseFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            line = _node_line(node, loc)
            field = ".".join(str(p) for p in loc) or "(top)"
            problems.append(f"{path}, line {line}: {field}: {err['msg']}")
        raise CaseFileError("\n".join(problems)) from exc


def dump_case_file(case: CaseFile) -> str:
    text: str = yaml.safe_dump(
        case.model_dump(mode="json", exclude_defaults=True), sort_keys=False, allow_unicode=True
    )
    return text
