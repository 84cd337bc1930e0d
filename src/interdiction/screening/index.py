"""The candidate index: every name of every listed entity, and exact identifier indexes.

Built from the store in one pass of SQL (not entity by entity, to stay within seconds), held
in memory, and saved beside the store (``<store>.screening.idx``, written atomically) with
the store version and a fingerprint of the lists it was built from. ``load_index`` refuses an
index built from other lists (``StaleIndex``); ``ensure_index`` rebuilds it.

Keys per name token: the token (``t:``), its romanisation-tolerant skeleton (``s:``), its
metaphone (``m:``), its Korean syllables (``k:``, for names that may be Korean) and, for
adjacent tokens, the two joined (``t:xiaoping`` for "Xiao Ping"); translations of glossary
words are tokens too. Identifiers: ship IMO numbers, MMSIs, passports, national ids,
registration and tax numbers, crypto addresses, each normalised (upper-case letters and
digits).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import itertools
import json
import pickle
import re
import time
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from rigour.text.phonetics import metaphone

from interdiction.fileio import atomic_write
from interdiction.ids import clean_imo
from interdiction.screening import arabic
from interdiction.screening import korean as ko
from interdiction.screening.names import (
    STOP,
    AnalysedName,
    NameError_,
    Packed,
    Token,
    pack,
    unpack,
)
from interdiction.screening.scoring import (
    MATCHER_VERSION,
    Stats,
    east_slavic_key,
    english_spelling,
    european_readings,
    russian_given_name,
    singular_form,
    skeleton,
    slavic_marks,
    somali_reading,
    vowel_forms,
)
from interdiction.screening.transliteration import ANY, ARABIC, ORGANISATION, PERSON, analyse
from interdiction.store import Store, lists_in_use
from interdiction.store.db import one

INDEX_FORMAT = 2  # 2: name_weight
INDEX_SUFFIX = ".screening.idx"

PERSON_SCHEMATA = {"Person"}
ORGANISATION_SCHEMATA = {
    "Organization",
    "Company",
    "PublicBody",
    "Vessel",
    "Airplane",
    "Asset",
    "Vehicle",
}
# FtM properties that carry identifiers, by the kind of exact index they go to.
IDENTIFIER_KINDS: dict[str, str] = {
    "imoNumber": "imo",
    "mmsi": "mmsi",
    "passportNumber": "passport",
    "idNumber": "id",
    "registrationNumber": "id",
    "taxNumber": "id",
    "innCode": "id",
    "ogrnCode": "id",
    "okpoCode": "id",
    "leiCode": "id",
    "swiftBic": "id",
    "vatCode": "id",
    "uscCode": "id",
    "dunsCode": "id",
    "bikCode": "id",
    "isinCode": "id",
    "socialSecurityNumber": "id",
    "npiCode": "id",
    "uniqueEntityId": "id",
    "serialNumber": "id",
    "callSign": "callsign",
    "publicKey": "crypto",
}
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction", "flag", "birthCountry")
KOREA = {"kp", "kr"}


class StaleIndex(RuntimeError):
    """The saved index was built from other lists (or by another matcher version)."""


def entity_kind(schema: str) -> str:
    if schema in PERSON_SCHEMATA:
        return PERSON
    if schema in ORGANISATION_SCHEMATA:
        return ORGANISATION
    return ANY


_ID_CLEAN = re.compile(r"[^0-9A-Za-z]")


def normalise_identifier(kind: str, value: str) -> str | None:
    """The form identifiers are compared in; None for values that identify nothing."""
    if kind == "imo":
        imo = clean_imo(value)
        return imo[3:] if imo else None
    text = _ID_CLEAN.sub("", value).upper()
    if kind == "mmsi":
        if len(text) != 9 or not text.isdigit() or len(set(text)) == 1 or text == "123456789":
            return None  # default and junk MMSIs identify nothing
        return text
    if kind == "crypto":
        return text if len(text) >= 20 else None
    if len(text) < 4 or len(set(text)) == 1:
        return None
    return text


class IndexedName:
    """A listed name and its readings (kept packed in the saved index, unpacked on use)."""

    __slots__ = ("_analysed", "_packed", "prop", "text")

    def __init__(self, text: str, prop: str, analysed: AnalysedName) -> None:
        self.text = text
        self.prop = prop  # name, alias, weakAlias, previousName ...
        self._analysed: AnalysedName | None = analysed
        self._packed: Packed | None = None

    @property
    def analysed(self) -> AnalysedName:
        if self._analysed is None:
            assert self._packed is not None
            self._analysed = unpack(self._packed)
        return self._analysed

    def __getstate__(self) -> tuple[str, str, Packed]:
        packed = self._packed if self._packed is not None else pack(self.analysed)
        return (self.text, self.prop, packed)

    def __setstate__(self, state: tuple[str, str, Packed]) -> None:
        self.text, self.prop, self._packed = state
        self._analysed = None


@dataclass(slots=True)
class IndexedEntity:
    id: str
    schema: str
    caption: str
    kind: str
    datasets: tuple[str, ...]
    names: list[IndexedName]
    properties: dict[str, list[str]]
    identifiers: dict[str, set[str]]
    birth_dates: tuple[str, ...]
    countries: frozenset[str]
    gender: str | None
    topics: frozenset[str]
    target: bool
    delisted: datetime | None
    first_seen: datetime | None
    last_seen: datetime | None
    last_change: datetime | None
    checksum: str
    simulated: bool
    referents: tuple[str, ...] = ()


@dataclass
class ScreeningIndex:
    entities: list[IndexedEntity]
    names: list[IndexedName]
    name_owner: array  # type: ignore[type-arg]
    # Per name, the weight of its words (first reading): ranks candidates of equal coverage.
    name_weight: array  # type: ignore[type-arg]
    postings: dict[str, array]  # type: ignore[type-arg]
    identifiers: dict[tuple[str, str], list[int]]
    stats: Stats
    store_version: int
    fingerprint: str
    lists: list[dict[str, Any]]
    built_at: str
    build_seconds: float
    matcher_version: str = MATCHER_VERSION
    format: int = INDEX_FORMAT
    by_id: dict[str, int] = field(default_factory=dict)

    def entity(self, entity_id: str) -> IndexedEntity | None:
        if not self.by_id:
            for n, entity in enumerate(self.entities):
                self.by_id[entity.id] = n
                for referent in entity.referents:
                    self.by_id.setdefault(referent, n)
        idx = self.by_id.get(entity_id)
        return None if idx is None else self.entities[idx]


# -- keys ---------------------------------------------------------------------------------

COMMON_KEY_SHARE = 0.015  # keys on more than this share of names are skipped when others exist


def token_keys(token: Token, korean: bool, indexing: bool = False) -> tuple[str, ...]:
    """The keys of a token. Listed names also get consonant keys (``a:``), which only a
    query written in Arabic script looks up."""
    if token.method == ARABIC:
        return ("a:" + arabic.arabic_skeleton(token.shown),)
    if token.korean:
        return tuple(_token_keys(token.text, token.korean, korean, indexing))
    return _cached_keys(token.text, korean, indexing)


@lru_cache(maxsize=200_000)
def _cached_keys(text: str, korean: bool, indexing: bool) -> tuple[str, ...]:
    return tuple(_token_keys(text, (), korean, indexing))


@lru_cache(maxsize=200_000)
def vowel_keys(text: str) -> tuple[str, ...]:
    """A Latin word's vowels as Arabic's three (its skeleton where they are already:
    HUSSEIN and HUSAYN v:husin, MOHAMAD and MUHAMMAD v:muhamad), one definition for the
    listed words and a person's query words."""
    if len(text) < 4 or not text.isalpha():
        return ()
    return tuple("v:" + form for form in vowel_forms(text) or (skeleton(text),))


_SOMALI_KEY = re.compile(r"x[aeiou]|^c[aeiou]")


def _token_keys(
    text: str, given: tuple[tuple[ko.Syllable, ...], ...], korean: bool, indexing: bool
) -> Iterator[str]:
    if not text:
        return
    yield "t:" + text
    if bare := arabic.without_joined_article(text):
        # The Arabic article written on (ALSHAER) finds the name written apart (AL-SHAER,
        # whose words are al and shaer), and back; the pair score compares them so.
        yield "t:" + bare
        if skeleton(bare) != bare:
            yield "s:" + skeleton(bare)
    skel = skeleton(text)
    if skel != text:
        yield "s:" + skel
    if indexing:
        yield from vowel_keys(text)  # which a person's query looks up (HUSSEIN ~ HUSAYN)
    if (singular := singular_form(text)) != text:
        # A plural's singular, on both sides: EXPERTS finds EXPERT, VALLE finds LOS VALLES
        # (the pair score reads them as one word).
        yield "t:" + singular
    for russian in russian_given_name(text):  # Ihar, Dzmitry, Sasha: Igor, Dmitriy, Aleksandr
        yield "s:" + russian
    for form in european_readings(text):
        # A Russian name in German, French or Polish spelling (Prigoschin, Patrouchev) finds
        # and is found by the English one by its skeleton, as the pair score reads it.
        yield "s:" + skeleton(form)
        if not indexing:
            yield "t:" + skeleton(form)  # a listed word written so (SHOIGU ~ Szojgu)
    if (somali := somali_reading(text)) != text and _SOMALI_KEY.search(text):
        # A Somali spelling (XIRSI, Cabdulle) finds the Arabic name's other romanisations
        # by their consonants (HERSI, ABDULLAH), as the pair score reads them; and back.
        # Only an x or c before a vowel: a firm's LUMIX is no Somali word.
        yield "s:" + skeleton(somali)
        if len(consonants := arabic.latin_skeleton(somali)) >= 2:
            yield "a:" + consonants
    if indexing and len(text) >= 4 and text.isalpha() and slavic_marks(text):
        # A Belarusian or Ukrainian spelling (HALAVANAU), which a query in the Russian one
        # (GOLOVANOV) looks up by its key: the pair score matches them (0.85).
        yield "b:" + east_slavic_key(text)
    if len(text) >= 4 and text.isalpha():
        meta = metaphone(text)
        if meta:
            yield "m:" + meta
        # An English word in Russian spelling (DAIVTEKHNOSERVIS, TEKH) is also the English
        # word (Divetechnoservice, TECH; with or without its plural s), as the pair score
        # reads it: TERRA TEKH finds TERRA TECH.
        english = english_spelling(text)
        if english != text.rstrip("s"):
            yield "t:" + english
            yield "t:" + english + "s"
    if indexing and len(text) >= 3 and text.isalpha():
        # Consonant skeletons, for names written in Arabic script (and the joined article).
        consonants = arabic.latin_skeleton(text)
        if len(consonants) >= 2:
            yield "a:" + consonants
            if consonants[-1] in arabic.ARTICLE_ENDINGS and len(consonants) >= 3:
                yield "a:" + consonants[:-1]
    if korean and (given or text.isalpha()):
        for parse in (given or ko.parse_latin(text))[:6]:
            for syllable in parse:
                yield "k:" + ko.syllable_key((syllable,))


def name_keys(analysed: AnalysedName, person: bool = False) -> set[str]:
    keys: set[str] = set()
    for reading in analysed.readings:
        primary: list[Token] = []
        articles: list[str] = []  # per primary word, the Arabic article written before it
        article = ""
        for segment in reading.segments:
            for option in segment.options:
                for token in option:
                    if token.kind != "stop":
                        keys.update(token_keys(token, reading.korean, indexing=True))
                    if token.kind == "name":
                        keys.update(deletion_keys(token.text))
            for token in segment.options[0]:
                if token.kind == "stop":
                    article = token.text if token.text in ARABIC_ARTICLES else ""
                    continue
                primary.append(token)
                articles.append(article)
                article = ""
        # Words written apart, joined (j:), found by a query that writes them as one word:
        # two adjacent words (NAM CHON ~ NAMCHON), a short name whole (CHON MA SAN ~
        # CHONMASAN ~ 천마산).
        for a, b in itertools.pairwise(primary):
            keys.add("j:" + a.text + b.text)
        if joined := whole_name_text(primary):
            keys.add("j:" + joined)
        if person and not reading.korean:
            keys.update(filter(None, (coarse_key(t.text) for t in primary)))
            for n in range(1, len(primary)):
                a, b = primary[n - 1], primary[n]
                if a.surname == b.surname:  # not across the comma: KUSMI, Maria is no KASHMIRI
                    keys.update(compound_keys(a.text, articles[n], b.text))
    return keys


# Arabic articles a name writes apart (Abd al-Baset, Abd ul Basit, Abd as-Salam) or joined
# to the word before (Abdul Baset, Abdulbasit, Abdussalam).
ARABIC_ARTICLES = frozenset(("al", "el", "ul", "il", "ad", "ud", "ar", "ur", "as", "us", "an"))
COMPOUND_MIN = 4  # consonant classes of two words joined, from which they are a key


@lru_cache(maxsize=100_000)
def compound_keys(first: str, article: str, second: str) -> tuple[str, ...]:
    """A person's two adjacent words joined, as Arabic consonant classes (c:), with the
    article written between them and without: found by a query that writes them as one word
    (Abd al-Baset, Abdul Baset ~ ABDULBASIT; Abu Bakr ~ ABUBAKAR). A query word looks them
    up by its own classes (``single_compound_key``); a query's two words joined look up
    ``a:``, the listed single words' classes, so no name is reached twice by one pair."""
    if not (first.isalpha() and second.isalpha() and first.isascii() and second.isascii()):
        return ()
    head, tail = arabic.latin_skeleton(first), arabic.latin_skeleton(second)
    father = first in _FATHER
    if len(tail) < 2 or (len(head) < 2 and not father):
        # A word of one consonant is no half of a compound: Vladimir Ivanov (LDMR + N) is
        # not Vladimirovna, which Vladimir's own keys already reach.
        return ()
    shortest = COMPOUND_MIN - 1 if father else COMPOUND_MIN
    forms = [arabic.latin_skeleton(first + second)]
    if article:
        forms.append(arabic.latin_skeleton(first + article + second))
    if len(head) >= 3 and head[-1] in arabic.ARTICLE_ENDINGS:
        # The article joined to the first word (ABDUL Qadr ~ ABDIQADIR, ABDUR Rahman ~
        # Abdirahman), as a listed word's own a: key drops it.
        forms.append(head[:-1] + (tail[1:] if tail[:1] == head[-2:-1] else tail))
    return tuple(dict.fromkeys("c:" + form for form in forms if len(form) >= shortest))


# Abu (father of) makes a compound of one consonant: Abu Zaid ~ ABOUZID, Abu Bakr ~ ABUBAKAR.
_FATHER = frozenset(("abu", "abou", "abo", "bou", "bu"))


def coarse_key(text: str) -> str:
    """A person's word by coarse consonant classes (o:; ``arabic.coarse_skeleton``): looked
    up only for a query word that the lists write so at most twice, as one-edit keys are."""
    if len(text) < 3 or not text.isalpha() or not text.isascii():
        return ""
    consonants = arabic.coarse_skeleton(text)
    return "o:" + consonants if len(consonants) >= 2 else ""


def single_compound_key(text: str) -> tuple[str, ...]:
    """The c: key a person's query word looks up: its Arabic consonant classes, where
    long enough to be two words' (``compound_keys``)."""
    if len(text) < 5 or not text.isalpha() or not text.isascii():
        return ()
    consonants = arabic.latin_skeleton(text)
    return ("c:" + consonants,) if len(consonants) >= COMPOUND_MIN - 1 else ()


DELETION_MIN = 5  # letters of a word's skeleton from which it gets deletion keys


@lru_cache(maxsize=200_000)
def deletion_keys(text: str) -> tuple[str, ...]:
    """A word's skeleton and the skeleton less any one letter (d:): two words one edit apart
    share one (BULHAKOV ~ BULGAKOV, CHERRI ~ SHERRI, ATARI ~ HATARI). Looked up only for a
    query word that no other key finds."""
    if not text.isalpha() or not text.isascii():
        return ()
    skel = skeleton(text)
    if len(skel) < DELETION_MIN:
        return ()
    return tuple(
        dict.fromkeys(["d:" + skel] + ["d:" + skel[:i] + skel[i + 1 :] for i in range(len(skel))])
    )


def whole_name_text(tokens: list[Token]) -> str | None:
    """A short name of three or four words, its words joined."""
    if 3 <= len(tokens) <= 4:
        return "".join(t.text for t in tokens)
    return None


# -- building -----------------------------------------------------------------------------


@dataclass
class EntityRows:
    """What the index needs of one entity, as read from the store (or made up in a bench)."""

    id: str
    schema: str
    caption: str
    datasets: tuple[str, ...]
    properties: dict[str, list[str]]
    target: bool = True
    delisted: datetime | None = None
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    last_change: datetime | None = None
    checksum: str = ""
    simulated: bool = False
    referents: tuple[str, ...] = ()
    prop_types: dict[str, str] = field(default_factory=dict)


NAME_PROPS = ("name", "alias", "weakAlias", "previousName", "abbreviation")
SKIP_PROPS = {"notes", "sourceUrl", "modifiedAt", "summary"}


def fingerprint(store: Store) -> str:
    """What the index depends on: the lists loaded and the entity merges."""
    versions = [(v.name, v.version, v.loaded_at.isoformat()) for v in lists_in_use(store)]
    row = one(
        store.con,
        """SELECT count(*), count(*) FILTER (WHERE canonical_id <> entity_id),
                  count(*) FILTER (WHERE retired IS NULL) FROM statements""",
    )
    blob = json.dumps([versions, list(row or ())], default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def read_entities(store: Store) -> Iterator[EntityRows]:
    """Listed entities (delisted ones too, with their last statements), straight from SQL."""
    con = store.con.cursor()
    info_rows = con.execute(
        """SELECT s.canonical_id, any_value(e.schema), any_value(e.caption),
                  list(DISTINCT e.dataset ORDER BY e.dataset), bool_or(e.target),
                  bool_and(e.delisted IS NOT NULL), max(e.delisted), min(e.first_seen),
                  max(e.last_seen), string_agg(DISTINCT e.checksum, ',' ORDER BY e.checksum),
                  list(DISTINCT e.entity_id ORDER BY e.entity_id),
                  bool_or(coalesce(d.simulated, false))
        FROM entities e
        JOIN (SELECT DISTINCT entity_id, canonical_id FROM statements) s
            ON s.entity_id = e.entity_id
        LEFT JOIN (SELECT name, bool_or(simulated) AS simulated FROM datasets GROUP BY name) d
            ON d.name = e.dataset
        WHERE e.target
        GROUP BY s.canonical_id"""
    ).fetchall()
    info = {r[0]: r for r in info_rows}
    changed = dict(
        con.execute(
            """SELECT s.canonical_id, max(d.published) FROM changes c
            JOIN datasets d ON d.name = c.dataset AND d.version = c.version
            JOIN (SELECT DISTINCT entity_id, canonical_id FROM statements) s
                ON s.entity_id = c.entity_id
            GROUP BY s.canonical_id"""
        ).fetchall()
    )
    # Identifiers held by other entities (passports, identifications, wallets) -> holder.
    held: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for holder, prop, value in con.execute(
        """SELECT h.value, CASE WHEN n.schema = 'CryptoWallet' THEN 'publicKey'
                   WHEN n.schema = 'Passport' THEN 'passportNumber' ELSE 'idNumber' END,
                  n.value
        FROM statements n JOIN statements h
            ON h.canonical_id = n.canonical_id AND h.prop = 'holder'
        WHERE n.prop IN ('number', 'publicKey') AND n.retired IS NULL AND h.retired IS NULL"""
    ).fetchall():
        held[holder].append((prop, value))
    cursor = store.con.cursor()
    cursor.execute(
        """WITH listed AS (
            SELECT s.canonical_id, bool_and(e.delisted IS NOT NULL) AS delisted
            FROM entities e
            JOIN (SELECT DISTINCT entity_id, canonical_id FROM statements) s
                ON s.entity_id = e.entity_id
            WHERE e.target GROUP BY s.canonical_id)
        SELECT st.canonical_id, st.prop, st.prop_type, st.value
        FROM statements st JOIN listed l ON l.canonical_id = st.canonical_id
        WHERE (st.retired IS NULL OR l.delisted)
          AND st.prop NOT IN ('notes', 'sourceUrl', 'modifiedAt', 'summary')
        ORDER BY st.canonical_id, st.prop, st.value"""
    )
    pending: list[tuple[str, str, str, str]] = []

    def emit(rows: list[tuple[str, str, str, str]]) -> EntityRows:
        canonical = rows[0][0]
        meta = info[canonical]
        props: dict[str, list[str]] = defaultdict(list)
        types: dict[str, str] = {}
        for _, prop, prop_type, value in rows:
            if value not in props[prop]:
                props[prop].append(value)
            types[prop] = prop_type
        for referent in meta[10]:
            for prop, value in held.get(referent, ()):
                if value not in props[prop]:
                    props[prop].append(value)
        return EntityRows(
            id=canonical,
            schema=meta[1],
            caption=meta[2] or (props.get("name") or [canonical])[0],
            datasets=tuple(meta[3]),
            properties=dict(props),
            target=bool(meta[4]),
            delisted=meta[6] if meta[5] else None,
            first_seen=meta[7],
            last_seen=meta[8],
            last_change=changed.get(canonical),
            checksum=hashlib.sha1((meta[9] or "").encode()).hexdigest()[:16],
            simulated=bool(meta[11]),
            referents=tuple(meta[10]),
            prop_types=types,
        )

    while True:
        chunk = cursor.fetchmany(50_000)
        if not chunk:
            break
        for row in chunk:
            if pending and pending[0][0] != row[0]:
                yield emit(pending)
                pending = []
            pending.append(row)
    if pending:
        yield emit(pending)


def index_entity(rows: EntityRows) -> IndexedEntity:
    props = rows.properties
    countries = frozenset(c for p in COUNTRY_PROPS for c in props.get(p, ()))
    kind = entity_kind(rows.schema)
    # A person listed under a DPRK programme may be Korean without saying so; not one whose
    # countries are all others (WU, Huihui and SUN, Jinlong of China, KIM, Lidia of
    # Kyrgyzstan): their names are read as their own, and Korean only by their shape.
    korean = bool(countries & KOREA) or (
        not countries and any("DPRK" in p or "NKSPEA" in p for p in props.get("program", ()))
    )
    names: list[IndexedName] = []
    seen: set[str] = set()
    for prop in NAME_PROPS:
        for value in props.get(prop, ()):
            if value in seen:
                continue
            seen.add(value)
            try:
                analysed = analyse(
                    value,
                    kind,
                    korean_context=korean and kind != ORGANISATION,
                    vessel=rows.schema == "Vessel",
                )
            except NameError_:
                continue
            names.append(IndexedName(value, prop, analysed))
    identifiers: dict[str, set[str]] = defaultdict(set)
    for prop, id_kind in IDENTIFIER_KINDS.items():
        for value in props.get(prop, ()):
            if id_kind == "imo" and rows.schema != "Vessel":
                continue  # a company IMO number is another scheme: never a ship's
            norm = normalise_identifier(id_kind, value)
            if norm:
                identifiers[id_kind].add(norm)
    gender = next(iter(props.get("gender", [])), None)
    return IndexedEntity(
        id=rows.id,
        schema=rows.schema,
        caption=rows.caption,
        kind=kind,
        datasets=rows.datasets,
        names=names,
        properties=props,
        identifiers=dict(identifiers),
        birth_dates=tuple(props.get("birthDate", ())),
        countries=countries,
        gender=gender,
        topics=frozenset(props.get("topics", ())),
        target=rows.target,
        delisted=rows.delisted,
        first_seen=rows.first_seen,
        last_seen=rows.last_seen,
        last_change=rows.last_change,
        checksum=rows.checksum,
        simulated=rows.simulated,
        referents=rows.referents,
    )


def _add(
    row: EntityRows,
    entities: list[IndexedEntity],
    names: list[IndexedName],
    owner: array,  # type: ignore[type-arg]
    postings_lists: dict[str, list[int]],
    identifiers: dict[tuple[str, str], list[int]],
    df: Counter[str],
) -> None:
    entity = index_entity(row)
    e_idx = len(entities)
    entities.append(entity)
    for name in entity.names:
        n_idx = len(names)
        names.append(name)
        owner.append(e_idx)
        for key in name_keys(name.analysed, entity.kind == PERSON):
            postings_lists[key].append(n_idx)
        texts = {
            t.text
            for r in name.analysed.readings[:1]
            for s in r.segments
            for o in s.options[:1]
            for t in o
        }
        df.update(texts)
    for kind, values in entity.identifiers.items():
        for value in values:
            identifiers[(kind, value)].append(e_idx)


def name_weight(analysed: AnalysedName, stats: Stats) -> float:
    """The weight of a name's words in its first reading, a segment by its heaviest option."""
    if not analysed.readings:
        return 0.0
    return sum(
        max((stats.weight(t) for o in s.options for t in o if t.kind != STOP), default=0.0)
        for s in analysed.readings[0].segments
    )


@contextlib.contextmanager
def no_gc(settle: bool = False) -> Iterator[None]:
    """Millions of small objects and no cycles: the cyclic GC only slows building (x2-3).

    With ``settle``, what exists at the end (the index) is moved out of the collector's
    sight (``gc.freeze``): every full collection would otherwise walk the whole index, which
    made batch screening spend a third of its time in the collector.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if settle:
            gc.freeze()
        if enabled:
            gc.enable()


T = TypeVar("T")


def collector_paused(items: Iterable[T], every: int) -> Iterator[T]:
    """The items, for a stream screened row by row, with the cyclic collector's automatic
    runs paused (as ``no_gc``).

    A screening result holds no cycles: reference counting frees each row's. Left on, the
    collector's runs would walk the matcher's caches of words seen, again and again, as they
    grow (a sixth of a CLI batch's time). The young generations are still collected every
    ``every`` items, so a cycle made by the way is freed."""
    enabled = gc.isenabled()
    with no_gc():
        for n, item in enumerate(items, 1):
            yield item
            if enabled and n % every == 0:
                gc.collect(1)


def build_from_rows(
    rows: Iterable[EntityRows],
    store_version: int = 0,
    fingerprint_: str = "",
    lists: list[dict[str, Any]] | None = None,
) -> ScreeningIndex:
    started = time.perf_counter()
    entities: list[IndexedEntity] = []
    names: list[IndexedName] = []
    owner = array("I")
    postings_lists: dict[str, list[int]] = defaultdict(list)
    identifiers: dict[tuple[str, str], list[int]] = defaultdict(list)
    df: Counter[str] = Counter()
    with no_gc(settle=True):
        for row in rows:
            _add(row, entities, names, owner, postings_lists, identifiers, df)
        postings = {k: array("I", v) for k, v in postings_lists.items()}
        del postings_lists
        stats = Stats(dict(df), len(names))
        weights = array("f", (name_weight(name.analysed, stats) for name in names))
    return ScreeningIndex(
        entities=entities,
        names=names,
        name_owner=owner,
        name_weight=weights,
        postings=postings,
        identifiers=dict(identifiers),
        stats=stats,
        store_version=store_version,
        fingerprint=fingerprint_,
        lists=lists or [],
        built_at=datetime.now().astimezone().isoformat(timespec="seconds"),
        build_seconds=round(time.perf_counter() - started, 3),
    )


def build_index(store: Store) -> ScreeningIndex:
    """A fresh index over every listed entity in the store (in memory; see ``save_index``)."""
    started = time.perf_counter()
    index = build_from_rows(
        read_entities(store),
        store.version(),
        fingerprint(store),
        [v.to_dict() for v in lists_in_use(store)],
    )
    index.build_seconds = round(time.perf_counter() - started, 3)
    return index


def index_path(store: Store) -> Path:
    return Path(str(store.path) + INDEX_SUFFIX)


def save_index(index: ScreeningIndex, path: Path) -> Path:
    """Write the index beside the store, atomically (a reader never sees half of it)."""
    header = {
        "format": index.format,
        "matcher_version": index.matcher_version,
        "store_version": index.store_version,
        "fingerprint": index.fingerprint,
    }
    with atomic_write(path, "wb") as handle:
        pickle.dump(header, handle, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def load_index(store: Store, path: Path | None = None) -> ScreeningIndex:
    """The saved index of this store; ``StaleIndex`` when it was built from other lists.

    The file is our own, written by ``save_index`` beside the store: pickle is used because
    nothing else loads it, and only the store's owner can write there.
    """
    path = path or index_path(store)
    if not path.exists():
        raise StaleIndex(f"{path}: no screening index yet (interdiction screen index)")
    with open(path, "rb") as handle:
        header = pickle.load(handle)
        if header.get("format") != INDEX_FORMAT or header.get("matcher_version") != MATCHER_VERSION:
            raise StaleIndex(f"{path}: built by another matcher version; rebuild it")
        current = fingerprint(store)
        if header.get("fingerprint") != current:
            raise StaleIndex(
                f"{path}: built from store version {header.get('store_version')}, the lists "
                f"have changed since (store version {store.version()}); rebuild it"
            )
        with no_gc(settle=True):
            index: ScreeningIndex = pickle.load(handle)
    index.store_version = store.version()
    return index


def ensure_index(store: Store, path: Path | None = None, save: bool = True) -> ScreeningIndex:
    """The saved index when it is current, else a rebuilt one (saved when the folder allows)."""
    path = path or index_path(store)
    try:
        return load_index(store, path)
    except (StaleIndex, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    index = build_index(store)
    if save:
        with contextlib.suppress(OSError):  # a read-only folder: serve from memory
            save_index(index, path)
    return index


__all__ = [
    "EntityRows",
    "IndexedEntity",
    "IndexedName",
    "ScreeningIndex",
    "StaleIndex",
    "build_from_rows",
    "build_index",
    "ensure_index",
    "entity_kind",
    "index_path",
    "load_index",
    "normalise_identifier",
    "save_index",
]
