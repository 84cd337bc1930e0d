"""Readings of a name in Latin letters: the romanisations the lists actually use.

- Hangul: the DPRK's McCune-Reischauer style (KIM Jong Un, given names split by syllable),
  with the syllable classes of ``korean`` attached so that Revised Romanisation and South
  Korean spellings still match; organisation words translated through a glossary
  (조선 = Korea, 무역 = trading, 청송 = Green Pine), other words romanised.
- Han characters: the Korean reading (``hanja``; surnames read as surnames: 金 = 김, not 금),
  Mandarin pinyin and Wade-Giles (``pypinyin``), and Hong Kong Government Cantonese
  (``ToJyutping`` readings, written the way Hong Kong registers write them: Chan, Cheung,
  Wong); company words translated (有限公司, 集团, 贸易).
- Cyrillic: a Russian romanisation (``iuliia``; the scorer's phonetic keys then match BGN/PCGN,
  ICAO passport, GOST and informal spellings), and, when every word spells Korean syllables
  in the Russian convention (Ким Чен Ын), the Korean reading.
- Other scripts: ICU's Any-Latin.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from itertools import product
from typing import Any, NamedTuple

import hanja  # type: ignore[import-untyped]
import iuliia  # type: ignore[import-untyped]
from pypinyin import Style, lazy_pinyin
from rigour._core import tokenize_name

from interdiction.screening import arabic
from interdiction.screening import korean as ko
from interdiction.screening.names import (
    GENERIC,
    KOREAN_ORG_MARKERS,
    LEGAL,
    NAME,
    STOP,
    AnalysedName,
    NameError_,
    Reading,
    Segment,
    Token,
    ascii_fold,
    clean,
    drop_list_notes,
    flag_korean_surname,
    latin_tokens,
    looks_korean_person,
    mark_acronyms,
    meaning_kind,
    plain_segments,
    scripts,
    token_kind,
    vocabulary,
)

PERSON, ORGANISATION, ANY = "person", "organisation", "any"

MR = "McCune-Reischauer (DPRK style)"
HANJA = "Hanja, Korean reading"
PINYIN = "pinyin"
WADE = "Wade-Giles"
CANTONESE = "Hong Kong Cantonese"
RUSSIAN = "Cyrillic romanisation"  # Russian (iuliia), Ukrainian or Belarusian (BGN/PCGN)
KOREAN_CYRILLIC = "Korean in Russian convention"
TRANSLATION = "translation"
ICU = "ICU Any-Latin"
ARABIC = "Arabic consonants"

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN_OK = re.compile(r"^[\x00-\x7f\u00c0-\u024f\u1e00-\u1eff\u2018-\u201f]*$")

CYRILLIC_KOREAN_SURNAMES = frozenset(
    [
        "ким",
        "ли",
        "ри",
        "пак",
        "чхве",
        "цой",
        "чон",
        "чен",
        "кан",
        "ким",
        "о",
        "юн",
        "рю",
        "лим",
        "рим",
        "хан",
        "чан",
        "чо",
        "пэ",
        "пэк",
        "син",
        "ко",
        "квон",
        "сон",
        "хван",
        "ан",
        "хон",
        "мун",
        "ян",
        "хо",
        "нам",
        "но",
        "ха",
        "хён",
        "тхэ",
        "тэ",
        "ю",
        "им",
        "чу",
        "чин",
        "ку",
        "ну",
        "пён",
        "со",
    ]
)


# A ship's type prefix (M/V CHON MA SAN, MT, SS) and the Korean and Chinese ship-name marker
# (천마산호, 지성 6호, 號): not part of the name the lists use.
_VESSEL_PREFIX = re.compile(
    r"^\s*(?:m\s*/\s*[vt]|m\.\s*[vt]\.?|s\s*/\s*s|m\s*/\s*s|f\s*/\s*v|mv|mt|ss|motor\s+(?:vessel|tanker)"
    r")\s+",
    re.IGNORECASE,
)
_VESSEL_MARKER = re.compile(
    r"(?:(?<=\d)\s*[호號号]|(?<=[가-힣]{3})\s*호|(?<=[\u4e00-\u9fff]{2})\s*[號号])\s*$"
)


def vessel_name(text: str) -> str:
    cleaned = _VESSEL_MARKER.sub("", _VESSEL_PREFIX.sub("", text))
    return cleaned if cleaned.strip() else text


def analyse(
    text: str, kind: str = ANY, korean_context: bool = False, vessel: bool = False
) -> AnalysedName:
    """Every Latin reading of ``text`` worth comparing (at least one, else NameError_)."""
    shown = clean(drop_list_notes(text))
    name = clean(vessel_name(shown)) if vessel else shown
    if not any(c.isalnum() for c in name):
        raise NameError_("empty name (no letters or digits once cleaned)")
    found = scripts(name)
    readings: list[Reading] = []
    org = kind == ORGANISATION
    if _LATIN_OK.match(name):
        tokens = latin_tokens(name, org or (kind == ANY and org_like(name)))
        if not tokens:
            raise NameError_("empty name (no letters or digits once cleaned)")
        if not org and any(t.kind in (STOP, GENERIC) for t in tokens):
            tokens = _east_asian_stop_words(tokens)
        is_korean = korean_context or (kind != ORGANISATION and looks_korean_person(tokens))
        if is_korean and kind != ORGANISATION:
            tokens = flag_korean_surname(tokens)
        if kind != PERSON and len(tokens) >= 3:
            tokens = mark_acronyms(tokens)
        org_korean = korean_context or any(t.text in KOREAN_ORG_MARKERS for t in tokens)
        segments = plain_segments(tokens)
        if kind != PERSON and len(tokens) >= 2:
            segments = _glossary_options(tokens)
        readings.append(Reading(segments, "written", is_korean or org_korean))
        return AnalysedName(shown, tuple(readings), frozenset(found))
    if _HANGUL.search(name):
        name_ko = _KOREAN_LEGAL_MARK.sub(" 주식회사 ", name)
        name_ko = _KOREAN_ORDINAL.sub(lambda m: f" {_ordinal(int(m.group(1)))} ", name_ko)
    words = tokenize_name(name_ko if _HANGUL.search(name) else name)
    if _HANGUL.search(name):
        readings.append(_reading(words, kind, _hangul_word, MR, korean=True))
    if _HAN.search(name):
        # The Korean reading of Han characters only for persons and Korean organisation
        # words (朝鮮 = 조선); Wade-Giles for persons (companies register pinyin names).
        if kind != ORGANISATION or _korean_han(name):
            readings.append(_reading(words, kind, _hanja_word, HANJA, korean=True))
        readings.append(_reading(words, kind, _pinyin_word, PINYIN))
        if kind != ORGANISATION:
            readings.append(_reading(words, kind, _wade_word, WADE))
        readings.append(_reading(words, kind, _cantonese_word, CANTONESE))
    if _CYRILLIC.search(name):
        # A Korean name in the Russian convention (a Korean surname, every word Korean
        # syllables: Ким Чен Ын) is read as Korean, and as Russian too: Koryo-saram carry
        # Russian given names (Ким Виктор = Kim Viktor).
        cyr_korean = _cyrillic_korean(words) if kind != ORGANISATION else None
        if cyr_korean is not None:
            readings.append(cyr_korean)
        # The whole name in one language: Товариство is Ukrainian beside відповідальністю.
        language = cyrillic_language(name)
        readings.append(_reading(words, kind, lambda w, k: _russian_word(w, k, language), RUSSIAN))
    if arabic.is_arabic(name):
        readings.append(_reading(words, kind, _arabic_word, ARABIC))
    if not readings or not any(r.segments for r in readings):
        readings.append(_reading(words, kind, _icu_word, ICU))
    readings = [r for r in readings if r.segments]
    if not readings:
        raise NameError_("no readable letters in this name")
    if kind == ANY and any(_reading_org_like(r) for r in readings):
        # A firm's name in another script (ООО «...»), of a query that does not say it is
        # one (LegalEntity): read as a firm's, as a Latin name with a legal form is, so
        # that its legal form is no name of its own.
        return analyse(text, ORGANISATION, korean_context, vessel)
    return AnalysedName(shown, tuple(readings), frozenset(found))


def _reading_org_like(reading: Reading) -> bool:
    """org_like of a reading of another script: its words in every option."""
    return _firm_words(
        t.text for segment in reading.segments for option in segment.options for t in option
    )


_KOREAN_LEGAL_MARK = re.compile(r"\(주\)|㈜|（주）")  # (주): 주식회사, a joint stock company
_KOREAN_ORDINAL = re.compile(r"제\s*(\d{1,2})")
# English ordinals, as the lists write a body's number (the Second Academy of Natural
# Sciences): 제2 is read so, and the scorer takes them for their numbers (2ND = SECOND).
ORDINAL_WORDS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]


def _ordinal(n: int) -> str:
    """제2 (the second ...) in English; beyond the twentieth the number itself."""
    return ORDINAL_WORDS[n - 1] if 1 <= n <= len(ORDINAL_WORDS) else str(n)


def org_like(name: str) -> bool:
    """A name with a legal form or a commerce word in it (Latin script)."""
    return _firm_words(ascii_fold(w) for w in tokenize_name(name))


def _firm_words(words: Iterable[str]) -> bool:
    vocab = vocabulary()
    return any(w in vocab.legal or w in vocab.commerce for w in words)


WordFn = Any  # (word, kind) -> list[Segment]


def _east_asian_stop_words(tokens: list[Token]) -> list[Token]:
    """An, Du, De and Da are stop words of Western names, and surnames and given syllables
    of Chinese and Korean ones (AN Jong Su, Du Min, Jiang De): in a name that is all pinyin
    or all Korean syllables, with such a surname first or last, they are names. So is a
    title's word after the first (KIM An Hon: Hon, not the Honourable)."""
    words = [
        t for t in tokens if t.kind in (NAME, STOP) or (t.kind == GENERIC and t is not tokens[0])
    ]
    if len(words) < 2 or len(words) != len(tokens):
        return tokens
    ends = (words[0].text, words[-1].text)
    chinese = chinese_surname_spellings()
    korean = vocabulary().korean_surname_romanisations
    if (
        any(e in chinese or e in pinyin_surnames() for e in ends)
        and all(is_pinyin(t.text) or wade_giles_pinyin(t.text) for t in words)
    ) or (any(e in korean for e in ends) and all(ko.parse_latin(t.text) for t in words)):
        return [replace(t, kind=NAME) if t.kind != NAME else t for t in tokens]
    return tokens


def _reading(words: list[str], kind: str, fn: WordFn, method: str, korean: bool = False) -> Reading:
    segments: list[Segment] = []
    organisation = kind == ORGANISATION
    for word in words:
        if _LATIN_OK.match(word):
            segments.extend(plain_segments(latin_tokens(word, organisation)))
        else:
            segments.extend(fn(word, kind))
    return Reading(tuple(segments), method, korean)


# -- Korean -------------------------------------------------------------------------------


def _syllable_token(text: str, method: str, surname: bool = False) -> Token:
    latin = ko.romanise(text, "mr")
    return Token(latin, text, NAME, method, (ko.hangul_syllables(text),), surname)


def _hangul_word(word: str, kind: str, method: str = MR) -> list[Segment]:
    hangul = "".join(c for c in word if ko.is_hangul(c))
    if not hangul:
        return []
    if kind != ORGANISATION:
        segments = _hangul_org(hangul, method)
        glossed = any(len(s.options) > 1 for s in segments)
        if kind == PERSON or (not glossed and 2 <= len(hangul) <= 4):
            surname, given = ko.split_person(hangul)
            out = [Segment(((_syllable_token(surname, method, surname=True),),))]
            out.extend(Segment(((_syllable_token(c, method),),)) for c in given)
            return out
        return segments
    return _hangul_org(hangul, method)


def _segment_glossary(text: str, glossary: dict[str, Any]) -> list[tuple[str, bool]]:
    """Longest-match segmentation: (part, in glossary)."""
    out: list[tuple[str, bool]] = []
    pos, pending = 0, ""
    longest = max((len(k) for k in glossary), default=1)
    while pos < len(text):
        for size in range(min(longest, len(text) - pos), 1, -1):
            part = text[pos : pos + size]
            if part in glossary:
                if pending:
                    out.append((pending, False))
                    pending = ""
                out.append((part, True))
                pos += size
                break
        else:
            pending += text[pos]
            pos += 1
    if pending:
        out.append((pending, False))
    return out


def _hangul_org(hangul: str, method: str) -> list[Segment]:
    vocab = vocabulary()
    out = []
    parts = _segment_glossary(hangul, vocab.korean_glossary)
    # A syllable of the glossary after a known word is that word's kind of body (국가우주개발국:
    # 국 administration; 원자력공업성: 성 ministry); alone it begins too many names to be one.
    parts = [
        (part, known or (n > 0 and parts[n - 1][1] and part in vocab.korean_glossary))
        for n, (part, known) in enumerate(parts)
    ]
    for part, known in parts:
        reading = _syllable_token(part, method)
        kind = meaning_kind(vocab.korean_glossary[part]) if known else NAME
        reading = Token(reading.text, part, kind, method, reading.korean)
        if known:
            options = [(reading,), *_translations(vocab.korean_glossary[part], part)]
            out.append(Segment(tuple(options)))
        else:
            out.append(Segment(((reading,),)))
    return out


def _glossary_options(tokens: list[Token]) -> tuple[Segment, ...]:
    """Romanised words of an organisation name with their translations: Korean by syllables
    (Chongsong Yonhap: chongsong = 청송 = green pine), Chinese by pinyin (maoyi = 贸易 =
    trading), Russian by stem (torgovyy = trading; aktsionernoe obshchestvo = joint stock
    company, so that legal forms align too). A word whose every translation is generic or a
    legal form is one itself (muyok = 무역), as in the glossary's own script."""
    out = []
    for token in tokens:
        options: list[tuple[Token, ...]] = [(token,)]
        # An abbreviation written out, as the other name may spell it: a legal form's (PJSC =
        # public joint stock company) weighs as one; a place's (HK = Hong Kong) keeps its kind.
        vocab = vocabulary()
        expansion, kind = vocab.legal_forms.get(token.text), LEGAL
        if not expansion:
            expansion, kind = vocab.place_abbreviations.get(token.text), token.kind
        if expansion:
            words = [
                tuple(Token(w, token.shown, kind, TRANSLATION) for w in alt) for alt in expansion
            ]
            out.append(Segment((*options, *words)))
            continue
        if len(token.text) < 4 or token.kind not in (NAME, GENERIC, LEGAL):
            out.append(Segment(tuple(options)))
            continue
        meaning = latin_meaning(token.text)
        rest = stem_compound(token.text) if meaning and token.kind == NAME else ""
        if rest:
            # Its stem's meaning and its own word, as written or translated (RADIOPRIBOR:
            # radio pribor, radio instrument): RADIOAVIONIKA shares the stem only.
            kind = token_kind(rest, True)
            if kind != NAME:  # RADIOWORKS, OBORONLOGISTICS: English words, the firm's kind
                token = Token(token.text, token.shown, GENERIC, token.method)
            ends: list[tuple[Token, ...]] = [
                (Token(rest, token.shown, kind if kind != STOP else NAME, TRANSLATION),)
            ]
            ends += _translations(latin_meaning(rest), token.shown)
            stem = token.text[: -len(rest)]  # as written too (INVEST CAPITAL BANK)
            heads: list[tuple[Token, ...]] = [
                (Token(stem, token.shown, meaning_kind(meaning), TRANSLATION),)
            ]
            heads += _translations(meaning, token.shown)
            options = [(token,), *((*head, *end) for head in heads for end in ends)]
        elif meaning:
            kind = meaning_kind(meaning)
            if kind != NAME and token.kind == NAME:
                token = Token(token.text, token.shown, kind, token.method)
            options = [(token,), *_translations(meaning, token.shown)]
        elif token.kind == NAME and (compound := russian_compound(token.text)):
            options = [(token,), *_translations(compound, token.shown)]
        out.append(Segment(tuple(options)))
    return tuple(out)


# A Latin word is read as a Russian stem only from this length on: shorter stems (neft, fond)
# begin too many words of other languages.
LATIN_STEM_MIN = 5


@lru_cache(maxsize=100_000)
def latin_meaning(text: str) -> tuple[tuple[str, ...], ...]:
    """The English words a romanised organisation word stands for, if a glossary knows it:
    Korean by syllables (muyok = 무역 = trade), pinyin (maoyi), Russian by stem (torgovyy)."""
    if len(text) < 4:
        return ()
    vocab = vocabulary()
    for parse in ko.parse_latin(text):
        if len(parse) < 2:
            continue
        term = vocab.korean_glossary_keys.get(ko.syllable_key(parse))
        if term is not None:
            return vocab.korean_glossary[term]
    return _pinyin_glossary().get(text, ()) or _russian_stem(text, LATIN_STEM_MIN)


@lru_cache(maxsize=1)
def _pinyin_glossary() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The Chinese glossary by pinyin (maoyi, jituan, youxian gongsi word by word)."""
    out: dict[str, tuple[tuple[str, ...], ...]] = {}
    for term, meaning in vocabulary().chinese_glossary.items():
        latin = "".join(_pinyin_read(term, False))
        if len(latin) >= 4:
            out.setdefault(latin, meaning)
    return out


# Stems that Soviet-style firm names are compounded of (RADIO-PRIBOR, ELEKTRO-SIGNAL,
# ENERGO-PROM, TSENTR-REMONT, INVEST-TRADEBANK): such a word is the firm's own name, however
# generic its first part, as RADIOPRIBOR is not RADIOPRIBORSNAB, nor RADIOAVIONIKA.
COMBINING_STEMS = frozenset(("radio", "elektro", "energ", "tsentr", "svyaz", "invest", "oboron"))
# What follows a combining stem in a word of the stem's own meaning: a Russian adjective's
# or abstract noun's ending (RADIOTEKHNICHESKIY, TSENTRALNYY, ENERGOEFFEKTIVNOST) or an
# English or Spanish derivation (INVESTMENTS, INVESTIGATIONS, INVESTIDORA).
_DERIVED = re.compile(
    r"(?:iy|yy|ii|yi|ij|yj|aya|aia|oye|oe|ogo|ego|ykh|ikh|oy|oi|ye|ost|osti|ostyu)$"
    r"|^(?:ment|igat|ation|ador|acion|ido|ir|etik|technic)"
)


@lru_cache(maxsize=100_000)
def stem_compound(text: str) -> str:
    """The word after a combining stem (RADIOPRIBOR: pribor; none in TSENTRALNYY or
    ENERGOEFFEKTIVNOST), or "": such a word stays a name, read also as the stem's meaning
    and that word."""
    size = _stem_length(text, LATIN_STEM_MIN)
    if text[:size] not in COMBINING_STEMS:
        return ""
    rest = text[size:].removeprefix("o")
    return rest if len(rest) >= 4 and not _DERIVED.search(rest) else ""


def _russian_stem(text: str, shortest: int = 4) -> tuple[tuple[str, ...], ...]:
    size = _stem_length(text, shortest)
    return vocabulary().russian_stems[text[:size]] if size else ()


def _stem_length(text: str, shortest: int) -> int:
    """The length of the longest glossary stem the word starts with (0: none)."""
    stems = vocabulary().russian_stems
    for size in range(min(len(text), 16), shortest - 1, -1):
        if text[:size] in stems:
            return size
    return 0


def _translations(meaning: tuple[tuple[str, ...], ...], shown: str) -> list[tuple[Token, ...]]:
    return [
        tuple(Token(w, shown, token_kind(w, True), TRANSLATION) for w in alt) for alt in meaning
    ]


def _hanja_word(word: str, kind: str) -> list[Segment]:
    han = "".join(c for c in word if _HAN.match(c) or ko.is_hangul(c))
    if not han:
        return []
    vocab = vocabulary()
    person_like = kind == PERSON or (
        kind == ANY and 2 <= len(han) <= 4 and not _has_glossary_term(han)
    )
    if person_like and han[0] in vocab.surname_hanja:
        hangul = vocab.surname_hanja[han[0]] + _hanja_to_hangul(han[1:])
    else:
        hangul = _hanja_to_hangul(han)
    return _hangul_word(hangul, PERSON if person_like else kind, HANJA)


@lru_cache(maxsize=20_000)
def _hanja_to_hangul(text: str) -> str:
    return str(hanja.translate(text, "substitution"))


def _korean_han(name: str) -> bool:
    """Han text whose Korean reading holds Korean organisation words (朝鮮 = 조선)."""
    han = "".join(c for c in name if _HAN.match(c))
    hangul = _hanja_to_hangul(han)
    glossary = vocabulary().korean_glossary
    return any(known and len(part) >= 2 for part, known in _segment_glossary(hangul, glossary))


def _has_glossary_term(text: str) -> bool:
    glossary = vocabulary().chinese_glossary
    return any(known for _, known in _segment_glossary(text, glossary))


def _chinese(word: str, kind: str, read: Any, method: str, as_written: Any = None) -> list[Segment]:
    han = "".join(c for c in word if _HAN.match(c))
    if not han:
        return []
    vocab = vocabulary()
    person_like = kind == PERSON or (
        kind == ANY and 2 <= len(han) <= 4 and not _has_glossary_term(han)
    )

    def options(part: str, word_kind: str, surname: bool = False) -> list[tuple[Token, ...]]:
        """The word read, and read as written where that differs (a name's characters; a
        glossary word is read as the word)."""
        latin = "".join(read(part, surname))
        found: list[tuple[Token, ...]] = [(Token(latin, part, word_kind, method, surname=surname),)]
        if as_written is None or word_kind != NAME:
            return found
        other = "".join(as_written(part, surname))
        if other != latin and other:
            found.append((Token(other, part, word_kind, method, surname=surname),))
        return found

    if person_like:
        size = 2 if len(han) >= 3 and han[:2] in vocab.cantonese_surnames else 1
        out = [Segment(tuple(options(han[:size], NAME, True)))]
        if han[size:]:
            out.append(Segment(tuple(options(han[size:], NAME))))
        return out
    segments = []
    for part, known in _chinese_words(han, vocab.chinese_glossary):
        if known:
            meaning = vocab.chinese_glossary[part]
            translations = _translations(meaning, part)
            segments.append(Segment((*options(part, meaning_kind(meaning)), *translations)))
        else:
            segments.append(Segment(tuple(options(part, NAME))))
    return segments


def _chinese_words(han: str, glossary: dict[str, Any]) -> list[tuple[str, bool]]:
    """Glossary words, and the rest in words of two characters (a trade name or a place is
    mostly two: 長安 海連, Chang An Hailian), the last of three when the rest is odd."""
    out: list[tuple[str, bool]] = []
    for part, known in _segment_glossary(han, glossary):
        if known or len(part) < 4:
            out.append((part, known))
            continue
        cuts = list(range(0, len(part) - 3, 2))
        out.extend((part[i : i + 2], False) for i in cuts)
        out.append((part[cuts[-1] + 2 :], False))
    return out


def _clean_syllables(parts: list[str]) -> list[str]:
    return [ascii_fold(p).replace("-", "") for p in parts if p.strip()]


# pypinyin's words are in simplified characters: written traditional (as Hong Kong and
# Taiwan register firms), a word's characters are read one by one, and a character's first
# reading is often not the word's (重慶 zhongqing, 廈門 shamen, 銀行 yinxing; read simplified,
# chongqing, xiamen, yinhang). Mandarin readings are of the simplified form; where the
# characters read one by one, as written, say otherwise, that is a second option: a place's
# name is not always its word's reading (朝阳 is zhaoyang, the morning sun, as a word;
# the district is Chaoyang).
def _pinyin_read(text: str, _surname: bool) -> list[str]:
    return _clean_syllables(lazy_pinyin(simplified(text), errors="ignore"))


def _pinyin_as_written(text: str, _surname: bool) -> list[str]:
    return _clean_syllables(lazy_pinyin(list(text), errors="ignore"))


def _wade_read(text: str, _surname: bool) -> list[str]:
    return _clean_syllables(lazy_pinyin(simplified(text), style=Style.WADEGILES, errors="ignore"))


def _wade_as_written(text: str, _surname: bool) -> list[str]:
    return _clean_syllables(lazy_pinyin(list(text), style=Style.WADEGILES, errors="ignore"))


@lru_cache(maxsize=100_000)
def simplified(text: str) -> str:
    """Han text in simplified characters (ICU's Traditional-Simplified)."""
    return str(_icu("Traditional-Simplified").transliterate(text))


class _Syllables(NamedTuple):
    pinyin: frozenset[str]
    wade: dict[str, frozenset[str]]  # a Wade-Giles spelling -> the pinyin syllables it is


@lru_cache(maxsize=1)
def _syllables() -> _Syllables:
    """Chinese syllables in pinyin, and in Wade-Giles without its apostrophes and umlauts (as
    the lists write it), from pypinyin's readings of every character: Tse = ze | ce."""
    from pypinyin.pinyin_dict import pinyin_dict
    from pypinyin.style import convert

    toned: set[str] = set()
    for readings in pinyin_dict.values():
        toned.update(readings.split(","))
    plain_set: set[str] = set()
    wade: dict[str, set[str]] = {}
    for syllable in toned:
        plain = convert(syllable, Style.NORMAL, True).replace("v", "u")
        if not plain.isascii() or not any(v in plain for v in "aeiou"):
            continue  # interjections without a vowel (hm, ng)
        plain_set.add(plain)
        spelling = ascii_fold(convert(syllable, Style.WADEGILES, True))
        spelling = spelling.replace("'", "").replace("v", "u")
        if spelling.isalpha():
            wade.setdefault(spelling, set()).add(plain)
    return _Syllables(frozenset(plain_set), {k: frozenset(v) for k, v in wade.items()})


MAX_CHINESE_SYLLABLES = 4


def _splits(word: str, table: dict[str, frozenset[str]]) -> Iterator[tuple[str, ...]]:
    """A Latin word read as syllables of ``table`` (a spelling -> the pinyin syllables it
    is), at most MAX_CHINESE_SYLLABLES, longest syllable first: the one walk that is_pinyin,
    wade_giles_pinyin, is_written_pinyin and mandarin_syllables read."""

    def walk(pos: int, acc: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        if pos == len(word):
            yield acc
            return
        if len(acc) < MAX_CHINESE_SYLLABLES:
            for end in range(min(len(word), pos + 6), pos, -1):
                # Sorted: a frozenset's order follows the hash seed, and callers keep the
                # first readings only.
                for pinyin in sorted(table.get(word[pos:end], ())):
                    yield from walk(end, (*acc, pinyin))

    if word.isalpha() and word.isascii() and len(word) <= 6 * MAX_CHINESE_SYLLABLES:
        yield from walk(0, ())


def _segment(word: str, table: dict[str, frozenset[str]]) -> frozenset[str]:
    """The pinyin a word reads as, its syllables joined (at most 32 readings)."""
    out: set[str] = set()
    for split in _splits(word, table):
        out.add("".join(split))
        if len(out) >= 32:
            break
    return frozenset(out)


@lru_cache(maxsize=1)
def _pinyin_table() -> dict[str, frozenset[str]]:
    return {p: frozenset((p,)) for p in _syllables().pinyin}


@lru_cache(maxsize=100_000)
def is_pinyin(word: str) -> bool:
    """A Latin word that spells Chinese syllables in pinyin (Zedong, Xiaoping)."""
    return bool(_segment(word, _pinyin_table()))


@lru_cache(maxsize=100_000)
def wade_giles_pinyin(word: str) -> frozenset[str]:
    """The pinyin of a Latin word read as Wade-Giles syllables (Tsetung -> zedong, cedong,
    zetong, cetong); empty when it cannot be read so."""
    return _segment(word, _syllables().wade)


@lru_cache(maxsize=100_000)
def is_written_pinyin(word: str) -> bool:
    """A word as pinyin writes one: its syllables after the first begin with a consonant
    (a vowel there takes an apostrophe, which lists drop: Xi'an may be Xian, yet Lee is
    not le'e)."""
    return any(
        all(syllable[0] not in "aeo" for syllable in split[1:])
        for split in _splits(word, _pinyin_table())
    )


MAX_MANDARIN_SPLITS = 16


@lru_cache(maxsize=100_000)
def mandarin_syllables(word: str) -> tuple[tuple[str, ...], ...]:
    """A Latin word's readings as Mandarin syllables in pinyin, as written in pinyin or in
    Wade-Giles (Zhengen: zheng en, zhen gen; Wen-chi written Wenchi: wen ji, wen qi), at most
    MAX_MANDARIN_SPLITS; empty when it is neither."""
    out: dict[tuple[str, ...], None] = {}
    for table in (_pinyin_table(), _syllables().wade):
        for split in _splits(word, table):
            if len(out) >= MAX_MANDARIN_SPLITS:
                return tuple(out)
            out[split] = None
    return tuple(out)


_JYUT_ONSETS = ("gw", "kw", "ng", *"bpmfdtnlgkhzcsjw")
_JYUT_INITIALS = {"z": "ch", "c": "ch", "j": "y", "gw": "kw", "g": "k", "b": "p", "d": "t"}
_JYUT_FINALS = {
    "aa": "a",
    "aai": "ai",
    "aau": "au",
    "aam": "am",
    "aan": "an",
    "aang": "ang",
    "aap": "ap",
    "aat": "at",
    "aak": "ak",
    "oeng": "eung",
    "oek": "euk",
    "eoi": "ui",
    "eon": "un",
    "eot": "ut",
    "ou": "o",
    "yu": "u",
    "yun": "uen",
    "yut": "uet",
    "ei": "ei",
    "i": "i",
    "u": "u",
    "ing": "ing",
}


def _hk_romanise(jyutping: str) -> str:
    """Jyutping to the Hong Kong Government's romanisation (can4 -> chan, zoeng1 -> cheung)."""
    syllable = jyutping.rstrip("0123456789")
    if syllable in ("m", "ng"):
        return syllable
    initial = next(
        (i for i in _JYUT_ONSETS if syllable.startswith(i) and len(syllable) > len(i)), ""
    )
    final = syllable[len(initial) :]
    latin_initial = _JYUT_INITIALS.get(initial, initial)
    if final.startswith("yu") and initial == "s":
        latin_initial = "sh"
    return latin_initial + _JYUT_FINALS.get(final, final)


@lru_cache(maxsize=1)
def chinese_surname_spellings() -> dict[str, frozenset[str]]:
    """A romanised Chinese surname -> the Han surnames it may spell, in pinyin, Wade-Giles or
    the Hong Kong Government's Cantonese (Zhang = Chang = Cheung = 張; Xu = Hsu = Tsui = 徐),
    for the surnames of cantonese_surnames.tsv."""
    out: dict[str, set[str]] = {}
    for char, forms in vocabulary().cantonese_surnames.items():
        spellings = set(forms)
        for read in (_pinyin_read, _pinyin_as_written, _wade_read, _wade_as_written):
            spellings.add("".join(read(char, True)).replace("v", "u"))
        for spelling in spellings:
            if spelling:
                out.setdefault(spelling, set()).add(char)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def pinyin_surnames() -> frozenset[str]:
    """The surnames of cantonese_surnames.tsv in pinyin only (Li, Zhang, Song; not Lee or
    Cheung): what a name in pinyin has. Every reading of a one-character surname, as a
    surname's is often not the character's first (朴 Piao, not pu; 曾 Zeng; 单 Shan)."""
    from pypinyin import pinyin

    out = set()
    for char in vocabulary().cantonese_surnames:
        for read in (_pinyin_read, _pinyin_as_written):
            out.add("".join(read(char, True)).replace("v", "u"))
        if len(char) == 1:
            simple = simplified(char)
            out.update(
                r.replace("v", "u") for r in pinyin(simple, style=Style.NORMAL, heteronym=True)[0]
            )
    return frozenset(r for r in out if r.isascii() and r.isalpha())


def _cantonese_read(text: str, surname: bool) -> list[str]:
    vocab = vocabulary()
    if surname and text in vocab.cantonese_surnames:
        return [vocab.cantonese_surnames[text][0]]
    import ToJyutping  # type: ignore[import-untyped]

    out = []
    for char, jyut in ToJyutping.get_jyutping_list(text):
        if jyut:
            out.append(_hk_romanise(jyut.split()[0]))
        elif char in vocab.cantonese_surnames:
            out.append(vocab.cantonese_surnames[char][0])
    return out


def _pinyin_word(word: str, kind: str) -> list[Segment]:
    return _chinese(word, kind, _pinyin_read, PINYIN, _pinyin_as_written)


def _wade_word(word: str, kind: str) -> list[Segment]:
    return _chinese(word, kind, _wade_read, WADE, _wade_as_written)


def _cantonese_word(word: str, kind: str) -> list[Segment]:
    return _chinese(word, kind, _cantonese_read, CANTONESE)


# -- Cyrillic -------------------------------------------------------------------------------


_UKRAINIAN_LETTERS = frozenset("іїєґІЇЄҐ")
_BELARUSIAN_LETTERS = frozenset("ўЎ")


RU, UK, BE = "ru", "uk", "be"


def cyrillic_language(text: str) -> str:
    """Russian, or Ukrainian or Belarusian by the letters Russian lacks: ў, or і beside ы or
    э, is Belarusian; і, ї, є, ґ Ukrainian."""
    letters = set(text)
    if letters & _BELARUSIAN_LETTERS or (letters & set("іІ") and letters & set("ыЫэЭ")):
        return BE
    return UK if letters & _UKRAINIAN_LETTERS else RU


@lru_cache(maxsize=50_000)
def _russian(word: str, language: str | None = None) -> str:
    """A Cyrillic word in Latin: Russian by iuliia's Wikipedia schema, Ukrainian and
    Belarusian by their BGN/PCGN systems (ICU: Ігор = Ihor; iuliia would leave the і, and
    the word would be lost). The language is the whole name's, else the word's own."""
    language = language or cyrillic_language(word)
    if language == RU:
        return ascii_fold(iuliia.WIKIPEDIA.translate(word))
    rules = "be-be_Latn/BGN" if language == BE else "uk-uk_Latn/BGN"
    latin = ascii_fold(str(_icu(rules).transliterate(word)))
    return latin.replace("\u02b9", "").replace("\u02ba", "")  # soft and hard signs


def _russian_word(word: str, kind: str, language: str | None = None) -> list[Segment]:
    if not _CYRILLIC.search(word):
        return []
    latin = _russian(word, language)
    tokens = latin_tokens(latin, kind == ORGANISATION, RUSSIAN)
    if kind == PERSON:
        return list(plain_segments(tokens))
    out: list[Segment] = []
    for token in tokens:
        options: list[tuple[Token, ...]] = [(token,)]
        if token.text in vocabulary().legal_forms:  # ОАО = open joint stock company
            out.extend(_glossary_options([token]))
            continue
        meaning = _russian_stem(token.text) if token.kind == NAME else ()
        if meaning:
            kind_ = meaning_kind(meaning)
            if kind_ != NAME:
                token = Token(token.text, token.shown, kind_, token.method)
            options = [(token,), *_translations(meaning, token.shown)]
        elif token.kind == NAME and (compound := russian_compound(token.text)):
            options = [(token,), *_translations(compound, token.shown)]
        out.append(Segment(tuple(options)))
    return out


@lru_cache(maxsize=50_000)
def russian_compound(text: str) -> tuple[tuple[str, ...], ...]:
    """A Russian firm's name compounded of parts (Soviet style), also read as the English
    the lists give it; the word alone stays the firm's own name. Ros- and a word the
    glossary knows (РОСЭЛЕКТРОНИКА = Russian Electronics), or a place or name and the
    parts it ends in (TULAMASHZAVOD = Tula Machine Building Plant, URALVAGONZAVOD = Ural
    wagon plant). Empty for other words (Rostov, Rosario: no glossary word; Zavod alone)."""
    if len(text) < 8:
        return ()
    if text.startswith("ros") and not text.startswith("ross"):
        found = tuple(("russian", *alt) for alt in _russian_stem(text[3:], LATIN_STEM_MIN))
        if found:
            return found
    head, tails = text, list[tuple[str, ...]]()
    while True:
        part = next((p for p in _COMPOUND_PARTS if head.endswith(p)), None)
        if part is None or len(head) - len(part) < 3:
            break
        tails.insert(0, _COMPOUND_PARTS[part])
        head = head[: -len(part)]
    if not tails:
        return ()
    return tuple((head, *(w for alt in combo for w in alt.split())) for combo in product(*tails))


# The parts Soviet-style firm names end in (Tula-mash-zavod), with their English renderings
# in the lists; longest first.
_COMPOUND_PARTS = {
    "zavody": ("plants", "works"),
    "zavod": ("plant", "factory", "works"),
    "mash": ("machine building", "machinery"),
    "vagon": ("wagon", "railway car"),
    "nefte": ("oil",),
    "invest": ("investment", "invest"),
    "bank": ("bank",),
}


def _cyrillic_korean(words: list[str]) -> Reading | None:
    lowered = [w.lower() for w in words if _CYRILLIC.search(w)]
    if len(lowered) < 2 or len(lowered) != len(words):
        return None
    if lowered[0] not in CYRILLIC_KOREAN_SURNAMES and lowered[-1] not in CYRILLIC_KOREAN_SURNAMES:
        return None
    segments = []
    for n, (word, low) in enumerate(zip(words, lowered, strict=True)):
        parses = ko.parse_cyrillic(low)
        if not parses or min(len(p) for p in parses) > 3:
            return None
        surname = low in CYRILLIC_KOREAN_SURNAMES and n in (0, len(words) - 1)
        token = Token(_russian(word), word, NAME, KOREAN_CYRILLIC, parses, surname)
        segments.append(Segment(((token,),)))
    return Reading(tuple(segments), KOREAN_CYRILLIC, True)


# -- everything else ------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _icu(rules: str = "Any-Latin; Latin-ASCII") -> Any:
    import icu  # type: ignore[import-untyped]

    return icu.Transliterator.createInstance(rules)


def _icu_word(word: str, kind: str) -> list[Segment]:
    latin = str(_icu().transliterate(word))
    return list(plain_segments(latin_tokens(latin, kind == ORGANISATION, ICU)))


def _arabic_word(word: str, kind: str) -> list[Segment]:
    """An Arabic word: its ICU romanisation for display and keys, compared by consonants."""
    if not arabic.is_arabic(word):
        return list(
            plain_segments(latin_tokens(str(_icu().transliterate(word)), kind == ORGANISATION))
        )
    out = []
    if word.startswith("عبد") and len(word) > 4:  # عبدالرحيم: Abd al-Rahim, Abdul Rahim
        out.extend(_arabic_word("عبد", kind))
        word = word[3:]
    glossary = vocabulary().arabic_glossary if kind != PERSON else {}
    prefix = _arabic_prefix(word, glossary)
    if prefix:  # والشام: wa (and) al-Sham; بالدم: bi (by) al-dam; لأهل: li (of) ahl
        out.append(Segment(((Token(_PREFIXES[prefix[0]], prefix[0], STOP, ARABIC),),)))
        word = word[1:]
    if prefix == _LIL:  # للصرافة: li and the article, its alif dropped (for the exchange)
        out.append(Segment(((Token("al", "ل", STOP, ARABIC),),)))
        word = word[1:]
    elif word.startswith("ال") and len(word) > 3:
        out.append(Segment(((Token("al", "ال", STOP, ARABIC),),)))
        word = word[2:]
    latin = ascii_fold(str(_icu().transliterate(word)))
    latin = "".join(c for c in latin if c.isalnum()) or arabic.arabic_skeleton(word).lower()
    # خامنه‌ای: the Persian suffix written after a zero-width non-joiner, which cleaning made
    # a space, is no word of its own; the name is the word before it (Khamenei = خامنه).
    if latin and (
        word in _PERSIAN_SUFFIXES or (kind != PERSON and arabic.glossary_key(word) in _ARABIC_STOP)
    ):
        out.append(Segment(((Token(latin, word, STOP, ARABIC),),)))
    elif latin:
        token = Token(latin, word, NAME, ARABIC)
        meaning = glossary.get(arabic.glossary_key(word))
        if meaning:  # الدولة الإسلامية = Islamic State, as the lists translate it
            token = Token(latin, word, meaning_kind(meaning), ARABIC)
            out.append(Segment(((token,), *_translations(meaning, word))))
        else:
            out.append(Segment(((token,),)))
    return out


# Prepositions of organisations' names (in, from, of, on): الدولة الإسلامية في العراق.
# Not على (ala): folded, it is علي, the name Ali.
_ARABIC_STOP = frozenset({"في", "من", "عن"})
_PERSIAN_SUFFIXES = frozenset({"ای", "ئی"})
# One-letter particles written joined to the next word: and, by/with, for/of, so.
_PREFIXES = {"و": "wa", "ب": "bi", "ل": "li", "ف": "fa"}


# li and the article written as one (lil-): the article's alif is dropped after li.
_LIL = "لل"


def _arabic_prefix(word: str, glossary: dict[str, Any]) -> str:
    """The particle a word begins with, when the rest is an article'd word or a glossary
    word (so that بلال, Bilal, keeps its first letter); ``_LIL`` when li and the article
    come before a glossary word (للصرافة), but not before one that begins with l itself
    (للواء is li and لواء, brigade)."""
    first, rest = word[:1], word[1:]
    if first not in _PREFIXES or len(rest) < 2:
        return ""
    if rest.startswith("ال") and len(rest) > 3:
        return first
    if arabic.glossary_key(rest) in glossary:
        return first
    if first == "ل" and rest.startswith("ل") and arabic.glossary_key(rest[1:]) in glossary:
        return _LIL
    return ""
