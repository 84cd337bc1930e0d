"""Raw NMEA 0183 AIS (``!AIVDM``/``!AIVDO``): sentences, times, multi-sentence messages.

The reader works on a whole chunk of a file at once (numpy over the bytes) rather than line
by line: it finds each line's fields from the positions of commas and stars, verifies every
checksum with one XOR reduction per sentence, and decodes the payloads of each message type
as columns (``ais_messages``). Only multi-sentence messages are assembled in a Python loop.

Times, first found wins for each sentence:
1. an NMEA 4.0 tag block ``\\...c:<unix seconds or ms>...*hh\\`` before the sentence (its own
   checksum verified; a bad one voids the time, with a warning);
2. US Coast Guard trailing fields after the checksum, the last being unix seconds
   (``...,0*1C,s28138,d-101,T39.08,x158431,r003669946,1218153600``);
3. a Danish Maritime Authority ``$PGHP,1,yyyy,m,d,h,m,s,ms,...,<hh>*cs`` line before the
   message; its last field is the XOR of the checksums of the message's sentences, which we
   check before using the time;
4. the receive time the user gives for the whole file.
Sentences with no time are kept and counted; the detectors leave them out.

Multi-sentence messages are assembled by (talker, sequence id, channel, fragment count),
accepting fragments interleaved with other messages and out of order (pyais keeps strictly
contiguous fragments only). A fragment number seen twice before its message is complete, or a
message still incomplete ``fragment_window`` sentences later or at the end of the file, is
quarantined as ``missing-fragment`` with the lines it had.
"""

from __future__ import annotations

import gzip
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from interdiction.sources.ais_messages import (
    ARMOR,
    LAYOUTS,
    STATIC_B_A,
    STATIC_B_B,
    STATIC_B_B_AUX,
    Column,
    Layout,
    chars_needed,
    decode_layout,
    payload_matrix,
)
from interdiction.sources.ais_records import (
    NO_TIME,
    TS_GIVEN,
    TS_NONE,
    TS_PGHP,
    TS_TAG,
    TS_USCG,
    AisChunk,
    Columns,
    Issue,
    concat,
    empty_positions,
    empty_static,
)
from interdiction.sources.base import InputError

I64 = npt.NDArray[np.int64]
PAD = 128  # zero bytes after each chunk, so that fixed-width look-ups never run off the end

HEX = np.full(256, 255, dtype=np.uint8)
for _i, _c in enumerate(b"0123456789ABCDEF"):
    HEX[_c] = _i
for _i, _c in enumerate(b"abcdef"):
    HEX[_c] = 10 + _i


def looks_like_nmea(head: bytes) -> bool:
    """True when the first lines hold AIS sentences (possibly behind tag blocks or vendor lines)."""
    lines = head.splitlines()[:50]
    hits = 0
    for line in lines:
        at = line.find(b"!")
        if at >= 0 and line[at + 3 : at + 6] in (b"VDM", b"VDO") and (at == 0 or line[:1] == b"\\"):
            hits += 1
    return hits > 0


@dataclass
class Fragment:
    line: int
    seq: int
    index: int
    count: int
    payload: bytes
    fill: int
    checksum: int
    time: int
    ts_source: int
    raw: bytes
    expected: int = -1  # the checksum XOR its $PGHP line names, when the time came from one


@dataclass
class Messages:
    """Assembled messages of one chunk: where each payload is, its time and its lines."""

    buf: npt.NDArray[np.uint8]
    start: I64
    length: I64
    fill: I64
    line: I64
    last_line: I64
    time: I64
    ts_source: npt.NDArray[np.int8]
    raw: list[list[bytes]] | None = None


@dataclass
class _State:
    """What carries from one chunk to the next: pending fragments and the line number."""

    next_line: int = 1
    sentence_no: int = 0
    # (talker, sequence id, channel, fragment count) -> (sentence number, fragments by index)
    pending: dict[tuple[int, int, int, int], tuple[int, dict[int, Fragment]]] = field(
        default_factory=dict
    )


def _xor_ranges(buf: npt.NDArray[np.uint8], a: I64, b: I64) -> I64:
    """XOR of the bytes of each range buf[a:b] (0 when empty), in one reduction pass.

    Ranges must be disjoint; in order they cost one pass over the bytes between them.
    """
    out = np.zeros(len(a), dtype=np.int64)
    ok = np.flatnonzero(b > a)
    if not len(ok):
        return out
    order = ok if bool((a[ok][1:] >= a[ok][:-1]).all()) else ok[np.argsort(a[ok], kind="stable")]
    bounds = np.empty(2 * len(order), dtype=np.int64)
    bounds[0::2] = a[order]
    bounds[1::2] = b[order]
    out[order] = np.bitwise_xor.reduceat(buf, bounds)[0::2]
    return out


def _digits(
    buf: npt.NDArray[np.uint8], a: I64, b: I64, maxw: int
) -> tuple[I64, npt.NDArray[np.bool_]]:
    """Unsigned decimal numbers in buf[a:b] (at most ``maxw`` digits), and which parsed."""
    width = b - a
    ok = (width >= 1) & (width <= maxw)
    value = np.zeros(len(a), dtype=np.int64)
    for j in range(maxw):
        inside = j < width
        d = buf[np.minimum(a + j, len(buf) - 1)].astype(np.int64) - 48
        ok &= ~inside | ((d >= 0) & (d <= 9))
        value = np.where(inside, value * 10 + d, value)
    return value, ok


def _digit_run(buf: npt.NDArray[np.uint8], a: I64, maxw: int) -> tuple[I64, I64]:
    """The decimal number starting at ``a`` and how many digits it has (0: none)."""
    value = np.zeros(len(a), dtype=np.int64)
    run = np.zeros(len(a), dtype=np.int64)
    going = np.ones(len(a), dtype=bool)
    for j in range(maxw):
        d = buf[np.minimum(a + j, len(buf) - 1)].astype(np.int64) - 48
        going &= (d >= 0) & (d <= 9)
        value = np.where(going, value * 10 + d, value)
        run += going
    return value, run


def _days_from_civil(y: I64, m: I64, d: I64) -> I64:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y = y - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    mp = (m + 9) % 12
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return np.asarray(era * 146097 + doe - 719468, dtype=np.int64)


class NmeaScanner:
    """Stateful over the chunks of one file: chunk in, assembled messages and issues out."""

    def __init__(
        self,
        *,
        verify_checksums: bool = True,
        given_time: datetime | None = None,
        fragment_window: int = 500,
        keep_raw: bool = False,
    ) -> None:
        self.verify = verify_checksums
        self.given = (
            int((given_time.replace(tzinfo=None) - datetime(1970, 1, 1)).total_seconds() * 1e6)
            if given_time is not None
            else None
        )
        self.window = fragment_window
        self.keep_raw = keep_raw
        self.state = _State()

    # -- lines ---------------------------------------------------------------------------

    def scan(self, data: bytes, issues: list[Issue], counts: Counter[str]) -> Messages:
        first_line = self.state.next_line
        n = len(data)
        # Room after the data for the payloads of multi-sentence messages (never more than
        # twice the data): they are assembled in place, and pages never written cost nothing.
        big = np.empty(3 * n + 3 * PAD, dtype=np.uint8)
        big[:n] = np.frombuffer(data, dtype=np.uint8)
        big[n : n + PAD] = 0
        buf = big[: n + PAD]
        nl = np.flatnonzero(buf[:n] == 10)
        starts = np.concatenate(([0], nl + 1)).astype(np.int64)
        ends = np.concatenate((nl, [n])).astype(np.int64)
        if len(starts) and starts[-1] >= n:
            starts, ends = starts[:-1], ends[:-1]
        self.state.next_line = first_line + len(starts)
        lines = first_line + np.arange(len(starts), dtype=np.int64)
        # Trailing carriage returns and spaces are not part of a sentence.
        for _ in range(2):
            trim = (ends > starts) & np.isin(buf[np.maximum(ends - 1, 0)], (13, 32))
            ends = ends - trim
        blank = ends == starts
        counts["lines"] += len(starts)
        if blank.any():
            counts["blank lines"] += int(blank.sum())
        first = np.where(blank, 0, buf[starts])

        def raw(i: int) -> str:
            return bytes(buf[starts[i] : ends[i]]).decode("latin-1")[:300]

        def reject(mask: npt.NDArray[np.bool_], code: str, message: str) -> None:
            for i in np.flatnonzero(mask):
                issues.append(Issue(int(lines[i]), code, message, raw(int(i))))
            if mask.any():
                counts[f"rejected: {code}"] += int(mask.sum())

        def xor(a: I64, b: I64) -> I64:
            """XOR of buf[a:b] (0 when empty), for ranges in order and within a line each."""
            return _xor_ranges(buf, a, b)

        stars = np.flatnonzero(buf[:n] == 42)
        commas = np.flatnonzero(buf[:n] == 44)

        def next_of(sorted_pos: I64, after: I64) -> tuple[I64, npt.NDArray[np.bool_]]:
            k = np.searchsorted(sorted_pos, after)
            found = k < len(sorted_pos)
            return np.where(
                found,
                sorted_pos[np.minimum(k, max(len(sorted_pos) - 1, 0))] if len(sorted_pos) else 0,
                n,
            ), found

        # Tag blocks: \...*hh\ before the sentence.
        is_tag = first == 92
        backslashes = np.flatnonzero(buf[:n] == 92) if is_tag.any() else np.zeros(0, np.int64)
        close, found = next_of(backslashes, starts + 1)
        tag_ok = is_tag & found & (close < ends)
        reject(is_tag & ~tag_ok, "malformed-tag-block", "tag block not closed by a backslash")
        sstart = np.where(tag_ok, close + 1, starts)
        lead = np.where(sstart < ends, buf[np.minimum(sstart, n)], 0)
        tag_time = np.full(len(starts), NO_TIME, dtype=np.int64)
        ti = np.flatnonzero(tag_ok)
        if len(ti):
            tstar, tfound = next_of(stars, starts[ti] + 1)
            has_ck = tfound & (tstar < close[ti])
            ck_ok = has_ck & (
                xor(starts[ti] + 1, np.minimum(tstar, close[ti]))
                == (HEX[buf[tstar + 1]].astype(np.int64) << 4 | HEX[buf[tstar + 2]])
            )
            bad = ti[~ck_ok]
            for i in bad:
                issues.append(
                    Issue(
                        int(lines[i]),
                        "tag-block-checksum",
                        "tag block checksum wrong or missing: its time is not used",
                        raw(int(i)),
                        "warning",
                    )
                )
            if len(bad):
                counts["warning: tag-block-checksum"] += len(bad)
            # c:<unix time> preceded by the opening backslash or a comma.
            is_c = (buf[:n] == 99) & (buf[1 : n + 1] == 58)
            cpos = np.flatnonzero(is_c)
            cpos = cpos[(cpos > 0)]
            cpos = cpos[np.isin(buf[cpos - 1], (92, 44))]
            owner = np.searchsorted(starts, cpos, side="right") - 1
            keep = (owner >= 0) & tag_ok[owner] & (cpos < close[owner])
            cpos, owner = cpos[keep], owner[keep]
            value, run = _digit_run(buf, cpos + 2, 14)
            seconds = run == 10
            millis = run == 13
            usable = (seconds | millis) & np.isin(owner, ti[ck_ok])
            tag_time[owner[usable]] = np.where(
                millis[usable], value[usable] * 1000, value[usable] * 1_000_000
            )

        # $PGHP lines (Danish Maritime Authority): a receive time for the next message.
        is_pghp = (
            (lead == 36)
            & (buf[np.minimum(sstart + 1, n)] == 80)
            & (buf[np.minimum(sstart + 2, n)] == 71)
            & (buf[np.minimum(sstart + 3, n)] == 72)
            & (buf[np.minimum(sstart + 4, n)] == 80)
        )
        pg = np.flatnonzero(is_pghp)
        pghp_time = np.full(len(pg), NO_TIME, dtype=np.int64)
        pghp_ck = np.full(len(pg), -1, dtype=np.int64)
        if len(pg):
            s = sstart[pg]
            star, sfound = next_of(stars, s)
            k = np.searchsorted(commas, s)
            ncomma = np.searchsorted(commas, star) - k
            ok = sfound & (star < ends[pg]) & (ncomma == 13)
            c = [
                commas[np.minimum(k + j, len(commas) - 1)] if len(commas) else s for j in range(13)
            ]
            y, oky = _digits(buf, c[1] + 1, c[2], 4)
            mo, okm = _digits(buf, c[2] + 1, c[3], 2)
            d, okd = _digits(buf, c[3] + 1, c[4], 2)
            h, okh = _digits(buf, c[4] + 1, c[5], 2)
            mi, okmi = _digits(buf, c[5] + 1, c[6], 2)
            se, okse = _digits(buf, c[6] + 1, c[7], 2)
            ms, okms = _digits(buf, c[7] + 1, c[8], 3)
            ok &= oky & okm & okd & okh & okmi & okse & okms
            ok &= (mo >= 1) & (mo <= 12) & (d >= 1) & (d <= 31) & (h < 24) & (mi < 60) & (se < 61)
            ck_width = star - (c[12] + 1)
            hi = HEX[buf[c[12] + 1]].astype(np.int64)
            lo = HEX[buf[c[12] + 2]].astype(np.int64)
            ck = np.where(ck_width == 2, hi << 4 | lo, hi)
            ok &= (ck_width >= 1) & (ck_width <= 2) & (hi < 16) & ((ck_width == 1) | (lo < 16))
            days = _days_from_civil(y, mo, d)
            t = (((days * 24 + h) * 60 + mi) * 60 + se) * 1_000_000 + ms * 1000
            pghp_time = np.where(ok, t, NO_TIME)
            pghp_ck = np.where(ok, ck, -1)
            bad = pg[~ok]
            for i in bad:
                issues.append(
                    Issue(
                        int(lines[i]),
                        "bad-pghp",
                        "unreadable $PGHP time line",
                        raw(int(i)),
                        "warning",
                    )
                )
            if len(bad):
                counts["warning: bad-pghp"] += len(bad)
            counts["vendor lines ($PGHP)"] += len(pg)

        # AIS sentences: !ccVDM,count,index,seq,channel,payload,fill*hh[,trailing...]
        is_bang = lead == 33
        ai = np.flatnonzero(is_bang)
        other = (~blank) & ~is_bang & ~is_pghp & ~(is_tag & ~tag_ok)
        other_nmea = other & (lead == 36)
        if other_nmea.any():
            counts["ignored: other NMEA sentences"] += int(other_nmea.sum())
        reject(other & ~other_nmea, "not-nmea", "not an NMEA sentence")

        s = sstart[ai]
        e = ends[ai]
        star, sfound = next_of(stars, s)
        k = np.searchsorted(commas, s)
        ncomma = np.searchsorted(commas, np.where(sfound, star, n)) - k
        c = [commas[np.minimum(k + j, len(commas) - 1)] if len(commas) else s for j in range(6)]
        vd = (buf[s + 3] == 86) & (buf[s + 4] == 68) & np.isin(buf[s + 5], (77, 79))
        shape = sfound & (star + 3 <= e) & (ncomma == 6) & (c[0] == s + 6)
        count, okc = _digits(buf, c[0] + 1, c[1], 1)
        index, oki = _digits(buf, c[1] + 1, c[2], 1)
        seq_empty = c[3] == c[2] + 1
        seq, oks = _digits(buf, c[2] + 1, c[3], 1)
        seq = np.where(seq_empty, -1, seq)
        oks |= seq_empty
        chan = np.where(c[4] == c[3] + 2, buf[c[3] + 1], 0).astype(np.int64)
        okch = (c[4] == c[3] + 1) | (c[4] == c[3] + 2)
        fill, okf = _digits(buf, c[5] + 1, star, 1)
        okf &= fill <= 5
        given_ck = HEX[buf[star + 1]].astype(np.int64) << 4 | HEX[buf[star + 2]]
        computed = xor(s + 1, np.minimum(star, e))
        frag_ok = okc & oki & (count >= 1) & (index >= 1) & (index <= count)
        pstart = c[4] + 1
        plen = c[5] - pstart

        def rej(mask: npt.NDArray[np.bool_], code: str, message: str) -> npt.NDArray[np.bool_]:
            full = np.zeros(len(starts), dtype=bool)
            full[ai[mask]] = True
            reject(full, code, message)
            return mask

        alive = np.ones(len(ai), dtype=bool)
        for mask, code, message in (
            (~shape, "malformed-sentence", "not !xxVDM,count,index,seq,channel,payload,fill*hh"),
            (~vd, "not-ais-sentence", "not a VDM/VDO sentence"),
            (self.verify & (given_ck != computed), "bad-checksum", "checksum does not match"),
            (~frag_ok, "bad-fragment", "fragment count or number is not 1..9 with number <= count"),
            (
                ~(oks & okch & okf),
                "malformed-sentence",
                "sequence id, channel or fill bits unreadable",
            ),
            (plen == 0, "empty-payload", "empty payload"),
        ):
            mask = alive & np.asarray(mask, dtype=bool)
            rej(mask, code, message)
            alive &= ~mask
        counts["sentences"] += int(alive.sum())

        # Times of sentences.
        time = np.full(len(ai), NO_TIME, dtype=np.int64)
        source = np.full(len(ai), TS_NONE, dtype=np.int8)
        t = tag_time[ai]
        has = t != NO_TIME
        time[has], source[has] = t[has], TS_TAG
        # US Coast Guard: the last trailing field is unix seconds.
        kl = np.searchsorted(commas, e) - 1
        lc = commas[np.maximum(kl, 0)] if len(commas) else s
        trailing = np.flatnonzero((kl >= 0) & (lc > star) & (e - lc - 1 == 10))
        uscg, oku = _digits(buf, lc[trailing] + 1, e[trailing], 10)
        usable = oku & (time[trailing] == NO_TIME)
        use = trailing[usable]
        time[use], source[use] = uscg[usable] * 1_000_000, TS_USCG
        # $PGHP applies to the message whose first sentence follows it.
        first_frag = alive & (index == 1)
        ff_lines = ai[first_frag]
        pghp_for = np.full(len(ai), -1, dtype=np.int64)
        if len(pg) and len(ff_lines):
            j = np.searchsorted(pg, ff_lines) - 1
            prev_ff = np.concatenate(([-1], ff_lines[:-1]))
            applies = (j >= 0) & (pg[np.maximum(j, 0)] > prev_ff)
            pghp_for[np.flatnonzero(first_frag)[applies]] = j[applies]

        # Single-sentence messages go straight through; fragments are assembled below.
        single = alive & (count == 1)
        has_pghp = single & (pghp_for >= 0)
        pj = pghp_for[has_pghp]
        # '00' is what DMA writes before its own ship's VDO sentences: no checksum named.
        matches = (pghp_ck[pj] == 0) | (pghp_ck[pj] == given_ck[has_pghp])
        idx = np.flatnonzero(has_pghp)
        good = idx[matches & (time[idx] == NO_TIME) & (pghp_time[pj] != NO_TIME)]
        time[good] = pghp_time[pghp_for[good]]
        source[good] = TS_PGHP
        mism = idx[~matches]
        for i in mism:
            issues.append(
                Issue(
                    int(lines[ai[i]]),
                    "pghp-mismatch",
                    "the $PGHP line before this "
                    "sentence names another checksum: its time is not used",
                    raw(int(ai[i])),
                    "warning",
                )
            )
        if len(mism):
            counts["warning: pghp-mismatch"] += len(mism)
        if self.given is not None:
            none = single & (time == NO_TIME)
            time[none], source[none] = self.given, TS_GIVEN

        si = np.flatnonzero(single)
        starts_out = [pstart[si]]
        lens_out = [plen[si]]
        fills_out = [fill[si]]
        lines_out = [lines[ai[si]]]
        last_out = [lines[ai[si]]]
        times_out = [time[si]]
        src_out = [source[si]]
        raws: list[list[bytes]] | None = None
        if self.keep_raw:
            raws = [[data[starts[x] : ends[x]]] for x in ai[si].tolist()]

        # Fragments, in line order, through the assembler.
        mi = np.flatnonzero(alive & (count > 1))
        # Fast path: a two-sentence message whose fragments come one after the other (most
        # type 5 reports) is assembled here as columns; the rest go through the loop below.
        tk_all = buf[s + 1].astype(np.int64) << 8 | buf[s + 2]
        pair_block = np.zeros(0, dtype=np.uint8)
        if len(mi) > 1:
            a, b = mi[:-1], mi[1:]
            is_pair = (
                (index[a] == 1)
                & (index[b] == 2)
                & (count[a] == 2)
                & (count[b] == 2)
                & (seq[a] == seq[b])
                & (chan[a] == chan[b])
                & (tk_all[a] == tk_all[b])
            )
            k = np.flatnonzero(is_pair)
            if len(k) and self.state.pending:
                # A key with fragments pending goes through the loop, which knows about them.
                busy = set(self.state.pending)
                free = [
                    (t, q, c, 2) not in busy
                    for t, q, c in zip(
                        tk_all[a[k]].tolist(), seq[a[k]].tolist(), chan[a[k]].tolist(), strict=True
                    )
                ]
                k = k[np.array(free, dtype=bool)]
            if len(k):
                a, b = a[k], b[k]
                keep = np.ones(len(mi), dtype=bool)
                keep[k] = False
                keep[k + 1] = False
                mi = mi[keep]
                l1, l2 = plen[a], plen[b]
                total = l1 + l2
                offs = np.concatenate(([0], np.cumsum(total)[:-1]))
                step = np.ones(int(total.sum()), dtype=np.int64)
                step[offs] = pstart[a] - np.concatenate(([0], (pstart[b] + l2)[:-1])) + 1
                step[offs + l1] = pstart[b] - (pstart[a] + l1) + 1
                gather = np.cumsum(step) - 1
                pair_block = buf[gather]
                t = time[a].copy()
                src = source[a].astype(np.int64)
                pj = pghp_for[a]
                use_pg = (t == NO_TIME) & (pj >= 0)
                pg_t = np.where(use_pg, pghp_time[np.maximum(pj, 0)], NO_TIME) if len(pg) else t
                use_pg &= pg_t != NO_TIME
                expected = np.where(use_pg, pghp_ck[np.maximum(pj, 0)], 0) if len(pg) else 0 * t
                mismatch = use_pg & (expected != 0) & (expected != (given_ck[a] ^ given_ck[b]))
                ok_pg = use_pg & ~mismatch
                t = np.where(ok_pg, pg_t, t)
                src = np.where(ok_pg, TS_PGHP, src)
                second = (t == NO_TIME) & ~mismatch
                t = np.where(second, time[b], t)
                src = np.where(second, source[b], src)
                for i in np.flatnonzero(mismatch):
                    issues.append(
                        Issue(
                            int(lines[ai[a[i]]]),
                            "pghp-mismatch",
                            "the $PGHP line before this message names another checksum: "
                            "its time is not used",
                            raw(int(ai[a[i]])),
                            "warning",
                        )
                    )
                if mismatch.any():
                    counts["warning: pghp-mismatch"] += int(mismatch.sum())
                if self.given is not None:
                    src = np.where(t == NO_TIME, TS_GIVEN, src)
                    t = np.where(t == NO_TIME, self.given, t)
                starts_out.append(len(buf) + offs)
                lens_out.append(total)
                fills_out.append(fill[b])
                lines_out.append(lines[ai[a]])
                last_out.append(lines[ai[b]])
                times_out.append(t)
                src_out.append(src.astype(np.int8))
                if raws is not None:
                    raws.extend(
                        [data[starts[x] : ends[x]], data[starts[y] : ends[y]]]
                        for x, y in zip(ai[a].tolist(), ai[b].tolist(), strict=True)
                    )
                self.state.sentence_no += 2 * len(k)
        side = bytearray()
        side_base = len(buf) + len(pair_block)
        a_start: list[int] = []
        a_len: list[int] = []
        a_fill: list[int] = []
        a_line: list[int] = []
        a_last: list[int] = []
        a_time: list[int] = []
        a_src: list[int] = []
        pending = self.state.pending
        talker = tk_all[mi].tolist()
        pghp_j = pghp_for[mi]
        has_pg = (index[mi] == 1) & (pghp_j >= 0) & (time[mi] == NO_TIME)
        f_time = time[mi].copy()
        f_src = source[mi].astype(np.int64)
        f_exp = np.full(len(mi), -1, dtype=np.int64)
        if has_pg.any():
            pj = pghp_j[has_pg]
            usable = pghp_time[pj] != NO_TIME
            rows = np.flatnonzero(has_pg)[usable]
            f_time[rows] = pghp_time[pj[usable]]
            f_src[rows] = TS_PGHP
            f_exp[rows] = pghp_ck[pj[usable]]
        columns = zip(
            lines[ai[mi]].tolist(),
            seq[mi].tolist(),
            index[mi].tolist(),
            count[mi].tolist(),
            pstart[mi].tolist(),
            (pstart[mi] + plen[mi]).tolist(),
            fill[mi].tolist(),
            given_ck[mi].tolist(),
            f_time.tolist(),
            f_src.tolist(),
            f_exp.tolist(),
            starts[ai[mi]].tolist(),
            ends[ai[mi]].tolist(),
            chan[mi].tolist(),
            talker,
            strict=True,
        )
        for line, sq, idx, cnt, p0, p1, fl, ck, tm, src, exp, r0, r1, ch, tk in columns:
            self.state.sentence_no += 1
            frag = Fragment(line, sq, idx, cnt, data[p0:p1], fl, ck, tm, src, data[r0:r1], exp)
            key = (tk, sq, ch, cnt)
            entry = pending.get(key)
            if entry is not None and idx in entry[1]:
                self._incomplete(entry[1], issues, counts)
                entry = None
            if entry is None:
                entry = (self.state.sentence_no, {})
                pending[key] = entry
            entry[1][idx] = frag
            if len(entry[1]) == cnt:
                del pending[key]
                parts = [entry[1][x] for x in range(1, cnt + 1)]
                payload = b"".join(p.payload for p in parts)
                a_start.append(side_base + len(side))
                side.extend(payload)
                a_len.append(len(payload))
                a_fill.append(parts[-1].fill)
                a_line.append(min(p.line for p in parts))
                a_last.append(max(p.line for p in parts))
                chosen = next((p for p in parts if p.time != NO_TIME), None)
                mtime, msrc = (chosen.time, chosen.ts_source) if chosen else (NO_TIME, TS_NONE)
                named = chosen.expected if chosen else -1
                if named >= 0 and msrc == TS_PGHP:
                    combined = 0
                    for p in parts:
                        combined ^= p.checksum
                    if named not in (0, combined):
                        issues.append(
                            Issue(
                                parts[0].line,
                                "pghp-mismatch",
                                "the $PGHP line before this message names another checksum: "
                                "its time is not used",
                                parts[0].raw.decode("latin-1"),
                                "warning",
                            )
                        )
                        counts["warning: pghp-mismatch"] += 1
                        mtime, msrc = NO_TIME, TS_NONE
                if mtime == NO_TIME and self.given is not None:
                    mtime, msrc = self.given, TS_GIVEN
                a_time.append(mtime)
                a_src.append(msrc)
                if raws is not None:
                    raws.append([p.raw for p in parts])
            if len(pending) > 16 or (self.state.sentence_no & 63) == 0:
                self._expire(issues, counts)
        end = len(buf)
        if len(pair_block) or side:
            big[end : end + len(pair_block)] = pair_block
            end += len(pair_block)
            big[end : end + len(side)] = np.frombuffer(bytes(side), dtype=np.uint8)
            end += len(side)
            big[end : end + PAD] = 0
            end += PAD
        pl_buf = big[:end]
        return Messages(
            buf=pl_buf,
            start=np.concatenate([*starts_out, np.array(a_start, dtype=np.int64)]),
            length=np.concatenate([*lens_out, np.array(a_len, dtype=np.int64)]),
            fill=np.concatenate([*fills_out, np.array(a_fill, dtype=np.int64)]),
            line=np.concatenate([*lines_out, np.array(a_line, dtype=np.int64)]),
            last_line=np.concatenate([*last_out, np.array(a_last, dtype=np.int64)]),
            time=np.concatenate([*times_out, np.array(a_time, dtype=np.int64)]),
            ts_source=np.concatenate([*src_out, np.array(a_src, dtype=np.int8)]),
            raw=raws,
        )

    def _incomplete(
        self, frags: dict[int, Fragment], issues: list[Issue], counts: Counter[str]
    ) -> None:
        first = min(frags.values(), key=lambda f: f.line)
        have = sorted(frags)
        missing = [x for x in range(1, first.count + 1) if x not in frags]
        issues.append(
            Issue(
                first.line,
                "missing-fragment",
                f"multi-sentence message incomplete: has fragment(s) {have} of {first.count}, "
                f"missing {missing} (lines {', '.join(str(f.line) for f in frags.values())})",
                first.raw.decode("latin-1"),
            )
        )
        counts["rejected: missing-fragment"] += 1

    def _expire(self, issues: list[Issue], counts: Counter[str]) -> None:
        pending = self.state.pending
        oldest_ok = self.state.sentence_no - self.window
        stale = [k for k, (no, _) in pending.items() if no < oldest_ok]
        for key in stale:
            self._incomplete(pending.pop(key)[1], issues, counts)

    def finish(self, issues: list[Issue], counts: Counter[str]) -> None:
        for key in list(self.state.pending):
            self._incomplete(self.state.pending.pop(key)[1], issues, counts)


# -- decoding ------------------------------------------------------------------------------


@dataclass
class Decoded:
    """One message type's decoded columns and which assembled messages they came from."""

    layout: Layout
    rows: I64
    fields: dict[str, Column]
    chars: npt.NDArray[np.uint8]
    nbits: I64


def _msg_key(chars: npt.NDArray[np.uint8], nbits: I64) -> npt.NDArray[np.uint64]:
    """A 64-bit FNV-1a hash of the payload bits: the same transmission gives the same key."""
    h = np.full(len(chars), 0xCBF29CE484222325, dtype=np.uint64)
    prime = np.uint64(0x100000001B3)
    with np.errstate(over="ignore"):
        for col in range(chars.shape[1]):
            h = (h ^ chars[:, col].astype(np.uint64)) * prime
        h = (h ^ nbits.astype(np.uint64)) * prime
    return h


def _any_invalid(buf: npt.NDArray[np.uint8], start: I64, length: I64) -> npt.NDArray[np.bool_]:
    """Whether each payload holds a byte outside the armouring alphabet (payloads are disjoint)."""
    order = np.argsort(start, kind="stable")
    bounds = np.empty(2 * len(start), dtype=np.int64)
    bounds[0::2] = start[order]
    bounds[1::2] = start[order] + length[order]
    # Outside '0'..'W' and '`'..'w' (ARMOR_VALID), by comparisons: cheaper than a table.
    flags = (buf < 48) | (buf > 119) | ((buf > 87) & (buf < 96))
    hits = np.logical_or.reduceat(flags, bounds)[0::2]  # buf ends in PAD bytes
    out = np.empty(len(start), dtype=bool)
    out[order] = hits & (length[order] > 0)
    return out


def decode_messages(
    msgs: Messages,
    issues: list[Issue],
    counts: Counter[str],
    names: tuple[str, ...] | None = None,
) -> list[Decoded]:
    """Decode each message type as columns; reject payloads that are not AIS or too short."""
    n = len(msgs.start)
    if n == 0:
        return []
    buf = msgs.buf
    bad_chars = _any_invalid(buf, msgs.start, msgs.length)

    def reject(rows: I64, code: str, message: str) -> None:
        for r in rows:
            issues.append(Issue(int(msgs.line[r]), code, message, _raw_payload(msgs, int(r))))
        if len(rows):
            counts[f"rejected: {code}"] += len(rows)

    reject(
        np.flatnonzero(bad_chars),
        "invalid-payload",
        "payload has characters outside AIS six-bit armouring",
    )
    mtype = ARMOR[buf[msgs.start]].astype(np.int64)
    ok = ~bad_chars
    out: list[Decoded] = []
    groups: list[tuple[Layout, I64]] = []
    # Rows of each type, in order, from one stable sort.
    good = np.flatnonzero(ok)
    by_type = good[np.argsort(mtype[good], kind="stable")]
    types, first = np.unique(mtype[by_type], return_index=True)
    parts = np.split(by_type, first[1:]) if len(by_type) else []
    for t, rows in zip(types.tolist(), parts, strict=True):
        if int(t) in LAYOUTS:
            groups.append((LAYOUTS[int(t)], rows))
        elif int(t) == 24:
            chars, nbits = payload_matrix(
                buf, msgs.start[rows], msgs.length[rows], msgs.fill[rows], 27
            )
            part = (chars[:, 6].astype(np.int64) >> 2) & 3
            mmsi = decode_layout(chars, nbits, STATIC_B_A, ("mmsi",))["mmsi"].values
            short = nbits < 40
            reject(rows[short], "payload-too-short", "type 24 shorter than its part number")
            bad = (part > 1) & ~short
            reject(rows[bad], "bad-part-number", "type 24 part number is not 0 (A) or 1 (B)")
            aux = (mmsi >= 980000000) & (mmsi <= 989999999)
            groups.append((STATIC_B_A, rows[(part == 0) & ~short]))
            groups.append((STATIC_B_B, rows[(part == 1) & ~aux & ~short]))
            groups.append((STATIC_B_B_AUX, rows[(part == 1) & aux & ~short]))
        else:
            counts[f"not used: type {int(t)}"] += len(rows)
    for layout, rows in groups:
        if not len(rows):
            continue
        width = chars_needed(layout)
        chars, nbits = payload_matrix(
            buf, msgs.start[rows], msgs.length[rows], msgs.fill[rows], width
        )
        short = nbits < layout.min_bits
        reject(
            rows[short],
            "payload-too-short",
            f"{layout.name} needs {layout.min_bits} bits",
        )
        keep = ~short
        rows, chars, nbits = rows[keep], chars[keep], nbits[keep]
        fields = decode_layout(chars, nbits, layout, names)
        out.append(Decoded(layout, rows, fields, chars, nbits))
        counts["messages decoded"] += len(rows)
    return out


def _raw_payload(msgs: Messages, r: int) -> str:
    a = int(msgs.start[r])
    return bytes(msgs.buf[a : a + int(msgs.length[r])]).decode("latin-1")[:300]


POSITION_FIELDS = ("msg_type", "mmsi", "status", "speed", "lon", "lat", "course", "heading")
STATIC_FIELDS = (
    "msg_type",
    "mmsi",
    "imo",
    "callsign",
    "shipname",
    "ship_type",
    "to_bow",
    "to_stern",
    "to_port",
    "to_starboard",
    "draught",
    "destination",
    "month",
    "day",
    "hour",
    "minute",
)


ROW_FIELDS = (*POSITION_FIELDS, *STATIC_FIELDS)


def to_rows(msgs: Messages, decoded: list[Decoded]) -> tuple[Columns, Columns]:
    """Position rows (types 1-3, 18, 19, 27) and static rows (5, 19, 24) of a chunk."""
    pos_parts: list[Columns] = []
    stat_parts: list[Columns] = []
    for d in decoded:
        f = d.fields
        n = len(d.rows)
        name = d.layout.name
        key = _msg_key(d.chars, d.nbits)
        if name.startswith("position") or name == "long_range":
            cols = empty_positions(n)
            cols["mmsi"] = f["mmsi"].values.astype(np.int64)
            cols["ts"] = msgs.time[d.rows]
            cols["ts_source"] = msgs.ts_source[d.rows]
            cols["lat"] = f["lat"].values.astype(np.float64)
            cols["lon"] = f["lon"].values.astype(np.float64)
            speed = f["speed"].values.astype(np.float64)
            course = f["course"].values.astype(np.float64)
            if name == "long_range":
                speed = np.where(speed >= 63, np.nan, speed)
                course = np.where(course >= 511, np.nan, course)
            else:
                speed = np.where(speed >= 102.3, np.nan, speed)
                course = np.where(course >= 360, np.nan, course)
                heading = f["heading"].values.astype(np.int64)
                cols["heading"] = np.where(heading >= 360, -1, heading).astype(np.int16)
            if name == "long_range":
                cols["heading"] = np.full(n, -1, dtype=np.int16)
            cols["sog"] = speed.astype(np.float32)
            cols["cog"] = course.astype(np.float32)
            cols["nav_status"] = (
                f["status"].values.astype(np.int8)
                if "status" in f
                else np.full(n, -1, dtype=np.int8)
            )
            cols["msg_type"] = f["msg_type"].values.astype(np.int8)
            cols["line"] = msgs.line[d.rows]
            cols["msg_key"] = key
            pos_parts.append(cols)
        if name in ("static_a", "position_b_ext", "static_b_a", "static_b_b", "static_b_b_aux"):
            cols = empty_static(n)
            cols["mmsi"] = f["mmsi"].values.astype(np.int64)
            cols["ts"] = msgs.time[d.rows]
            cols["ts_source"] = msgs.ts_source[d.rows]
            cols["msg_type"] = f["msg_type"].values.astype(np.int8)
            cols["line"] = msgs.line[d.rows]
            cols["imo"] = (
                np.where(f["imo"].values > 0, f["imo"].values, -1) if "imo" in f else np.full(n, -1)
            )
            for col, src in (
                ("ship_type", "ship_type"),
                ("to_bow", "to_bow"),
                ("to_stern", "to_stern"),
                ("to_port", "to_port"),
                ("to_starboard", "to_starboard"),
            ):
                cols[col] = (
                    f[src].values.astype(np.int16) if src in f else np.full(n, -1, dtype=np.int16)
                )
            if "to_bow" in f:
                length = cols["to_bow"].astype(np.int32) + cols["to_stern"]
                width = cols["to_port"].astype(np.int32) + cols["to_starboard"]
                cols["length"] = np.where(length > 0, length, -1).astype(np.int16)
                cols["width"] = np.where(width > 0, width, -1).astype(np.int16)
            else:
                cols["length"] = np.full(n, -1, dtype=np.int16)
                cols["width"] = np.full(n, -1, dtype=np.int16)
            cols["draught"] = (
                f["draught"].values.astype(np.float32)
                if "draught" in f
                else np.full(n, np.nan, dtype=np.float32)
            )
            cols["part"] = np.full(
                n,
                {"static_b_a": "A", "static_b_b": "B", "static_b_b_aux": "B"}.get(name),
                dtype=object,
            )
            cols["name"] = (
                _blank_none(f["shipname"].values)
                if "shipname" in f
                else np.full(n, None, dtype=object)
            )
            cols["callsign"] = (
                _blank_none(f["callsign"].values)
                if "callsign" in f
                else np.full(n, None, dtype=object)
            )
            cols["destination"] = (
                _blank_none(f["destination"].values)
                if "destination" in f
                else np.full(n, None, dtype=object)
            )
            if "month" in f:
                cols["eta"] = _eta(
                    f["month"].values, f["day"].values, f["hour"].values, f["minute"].values
                )
            stat_parts.append(cols)
    return concat(pos_parts, empty_positions()), concat(stat_parts, empty_static())


def _blank_none(values: npt.NDArray[np.generic]) -> npt.NDArray[np.object_]:
    out = np.asarray(values, dtype=object).copy()
    out[out == ""] = None
    return out


def _eta(month: I64, day: I64, hour: I64, minute: I64) -> npt.NDArray[np.object_]:
    """ETA as 'MM-DD HH:MM' (AIS gives no year); None when the month is 0 (not available)."""
    out = np.full(len(month), None, dtype=object)
    at = np.flatnonzero((month >= 1) & (month <= 12))
    if len(at):

        def two(v: I64) -> npt.NDArray[np.str_]:
            return np.strings.zfill(v[at].astype(np.int64).astype(str), 2)

        text = np.strings.add(np.strings.add(two(month), "-"), two(day))
        text = np.strings.add(np.strings.add(text, " "), two(hour))
        out[at] = np.strings.add(np.strings.add(text, ":"), two(minute)).astype(object)
    return out


# -- files ---------------------------------------------------------------------------------


def _open(path: Path) -> BinaryIO:
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def iter_chunks(path: Path, chunk_bytes: int) -> Iterator[bytes]:
    """Pieces of a file that end at a line end, never right after a $PGHP line."""
    try:
        handle = _open(path)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc}") from exc
    with handle:
        rest = b""
        while True:
            try:
                block = handle.read(chunk_bytes)
            except (OSError, EOFError) as exc:
                raise InputError(path, f"cannot read (truncated or corrupt?): {exc}") from exc
            if not block:
                if rest:
                    yield rest
                return
            data = rest + block
            cut = data.rfind(b"\n")
            while cut > 0:
                prev = data.rfind(b"\n", 0, cut)
                if data[prev + 1 : prev + 6] == b"$PGHP":
                    cut = prev
                else:
                    break
            if cut < 0:
                rest = data
                continue
            yield data[: cut + 1]
            rest = data[cut + 1 :]


def read_nmea(
    path: Path,
    *,
    verify_checksums: bool = True,
    given_time: datetime | None = None,
    chunk_bytes: int = 16 << 20,
    fragment_window: int = 500,
) -> Iterator[AisChunk]:
    """Position and static rows of one NMEA file, chunk by chunk, with the lines it rejected."""
    scanner = NmeaScanner(
        verify_checksums=verify_checksums, given_time=given_time, fragment_window=fragment_window
    )
    for data in iter_chunks(path, chunk_bytes):
        chunk = AisChunk()
        msgs = scanner.scan(data, chunk.issues, chunk.counts)
        decoded = decode_messages(msgs, chunk.issues, chunk.counts, names=ROW_FIELDS)
        chunk.positions, chunk.static = to_rows(msgs, decoded)
        yield chunk
    tail = AisChunk()
    scanner.finish(tail.issues, tail.counts)
    yield tail
