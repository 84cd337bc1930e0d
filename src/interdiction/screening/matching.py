"""Screening a query against the index: candidates, entity scores, explanations.

A query is an FtM example entity (schema and properties), as yente takes it. Candidates come
from the index (name keys and exact identifiers); each is scored on its best name pair and
its identifiers, then qualified by birth date, country and gender, the features nomenklatura's
logic-v2 uses, with weights of our own (``ScreeningConfig``). Every result carries the score,
the ``match`` flag, per-feature scores and explanations a person can read, and the list
versions screened against.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

import numpy as np
from followthemoney import model
from rigour._core import raw_jaro_winkler

from interdiction.config import ScreeningConfig
from interdiction.screening import arabic
from interdiction.screening.index import (
    ARABIC_ARTICLES,
    COMMON_KEY_SHARE,
    IDENTIFIER_KINDS,
    IndexedEntity,
    IndexedName,
    ScreeningIndex,
    coarse_key,
    compound_keys,
    deletion_keys,
    entity_kind,
    normalise_identifier,
    single_compound_key,
    token_keys,
    vowel_keys,
    whole_name_text,
)
from interdiction.screening.names import (
    AnalysedName,
    NameError_,
    Reading,
    Token,
    clean,
    split_aliases,
)
from interdiction.screening.scoring import (
    MATCHER,
    MATCHER_VERSION,
    NameMatch,
    Stats,
    compare_names,
    country_rules,
    east_slavic_key,
    explain_name,
    korean_syllable_keys,
    mandarin_words,
    round_score,
    russian_given_name,
    singular_form,
    skeleton,
    vessel_rules,
)
from interdiction.screening.transliteration import (
    ORGANISATION,
    PERSON,
    TRANSLATION,
    analyse,
    org_like,
)

NAME_QUERY_PROPS = ("name", "alias", "weakAlias", "previousName", "firstName", "lastName")
COUNTRY_QUERY_PROPS = ("nationality", "citizenship", "country", "jurisdiction", "flag")


class QueryError(ValueError):
    """A query that cannot be screened; the message names the field."""


@dataclass
class Query:
    """What is screened: an FtM example entity, reduced to what the matcher compares."""

    schema: str
    names: list[str]
    identifiers: dict[str, set[str]] = field(default_factory=dict)
    birth_dates: list[str] = field(default_factory=list)
    countries: set[str] = field(default_factory=set)
    gender: str | None = None
    id: str | None = None
    properties: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @classmethod
    def from_example(
        cls, example: dict[str, Any], max_name_chars: int = 500, max_values: int = 50
    ) -> Query:
        """An FtM example ({"schema": ..., "properties": {...}}), validated field by field."""
        schema_name = example.get("schema") or "LegalEntity"
        schema = model.get(schema_name)
        if schema is None:
            raise QueryError(f"schema: unknown FollowTheMoney schema {schema_name!r}")
        raw = example.get("properties") or {}
        if not isinstance(raw, dict):
            raise QueryError("properties: must be an object of property -> values")
        props: dict[str, list[str]] = {}
        notes: list[str] = []
        for prop, values in raw.items():
            if isinstance(values, (str, int, float)):
                values = [values]
            if not isinstance(values, list):
                raise QueryError(f"properties.{prop}: must be a string or a list of strings")
            if len(values) > max_values:
                raise QueryError(f"properties.{prop}: more than {max_values} values")
            cleaned = []
            for value in values:
                if not isinstance(value, (str, int, float)):
                    raise QueryError(f"properties.{prop}: values must be strings")
                text = clean(str(value))
                if len(str(value)) > max_name_chars:
                    notes.append(f"properties.{prop}: a value was cut to {max_name_chars} chars")
                    text = text[:max_name_chars]
                if text:
                    cleaned.append(text)
            if cleaned:
                props[prop] = cleaned
        # Aliases joined with ";" or "a.k.a." (as spreadsheets write them) are names of their own.
        names = [
            part
            for p in ("name", "alias", "weakAlias", "previousName")
            for n in props.get(p, ())
            for part in split_aliases(n)
        ][:max_values]
        parts = [props.get(p, []) for p in ("firstName", "middleName", "lastName")]
        if not names and any(parts):
            names.append(" ".join(v[0] for v in parts if v))
        identifiers: dict[str, set[str]] = defaultdict(set)
        for prop, kind in IDENTIFIER_KINDS.items():
            for value in props.get(prop, ()):
                if kind == "imo" and schema_name not in ("Vessel", "LegalEntity", "Thing"):
                    continue
                norm = normalise_identifier(kind, value)
                if norm:
                    identifiers[kind].add(norm)
                elif kind in ("imo", "mmsi"):
                    notes.append(f"properties.{prop}: {value!r} is not a valid {kind.upper()}")
        if not names and not identifiers:
            raise QueryError("properties: give at least one name or identifier")
        countries = {c.lower() for p in COUNTRY_QUERY_PROPS for c in props.get(p, ())}
        return cls(
            schema=schema_name,
            names=names,
            identifiers=dict(identifiers),
            birth_dates=props.get("birthDate", []),
            countries=countries,
            gender=next(iter(props.get("gender", [])), None),
            id=example.get("id"),
            properties=props,
            notes=notes,
        )

    def key(self, client: str = "") -> str:
        """The query's identity for human decisions: client id + hash of its properties."""
        blob = json.dumps({"schema": self.schema, "properties": self.properties}, sort_keys=True)
        return f"{client}:{hashlib.sha256(blob.encode()).hexdigest()[:20]}"


class _Explained:
    """A name match's explanation, written when asked for."""

    __slots__ = ("match", "suffix")

    def __init__(self, match: NameMatch, suffix: str = "") -> None:
        self.match, self.suffix = match, suffix

    def __call__(self) -> str:
        return explain_name(self.match) + self.suffix


class Feature:
    """One feature of a result: its score and a readable detail. A name feature's detail is
    written when first read: a batch scores many candidates and shows few."""

    __slots__ = ("_detail", "candidate", "query", "score")

    def __init__(
        self,
        score: float,
        detail: str | Callable[[], str],
        query: str | None = None,
        candidate: str | None = None,
    ) -> None:
        self.score = score
        self._detail = detail
        self.query = query
        self.candidate = candidate

    @property
    def detail(self) -> str:
        if not isinstance(self._detail, str):
            self._detail = self._detail()
        return self._detail

    def __repr__(self) -> str:
        return f"Feature({self.score!r}, {self.detail!r})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round_score(self.score) if self.score >= 0 else round(self.score, 4),
            "detail": self.detail,
            "query": self.query,
            "candidate": self.candidate,
        }


@dataclass
class Result:
    entity: IndexedEntity
    score: float
    match: bool
    features: dict[str, Feature]
    decision: dict[str, Any] | None = None

    @property
    def explanation(self) -> str:
        return "; ".join(f"{k}: {f.detail}" for k, f in self.features.items())


@dataclass
class Screening:
    query: Query
    results: list[Result]
    candidates: int
    lists: list[dict[str, Any]]
    threshold: float
    notes: list[str] = field(default_factory=list)


# -- candidates -------------------------------------------------------------------------


@lru_cache(maxsize=20_000)
def _analyse(name: str, kind: str, korean: bool, vessel: bool = False) -> AnalysedName:
    """Query names repeat in a batch (a shipper's parties, a client's customers)."""
    return analyse(name, kind, korean_context=korean, vessel=vessel)


def _analyse_query(query: Query) -> list[AnalysedName]:
    kind = entity_kind(query.schema)
    korean = bool(query.countries & {"kp", "kr"})
    out = []
    for name in query.names:
        try:
            out.append(
                _analyse(name, kind, korean and kind != ORGANISATION, query.schema == "Vessel")
            )
        except NameError_ as exc:
            query.notes.append(f"name {name[:60]!r}: {exc}")
    return out


# Per key of a unit whose options are words of their own (a translation: РОСЭЛЕКТРОНИКА =
# russian electronics): the option it belongs to and the share of the unit it stands for.
Parts = tuple[tuple[int, int, float], ...] | None  # per key: its word, its option, its share


def _query_units(
    reading: Reading, stats: Stats, person: bool = False
) -> list[tuple[float, tuple[str, ...], bool, tuple[str, ...], Parts]]:
    """Per query token: its weight, its keys (options of a segment share one unit) and True;
    per two adjacent words, their joined key with both their weights and False: not part of
    the query's total, it stands for the two words when a listed name writes them as one
    (ZHEN RONG ~ ZHENRONG).

    An option of several translated words (TULAMASHZAVOD = tula machine building plant)
    covers its word by their shares of its weight: a listed name with only its common word
    (plant) does not cover the whole firm's name, one with all its words does."""
    units: list[tuple[float, tuple[str, ...], bool, tuple[str, ...], Parts]] = []
    primary: list[Token] = []
    articles: dict[int, str] = {}  # per primary word, the Arabic article written before it
    for segment in reading.segments:
        options = segment.options
        if len(options) == 1 and len(options[0]) == 1:  # one word: most segments
            token = options[0][0]
            if token.kind == "stop" and token.text in ARABIC_ARTICLES:
                articles[len(primary)] = token.text
            if token.kind != "stop":
                fuzzy_ = _loose_keys(token, person) if token.kind == "name" else ()
                units.append(
                    (
                        stats.weight(token),
                        _word_keys(token, reading.korean, person),
                        True,
                        fuzzy_,
                        None,
                    )
                )
                primary.append(token)
            continue
        keys: list[str] = []
        parts: list[tuple[int, int, float]] = []
        fuzzy: list[str] = []
        weight = 0.0
        shared = False
        word = 0
        for n, option in enumerate(options):
            words = [t for t in option if t.kind != "stop"]
            split = len(words) > 1 and all(t.method == TRANSLATION for t in words)
            shared = shared or split
            whole = sum(stats.weight(t) for t in words)
            for token in words:
                # A word of a split option stands for its share; others for the whole unit.
                share = stats.weight(token) / whole if split and whole > 0 else 1.0
                word_keys = _word_keys(token, reading.korean, person)
                keys.extend(word_keys)
                parts.extend([(word, n, share)] * len(word_keys))
                word += 1
                if token.kind == "name":
                    fuzzy.extend(_loose_keys(token, person))
                weight = max(weight, stats.weight(token))
        if keys and shared:
            units.append((weight, tuple(keys), True, tuple(fuzzy), tuple(parts)))
        elif keys:
            units.append((weight, tuple(dict.fromkeys(keys)), True, tuple(fuzzy), None))
        primary.extend(t for t in options[0] if t.kind != "stop")
    compounds = person and not reading.korean
    for n, (a, b) in enumerate(itertools.pairwise(primary), 1):
        # Found only where a listed name has the two as one word: no double count. Its
        # skeleton too, in both namespaces, as for one word (POUR-EBRAHIM ~ PUREBRAHIM);
        # a person's, its Arabic consonant classes, with the article between and without
        # (Abd al-Baset ~ ABDULBASIT; see compound_keys).
        joined = a.text + b.text
        pair_keys = ("t:" + joined, *_variant_keys(joined, False))
        if compounds and not a.method and not b.method and a.surname == b.surname:
            found = compound_keys(a.text, articles.get(n, ""), b.text)
            pair_keys += tuple("a:" + key[2:] for key in found)
        units.append((stats.weight(a) + stats.weight(b), pair_keys, False, (), None))
    for a, b, c in zip(primary, primary[1:], primary[2:], strict=False):
        # Three words a listed name writes as one (NAM CHON GANG ~ NAMCHONGANG).
        weight = stats.weight(a) + stats.weight(b) + stats.weight(c)
        units.append((weight, ("t:" + a.text + b.text + c.text,), False, (), None))
    return units


def _loose_keys(token: Token, person: bool) -> tuple[str, ...]:
    """Keys of a query word found otherwise on few listed names: its one-edit keys, and a
    person's Latin word its coarse consonant classes (BAHADHIQ ~ BAHAZIQ)."""
    if not person:
        # A firm's word no key finds: its vowels as Arabic's three, its joined article
        # apart (OOO SILKVEY ~ SILKWAY; ALHARAMEIN ~ AL-HARAMAIN), not one-edit keys (Lumix
        # is not ALUMIX, TRITCON not TRITON: coined names one letter apart are other firms).
        if token.method or token.korean:
            return ()
        bare = arabic.without_joined_article(token.text)
        return vowel_keys(token.text) + (vowel_keys(bare) if bare else ())
    found = deletion_keys(token.text)
    if not token.method and not token.korean and (coarse := coarse_key(token.text)):
        found += (coarse,)
    return found


def _word_keys(token: Token, korean: bool, person: bool) -> tuple[str, ...]:
    """A query word's keys: its own, its variants', and j: (a listed name writes it as two
    or three words). A plain Latin word's (most words) are cached by its text."""
    if not token.method and not token.korean:
        return _plain_word_keys(token.text, korean, person)
    return _keys_of(token, korean, person)


def _keys_of(token: Token, korean: bool, person: bool) -> tuple[str, ...]:
    # A person's name in Latin, not Korean syllables (Jong is not Jung): its vowels as
    # Arabic's three (Hussein finds Husayn; see vowel_forms).
    vowels = person and not token.method and not korean
    return tuple(
        dict.fromkeys(
            (
                *token_keys(token, korean),
                *_variant_keys(token.text, person and not token.method),
                *(vowel_keys(token.text) if vowels else ()),
                *(single_compound_key(token.text) if vowels else ()),
                "j:" + token.text,
                *(
                    _number_keys(token.text)
                    if token.method == TRANSLATION and token.kind == "name"
                    else ()
                ),
            )
        )
    )


def _number_keys(text: str) -> tuple[str, ...]:
    """A glossary's translation of a firm's own word is one form of the English word; the
    list may write the other (ракетное = missile, listed TACTICAL MISSILES): both are
    looked up. Not for legal forms and generic words: LLC's company is no firm's name."""
    if text.endswith("s"):
        return ("t:" + singular_form(text),)
    if text.endswith("y") and text[-2:-1] not in "aeiou":
        return ("t:" + text[:-1] + "ies",)
    return ("t:" + text + "s",)


@lru_cache(maxsize=100_000)
def _plain_word_keys(text: str, korean: bool, person: bool) -> tuple[str, ...]:
    return _keys_of(Token(text, text, "name"), korean, person)


@lru_cache(maxsize=100_000)
def _variant_keys(text: str, person: bool) -> tuple[str, ...]:
    """Keys a query word looks up beyond its own: its skeleton in both namespaces (MAHMUD is
    listed as t:mahmud, MAHMOUD as s:mahmud: either finds the other), and for persons'
    names in Latin their Arabic consonant classes (BAHADHIQ ~ BAHAZIQ), which the index
    keeps for every listed word."""
    skel = skeleton(text)
    keys = ["s:" + skel]
    if skel != text:
        keys.append("t:" + skel)
    if not person and (place := _place_of_adjective(text)):
        keys.append("t:" + place)  # ARZAMASSKIY finds ARZAMAS, as the pair score reads them
    if person and len(text) >= 3 and text.isalpha():
        consonants = arabic.latin_skeleton(text)
        if len(consonants) >= 3:
            keys.append("a:" + consonants)
        for form in russian_given_name(text):  # Ihar finds Igor (and Igor Ihar: index)
            keys.extend(("s:" + form, "t:" + form))
        if len(text) >= 4:
            keys.append("b:" + east_slavic_key(text))  # GOLOVANOV finds HALAVANAU
    return tuple(keys)


# Russian adjectives of place in firms' names (Arzamasskiy zavod, the Arzamas plant).
_ADJECTIVE_ENDINGS = ("skiy", "skii", "sky", "skaya", "skaia", "skoye", "skoe", "skogo")


def _place_of_adjective(text: str) -> str:
    """The place a Russian adjective of place is made from (ARZAMASSKIY: Arzamas), or ""."""
    for ending in _ADJECTIVE_ENDINGS:
        if text.endswith(ending) and len(text) - len(ending) >= 4:
            return text[: -len(ending)]
    return ""


# How much a shared key says that two tokens match: the token itself (or words joined), its
# skeleton, its Korean syllables, its Arabic consonants, its metaphone (loose: Smile and
# Samuel share one), its East Slavic key (HALAVANAU ~ GOLOVANOV, as EAST_SLAVIC_SPELLING), its
# vowels as Arabic's three (HUSSEIN ~ HUSAYN; not a spelling as written: RARE_AS_WRITTEN).
KEY_CREDIT = {
    "t": 1.0,
    "j": 1.0,
    "s": 0.95,
    "k": 0.7,
    "a": 0.7,
    "d": 0.8,
    "m": 0.55,
    "b": 0.85,
    "v": 0.8,
    "c": 0.7,
    "o": 0.55,
}


# A person's word written so on at most this many listed names also looks up its one-edit
# keys: a spelling that rare is more often a variant of a commoner one (CHERRI ~ SHERRI,
# AHSAN ~ EHSAN) than a name of its own.
RARE_AS_WRITTEN = 2
# The share of a person's query a listed name must cover to be scored when no listed name
# covers min_coverage (see candidates): a third, as a rare surname alone does of a name of
# three words.
FALLBACK_COVERAGE = 0.3
# A listed name the query covers at least this share of (by its words' weights, times the
# credit of the keys that reached them), and at least this much weight (two words, one of
# them rare: not a lone Muhammad Ali, nor a firm's one English word, THE EAGLES L.L.C.), is a
# candidate however much more the query has. Chosen on the development half (benchmark's
# end-to-end case): persons 5 more found, firms 6; a weight of 1.0 found 12 more firms and
# 7 more unlisted firms falsely (the own-words rule of scoring then meets any EAGLE).
LISTED_COVERAGE = 0.8
LISTED_WEIGHT = 1.5
LISTED_LEAD = 0.1  # such a name ranks as covering this much more than min_coverage


def candidates(
    index: ScreeningIndex,
    analysed: Sequence[AnalysedName],
    query: Query,
    limit: int,
    min_coverage: float = 0.5,
) -> dict[int, set[int]]:
    """Entity index -> its names worth scoring, ranked by how much of the query they cover.

    A name that shares keys with only a small part of the query (by token weight) cannot
    score high: such candidates are not scored at all. Keys on more than a few percent of
    all names (``company``, ``al``) are not looked up; they count as covered for everyone.
    """
    stats = index.stats
    person = entity_kind(query.schema) == PERSON
    too_common = max(100, int(len(index.names) * COMMON_KEY_SHARE))
    found_names: list[np.ndarray[Any, Any]] = []
    found_shares: list[np.ndarray[Any, Any]] = []
    readings = [reading for name in analysed for reading in name.readings]
    covers_half = False  # some listed name covers min_coverage of the query
    orphans: list[str] = []  # the query's words that no key finds
    for reading in readings:
        units = []
        counted = []
        for weight, keys, in_total, fuzzy, parts in _query_units(reading, stats, person):
            if parts is None:
                postings = [
                    (k, p, _WHOLE) for k in keys if (p := index.postings.get(k)) is not None
                ]
            else:
                postings = [
                    (k, p, part)
                    for k, part in zip(keys, parts, strict=True)
                    if (p := index.postings.get(k)) is not None
                ]
            as_written = sum(len(p) for k, p, _ in postings if k[0] in "tsj")
            if fuzzy and (as_written <= RARE_AS_WRITTEN if person else not postings):
                # A person's word written so on no list, or on one or two: one edit from a
                # listed word (BULHAKOV ~ BULGAKOV), or its coarse classes. Words listed as
                # written more often do without (and cost less). A firm's word only when no
                # key finds it, and only its vowels (see _loose_keys): a coined name one
                # letter from a listed one is most often another firm (Mobilo / Mobile).
                postings += [
                    (k, p, _FUZZY) for k in fuzzy if (p := index.postings.get(k)) is not None
                ]
            smallest = min((len(p) for _, p, _ in postings), default=0)
            units.append((weight, postings, smallest))
            counted.append(in_total)
            if not postings and in_total and keys and keys[0].startswith("t:"):
                orphans.append(keys[0][2:])
        # A word found in no listed name, by any key (TEKH of TERRA TEKH, BAHADHIQ), tells
        # no candidate from another: the share is of the words the lists have.
        total = sum(u[0] for u, c in zip(units, counted, strict=True) if c and u[1])
        if total <= 0:
            continue
        looked = [n for n, u in enumerate(units) if u[2] and u[2] <= too_common]
        if len(looked) < 2:
            # Few rare words ("Ali Hassan", Kim Jong Un in Korean syllables): look up the
            # commoner words too, rarest first, within a budget of postings.
            budget = 3 * too_common
            for n in sorted(
                (n for n, u in enumerate(units) if u[2] and n not in looked),
                key=lambda n: units[n][2],
            ):
                if units[n][2] > budget:
                    break
                looked.append(n)
                budget -= units[n][2]
        # Words too common to look up count as present in every candidate.
        free = sum(
            u[0]
            for n, u in enumerate(units)
            if counted[n] and u[2] > too_common and n not in looked
        )
        names, covered = _covered([units[n] for n in looked], 3 * too_common)
        if names is not None:
            shares = (covered + free) / total
            covers_half = covers_half or float(shares.max()) >= min_coverage
            # A listed name the query has whole, and more (SALEH, Ahmed Ali in SALIH
            # AL-AHMAR, Ahmad Ali Abdallah; SYRISS in GUANGZHOU SYRISS LOGISTICS): a better
            # candidate than one covering just half the query (ABDAOUI, Youssef of ABDAOUI,
            # Youssef Ben Abdul Baki Ben Youcef, among namesakes covering half).
            heavy = np.flatnonzero(covered >= LISTED_WEIGHT)
            if len(heavy):
                weights = np.frombuffer(index.name_weight, dtype=np.float32)[names[heavy]]
                whole = heavy[covered[heavy] >= LISTED_COVERAGE * weights]
                shares[whole] = np.maximum(shares[whole], min_coverage + LISTED_LEAD)
            found_names.append(names)
            found_shares.append(shares)
        # The whole short name written as one on the other side (CHON MA SAN ~ CHONMASAN).
        primary = [t for s in reading.segments for t in s.options[0] if t.kind != "stop"]
        joined = whole_name_text(primary)
        posting = index.postings.get("t:" + joined) if joined else None
        if posting is not None and len(posting) <= too_common:
            found_names.append(np.frombuffer(posting, dtype=np.uint32))
            found_shares.append(np.ones(len(posting)))
            covers_half = covers_half or len(posting) > 0
    minimum = min_coverage
    if person and not covers_half and min_coverage > FALLBACK_COVERAGE:
        # No listed person covers half the query: its other words may be spelt otherwise or
        # not be listed at all (AL-KHAIWANI, Abdulhakem Hashim ~ AL-KHAIWANI, Abdul Hakim:
        # Abdulhakem keys as no listed word, Hashim is not in the listed name). The pair
        # score reads them, so the persons covering less are scored, within the limit.
        minimum = FALLBACK_COVERAGE
    ranked, levels = _ranked_shares(found_names, found_shares, minimum, index.name_weight)
    if orphans and person and len(ranked) > limit:
        ranked = _orphans_first(index, ranked, levels, tuple(dict.fromkeys(orphans)), limit)
    out: dict[int, set[int]] = {}
    owner = index.name_owner
    for n_idx in ranked:
        e_idx = owner[n_idx]
        if e_idx not in out:
            if len(out) >= limit:
                continue
            out[e_idx] = set()
        if len(out[e_idx]) < 2:
            out[e_idx].add(n_idx)
    if person:
        for n_idx in _mandarin_candidates(index, readings, too_common):
            if owner[n_idx] not in out:
                out[owner[n_idx]] = {n_idx}
    for kind, values in query.identifiers.items():
        for value in values:
            for e_idx in index.identifiers.get((kind, value), ()):
                out.setdefault(e_idx, set())
    return out


# Korean names a person's name in pinyin may be the Mandarin reading of, beyond the limit: a
# pinyin query's own words reach Chinese names and Korean ones spelt alike first (Jin
# Zhengen: RYU JIN), not the Korean name whose every syllable it reads (KIM JONG UN).
MANDARIN_CANDIDATES = 4


def _mandarin_candidates(
    index: ScreeningIndex, readings: Sequence[Reading], too_common: int
) -> list[int]:
    """Listed names whose Korean syllables every syllable of a pinyin (or Wade-Giles) name
    may read, best covered first: per word, its readings as syllables are its options, and
    each syllable of an option stands for its share of the word."""
    found_names: list[np.ndarray[Any, Any]] = []
    found_shares: list[np.ndarray[Any, Any]] = []
    for reading in readings:
        words = mandarin_words(reading)
        if not words:
            continue
        units: list[Unit] = []
        for token in words:
            postings = []
            slot = 0
            for option, split in enumerate(korean_syllable_keys(token.text)):
                for keys in split:
                    for key in keys:
                        if (p := index.postings.get(key)) is not None:
                            postings.append((key, p, (slot, option, 1 / len(split))))
                    slot += 1
            if not postings:
                break
            units.append((1.0, postings, min(len(p) for _, p, _ in postings)))
        else:
            names, covered = _covered(units, 3 * too_common)
            if names is not None:
                found_names.append(names)
                found_shares.append(covered / (len(units) * KEY_CREDIT["k"]))
    ranked = _ranked(found_names, found_shares, 0.999, index.name_weight)
    return ranked[:MANDARIN_CANDIDATES]


Unit = tuple[float, list[tuple[str, Any, tuple[int, int, float]]], int]
_WHOLE = (0, 0, 1.0)  # a key that stands for its whole unit
_FUZZY = (-1, -1, 1.0)  # a one-edit key: an option of its own, standing for the whole unit


def _covered(
    units: Sequence[Unit], longest: int
) -> tuple[np.ndarray[Any, Any] | None, np.ndarray[Any, Any]]:
    """Names reached by the query's words, and the weight of the query each covers: per
    word its weight times the credit of the best key that reached the name. Postings
    (arrays of name numbers) are joined as bytes into one array and summed with numpy:
    hundreds to thousands of postings a query, at 10x lists tens of thousands."""
    chosen: list[Any] = []
    credits: list[float] = []
    slot_of: list[int] = []
    lengths: list[int] = []
    # Slots: one per word of a unit's options, numbered so that an option's slots, and a
    # unit's options, are consecutive. Without split options, one slot per unit.
    slot_option: list[int] = []
    option_unit: list[int] = []
    split = any(part[2] < 1.0 for _w, postings, _s in units for _k, _p, part in postings)
    for n, (weight, postings, _smallest) in enumerate(units):
        base = weight if weight else 0.05  # words of no weight only rank
        slots: dict[int, int] = {}  # the unit's words (and one-edit keys) to their slots
        options: dict[int, int] = {}  # the unit's options to their global numbers
        # A split unit's keys by option, then word: its slots come out consecutive.
        ordered = sorted(postings, key=lambda kp: (kp[2][1], kp[2][0])) if split else postings
        for key, posting, (word, option, share) in ordered:
            # Loose keys (consonant classes, metaphone) of common words reach too many names
            # to say anything: a third of the budget of a word's own keys.
            size = len(posting)
            if size <= (longest if key[0] not in "amco" else longest // 3):
                if not split:
                    slot = n
                elif (slot := slots.get(word, -1)) < 0:
                    if option not in options:
                        options[option] = len(option_unit)
                        option_unit.append(n)
                    slot = slots[word] = len(slot_option)
                    slot_option.append(options[option])
                chosen.append(posting)
                credits.append(base * KEY_CREDIT[key[0]] * share)
                slot_of.append(slot)
                lengths.append(size)
    if not chosen:
        return None, np.empty(0)
    # One pass over every posting of the query (joined as bytes: one copy, not one array
    # each): a name reached by several keys of one slot counts once, by its best key. Name
    # and slot in one integer, sorted once; the best credit of each (name, slot) run, then
    # the slots' credits of each name summed over its run.
    shift = max(len(slot_option) if split else len(units), 1).bit_length()
    ids = np.frombuffer(b"".join(chosen), dtype=np.uint32).astype(np.int64)
    pairs = (ids << shift) | np.repeat(np.asarray(slot_of, dtype=np.int64), lengths)
    order = np.argsort(pairs)
    pairs = pairs[order]
    values = np.repeat(np.asarray(credits), lengths)[order]
    first = np.flatnonzero(np.concatenate(([True], pairs[1:] != pairs[:-1])))
    best = np.maximum.reduceat(values, first)
    ids = pairs[first] >> shift
    if split:
        # A split option's words add up; a unit counts its best option.
        slot_ids = pairs[first] & ((1 << shift) - 1)
        option_ids = np.asarray(slot_option, dtype=np.int64)[slot_ids]
        best, ids, option_ids = _runs(np.add, best, ids, option_ids)
        unit_ids = np.asarray(option_unit, dtype=np.int64)[option_ids]
        best, ids, _unit_ids = _runs(np.maximum, best, ids, unit_ids)
    starts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))
    return ids[starts], np.add.reduceat(best, starts)


def _runs(
    ufunc: Any, values: np.ndarray[Any, Any], ids: np.ndarray[Any, Any], group: np.ndarray[Any, Any]
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """``values`` reduced over runs of equal (id, group): sorted by id, groups consecutive."""
    first = np.flatnonzero(
        np.concatenate(([True], (ids[1:] != ids[:-1]) | (group[1:] != group[:-1])))
    )
    return ufunc.reduceat(values, first), ids[first], group[first]


def _ranked(
    names: list[np.ndarray[Any, Any]],
    shares: list[np.ndarray[Any, Any]],
    minimum: float,
    name_weight: array,  # type: ignore[type-arg]
) -> list[int]:
    """Names by their best share over the query's readings, best first, at least minimum.

    Among names of an equal share, the lighter name first: less of it is left unexplained
    (QADHAFI, Muammar before the longer names of other Muammars), so a common given name
    does not push the one listed name that has it alone past the limit."""
    return _ranked_shares(names, shares, minimum, name_weight)[0]


def _ranked_shares(
    names: list[np.ndarray[Any, Any]],
    shares: list[np.ndarray[Any, Any]],
    minimum: float,
    name_weight: array,  # type: ignore[type-arg]
) -> tuple[list[int], np.ndarray[Any, Any]]:
    """``_ranked``, and each name's share (rounded as ranked)."""
    if not names:
        return [], np.empty(0)
    all_names = np.concatenate(names)
    all_shares = np.concatenate(shares)
    keep = all_shares >= minimum
    all_names, all_shares = all_names[keep], all_shares[keep]
    if len(names) > 1 and len(all_names):
        order = np.lexsort((-all_shares, all_names))
        all_names, all_shares = all_names[order], all_shares[order]
        first = np.ones(len(all_names), dtype=bool)
        first[1:] = all_names[1:] != all_names[:-1]
        all_names, all_shares = all_names[first], all_shares[first]
    weights = np.frombuffer(name_weight, dtype=np.float32)[all_names]
    rounded = np.round(all_shares, 6)
    order = np.lexsort((-all_names.astype(np.int64), weights, -rounded))
    return all_names[order].tolist(), rounded[order]


# Names of the share at which the limit falls that are reordered by their likeness to the
# query's words no key finds (see _orphans_first): a bound on its cost.
ORPHAN_BAND = 100
_LATIN_WORDS = re.compile(r"[a-z]{3,}")  # not initials: KREINKROUSBROUL is no K.


def _orphans_first(
    index: ScreeningIndex,
    ranked: list[int],
    levels: np.ndarray[Any, Any],
    orphans: tuple[str, ...],
    limit: int,
) -> list[int]:
    """Where the limit falls among a person's names of one share, those names ranked by
    the likeness (Jaro-Winkler) of their words to the query's words that no key finds.

    Such a word (KACUBA, PALNITSENKO, ELKADDAFI) counts in no share, so every listed
    person with the query's given name ties with the one whose surname it spells otherwise
    (KATSUBA, Sviatlana among a hundred Sviatlanas); the pair score would read it, the
    candidate limit hid it. Bounded (ORPHAN_BAND names), and only when the limit cuts a tie.
    Not for firms: a coined word's look-alike is another firm's (Mobarn is not MODERN), and
    the scoring's similar spelling would then meet it."""
    owner = index.name_owner
    seen: set[int] = set()
    cut = -1
    for at, n_idx in enumerate(ranked):
        if owner[n_idx] not in seen:
            seen.add(owner[n_idx])
            if len(seen) > limit:
                cut = at
                break
    if cut < 0:
        return ranked
    shares: list[float] = levels[: cut + ORPHAN_BAND].tolist()
    level = shares[cut]
    start = cut
    while start > 0 and shares[start - 1] == level:
        start -= 1
    end = min(start + ORPHAN_BAND, len(ranked), len(shares))
    band = [n for at, n in enumerate(ranked[start:end], start) if shares[at] == level]
    if len(band) < 2:
        return ranked
    names = index.names

    def likeness(n_idx: int) -> float:
        words = _LATIN_WORDS.findall(names[n_idx].text.lower())
        return sum(max((raw_jaro_winkler(o, w) for w in words), default=0.0) for o in orphans)

    band.sort(key=likeness, reverse=True)  # stable: the lighter name first among equals
    return ranked[:start] + band + ranked[start + len(band) :]


# -- scoring an entity --------------------------------------------------------------------


def _effective_schema(query: Query) -> str:
    """A LegalEntity whose every name is a firm's (a legal form or a commerce word: Synora
    Trading Ltd) is screened as an organisation, not against persons (Abu Zinira)."""
    if query.schema == "LegalEntity" and query.names and all(map(org_like, query.names)):
        return "Organization"
    return query.schema


@lru_cache(maxsize=4096)
def _schema_ok(query: str, candidate: str) -> bool:
    q, c = model.get(query), model.get(candidate)
    if q is None or c is None:
        return False
    return bool(q.can_match(c))


def score_entity(
    index: ScreeningIndex,
    query: Query,
    analysed: Sequence[AnalysedName],
    entity: IndexedEntity,
    names: Iterable[IndexedName] | None,
    config: ScreeningConfig,
) -> tuple[float, dict[str, Feature]]:
    features: dict[str, Feature] = {}
    kind = entity.kind if entity.kind != "any" else entity_kind(query.schema)
    # Names: the best pair over the query's names and the entity's names.
    best = NameMatch(0.0)
    best_prop = ""
    pool = list(names) if names else entity.names
    for q_name, c_name in itertools.product(analysed, pool):
        match = compare_names(q_name, c_name.analysed, index.stats, kind)
        if entity.schema == "Vessel":
            match = vessel_rules(match)
        if match.score > best.score:
            best, best_prop = match, c_name.prop
        if best.score >= 1.0 and best_prop != "weakAlias":
            break  # nothing scores higher (a weak alias may yet be bettered by a name)
    if entity.schema not in ("Person", "Vessel"):
        best = country_rules(best, entity.countries)
    name_score = best.score
    if best.score > 0:
        if best_prop == "weakAlias":
            name_score *= config.weak_alias_factor
            weak = f"; weak alias (the list marks it low quality): x{config.weak_alias_factor}"
            features["weak_alias_match"] = Feature(
                name_score, _Explained(best, weak), best.query, best.candidate
            )
        else:
            features["name_match"] = Feature(
                name_score, _Explained(best), best.query, best.candidate
            )
    if entity.schema == "Vessel" and name_score > config.vessel_name_cap:
        name_score = config.vessel_name_cap
        features["vessel_name_weak"] = Feature(
            0.0,
            f"vessel names are weak evidence (sister ships, renames): name score capped at "
            f"{config.vessel_name_cap}",
        )
    base = name_score
    # Identifiers.
    cap = 1.0
    q_ids, c_ids = query.identifiers, entity.identifiers
    imo_q, imo_c = q_ids.get("imo", set()), c_ids.get("imo", set())
    mmsi_q, mmsi_c = q_ids.get("mmsi", set()), c_ids.get("mmsi", set())
    if imo_q and imo_c:
        if imo_q & imo_c:
            imo = sorted(imo_q & imo_c)[0]
            features["vessel_imo_match"] = Feature(
                config.imo_weight, f"IMO {imo}: the IMO number decides a ship's identity", imo, imo
            )
            base = max(base, config.imo_weight)
            if mmsi_q and mmsi_c and not mmsi_q & mmsi_c:
                features["imo_mmsi_conflict"] = Feature(
                    0.0,
                    f"IMO/MMSI conflict: same IMO, MMSI {sorted(mmsi_q)[0]} vs listed "
                    f"{sorted(mmsi_c)[0]} (MMSIs change on reflagging, or one is spoofed)",
                    sorted(mmsi_q)[0],
                    sorted(mmsi_c)[0],
                )
        else:
            cap = min(cap, config.imo_mismatch_cap)
            features["vessel_imo_mismatch"] = Feature(
                -1.0,
                f"different IMO numbers ({sorted(imo_q)[0]} vs {sorted(imo_c)[0]}): a different "
                f"ship; score capped at {config.imo_mismatch_cap}",
                sorted(imo_q)[0],
                sorted(imo_c)[0],
            )
    if mmsi_q and mmsi_c and mmsi_q & mmsi_c:
        mmsi = sorted(mmsi_q & mmsi_c)[0]
        if "vessel_imo_mismatch" in features:
            features["imo_mmsi_conflict"] = Feature(
                0.0,
                f"IMO/MMSI conflict: same MMSI {mmsi} but different IMO numbers",
                mmsi,
                mmsi,
            )
        else:
            features["vessel_mmsi_match"] = Feature(
                config.mmsi_weight,
                f"MMSI {mmsi}: weak alone (MMSIs are reassigned when a ship is reflagged)",
                mmsi,
                mmsi,
            )
            if base >= config.mmsi_weight:
                base = min(1.0, base + config.mmsi_bonus)
            else:
                base = config.mmsi_weight
    for kind_id, weight, label in (
        ("crypto", config.crypto_weight, "crypto wallet address"),
        ("passport", config.identifier_weight, "passport number"),
        ("id", config.identifier_weight, "identifier"),
    ):
        shared = q_ids.get(kind_id, set()) & (
            c_ids.get("passport", set()) | c_ids.get("id", set())
            if kind_id != "crypto"
            else c_ids.get("crypto", set())
        )
        if shared:
            value = sorted(shared)[0]
            features[f"{kind_id}_match" if kind_id != "id" else "identifier_match"] = Feature(
                weight, f"same {label} {value}", value, value
            )
            base = max(base, weight)
    if base <= 0:
        return 0.0, features
    score = base
    # Qualifiers: they move a score, they never make one.
    score += _birth_dates(query, entity, config, features)
    if query.countries and entity.countries and not query.countries & entity.countries:
        score -= config.country_mismatch
        features["country_mismatch"] = Feature(
            -config.country_mismatch,
            f"countries differ: {', '.join(sorted(query.countries))} vs "
            f"{', '.join(sorted(entity.countries))}",
        )
    if query.gender and entity.gender and query.gender != entity.gender:
        score -= config.gender_mismatch
        features["gender_mismatch"] = Feature(
            -config.gender_mismatch, f"gender differs: {query.gender} vs {entity.gender}"
        )
    if not _schema_ok(query.schema, entity.schema):
        return 0.0, features
    return max(0.0, min(score, cap, 1.0)), features


def _birth_dates(
    query: Query, entity: IndexedEntity, config: ScreeningConfig, features: dict[str, Feature]
) -> float:
    if not query.birth_dates or not entity.birth_dates:
        return 0.0
    q_dates = {d[:10] for d in query.birth_dates}
    c_dates = {d[:10] for d in entity.birth_dates}
    if q_dates & c_dates:
        same = sorted(q_dates & c_dates)[0]
        if len(same) >= 10:
            features["dob_match"] = Feature(config.dob_match, f"same birth date {same}", same, same)
            return config.dob_match
        return 0.0
    q_years = {d[:4] for d in q_dates}
    c_years = {d[:4] for d in c_dates}
    if q_years & c_years:
        if any(len(d) >= 10 for d in q_dates) and all(len(d) >= 10 for d in c_dates):
            features["dob_day_disjoint"] = Feature(
                -config.dob_day_mismatch,
                f"same birth year, other day: {', '.join(sorted(q_dates))} vs "
                f"{', '.join(sorted(c_dates))}",
            )
            return -config.dob_day_mismatch
        return 0.0
    features["dob_year_disjoint"] = Feature(
        -config.dob_year_mismatch,
        f"birth years differ: {', '.join(sorted(q_years))} vs {', '.join(sorted(c_years))}",
    )
    return -config.dob_year_mismatch


# -- screening ----------------------------------------------------------------------------


@dataclass
class Filters:
    datasets: set[str] | None = None  # include only these
    exclude_datasets: set[str] = field(default_factory=set)
    exclude_schema: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)
    changed_since: datetime | None = None
    exclude_entity_ids: set[str] = field(default_factory=set)
    include_delisted: bool = False

    def allows(self, entity: IndexedEntity) -> bool:
        if entity.delisted is not None and not self.include_delisted:
            return False
        if self.datasets is not None and not set(entity.datasets) & self.datasets:
            return False
        if self.exclude_datasets and set(entity.datasets) <= self.exclude_datasets:
            return False
        if entity.schema in self.exclude_schema:
            return False
        if self.topics and not entity.topics & self.topics:
            return False
        if self.changed_since is not None:
            changed = entity.last_change or entity.first_seen
            if changed is None or changed < self.changed_since:
                return False
        return not self.exclude_entity_ids or not (
            entity.id in self.exclude_entity_ids or set(entity.referents) & self.exclude_entity_ids
        )


def screen_query(
    index: ScreeningIndex,
    query: Query,
    config: ScreeningConfig | None = None,
    *,
    threshold: float | None = None,
    cutoff: float | None = None,
    limit: int | None = None,
    filters: Filters | None = None,
) -> Screening:
    config = config or ScreeningConfig()
    threshold = config.threshold if threshold is None else threshold
    cutoff = config.cutoff if cutoff is None else cutoff
    limit = config.limit if limit is None else limit
    filters = filters or Filters()
    analysed = _analyse_query(query)
    found = candidates(index, analysed, query, config.candidates)
    schema = _effective_schema(query)
    results: list[Result] = []
    for e_idx, name_idx in found.items():
        entity = index.entities[e_idx]
        if not filters.allows(entity):
            continue
        if not _schema_ok(schema, entity.schema):
            continue
        names = [index.names[n] for n in name_idx] if name_idx else None
        score, features = score_entity(index, query, analysed, entity, names, config)
        if score < cutoff or score <= 0:
            continue
        results.append(Result(entity, score, score >= threshold, features))
    results.sort(key=lambda r: (-r.score, r.entity.id))
    return Screening(
        query=query,
        results=results[:limit],
        candidates=len(found),
        lists=index.lists,
        threshold=threshold,
        notes=list(query.notes),
    )


def compare_pair(
    name1: str,
    name2: str,
    schema: str = "LegalEntity",
    index: ScreeningIndex | None = None,
    config: ScreeningConfig | None = None,
) -> tuple[float, bool, str]:
    """Score two names (``interdiction compare``): name1 is the query, name2 the listed name."""
    from interdiction.screening.scoring import DEFAULT_STATS

    config = config or ScreeningConfig()
    kind = entity_kind(schema)
    stats = index.stats if index is not None else DEFAULT_STATS
    best: NameMatch | None = None
    # Aliases joined with ";" (as lists and spreadsheets write them) are names of their own.
    vessel = schema == "Vessel"
    for one in _split_names(name1):
        q = analyse(one, kind, vessel=vessel)
        for other in _split_names(name2):
            match = compare_names(q, analyse(other, kind, vessel=vessel), stats, kind)
            if schema == "Vessel":
                match = vessel_rules(match)
            if best is None or match.score > best.score:
                best = match
    assert best is not None
    return round_score(best.score), best.score >= config.threshold, explain_name(best)


def _split_names(text: str) -> list[str]:
    parts = split_aliases(text)
    if not parts:
        raise NameError_("empty name (no letters or digits once cleaned)")
    return parts


def matcher_docs(config: ScreeningConfig) -> dict[str, Any]:
    """The ``matcher`` block of a yente /match response: name, description, features."""
    base = "https://github.com/interdiction/interdiction/blob/main/src/interdiction/screening/"

    def doc(description: str, coefficient: float, module: str) -> dict[str, Any]:
        return {"description": description, "coefficient": coefficient, "url": base + module}

    return {
        "name": MATCHER,
        "version": MATCHER_VERSION,
        "description": (
            "Multilingual name and identifier matching: Korean (Hangul, Hanja, McCune-Reischauer, "
            "Revised Romanisation, Russian Cyrillic), Russian and Chinese romanisations, "
            "token rarity, identifiers, qualified by birth date, country and gender."
        ),
        "config": {"threshold": config.threshold, "cutoff": config.cutoff},
        "features": {
            "name_match": doc("Best aligned name pair across scripts", 1.0, "scoring.py"),
            "weak_alias_match": doc(
                "Name match on a weak (low quality) alias", config.weak_alias_factor, "scoring.py"
            ),
            "vessel_imo_match": doc("Same ship IMO number", config.imo_weight, "matching.py"),
            "vessel_imo_mismatch": doc(
                "Different ship IMO numbers (cap)", config.imo_mismatch_cap, "matching.py"
            ),
            "vessel_mmsi_match": doc("Same MMSI (weak alone)", config.mmsi_weight, "matching.py"),
            "imo_mmsi_conflict": doc("IMO and MMSI disagree", 0.0, "matching.py"),
            "identifier_match": doc(
                "Same passport, national id or registration number",
                config.identifier_weight,
                "matching.py",
            ),
            "crypto_match": doc("Same crypto address", config.crypto_weight, "matching.py"),
            "dob_match": doc("Same birth date", config.dob_match, "matching.py"),
            "dob_year_disjoint": doc(
                "Birth years differ", -config.dob_year_mismatch, "matching.py"
            ),
            "dob_day_disjoint": doc(
                "Same year, other day", -config.dob_day_mismatch, "matching.py"
            ),
            "country_mismatch": doc("Countries differ", -config.country_mismatch, "matching.py"),
            "gender_mismatch": doc("Genders differ", -config.gender_mismatch, "matching.py"),
        },
    }
