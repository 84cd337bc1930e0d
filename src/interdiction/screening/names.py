"""Names: cleaning, scripts, tokens and what each token is (a legal form, a generic word ...).

A name is cleaned (control characters out, Unicode NFKC, length bounded), its scripts are
detected (rigour), and it becomes one or more *readings*: lists of segments in Latin letters
that the scorer aligns with another name's. A segment holds one or more *options* (the
romanisation of 청송, or its translation "green pine"); the scorer picks, per comparison,
the option that fits the other name best. ``transliteration`` makes the readings of
non-Latin names; this module holds what all readings share.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from rigour._core import text_scripts, tokenize_name

from interdiction.screening import arabic
from interdiction.screening.korean import Syllable, parse_latin

MAX_NAME_CHARS = 500  # longer input is cut (and said so): no listed name comes near
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
APOSTROPHES = re.compile(r"[’'`ʼʻ‘]")


class NameError_(ValueError):
    """A name that cannot be screened (empty once cleaned); the message says why."""


# Hyphens and dashes of typesetting (AL‑ASSAD with a non-breaking hyphen, in UN and EU
# files) are a hyphen; a soft hyphen is nothing. Else a Latin name reads as another script.
_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043", "-") | {"\u00ad": None}
)


def clean(text: str) -> str:
    """NFKC, control and invisible characters out, dashes a hyphen, whitespace collapsed,
    length bounded."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    text = CONTROL.sub(" ", text)
    text = " ".join(text.split())
    return text[:MAX_NAME_CHARS]


# Notes the lists write into a name field (UN aliases: "Ezatullah Haqqani (previously listed
# as)", "Mohammad Ishaq Akhund born in 1963", "..., born 1 Jan. 1953 (Oman passport no. ...)"):
# not words of the name. Only the lower-case "born" followed by a date or place is a note
# (BORN is a surname).
_LIST_NOTES = re.compile(
    r"\s*\((?i:previously|formerly|also)\s+(?i:listed)\s+(?i:as)\b[^)]*\)?"
    r"|,?\s+born\s+(?:in|on|circa|about|approx\w*|\d).*$"
)


def drop_list_notes(text: str) -> str:
    """A name without the list's notes on it (the name unchanged if nothing is left)."""
    if "listed" not in text.lower() and "born" not in text:
        return text
    dropped = _LIST_NOTES.sub("", text).strip(" ,;")
    return dropped if any(c.isalnum() for c in dropped) else text


def scripts(text: str) -> set[str]:
    return set(text_scripts(text))


@lru_cache(maxsize=200_000)
def ascii_fold(text: str) -> str:
    """Latin text to lowercase ASCII: diacritics and breves off (ŏ -> o), apostrophes out."""
    text = APOSTROPHES.sub("", text)
    decomposed = unicodedata.normalize("NFKD", text)
    out = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    # Letters that do not decompose, lowered first so that capitals fold too (Łukaszenka,
    # Đorđević: a word left with a non-ASCII letter is not a Latin word at all).
    return out.translate(_UNDECOMPOSED) if not out.isascii() else out


_UNDECOMPOSED = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ı": "i",
        "þ": "th",
        "œ": "oe",
        "ŋ": "ng",
        "ħ": "h",
        "ŧ": "t",
    }
)


# -- word lists ----------------------------------------------------------------------------


def _data(name: str) -> list[list[str]]:
    text = resources.files("interdiction.screening").joinpath("data", name).read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


def data_rows(name: str) -> list[list[str]]:
    """The rows of one of the package's tab-separated data files (comments skipped)."""
    return _data(name)


@dataclass(frozen=True)
class Vocabulary:
    stop: frozenset[str]
    org_stop: frozenset[str]  # stop words of organisation names only
    legal: frozenset[str]
    generic: frozenset[str]  # every word of organisation names that weighs as generic
    commerce: frozenset[str]  # the commerce words among them: they make a name look like a firm
    places: frozenset[str]  # countries, demonyms, regions and cities: not a firm's own word
    classes: dict[str, str]
    abbreviations: dict[str, str]
    korean_glossary: dict[str, tuple[tuple[str, ...], ...]]
    chinese_glossary: dict[str, tuple[tuple[str, ...], ...]]
    korean_surnames: dict[str, tuple[str, ...]]  # hangul -> romanisations
    korean_surname_romanisations: frozenset[str]
    surname_hanja: dict[str, str]  # hanja -> hangul surname reading
    cantonese_surnames: dict[str, tuple[str, ...]]
    korean_glossary_keys: dict[str, str] = field(default_factory=dict)  # syllable key -> term
    russian_stems: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    legal_forms: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # pjsc
    place_abbreviations: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    cities: frozenset[str] = frozenset()  # the provinces and cities of org_words.tsv
    territories: frozenset[str] = frozenset()  # countries and their demonyms (rigour)
    territory_codes: dict[str, frozenset[str]] = field(default_factory=dict)  # russia -> ru
    arabic_glossary: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)  # word -> its synonym set's word
    # How an organisation is organised, not what it does (group, foundation): not a sister's mark
    frame: frozenset[str] = frozenset()


def _territory_words() -> dict[str, frozenset[str]]:
    """Single-word names of countries and territories, their demonyms and the places rigour
    lists with them (Iran, Iranian, Tehran), folded like tokens, with the territory codes
    each may name (a territory's parent too: Hong Kong is also cn; Korea is kp and kr)."""
    from rigour._core import territories_jsonl
    from rigour.data import iter_jsonl_text

    out: dict[str, set[str]] = {}
    for data in iter_jsonl_text(territories_jsonl()):
        name = ascii_fold(str(data.get("name", "")))
        codes = {str(c) for c in (data.get("code"), data.get("parent")) if c}
        names = [name, *data.get("names_strong", []), *data.get("places", [])]
        # Weak names are many spellings in many languages; only those that begin like
        # the territory's English name are kept (Iranian, not Iron).
        names += [w for w in data.get("names_weak", []) if ascii_fold(w)[:3] == name[:3]]
        for value in names:
            words = tokenize_name(ascii_fold(str(value)))
            if len(words) == 1 and len(words[0]) >= 3 and words[0].isalpha():
                out.setdefault(words[0], set()).update(codes)
    return {word: frozenset(codes) for word, codes in out.items()}


def _alternatives(text: str) -> tuple[tuple[str, ...], ...]:
    """A word list's renderings: alternatives separated by |, each of words (co ltd|limited)."""
    return tuple(tuple(alt.split()) for alt in text.split("|"))


def _glossary(name: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    out = {}
    for row in _data(name):
        out[row[0]] = _alternatives(row[1])
    return out


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    from interdiction.screening.korean import hangul_syllables, syllable_key

    stop: set[str] = set()
    org_stop: set[str] = set()
    legal: set[str] = set()
    generic: set[str] = set()
    commerce: set[str] = set()
    places: set[str] = set()
    classes: dict[str, str] = {}
    abbreviations: dict[str, str] = {}
    synonyms: dict[str, str] = {}
    frame: set[str] = set()
    legal_forms: dict[str, tuple[tuple[str, ...], ...]] = {}
    place_abbreviations: dict[str, tuple[tuple[str, ...], ...]] = {}
    for row in _data("org_words.tsv"):
        kind, word = row[0], row[1]
        if kind == "stop":
            stop.add(word)
        elif kind == "orgstop":
            org_stop.add(word)
        elif kind == "legal":
            legal.add(word)
        elif kind == "generic":
            generic.add(word)
        elif kind == "commerce":
            commerce.add(word)
        elif kind == "place":
            places.add(word)
        elif kind == "class":
            classes[word] = row[2]
        elif kind == "abbr":
            abbreviations[word] = row[2]
        elif kind == "same":
            synonyms[word] = row[2]
            synonyms[row[2]] = row[2]
        elif kind == "form":
            legal_forms[word] = _alternatives(row[2])
        elif kind == "placeabbr":
            place_abbreviations[word] = _alternatives(row[2])
        elif kind == "frame":
            frame.add(word)
    surnames: dict[str, tuple[str, ...]] = {}
    hanja: dict[str, str] = {}
    romanised: set[str] = set()
    for row in _data("korean_surnames.tsv"):
        forms = tuple(row[2].split("|"))
        surnames[row[0]] = tuple(dict.fromkeys(surnames.get(row[0], ()) + forms))
        romanised.update(forms)
        if row[1] and row[1] != row[0]:
            hanja.setdefault(row[1], row[0])
    cantonese = {row[0]: tuple(row[1].split("|")) for row in _data("cantonese_surnames.tsv")}
    korean = _glossary("korean_glossary.tsv")
    keys: dict[str, str] = {}
    for term in korean:
        syllables = hangul_syllables(term)
        if len(syllables) >= 2 and len(syllables) == len(term):
            keys.setdefault(syllable_key(syllables), term)
    # What a firm does (a bank, trading, shipping) says nothing about which firm it is: class
    # words weigh as generic too, in every script (glossary terms follow their meaning).
    commerce |= set(classes)
    territory_codes = _territory_words()
    territories = set(territory_codes)
    cities = frozenset(places)
    places |= generic | territories  # korea, russian, east, federation ...
    generic |= commerce
    return Vocabulary(
        stop=frozenset(stop),
        org_stop=frozenset(org_stop),
        legal=frozenset(legal),
        generic=frozenset(generic),
        commerce=frozenset(commerce),
        places=frozenset(places),
        classes=classes,
        abbreviations=abbreviations,
        korean_glossary=korean,
        chinese_glossary=_glossary("chinese_glossary.tsv"),
        korean_surnames=surnames,
        korean_surname_romanisations=frozenset(romanised),
        surname_hanja=hanja,
        cantonese_surnames=cantonese,
        korean_glossary_keys=keys,
        # Russian stems and other languages' organisation words, read alike (stichting).
        russian_stems=_glossary("russian_glossary.tsv") | _glossary("org_glossary.tsv"),
        legal_forms=legal_forms,
        place_abbreviations=place_abbreviations,
        cities=cities,
        territories=frozenset(territories),
        territory_codes=territory_codes,
        synonyms=synonyms,
        frame=frozenset(frame),
        arabic_glossary={
            arabic.glossary_key(k): v for k, v in _glossary("arabic_glossary.tsv").items()
        },
    )


# -- tokens --------------------------------------------------------------------------------

NAME, STOP, LEGAL, GENERIC, NUMBER = "name", "stop", "legal", "generic", "number"
PATRONYMIC = "patronymic"
# Russian, Ukrainian, Belarusian and Turkic patronymics (Ivanovich, Ivanovna, Ivanovych,
# Oleksandrivna, Uladzimiravich, Mikalaeuna, Aliyev oglu, kyzy): part of the name, but a list
# carries them where a query often does not.
PATRONYMIC_ENDINGS = (
    "ovich",
    "evich",
    "ovna",
    "evna",
    "ichna",
    "ovych",
    "evych",
    "ivna",
    "avich",
    "auna",
    "euna",
)
PATRONYMIC_WORDS = frozenset({"ogly", "oglu", "ogli", "kyzy", "qizi", "gizi"})
# Titles and honorifics that lists carry with some aliases and not others (Hafiz, Haji,
# Maulawi, Sheikh): part of the name as written, weak evidence of identity.
TITLES = frozenset(
    [
        "hafiz",
        "haji",
        "hajji",
        "sheikh",
        "shaykh",
        "shaikh",
        "sheik",
        "maulawi",
        "mawlawi",
        "maulvi",
        "mullah",
        "mulla",
        "qari",
        "mufti",
        "imam",
        "mr",
        "mrs",
        "ms",
        "dr",
        "doctor",
        "general",
        "gen",
        "colonel",
        "col",
        "major",
        "captain",
        "capt",
        "admiral",
        "prof",
        "professor",
        "sir",
        "lord",
        "hon",
        "engineer",
        "eng",
        # Judges, teachers and clerics of Afghan and Iranian names (Qazi Abdullah, Ustad
        # Ahmad, Hojatoleslam Ali Saidi), and military ranks (Lieutenant General)
        "qazi",
        "qadi",
        "ustad",
        "ustadh",
        "maulana",
        "mawlana",
        "moulavi",
        "hajj",
        "alhaj",
        "alhajj",
        "hojatoleslam",
        "hojjatoleslam",
        "hodjatoleslam",
        "hojatolislam",
        "ayatollah",
        "ayatullah",
        "lieutenant",
        "lt",
        "brigadier",
        "sergeant",
        "marshal",
        "commander",
        # Clerics' titles and the honorific suffixes of South Asian names (Maulavi Abdul
        # Kabir, Haqqani Sahib, Dawood Bhai). Not Sayyid, Akhund nor Maalim: lists carry
        # them as family names too (HANI AL-SAYYID, MOHAMMAD HASSAN AKHUND).
        "maulavi",
        "mawlavi",
        "moulvi",
        "molvi",
        "sahib",
        "saheb",
        "sahab",
        "bhai",
    ]
)
# Particles of family names (AL-RAWI, BIN LADEN, VAN DER): upper-case, but not the surname.
PARTICLES = frozenset(
    [
        "ul",
        "ud",
        "ur",
        "us",
        "uz",
        "al",
        "el",
        "bin",
        "ben",
        "ibn",
        "bint",
        "abu",
        "abou",
        "ould",
        "de",
        "da",
        "di",
        "del",
        "der",
        "van",
        "von",
        "la",
        "le",
    ]
)


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a reading, in the form compared (lowercase ASCII)."""

    text: str
    shown: str  # as written in the source name (정은, Jong, 有限公司)
    kind: str = NAME
    method: str = ""  # how the text was obtained from ``shown`` ("" = written so)
    korean: tuple[tuple[Syllable, ...], ...] = ()
    surname: bool = False  # known to be the family name


@dataclass(frozen=True, slots=True)
class Segment:
    """A part of a name and its alternative renderings (one option for plain Latin words)."""

    options: tuple[tuple[Token, ...], ...]


@dataclass(frozen=True, slots=True)
class Reading:
    segments: tuple[Segment, ...]
    method: str  # "written", "McCune-Reischauer", "Hanja reading", "pinyin", ...
    korean: bool = False  # this reading is (or may be) a Korean name


@dataclass(frozen=True, slots=True)
class AnalysedName:
    original: str
    readings: tuple[Reading, ...]
    scripts: frozenset[str]


NUMBER_RE = re.compile(r"^\d+$")
ROMAN = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}


# Arabic articles as romanised (al-, el-, ul-, and assimilated ad-, ar-, ash- ...): AL-HAQ,
# UL-HAQ and Haq are one name. Organisations: only the unambiguous ones (AS is a legal form).
ARTICLES = frozenset({"al", "el", "ul", "ud", "ad", "ar", "ash", "as", "at", "az"})
ORG_ARTICLES = frozenset({"al", "el", "ul"})


def token_kind(text: str, organisation: bool) -> str:
    vocab = vocabulary()
    if NUMBER_RE.match(text):
        return NUMBER
    if text in vocab.stop or (organisation and text in vocab.org_stop):
        return STOP
    if text in (ORG_ARTICLES if organisation else ARTICLES):
        return STOP
    if not organisation and (
        text in PATRONYMIC_WORDS or (len(text) >= 7 and text.endswith(PATRONYMIC_ENDINGS))
    ):
        return PATRONYMIC
    if not organisation and text in TITLES:
        return GENERIC
    if organisation and text in vocab.legal:
        return LEGAL
    if organisation and (
        text in vocab.generic or vocab.abbreviations.get(text, "") in vocab.generic
    ):
        return GENERIC
    return NAME


def meaning_kind(alternatives: tuple[tuple[str, ...], ...]) -> str:
    """The kind of a word known by its translations (무역 = trade, 有限公司 = company
    limited, torgovyy = trading): a legal form or a generic word in every reading is one in
    any script, so that one rule weighs it whatever script or romanisation it comes in."""
    kinds = {token_kind(word, True) for alternative in alternatives for word in alternative}
    kinds.discard(STOP)
    if kinds == {LEGAL}:
        return LEGAL
    if kinds and kinds <= {LEGAL, GENERIC}:
        return GENERIC
    return NAME


# Aliases written into one name: joined with ";" (lists, spreadsheets) or with an alias mark
# (KIM Jong Un a.k.a. Kim Jong-un). Plain "aka" only in lower case: AKA is a name too.
_ALIAS_MARK = re.compile(
    r";|\s(?:(?i:[afn]\.\s?k\.\s?a\.?|a/k/a|also known as|formerly known as)|aka|fka|nka)\s"
)


def split_aliases(text: str) -> list[str]:
    """The names one string holds (at most 20)."""
    return [p.strip() for p in _ALIAS_MARK.split(text) if p.strip()][:20]


@lru_cache(maxsize=200_000)
def _folded_word(word: str, organisation: bool) -> tuple[str, str]:
    """A word's folded text and kind ("" when nothing Latin is left): words recur across
    names (Mohammed, LLC), so each is folded and classed once."""
    folded = "".join(c for c in ascii_fold(word) if c.isalnum())
    if not folded or not folded.isascii():
        return folded, ""
    return folded, token_kind(folded, organisation)


def latin_tokens(text: str, organisation: bool, method: str = "") -> list[Token]:
    """Latin (or already romanised) text to tokens; an UPPER-CASE word among mixed case is
    the surname, as the UN and OFAC lists write them ("KIM Jong Un")."""
    raw = tokenize_name(APOSTROPHES.sub("", text))
    cased = [w for w in raw if any(c.isalpha() for c in w)]
    mixed = any(w.isupper() for w in cased) and any(not w.isupper() for w in cased)
    out: list[Token] = []
    for word in raw:
        folded, kind = _folded_word(word, organisation)
        if not kind:
            continue
        surname = (
            mixed
            and word.isupper()
            and len(word) > 1
            and not organisation
            and folded not in PARTICLES
        )
        if kind == PATRONYMIC and (surname or not out):
            # A patronymic follows a given name; first or written as the family name it is
            # a surname of that shape (RUSAKEVICH, Lukashevich, Petrovich).
            kind = NAME
        out.append(Token(folded, word, kind, method, (), surname))
    if organisation:
        return _join_initials(out)
    return arabic_compounds(out)


def _join_initials(tokens: list[Token]) -> list[Token]:
    """A firm's single letters written apart are one word, as written with dots: S. A. DE
    C. V. is SA DE CV (legal forms), A A TRADING FZCO is AA TRADING (its own name), not
    the stop words a, y, i and e."""
    out: list[Token] = []
    run: list[Token] = []
    for token in [*tokens, None]:
        if token is not None and len(token.text) == 1 and token.text.isalpha():
            run.append(token)
            continue
        if len(run) >= 2:
            text = "".join(t.text for t in run)
            shown = " ".join(t.shown for t in run)
            out.append(Token(text, shown, token_kind(text, True), run[0].method))
        else:
            out.extend(run)
        run = []
        if token is not None:
            out.append(token)
    return out


# Arabic compound names of ad-Din and Allah (Badr al-Din, Khair Ullah), written joined or
# apart, with the article's vowel as the romaniser heard it: one spelling each, so that
# BADREDDINE = BADR AL-DIN = Badruddin and Abdallah = Abdulla = Abd Allah.
_DIN_JOINED = re.compile(r"^([a-z]{2,}?)(?:al|el|ul|ud|ed|ad|od|id|ou|u|e|a|o|i)?d?(?:dine?|deen)$")
_ALLAH_JOINED = re.compile(r"^([a-z]{2,}?)(?:ullah?|ollah?|allah?|ulah|olah)$")
_DIN_WORDS = frozenset(
    {"eddine", "eddin", "uddin", "uddine", "oudine", "oudin", "addin", "iddin", "aldin", "eldin"}
)
_DIN_AFTER_ARTICLE = frozenset({"din", "deen", "dine", "den"})
_ALLAH_WORDS = frozenset({"ullah", "ulla", "ollah", "olla", "allah", "ulah"})
_COMPOUND_ARTICLES = frozenset({"al", "el", "ul", "ud", "ed", "ad", "ur"})


def _compound_text(text: str) -> str:
    """The one spelling of a joined compound. Read again until it holds: a stem ending in a
    vowel may take part of the new suffix for a linker (AAOADEEN -> aaouddin -> aauddin)."""
    while True:
        if text.endswith(("din", "dine", "deen")) and (m := _DIN_JOINED.match(text)):
            stem, suffix = m.group(1), "uddin"
        elif text.endswith(("lah", "lla")) and (m := _ALLAH_JOINED.match(text)):
            stem, suffix = m.group(1), "ullah"
        else:
            return text
        if stem in _COMPOUND_ARTICLES:  # ALDIN is al-Din alone
            return text
        if stem + suffix == text:
            return text
        text = stem + suffix


def arabic_compounds(tokens: list[Token]) -> list[Token]:
    """Persons' ad-Din and Allah compounds as one word in one spelling (Najm Eddine =
    Najmuddin, Safi al-Din = SAFIEDDINE, Khair Ullah = Khairullah)."""
    out: list[Token] = []
    for token in tokens:
        text = token.text
        if token.kind == NAME and (
            text in _DIN_WORDS
            or text in _ALLAH_WORDS
            or (text in _DIN_AFTER_ARTICLE and out and out[-1].text in _COMPOUND_ARTICLES)
        ):
            start = len(out) - 1
            if start >= 0 and out[start].text in _COMPOUND_ARTICLES and out[start].kind != NAME:
                start -= 1
            if (
                start >= 0
                and out[start].kind == NAME
                and out[start].text not in PARTICLES
                # Hamdullah Allah Noor: Allah begins the next name
                and not out[start].text.endswith(("ullah", "uddin"))
            ):
                head = out[start]
                parts = [*out[start:], token]
                suffix = "ullah" if text in _ALLAH_WORDS else "uddin"
                out[start:] = [
                    Token(
                        head.text + suffix,
                        " ".join(t.shown for t in parts),
                        NAME,
                        head.method,
                        (),
                        head.surname or token.surname,
                    )
                ]
                continue
        if token.kind == NAME:
            compound = _compound_text(text)
            if compound != text:
                token = Token(compound, token.shown, NAME, token.method, (), token.surname)
        out.append(token)
    return out


def mark_acronyms(tokens: list[Token]) -> list[Token]:
    """A name's own acronym (FOREIGN TRADE BANK (FTB), OCEAN MARITIME MANAGEMENT (OMM)) is
    another spelling of the name, not a word of its own: it weighs as a generic word."""
    out = list(tokens)
    for n, token in enumerate(tokens):
        letters = token.text
        if token.kind != NAME or not 2 <= len(letters) <= 6 or not token.shown.isupper():
            continue
        initials = [t.text[0] for m, t in enumerate(tokens) if m != n and t.text.isalpha()]
        if len(initials) < len(letters):
            continue
        pos = 0
        for initial in initials:
            if pos < len(letters) and initial == letters[pos]:
                pos += 1
        if pos == len(letters):
            out[n] = Token(token.text, token.shown, GENERIC, token.method, token.korean)
    return out


def parses(token: Token) -> tuple[tuple[Syllable, ...], ...]:
    """The Korean syllables a token may spell: given (Hangul, Cyrillic) or parsed (Latin)."""
    return token.korean or parse_latin(token.text)


def plain_segments(tokens: list[Token]) -> tuple[Segment, ...]:
    return tuple(Segment(((t,),)) for t in tokens)


KOREAN_ORG_MARKERS = frozenset(
    {"korea", "korean", "dprk", "choson", "chosun", "koryo", "pyongyang", "rason", "nampho"}
)


def looks_korean_person(tokens: list[Token]) -> bool:
    """A Latin person name that may be Korean: a Korean surname first or last, every word
    spelling Korean syllables."""
    names = [t for t in tokens if t.kind == NAME]
    if len(names) < 2:
        return False
    surnames = vocabulary().korean_surname_romanisations
    if names[0].text not in surnames and names[-1].text not in surnames:
        return False
    if any(t.text in WESTERN_GIVEN_NAMES for t in names):
        return False  # LEE, John Ka-chiu: a Hong Kong name with an English given name
    return all(parse_latin(t.text) for t in names)


# English given names that Hong Kong, Taiwanese and overseas Chinese and Korean persons put
# beside their own (LEE, John Ka-chiu; LAM, Carrie): spelt like Korean syllables (John = Jon),
# they would make the name be compared as Korean syllables, where a name of one side only
# is another person. Only those that parse as Korean syllables matter here.
WESTERN_GIVEN_NAMES = frozenset(
    [
        "john",
        "joan",
        "jane",
        "anne",
        "tina",
        "daniel",
        "peter",
        "paul",
        "simon",
        "jason",
        "sean",
        "leon",
        "michael",
        "joseph",
    ]
)


def flag_korean_surname(tokens: list[Token]) -> list[Token]:
    """In a Korean name without case marks, the first word is the surname when it is one."""
    if any(t.surname for t in tokens):
        return tokens
    names = [n for n, t in enumerate(tokens) if t.kind == NAME]
    if names and tokens[names[0]].text in vocabulary().korean_surname_romanisations:
        first = tokens[names[0]]
        tokens = list(tokens)
        tokens[names[0]] = Token(
            first.text, first.shown, first.kind, first.method, first.korean, True
        )
    return tokens


# -- compact form (the saved index holds names as plain tuples: fast to load) ---------------

Packed = tuple[Any, ...]


def pack(name: AnalysedName) -> Packed:
    return (
        name.original,
        tuple(sorted(name.scripts)),
        tuple(
            (
                r.method,
                r.korean,
                tuple(
                    tuple(
                        tuple(
                            (t.text, t.shown, t.kind, t.method, _plain(t.korean), t.surname)
                            for t in option
                        )
                        for option in segment.options
                    )
                    for segment in r.segments
                ),
            )
            for r in name.readings
        ),
    )


def _plain(
    parses: tuple[tuple[Syllable, ...], ...],
) -> tuple[tuple[tuple[str, str, str], ...], ...]:
    return tuple(tuple((s.initial, s.vowel, s.final) for s in p) for p in parses)


def unpack(packed: Packed) -> AnalysedName:
    original, found, readings = packed
    return AnalysedName(
        original,
        tuple(
            Reading(
                tuple(
                    Segment(
                        tuple(
                            tuple(
                                Token(
                                    t[0],
                                    t[1],
                                    t[2],
                                    t[3],
                                    tuple(tuple(Syllable(*s) for s in p) for p in t[4]),
                                    t[5],
                                )
                                for t in option
                            )
                            for option in segment
                        )
                    )
                    for segment in segments
                ),
                method,
                korean,
            )
            for method, korean, segments in readings
        ),
        frozenset(found),
    )
