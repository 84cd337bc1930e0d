from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from interdiction.sources.dates import parse_date, parse_dates, parse_timestamp


def test_list_forms() -> None:
    assert parse_date("10 Dec 1948") == "1948-12-10"
    assert parse_date("Dec 1948") == "1948-12"
    assert parse_date("1948") == "1948"
    assert parse_date("circa 1951") == "1951"
    assert parse_date("1944-10-13") == "1944-10-13"
    assert parse_date("31 Feb 1960") is None
    assert parse_dates("1951 to 1953") == ["1951", "1953"]
    assert parse_dates("01 Jan 1961 to 31 Dec 1962") == ["1961-01-01", "1962-12-31"]
    assert parse_dates("circa 1979-1982") == ["1979", "1982"]
    assert parse_dates("between 1950 and 1955") == ["1950", "1955"]
    assert parse_dates("unknown") == []


def test_timestamps_are_naive_utc() -> None:
    stamp = parse_timestamp("2026-02-27T00:00:09.554Z")
    assert stamp is not None and stamp.tzinfo is None and stamp.year == 2026


@given(st.text(max_size=40))
def test_never_raises(text: str) -> None:
    for value in parse_dates(text):
        assert value[:4].isdigit()


@given(st.dates())
def test_iso_round_trip(day) -> None:  # type: ignore[no-untyped-def]
    if 1000 <= day.year <= 2100:
        assert parse_date(day.strftime("%d %b %Y")) == day.isoformat()
