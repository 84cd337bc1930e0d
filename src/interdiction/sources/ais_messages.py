"""AIS message layouts (ITU-R M.1371-5) and a vectorised decoder of their bit fields.

One declarative table per message type, as pyais declares its message classes, and one
decoder that reads a whole column of payloads at once with numpy instead of one message at a
time. pyais (MIT, M0r13n/pyais) is the reference: every field decodes to the value pyais gives,
including its edge cases, which ``tests/test_ais_nmea.py`` checks on every real sample:

- the fill bits at the end of a payload are dropped;
- a field that starts at or after the end of the payload is ``None``;
- a field cut by the end holds only the bits present, not shifted (``bit_vector.get``);
- text is six-bit ASCII with trailing ``@`` and surrounding spaces removed;
- latitudes and longitudes are rounded to 6 decimals exactly as pyais's integer formula does;
- rate of turn is pyais's ``to_turn`` (0 -> 0.0, +-127/-128 kept, else squared and rounded).

Unlike pyais, characters outside the AIS armouring alphabet are not read as zero bits: the
caller rejects such payloads (``ARMOR_VALID``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

Kind = Literal["u", "i", "b", "s"]  # unsigned, signed, boolean, six-bit text
Conv = Literal["", "tenth", "latlon", "latlon600", "turn", "float", "shiptype", "epfd"]


@dataclass(frozen=True)
class Field:
    name: str
    start: int
    width: int
    kind: Kind = "u"
    conv: Conv = ""


@dataclass(frozen=True)
class Layout:
    """A message type (or a variant of one, such as type 24 part B)."""

    name: str
    fields: tuple[Field, ...]
    # Bits a payload must hold before we use it (the standard length of the message).
    min_bits: int

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


def _layout(
    name: str, min_bits: int, *spec: tuple[str, int, Kind, Conv] | tuple[str, int]
) -> Layout:
    """Fields in order, each (name, width[, kind, conv]); names starting with '_' are spare."""
    fields = []
    start = 0
    for item in spec:
        fname, width = item[0], item[1]
        kind: Kind = item[2] if len(item) > 2 else "u"
        conv: Conv = item[3] if len(item) > 3 else ""
        if not fname.startswith("_"):
            fields.append(Field(fname, start, width, kind, conv))
        start += width
    return Layout(name, tuple(fields), min_bits)


_HEAD: tuple[tuple[str, int], ...] = (("msg_type", 6), ("repeat", 2), ("mmsi", 30))

# Types 1, 2 and 3: Class A position report (gpsd AIVDM "Types 1, 2 and 3").
POSITION_A = _layout(
    "position_a",
    168,
    *_HEAD,
    ("status", 4),
    ("turn", 8, "i", "turn"),
    ("speed", 10, "u", "tenth"),
    ("accuracy", 1, "b", ""),
    ("lon", 28, "i", "latlon"),
    ("lat", 27, "i", "latlon"),
    ("course", 12, "u", "tenth"),
    ("heading", 9),
    ("second", 6),
    ("maneuver", 2),
    ("_spare_1", 3),
    ("raim", 1, "b", ""),
    ("radio", 19),
)

# Type 5: static and voyage related data (two sentences, 424 bits).
STATIC_A = _layout(
    "static_a",
    424,
    *_HEAD,
    ("ais_version", 2),
    ("imo", 30),
    ("callsign", 42, "s", ""),
    ("shipname", 120, "s", ""),
    ("ship_type", 8, "u", "shiptype"),
    ("to_bow", 9),
    ("to_stern", 9),
    ("to_port", 6),
    ("to_starboard", 6),
    ("epfd", 4, "u", "epfd"),
    ("month", 4),
    ("day", 5),
    ("hour", 5),
    ("minute", 6),
    ("draught", 8, "u", "tenth"),
    ("destination", 120, "s", ""),
    ("dte", 1, "b", ""),
    ("_spare_1", 1),
)

# Types 18 and 19 begin alike after the header: Class B speed, position, course, heading.
_CLASS_B_POSITION: tuple[Any, ...] = (
    ("reserved_1", 8),
    ("speed", 10, "u", "tenth"),
    ("accuracy", 1, "b", ""),
    ("lon", 28, "i", "latlon"),
    ("lat", 27, "i", "latlon"),
    ("course", 12, "u", "tenth"),
    ("heading", 9),
    ("second", 6),
)

# Type 18: standard Class B position report.
POSITION_B = _layout(
    "position_b",
    168,
    *_HEAD,
    *_CLASS_B_POSITION,
    ("reserved_2", 2),
    ("cs", 1, "b", ""),
    ("display", 1, "b", ""),
    ("dsc", 1, "b", ""),
    ("band", 1, "b", ""),
    ("msg22", 1, "b", ""),
    ("assigned", 1, "b", ""),
    ("raim", 1, "b", ""),
    ("radio", 20),
)

# Type 19: extended Class B position report (position and static data in one).
POSITION_B_EXT = _layout(
    "position_b_ext",
    312,
    *_HEAD,
    *_CLASS_B_POSITION,
    ("reserved_2", 4),
    ("shipname", 120, "s", ""),
    ("ship_type", 8, "u", "shiptype"),
    ("to_bow", 9),
    ("to_stern", 9),
    ("to_port", 6),
    ("to_starboard", 6),
    ("epfd", 4, "u", "epfd"),
    ("raim", 1, "b", ""),
    ("dte", 1, "b", ""),
    ("assigned", 1, "b", ""),
    ("_spare_1", 4),
)

# Type 24: static data report, part A (name) and part B (type, call sign, dimensions).
STATIC_B_A = _layout(
    "static_b_a", 160, *_HEAD, ("partno", 2), ("shipname", 120, "s", ""), ("_spare_1", 8)
)
_STATIC_B_B_HEAD: tuple[tuple[str, int] | tuple[str, int, Kind, Conv], ...] = (
    *_HEAD,
    ("partno", 2),
    ("ship_type", 8),
    ("vendorid", 18, "s", ""),
    ("model", 4),
    ("serial", 20),
    ("callsign", 42, "s", ""),
)
STATIC_B_B = _layout(
    "static_b_b",
    162,
    *_STATIC_B_B_HEAD,
    ("to_bow", 9),
    ("to_stern", 9),
    ("to_port", 6),
    ("to_starboard", 6),
    ("_spare_1", 6),
)
# Part B of an auxiliary craft (MMSI 98MIDxxxx) carries its mother ship's MMSI instead.
STATIC_B_B_AUX = _layout(
    "static_b_b_aux", 162, *_STATIC_B_B_HEAD, ("mothership_mmsi", 30), ("_spare_1", 6)
)

# Type 27: long-range broadcast (satellite), positions in 1/10 minute.
LONG_RANGE = _layout(
    "long_range",
    96,
    *_HEAD,
    ("accuracy", 1, "b", ""),
    ("raim", 1, "b", ""),
    ("status", 4),
    ("lon", 18, "i", "latlon600"),
    ("lat", 17, "i", "latlon600"),
    ("speed", 6, "u", "float"),
    ("course", 9, "u", "float"),
    ("gnss", 1, "b", ""),
    ("_spare_1", 1),
)

LAYOUTS: dict[int, Layout] = {
    1: POSITION_A,
    2: POSITION_A,
    3: POSITION_A,
    5: STATIC_A,
    18: POSITION_B,
    19: POSITION_B_EXT,
    27: LONG_RANGE,
}
DECODED_TYPES = frozenset((*LAYOUTS, 24))
POSITION_TYPES = frozenset((1, 2, 3, 18, 19, 27))
STATIC_TYPES = frozenset((5, 19, 24))

# Six-bit armouring: '0'..'W' -> 0..39, '`'..'w' -> 40..63; anything else is not AIS.
ARMOR = np.zeros(256, dtype=np.uint8)
ARMOR_VALID = np.zeros(256, dtype=bool)
for _c in range(48, 88):
    ARMOR[_c], ARMOR_VALID[_c] = _c - 48, True
for _c in range(96, 120):
    ARMOR[_c], ARMOR_VALID[_c] = _c - 56, True
# Six-bit text: 0..31 -> '@', 'A'..'Z', '[', '\\', ']', '^', '_'; 32..63 -> ' '..'?'.
SIXBIT_ASCII = np.array([v + 64 if v < 32 else v for v in range(64)], dtype=np.uint8)


def _ship_type_table() -> npt.NDArray[np.int64]:
    """pyais ShipType: reserved codes fold into the group's reserved member or 0 (not available)."""
    table = np.arange(256, dtype=np.int64)
    table[1:20] = 0
    table[26:29] = 25
    table[38:40] = 0
    table[46:49] = 45
    table[57] = 56
    table[66:69] = 65
    table[76:79] = 75
    table[86:89] = 85
    table[96:99] = 95
    table[100:] = 0
    return table


SHIP_TYPE = _ship_type_table()
# pyais EpfdType: 9..14 are not defined and read as 0 (undefined); 15 is internal GNSS.
EPFD = np.where((np.arange(16) >= 9) & (np.arange(16) <= 14), 0, np.arange(16)).astype(np.int64)


@dataclass
class Column:
    """Decoded values of one field for many messages; ``present`` False where pyais gives None."""

    values: npt.NDArray[Any]
    present: npt.NDArray[np.bool_]


def payload_matrix(
    buf: npt.NDArray[np.uint8],
    starts: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
    fill: npt.NDArray[np.int64],
    width: int,
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
    """Six-bit values of the first ``width`` characters of each payload, zero beyond its end.

    Returns the matrix and each payload's length in bits (characters x 6 minus fill bits).
    The fill bits of the last character are cleared, so that bits past the end read as zero.
    """
    n = len(starts)
    if n and int(starts.max()) + width > len(buf):  # fixed-width rows must stay inside
        buf = np.concatenate((buf, np.zeros(width, dtype=np.uint8)))
    # Each payload's first ``width`` bytes as one row of a window view: a row copy each,
    # no index matrix.
    rows = np.lib.stride_tricks.sliding_window_view(buf, width)[starts]
    # Armouring by arithmetic: '0'..'W' -> 0..39, '`'..'w' -> 40..63 (payloads with other
    # characters were rejected before).
    chars = rows - np.uint8(48)
    chars -= (rows >= 96).view(np.uint8) * np.uint8(8)
    chars[np.arange(width)[None, :] >= lengths[:, None]] = 0
    nbits = lengths * 6 - fill
    last = lengths - 1
    rows_fill = np.flatnonzero((fill > 0) & (last < width) & (last >= 0))
    if len(rows_fill):
        keep = ((0x3F << fill[rows_fill]) & 0x3F).astype(np.uint8)
        chars[rows_fill, last[rows_fill]] &= keep
    return chars, nbits


def _raw(
    chars: npt.NDArray[np.uint8], nbits: npt.NDArray[np.int64], start: int, width: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The bits present of a field (pyais ``get``) and how many there are."""
    c0, c1 = start // 6, (start + width - 1) // 6
    acc = np.zeros(len(chars), dtype=np.uint64)
    for c in range(c0, c1 + 1):
        acc <<= np.uint64(6)
        if c < chars.shape[1]:
            acc |= chars[:, c].astype(np.uint64)
    tail = 6 * (c1 + 1) - (start + width)
    value = (acc >> np.uint64(tail)) & np.uint64((1 << width) - 1)
    avail = np.clip(nbits - start, 0, width)
    value = value >> (width - avail).astype(np.uint64)
    return value.astype(np.int64), avail


def decode_field(chars: npt.NDArray[np.uint8], nbits: npt.NDArray[np.int64], f: Field) -> Column:
    present = nbits > f.start
    if f.kind == "s":
        return Column(_text(chars, nbits, f), present)
    value, avail = _raw(chars, nbits, f.start, f.width)
    if f.kind == "i":
        sign = (avail > 0) & ((value >> np.maximum(avail - 1, 0)) & 1).astype(bool)
        value = np.where(sign, value - (np.int64(1) << avail), value)
    if f.kind == "b":
        return Column(value != 0, present)
    return Column(_convert(value, f.conv), present)


def _convert(value: npt.NDArray[np.int64], conv: Conv) -> npt.NDArray[np.generic]:
    if conv == "":
        return value
    if conv == "float":
        return value.astype(np.float64)
    if conv == "shiptype":
        return np.asarray(SHIP_TYPE[value & 0xFF], dtype=np.int64)
    if conv == "epfd":
        return np.asarray(EPFD[value & 0xF], dtype=np.int64)
    if conv == "tenth":
        return value / 10.0
    if conv == "latlon":  # pyais to_lat_lon: round(v / 600000, 6) as an exact integer formula
        return ((10 * value + 3) // 6) / 1e6
    if conv == "latlon600":  # pyais to_lat_lon_600
        return ((10000 * value + 3) // 6) / 1e6
    if conv == "turn":  # pyais to_turn
        v = value.astype(np.float64)
        squared = np.copysign(np.round((v / 4.733) ** 2), v)
        special = (np.abs(value) == 127) | (value == 0)
        out = np.where(special, v, squared)
        return np.where(np.abs(value) == 128, -128.0, out)
    raise ValueError(conv)


def _text(
    chars: npt.NDArray[np.uint8], nbits: npt.NDArray[np.int64], f: Field
) -> npt.NDArray[np.object_]:
    """Six-bit text, trimmed as pyais does (trailing '@', then spaces)."""
    n = len(chars)
    count = (f.width + 5) // 6
    codes = np.empty((n, count), dtype=np.uint8)
    for k in range(count):
        value, _ = _raw(chars, nbits, f.start + 6 * k, 6)
        codes[:, k] = SIXBIT_ASCII[value]
    # As fixed-width byte strings (six-bit text has no NUL), trimmed as columns.
    text = np.ascontiguousarray(codes).view(f"S{count}").reshape(n)
    text = np.strings.strip(np.strings.rstrip(text, b"@"))
    return np.asarray(text.astype(f"U{count}"), dtype=object)


def decode_layout(
    chars: npt.NDArray[np.uint8],
    nbits: npt.NDArray[np.int64],
    layout: Layout,
    names: tuple[str, ...] | None = None,
) -> dict[str, Column]:
    """Every field of ``layout`` (or only ``names``) for a group of payloads of that type."""
    return {
        f.name: decode_field(chars, nbits, f)
        for f in layout.fields
        if names is None or f.name in names
    }


def layout_for(msg_type: int, partno: int = 0, mmsi: int = 0) -> Layout | None:
    """The layout of one message, type 24 resolved by part number and auxiliary-craft MMSI."""
    if msg_type == 24:
        if partno == 0:
            return STATIC_B_A
        if partno == 1:
            return STATIC_B_B_AUX if 980000000 <= mmsi <= 989999999 else STATIC_B_B
        return None
    return LAYOUTS.get(msg_type)


def chars_needed(layout: Layout) -> int:
    last = max(f.start + f.width for f in layout.fields)
    return (max(last, layout.min_bits) + 5) // 6
