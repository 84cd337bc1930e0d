"""Ownership shares as exact intervals: parsing, BODS share objects, bad values."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from interdiction.sources.shares import FULL, UNIT, parse_share, share_text


def test_forms() -> None:
    assert (parse_share("50").lo, parse_share("50").hi) == (50 * UNIT, 50 * UNIT)
    assert parse_share("50 %").exact and parse_share("50.5%").lo == 505_000
    exclusive = parse_share("(25,50)")
    assert exclusive.lo == 25 * UNIT + 1 and exclusive.hi == 50 * UNIT - 1
    assert parse_share("[75,100)").lo == 75 * UNIT and parse_share("[75,100)").hi == FULL - 1
    assert (parse_share("25-50").lo, parse_share("25 to 50").hi) == (25 * UNIT, 50 * UNIT)
    assert parse_share(">25").lo == 25 * UNIT + 1 and parse_share(">25").hi == FULL
    assert parse_share("<=50").hi == 50 * UNIT and parse_share("<50").hi == 50 * UNIT - 1
    # Exact sums: 33.3 + 16.7 is 50, which floats miss.
    assert parse_share("33.3").lo + parse_share("16.7").lo == 50 * UNIT


def test_missing_and_bad_values_are_unknown_never_zero_or_hundred() -> None:
    for text in (None, "", "  "):
        share = parse_share(text)
        assert not share.known and (share.lo, share.hi) == (0, FULL) and share.problem is None
    for text in ("150", "[60,40]", "fifty", "-5", "50,5"):
        share = parse_share(text)
        assert not share.known and (share.lo, share.hi) == (0, FULL)
        assert share.problem and repr(text.strip()) in share.problem


def test_bods_share_objects() -> None:
    assert share_text(exact=76.5) == "76.5"
    assert share_text(minimum=75, exclusive_maximum=100) == "[75,100)"
    assert share_text(exclusive_minimum=25, exclusive_maximum=50) == "(25,50)"
    assert share_text() is None


@given(st.text(max_size=30))
def test_never_raises_and_stays_in_range(text: str) -> None:
    share = parse_share(text)
    assert 0 <= share.lo <= share.hi <= FULL
    assert share.known or (share.lo, share.hi) == (0, FULL)


@given(
    st.floats(min_value=0, max_value=100, allow_nan=False),
    st.floats(min_value=0, max_value=100, allow_nan=False),
    st.booleans(),
    st.booleans(),
)
def test_bods_intervals_round_trip(a: float, b: float, open_low: bool, open_high: bool) -> None:
    low, high = min(a, b), max(a, b)
    text = share_text(
        minimum=None if open_low else low,
        exclusive_minimum=low if open_low else None,
        maximum=None if open_high else high,
        exclusive_maximum=high if open_high else None,
    )
    share = parse_share(text)
    if share.known:
        assert share.lo >= int(low * UNIT) - 1 and share.hi <= int(high * UNIT) + 2
    else:  # an open interval narrower than one unit is empty: reported, not guessed
        assert share.problem
