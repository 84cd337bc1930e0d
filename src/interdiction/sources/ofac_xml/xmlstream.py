"""Streaming the large XML lists: records one at a time, freed once read, with line numbers.

OFAC's full SDN file in either XML schema is over 100 MB; a whole lxml tree of it takes
gigabytes. ``records`` walks the file with ``iterparse`` and yields each element at a chosen
depth (a record), then clears it and the siblings before it, so memory holds one record at a
time plus what the caller keeps. Entities and DTDs are never resolved; nothing is fetched.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from interdiction.sources.base import InputError


def local(tag: object) -> str:
    """The element name without its namespace (OFAC has changed namespaces over the years)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def line_of(node: etree._Element) -> int | None:
    line = node.sourceline
    return line if isinstance(line, int) else None


def text(node: etree._Element | None) -> str | None:
    """An element's text, stripped (line breaks inside become spaces); None when empty.

    Inner spacing is kept as published: OFAC's tickers are written ``601698  CN``."""
    if node is None or node.text is None:
        return None
    value = node.text.strip()
    if "\n" in value or "\t" in value or "\r" in value:
        value = " ".join(value.split())
    return value or None


def child(node: etree._Element, name: str) -> etree._Element | None:
    for sub in node:
        if local(sub.tag) == name:
            return sub
    return None


def children(node: etree._Element, name: str) -> list[etree._Element]:
    return [sub for sub in node if local(sub.tag) == name]


def child_text(node: etree._Element, *path: str) -> str | None:
    current: etree._Element | None = node
    for name in path:
        if current is None:
            return None
        current = child(current, name)
    return text(current)


def records(
    path: Path, depths: set[int], keep_under: frozenset[str] = frozenset()
) -> Iterator[tuple[int, etree._Element]]:
    """(depth, element) for every element that ends at one of ``depths`` (root is 0).

    Each yielded element is freed after use, except the children of ``keep_under`` elements
    (small sections read whole when they end, such as reference tables).
    """
    depth = -1
    try:
        context = etree.iterparse(
            str(path),
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=True,
            remove_comments=True,
            remove_pis=True,
        )
        for event, node in context:
            if event == "start":
                depth += 1
                continue
            if depth in depths:
                yield depth, node
                parent = node.getparent()
                if parent is None or local(parent.tag) not in keep_under:
                    node.clear(keep_tail=False)
                    if parent is not None:
                        while node.getprevious() is not None:
                            del parent[0]
            depth -= 1
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise InputError(path, f"not well-formed XML (truncated?): {exc.msg}", line) from exc
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc}") from exc
