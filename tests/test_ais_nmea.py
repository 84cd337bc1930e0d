"""The NMEA reader: pyais equality on real samples, times, assembly, bad input, fuzzing."""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pyais
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interdiction.sources.ais_nmea import (
    NmeaScanner,
    decode_messages,
    read_nmea,
)
from interdiction.sources.ais_records import NO_TIME, Issue

FIX = Path(__file__).parent / "fixtures" / "maritime"
REAL = [
    FIX / "dma_stream_lines1-1000.txt",
    FIX / "dma_stream_lines4181-4200.txt",
    FIX / "pyais_nmea_data_sample.txt",
]


def checksum(body: str) -> str:
    return f"{functools.reduce(lambda a, c: a ^ ord(c), body, 0):02X}"


def sentence(
    payload: str, fill: int = 0, count: int = 1, index: int = 1, seq: str = "", ch: str = "A"
) -> str:
    body = f"AIVDM,{count},{index},{seq},{ch},{payload},{fill}"
    return f"!{body}*{checksum(body)}"


def decode_lines(
    data: bytes, **kw: Any
) -> tuple[list[tuple[list[bytes], str, dict[str, Any], int]], list[Issue], Counter[str]]:
    """Every decoded message: its raw sentences, layout, fields (None where absent) and time."""
    scanner = NmeaScanner(keep_raw=True, **kw)
    issues: list[Issue] = []
    counts: Counter[str] = Counter()
    out = []
    msgs = scanner.scan(data, issues, counts)
    for d in decode_messages(msgs, issues, counts):
        for k, r in enumerate(d.rows):
            fields = {
                name: (col.values[k].item() if hasattr(col.values[k], "item") else col.values[k])
                if col.present[k]
                else None
                for name, col in d.fields.items()
            }
            assert msgs.raw is not None
            out.append((msgs.raw[r], d.layout.name, fields, int(msgs.time[r])))
    scanner.finish(issues, counts)
    return out, issues, counts


def assert_equals_pyais(raw: list[bytes], fields: dict[str, Any]) -> None:
    ref = pyais.decode(*raw).asdict()
    diff = {
        k: (fields.get(k), ref.get(k))
        for k in set(ref) | set(fields)
        if fields.get(k) != ref.get(k)
    }
    assert not diff, (raw, diff)


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_every_decoded_message_equals_pyais(path: Path) -> None:
    decoded, _, counts = decode_lines(path.read_bytes())
    assert decoded, "nothing decoded"
    for raw, _, fields, _ in decoded:
        assert_equals_pyais(raw, fields)
    assert counts["messages decoded"] == len(decoded)


def test_pyais_sample_bad_lines_are_counted_with_reasons() -> None:
    _, issues, _ = decode_lines((FIX / "pyais_nmea_data_sample.txt").read_bytes())
    codes = Counter(i.code for i in issues)
    assert codes["empty-payload"] == 100
    assert codes["missing-fragment"] == 20
    line = next(i for i in issues if i.code == "missing-fragment").line
    assert line == 96  # !AIVDM,2,1,8,A,55DTsr01... has no second fragment
    assert all(i.line and i.raw for i in issues)


def test_pghp_times_and_uscg_trailing_time() -> None:
    decoded, issues, _ = decode_lines((FIX / "dma_stream_lines1-1000.txt").read_bytes())
    assert not [i for i in issues if i.level == "quarantined"]
    # $PGHP,1,2010,6,11,11,46,12,451,...,58 before !AIVDM,1,1,,A,33nr7t001f13KNTOahh2@QpF00vh,0*58
    first = next(d for d in decoded if d[0][0].startswith(b"!AIVDM,1,1,,A,33nr7t"))
    assert first[3] == int(np.datetime64("2010-06-11T11:46:12.451", "us").astype(np.int64))
    assert all(t != NO_TIME for *_, t in decoded)
    decoded, _, _ = decode_lines((FIX / "dma_stream_lines4181-4200.txt").read_bytes())
    trailing = [d for d in decoded if d[0][0].endswith(b",1276256770")]
    assert trailing and trailing[0][3] == 1276256770 * 1_000_000


def test_tag_block_time_and_its_checksum() -> None:
    s = sentence("15M67FC000G?ufbE`FepT@3n00Sa", 0)
    good = "c:1700000000"
    line = f"\\{good}*{checksum(good)}\\{s}\n"
    bad = f"\\{good}*00\\{s}\n"
    decoded, issues, _ = decode_lines((line + bad).encode())
    assert [d[3] for d in decoded] == [1700000000 * 1_000_000, NO_TIME]
    assert [i.code for i in issues] == ["tag-block-checksum"]
    assert_equals_pyais([line.strip().encode()], decoded[0][2])
    millis = "s:r003669945,c:1700000000123"
    decoded, _, _ = decode_lines(f"\\{millis}*{checksum(millis)}\\{s}\n".encode())
    assert decoded[0][3] == 1700000000123 * 1000


def test_given_time_fills_only_untimed_sentences() -> None:
    from datetime import datetime

    s = sentence("15M67FC000G?ufbE`FepT@3n00Sa", 0)
    tagged = f"\\c:1700000000*{checksum('c:1700000000')}\\{s}"
    data = f"{s}\n{tagged}\n".encode()
    decoded, _, _ = decode_lines(data, given_time=datetime(2024, 1, 2, 3, 4, 5))
    assert sorted(d[3] for d in decoded) == [1700000000 * 1_000_000, 1704164645 * 1_000_000]


TYPE5 = [
    b"!AIVDM,2,1,1,,53cMa3@000010WSW?V105=<45B2222222222220t388151:9e2UiDm851DTh,0*65",
    b"!AIVDM,2,2,1,,j1C32CQp888,2*17",
]


def test_fragments_out_of_order_and_interleaved() -> None:
    single = sentence("15M67FC000G?ufbE`FepT@3n00Sa", 0).encode()
    data = b"\n".join([TYPE5[1], single, TYPE5[0], single]) + b"\n"
    decoded, issues, _ = decode_lines(data)
    assert not issues
    static = [d for d in decoded if d[1] == "static_a"]
    assert len(static) == 1
    assert_equals_pyais(TYPE5, static[0][2])
    assert static[0][2]["shipname"]


def test_a_reused_sequence_id_quarantines_the_incomplete_message() -> None:
    data = b"\n".join([TYPE5[0], TYPE5[0], TYPE5[1]]) + b"\n"
    decoded, issues, _ = decode_lines(data)
    assert [d[1] for d in decoded] == ["static_a"]
    assert [(i.code, i.line) for i in issues] == [("missing-fragment", 1)]


def test_checksums_are_verified_unless_disabled() -> None:
    s = sentence("15M67FC000G?ufbE`FepT@3n00Sa", 0)
    broken = s[:-2] + ("00" if s[-2:] != "00" else "01")
    decoded, issues, _ = decode_lines(f"{broken}\n".encode())
    assert not decoded and issues[0].code == "bad-checksum" and issues[0].line == 1
    decoded, issues, _ = decode_lines(f"{broken}\n".encode(), verify_checksums=False)
    assert len(decoded) == 1 and not issues


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa0*00", "malformed-sentence"),
        ("hello world", "not-nmea"),
        ("\\c:1700000000*00 no closing", "malformed-tag-block"),
    ],
)
def test_bad_lines_name_their_reason(line: str, code: str) -> None:
    _, issues, _ = decode_lines(f"{line}\n".encode())
    assert [i.code for i in issues] == [code]


def test_bad_fragment_numbers_and_invalid_characters() -> None:
    body = "AIVDM,2,3,,A,15M67FC000G?ufbE`FepT@3n00Sa,0"
    _, issues, _ = decode_lines(f"!{body}*{checksum(body)}\n".encode())
    assert [i.code for i in issues] == ["bad-fragment"]
    _, issues, _ = decode_lines((sentence("15M67FC000G?ufbE`FepT@3n00S{", 0) + "\n").encode())
    assert [i.code for i in issues] == ["invalid-payload"]
    _, issues, _ = decode_lines((sentence("15M67FC000G?uf", 0) + "\n").encode())
    assert [i.code for i in issues] == ["payload-too-short"]


def test_chunked_reading_gives_the_same_rows(tmp_path: Path) -> None:
    path = tmp_path / "stream.nmea"
    path.write_bytes((FIX / "dma_stream_lines1-1000.txt").read_bytes())
    whole = list(read_nmea(path))
    small = list(read_nmea(path, chunk_bytes=997))

    def cols(chunks: list[Any]) -> np.ndarray:
        return np.concatenate([c.positions["msg_key"] for c in chunks])

    assert np.array_equal(np.sort(cols(whole)), np.sort(cols(small)))
    assert sum(len(c.static["mmsi"]) for c in whole) == sum(len(c.static["mmsi"]) for c in small)


ARMOR = "0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw"
FIRST = {"1": 168, "2": 168, "3": 168, "B": 168, "C": 312, "K": 96, "5": 424, "H": 168}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(FIRST)),
    st.data(),
)
def test_random_payloads_decode_as_pyais_does(first: str, data: st.DataObject) -> None:
    """Any payload we accept decodes to exactly what pyais gives, field for field."""
    chars = (FIRST[first] + 5) // 6
    extra = data.draw(st.integers(0, 3))
    body = data.draw(
        st.text(alphabet=ARMOR, min_size=chars - 1 + extra, max_size=chars - 1 + extra)
    )
    fill = data.draw(st.integers(0, 5))
    payload = first + body
    if first == "H":  # type 24: part number A or B in bits 38-39
        c = ARMOR.index(payload[6]) & 0b110011
        payload = payload[:6] + ARMOR[c | (data.draw(st.integers(0, 1)) << 2)] + payload[7:]
    line = sentence(payload, fill)
    decoded, issues, _ = decode_lines(f"{line}\n".encode())
    for raw, _, fields, _ in decoded:
        assert_equals_pyais(raw, fields)
    assert len(decoded) + len([i for i in issues if i.level == "quarantined"]) == 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=120), max_size=30))
def test_fuzzed_bytes_never_stop_the_stream(lines: list[bytes]) -> None:
    real = (FIX / "dma_stream_lines1-1000.txt").read_bytes().split(b"\n")[:40]
    mixed = [x for pair in zip(real, lines + [b""] * len(real), strict=False) for x in pair]
    data = b"\n".join(mixed) + b"\n"
    scanner = NmeaScanner()
    issues: list[Issue] = []
    counts: Counter[str] = Counter()
    msgs = scanner.scan(data, issues, counts)
    decode_messages(msgs, issues, counts)
    scanner.finish(issues, counts)
    n_lines = data.count(b"\n")
    assert all(i.line is None or 1 <= i.line <= n_lines for i in issues)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 40), st.integers(0, 200))
def test_mutated_real_lines_are_rejected_or_equal_pyais(line_no: int, position: int) -> None:
    lines = (FIX / "dma_stream_lines1-1000.txt").read_bytes().split(b"\n")
    line = bytearray(lines[line_no])
    if line:
        line[position % len(line)] = (line[position % len(line)] + 1) % 128
    decoded, _, _ = decode_lines(bytes(line) + b"\n", verify_checksums=False)
    for raw, _, fields, _ in decoded:
        if raw[0].startswith(b"!"):
            assert_equals_pyais(raw, fields)
