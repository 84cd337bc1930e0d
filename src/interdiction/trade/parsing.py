"""Values as declarations write them: dates, amounts, currencies, countries, party names.

One bad value never stops a file: each parser returns ``None`` and the caller records why.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

from babel.numbers import list_currencies

from interdiction.ids import content_hash
from interdiction.sources.countries import clean_country

# ISO 4217 codes, from the Unicode CLDR data that babel ships (offline).
CURRENCIES = frozenset(list_currencies())
CURRENCY_ALIASES = {
    "US$": "USD",
    "$": "USD",
    "USDOLLAR": "USD",
    "€": "EUR",
    "¥": "CNY",
    "RMB": "CNY",
    "HK$": "HKD",
    "RUR": "RUB",  # the pre-1998 code, still written in Russian declarations
    "РУБ": "RUB",
    "₽": "RUB",
}

# Country names as Russian-language declarations write them (the FtM cleaner reads English
# names and ISO codes). Only the countries of the routes this project follows.
RUSSIAN_COUNTRIES = {
    "РОССИЯ": "ru",
    "РОССИЙСКАЯ ФЕДЕРАЦИЯ": "ru",
    "БЕЛАРУСЬ": "by",
    "БЕЛОРУССИЯ": "by",
    "КИТАЙ": "cn",
    "ГОНКОНГ": "hk",
    "ТУРЦИЯ": "tr",
    "КАЗАХСТАН": "kz",
    "КИРГИЗИЯ": "kg",
    "КЫРГЫЗСТАН": "kg",
    "АРМЕНИЯ": "am",
    "ОАЭ": "ae",
    "ОБЪЕДИНЕННЫЕ АРАБСКИЕ ЭМИРАТЫ": "ae",
    "КНДР": "kp",
    "США": "us",
    "ГЕРМАНИЯ": "de",
    "ЯПОНИЯ": "jp",
    "ТАЙВАНЬ": "tw",
    "УЗБЕКИСТАН": "uz",
    "ГРУЗИЯ": "ge",
}

_ISO_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_OTHER_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def parse_day(text: str | None, dayfirst: bool = True) -> date | None:
    """``2024-03-05``, ``20240305``, ``05.03.2024`` (day first) or ``03/05/2024`` (US)."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    try:
        if match := _ISO_DATE.match(text):
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match := _COMPACT_DATE.match(text):
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match := _OTHER_DATE.match(text):
            first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
            day, month = (first, second) if dayfirst else (second, first)
            return date(year, month, day)
    except ValueError:
        return None
    return None


_AMOUNT_JUNK = re.compile(r"[^\d,.\-]")


def parse_amount(text: str | None) -> float | None:
    """``1,234.5``, ``1 234,5``, ``1.234,5``, ``$1,234`` or ``1234``; None if not a number."""
    if text is None:
        return None
    raw = text.strip()
    if not raw:
        return None
    cleaned = _AMOUNT_JUNK.sub("", raw.replace("\u00a0", "").replace(" ", ""))
    if not cleaned or cleaned in {"-", ".", ","} or cleaned.count("-") > 1:
        return None
    if cleaned.count("-") == 1 and not cleaned.startswith("-"):
        return None
    if "," in cleaned and "." in cleaned:
        # The last separator is the decimal one.
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        parts = cleaned.split(",")
        if len(parts) > 2 or (len(parts) == 2 and len(parts[1]) == 3 and parts[0] != "0"):
            cleaned = cleaned.replace(",", "")  # thousands separators
        else:
            cleaned = cleaned.replace(",", ".")
    elif cleaned.count(".") > 1:
        cleaned = cleaned.replace(".", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return value


def parse_currency(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    code = text.strip().upper().replace(" ", "")
    code = CURRENCY_ALIASES.get(code, code)
    return code if code in CURRENCIES else None


@lru_cache(maxsize=16384)
def parse_country(text: str | None) -> str | None:
    """A country name or code to FtM's lower-case ISO alpha-2 code."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    found = RUSSIAN_COUNTRIES.get(text.upper())
    if found:
        return found
    return clean_country(text)


_ROUTE_SPLIT = re.compile(r"\s*(?:;|\||>|->|→|,)\s*")


def parse_countries(text: str | None) -> tuple[list[str], list[str]]:
    """A route (``HK; KG``, ``Hong Kong > Kyrgyzstan``): the codes, and what did not parse."""
    if text is None or not text.strip():
        return [], []
    codes: list[str] = []
    bad: list[str] = []
    for part in _ROUTE_SPLIT.split(text.strip()):
        if not part:
            continue
        code = parse_country(part)
        if code is None:
            bad.append(part)
        elif code not in codes:
            codes.append(code)
    return codes, bad


# Legal forms dropped before names are compared: a shipper written "Vexaru Trading Co.,
# Limited" on one declaration and "VEXARU TRADING CO LTD" on the next is one party.
LEGAL_FORMS = frozenset(
    {
        "ltd",
        "limited",
        "co",
        "company",
        "corp",
        "corporation",
        "inc",
        "incorporated",
        "llc",
        "llp",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "srl",
        "bv",
        "nv",
        "oy",
        "ab",
        "as",
        "jsc",
        "pjsc",
        "ojsc",
        "cjsc",
        "ooo",
        "zao",
        "oao",
        "pao",
        "tov",
        "fze",
        "fzco",
        "fzc",
        "sdn",
        "bhd",
        "pte",
        "pvt",
    }
)
CYRILLIC_LEGAL_FORMS = frozenset({"ооо", "ао", "зао", "оао", "пао", "ип", "тоо", "одо", "чп"})
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


def normalise_name(name: str | None) -> str:
    """Case-folded, accents and punctuation removed, legal forms dropped, spaces collapsed.

    Deliberately exact-match oriented: a fuzzy matcher (the screening capability) compares
    names properly; this form only deduplicates parties and finds exact matches.
    """
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _PUNCT.sub(" ", text)
    tokens = [t for t in text.split() if t not in LEGAL_FORMS and t not in CYRILLIC_LEGAL_FORMS]
    if not tokens:  # a name made only of legal-form words is kept as it is
        tokens = text.split()
    return " ".join(tokens)


def party_key(name: str | None, country: str | None) -> str | None:
    """One id per distinct party: its normalised name and country."""
    norm = normalise_name(name)
    if not norm:
        return None
    return "pty-" + content_hash(norm, country or "", length=16)


def clean_identifier(text: str | None) -> str | None:
    if not text:
        return None
    value = re.sub(r"[^0-9A-Za-z]", "", text).upper()
    return value or None
