"""Identifiers: stable, source-prefixed entity ids and content-hash ids.

Entity ids follow OpenSanctions: a source prefix and the source's own stable key
(``ofac-306`` for OFAC ent_num 306, ``unsc-KPe.001`` for UN reference KPe.001). Entities
derived from a record (its sanction, addresses, documents) extend the parent id
(``ofac-306-sanction-us_ofac_sdn``). Evidence and alerts use content hashes, so that writing
the same finding twice yields the same row.
"""

from __future__ import annotations

import hashlib
import re

ID_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def slug(text: str) -> str:
    """A value made safe to sit inside an id (keeps dots, so ``KPe.001`` stays readable)."""
    return ID_SAFE.sub("-", text.strip()).strip("-")


FTM_UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")


def ftm_id_part(text: str) -> str:
    """A value made safe inside an FtM entity id, which allows only letters, digits, '.' and
    '-' (``bods_tecido`` becomes ``bods-tecido``); FtM silently drops references to others."""
    return FTM_UNSAFE.sub("-", text.strip()).strip("-.") or "x"


def content_hash(*parts: object, length: int = 20) -> str:
    """A stable hash of the parts, separated so that ("ab", "c") differs from ("a", "bc")."""
    digest = hashlib.sha1()
    for part in parts:
        digest.update(str(part).encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()[:length]


def derived_id(parent: str, kind: str, *key: object) -> str:
    """The id of an entity derived from ``parent`` (an address, a document, a wallet)."""
    if not key:
        return f"{parent}-{kind}"
    return f"{parent}-{kind}-{content_hash(*key, length=12)}"


IMO_RE = re.compile(r"^(?:IMO)?(\d{7})$", re.IGNORECASE)


def imo_checksum_ok(number: str) -> bool:
    """Ship IMO numbers: 7 digits, the last = sum(d_i * (7..2)) mod 10 over the first six.

    Strict on purpose: exactly seven digits (no zero-padding of short runs, which rigour's
    lenient ``IMO`` format does) and the ship scheme only, so that a company IMO number is
    never taken for a ship's. All-zero numbers pass the arithmetic but are junk: they fail.
    """
    if len(number) != 7 or not number.isdigit() or set(number) == {"0"}:
        return False
    total = sum(int(d) * w for d, w in zip(number[:6], range(7, 1, -1), strict=True))
    return total % 10 == int(number[6])


def company_imo_checksum_ok(number: str) -> bool:
    """IMO unique company and registered owner numbers: weights 8,6,4,2,9,7, mod 11."""
    if len(number) != 7 or not number.isdigit() or set(number) == {"0"}:
        return False
    total = sum(int(d) * w for d, w in zip(number[:6], (8, 6, 4, 2, 9, 7), strict=True))
    return (11 - total % 11) % 10 == int(number[6])


def clean_imo(text: str) -> str | None:
    """``"IMO 9179842"``, ``"IMO  9179842"`` or ``"9179842"`` to FtM's ``"IMO9179842"``."""
    match = IMO_RE.match("".join(text.split()))
    if match is None or not imo_checksum_ok(match.group(1)):
        return None
    return f"IMO{match.group(1)}"
