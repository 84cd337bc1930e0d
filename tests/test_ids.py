from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from interdiction.ids import (
    clean_imo,
    company_imo_checksum_ok,
    content_hash,
    derived_id,
    imo_checksum_ok,
)


def _with_check_digit(six: str) -> str:
    total = sum(int(d) * w for d, w in zip(six, range(7, 1, -1), strict=True))
    return six + str(total % 10)


def test_real_imo_numbers() -> None:
    # ANGARA, LADY R, MAIA-1, MARIA: the Rajin route vessels on the SDN list.
    for number in ("9179842", "9161003", "9358010", "8517839"):
        assert imo_checksum_ok(number)
    assert clean_imo("IMO 9179842") == "IMO9179842"
    assert clean_imo("IMO  8730455") == "IMO8730455"  # two spaces, as in the 2024 SDN file
    assert clean_imo("9179843") is None
    assert clean_imo("0000000") is None  # zero-padded junk
    assert clean_imo("917984") is None  # no padding of short runs
    assert clean_imo("RS 150443") is None  # a national registration number


def test_company_scheme_is_not_ship_scheme() -> None:
    # UN KPe.022 Chongchongang Shipping: a company IMO number, valid only in that scheme.
    assert company_imo_checksum_ok("5342883")
    assert not imo_checksum_ok("5342883")


@given(st.from_regex(r"[1-9][0-9]{5}", fullmatch=True), st.integers(1, 9))
def test_any_single_digit_error_is_caught(six: str, delta: int) -> None:
    valid = _with_check_digit(six)
    assert imo_checksum_ok(valid)
    wrong = valid[:6] + str((int(valid[6]) + delta) % 10)
    assert not imo_checksum_ok(wrong)


@given(st.text(max_size=30))
def test_clean_imo_never_raises(text: str) -> None:
    result = clean_imo(text)
    assert result is None or (result.startswith("IMO") and imo_checksum_ok(result[3:]))


def test_hashes_are_stable_and_separated() -> None:
    assert content_hash("ab", "c") != content_hash("a", "bc")
    assert content_hash(1, None) == content_hash(1, None)
    assert derived_id("ofac-1", "addr", "x").startswith("ofac-1-addr-")
