"""Scoring: how alike two names are, and how alike a query is to a listed entity, explained.

Names: the readings of both names are aligned token by token (greedy, best pairs first, with
adjacent tokens joined so that "Xiao Ping" meets "Xiaoping"); each pair's similarity says how
it was found (identical, spelling variant, Korean romanisation, translation, feminine form,
abbreviation, similar spelling), and counts with the token's weight, its rarity in the
listed names (a common surname such as KIM weighs little; a rare given name weighs a lot).
Unmatched query tokens count fully against the score, unmatched listed tokens less (a listed
name may carry a patronymic or a legal form the query lacks). Korean persons are also
compared syllable by syllable (given names joined, hyphenated or split alike). Organisations
whose kinds differ (a bank, a trading company) lose; acronyms are recognised.

Entities: the best name score, or an identifier (a vessel's IMO number decides; an MMSI alone
is weak; a conflict between them is reported), adjusted by birth date, country and gender,
as nomenklatura's logic-v2 does, with every step in ``explanations``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from typing import Any, NamedTuple

from rigour._core import raw_levenshtein
from rigour.text.phonetics import metaphone

from interdiction.screening import arabic
from interdiction.screening import korean as ko
from interdiction.screening.names import (
    GENERIC,
    LEGAL,
    NAME,
    NUMBER,
    PARTICLES,
    PATRONYMIC,
    PATRONYMIC_WORDS,
    STOP,
    TITLES,
    AnalysedName,
    Reading,
    Token,
    data_rows,
    parses,
    vocabulary,
)
from interdiction.screening.transliteration import (
    ARABIC,
    CANTONESE,
    HANJA,
    KOREAN_CYRILLIC,
    MR,
    ORDINAL_WORDS,
    PINYIN,
    RUSSIAN,
    TRANSLATION,
    WADE,
    chinese_surname_spellings,
    is_pinyin,
    is_written_pinyin,
    latin_meaning,
    mandarin_syllables,
    pinyin_surnames,
    russian_compound,
    stem_compound,
    wade_giles_pinyin,
)

MATCHER = "interdiction-v1"
MATCHER_VERSION = "1.16.5"  # 1.2: vessel series, Russian legal forms; 1.2.1: vessel initials;
# 1.3: a firm's own words found, cities, three-letter vowels, Chinese and Korean glossaries,
# persons' Arabic consonants, Arabic joins and glossary, leftover acronyms, hard c, Chinese
# surnames across romanisations, Korean rotations; 1.4: Koryo-saram and Kontsevich Cyrillic,
# Wade-Giles read as pinyin, Ukrainian and Belarusian forms, Arabic compounds, 'Abd al-,
# particles and titles; 1.5: kunyas and particles are not distinct names, compounds' parts;
# 1.6: clerics' titles and honorific suffixes; candidates of equal share, lighter name first;
# initials written apart; 'Abd al- written apart; el- joined; a query's one rare word; unit words;
# 1.7: German, French and Polish spellings of Russian names; capitals that do not decompose;
# singular and plural; Russian, Chinese and Persian glossary words; Soviet-style compounds;
# 1.8: Mandarin readings of traditional characters by their simplified words; Chinese
# given names that differ by a syllable; ordinals are numbers; places by abbreviations
# and in romanised Russian; a state body of another country than the listed entity's;
# 1.9: Korean names in the Mandarin readings of their characters; Chinese persons in pinyin:
# surnames first or last, particles as syllables, given names and surnames that differ;
# 1.10: Russian persons: known given names that differ, surnames of other consonants or
# made of a given name, patronymics are not surnames, ё as yo or e; 1.11: Korean persons
# without Arabic or Russian spelling rules, 羅 Ra/Na a Korean surname; Chinese persons in
# characters: readings are syllables, Korean readings against Korean names only, a surname
# never joined; Hong Kong given names are Chinese syllables; 1.12: patronymics compared by
# their fathers' names, Ukrainian and Belarusian patronymics, a patronymic in a surname's
# slot, no Arabic consonant classes in a Slavic name, a Russian surname as an initial; a
# Korean name's distinct names are syllables, not consonants; a Chinese person's words
# are syllables against any name (no spelling, sound or article likeness); a Korean name
# read from Hangul or Han characters is never turned round; a Chinese given name left over is
# a name of its own against an English one too; a distinct name on each side though another
# pair is loosely alike; a word of Arabic script left over is a distinct name; a Chinese
# reading meets written pinyin and Arabic script only as syllables, firms' names too
# 1.13: what a criminal group is (transnational, criminal, drug, trafficking, cartel,
# laundering, organization) is a generic word; a plural's singular is a candidate key
# on both sides; French ch for Russian sh in a Russian surname's shape (Kalachnikov);
# Arabic lil- (li and the article), exchange office words; 1.14: Somali spelling (x for h,
# c for 'ayn) in persons' names and their candidate keys; the article joined to a person's
# name with the same consonants (ALJEITHNI); an abbreviation stands for its word's forms
# (IND. = industries); EST. = establishment; a person no listed name covers half of is
# scored against those covering a third (candidate search); Turkish words of firms' names;
# a spelling likeness also as written where the skeleton parts the first letters (Yehya);
# an initial beside a known given name of its own is not another given name's (Olga G.);
# 1.14.1: the joined article read whichever word of the pair sorts first (ALABBASI)
# 1.15: a Soviet-style compound of a combining stem (RADIO-PRIBOR, ELEKTRO-TYAGA) is the
# firm's own name, read also as the stem and its own word, not as the stem alone; an English
# word in Russian spelling keys as the English word however short (TEKH = TECH); persons'
# names key their vowels as Arabic's three too (Hussein finds Husayn, Mohamad Muhammad)
# 1.16 (candidate search only, scores unchanged): a person's two words joined key as Arabic
# consonant classes (Abd al-Baset finds ABDULBASIT and back); a person's word listed so at
# most twice also looks up coarse classes (BAHADHIQ finds BAHAZIQ, GHADAFFI QADHAFI); a
# listed name the query has whole is a candidate however long the query (SALEH, Ahmed Ali);
# a firm's word no key finds looks up its vowels as Arabic's three (ALHARAMEIN ~ HARAMAIN);
# a person's names tied at the limit go by their likeness to the words no key finds;
# 55 more words of Russian and Belarusian firms' names in the glossary (zemelnye = land);
# 1.16.1: a word with a digit is only the same number (PLANT 100 is not PLANT 1000); a word
# without vowels keeps its doubled letters (H.M.M. is not HM, DTS not DTSSS); 1.16.2: a
# Belarusian final -ou is -ov (KARPIANKOU = KARPENKOV); English forms of Russian given names
# (Jacob = Yakov, Helen = Yelena); 1.16.3: names that differ only in frame words are no
# sister companies (HAMCHO GROUP = HAMCHO INTERNATIONAL, KADYROV FUND = KADYROV FOUNDATION);
# 1.16.4: Russian words rendered two ways (plant / factory, aviation / aircraft, bureau / office);
# 1.16.5: TV abbreviates television (AL-AQSA TV = AL-AQSA SATELLITE TELEVISION)


# -- token weights ------------------------------------------------------------------------


@dataclass
class Stats:
    """How many listed names carry each token: rare tokens decide, common ones barely count."""

    df: dict[str, int] = field(default_factory=dict)
    names: int = 0
    # Weights asked for so far (every scored pair asks for a few dozen): not saved.
    _seen: dict[tuple[str, str, bool], float] = field(
        default_factory=dict, repr=False, compare=False
    )

    def weight_text(self, text: str) -> float:
        return _weight(text, NAME, self.df.get(text, -1), self.names, False)

    def weight(self, token: Token) -> float:
        key = (token.text, token.kind, token.surname)
        found = self._seen.get(key)
        if found is None:
            if len(self._seen) > 500_000:
                self._seen.clear()
            found = self._seen[key] = _weight(
                token.text, token.kind, self.df.get(token.text, -1), self.names, token.surname
            )
        return found

    def __getstate__(self) -> dict[str, Any]:
        return {"df": self.df, "names": self.names}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.df, self.names, self._seen = state["df"], state["names"], {}


@lru_cache(maxsize=200_000)
def _weight(text: str, kind: str, df: int, names: int, surname: bool) -> float:
    if kind == STOP:
        return 0.0
    if kind == LEGAL:
        return 0.1
    if kind == NUMBER:
        return 1.0
    if kind in (GENERIC, PATRONYMIC):
        return 0.3
    if surname and text in vocabulary().korean_surname_romanisations and len(text) <= 4:
        base = 0.35
    else:
        base = 1.0
    if names <= 0 or df < 0:
        return base if len(text) > 1 else 0.3
    idf = math.log((names + 1) / (df + 1))
    reference = math.log(names / 20 + 1)
    return max(0.15, min(base, idf / reference)) if len(text) > 1 else 0.3


DEFAULT_STATS = Stats()


# -- token similarity ---------------------------------------------------------------------


_HARD_C = re.compile(r"c(?=[aolrt])")


@lru_cache(maxsize=300_000)
def skeleton(text: str) -> str:
    """A romanisation-tolerant key: Sergey/Sergei, Dmitriy/Dmitry, Khan/Han, Tsoi/Tzoi."""
    s = text
    for a, b in (
        ("ye", "e"),
        ("shch", "sh"),
        ("tsch", "ch"),  # German for ч (Tschemesow = Chemezov)
        ("sch", "sh"),
        ("tch", "ch"),
        ("dzh", "j"),
        ("zh", "j"),
        ("kh", "h"),
        ("ph", "f"),
        ("ck", "k"),
        ("tz", "ts"),
        ("q", "k"),
        ("x", "ks"),
        ("w", "v"),
        ("y", "i"),
        ("ou", "u"),
    ):
        if a in s:
            s = s.replace(a, b)
    if s.startswith("ie"):
        s = s[1:]
    if "c" in s:  # a hard c is k (Electrotex / Elektroteks, Victor / Viktor); not before u
        # (pinyin Cui is Tsui) nor at the end (Baric, a folded Barič)
        s = _HARD_C.sub("k", s)
    if _VOWELS.isdisjoint(text):
        return s  # initials or a number: a letter or digit doubled is another (HMM, HM; 100, 10)
    out: list[str] = []
    for char in s:
        if not out or out[-1] != char:
            out.append(char)
    return "".join(out)


# Arabic has three vowels; the lists write them in many ways (Husayn, Hussein, Hossein;
# Mohammed, Muhammad; Eyad, Iyad; Yazbeck, Yazbak): an e is a or i, an o is u, a diphthong
# ai or ei is i.
_ARABIC_VOWELS = (("ai", "i"), ("ei", "i"), ("ii", "i"), ("ee", "i"), ("oo", "u"), ("o", "u"))


@lru_cache(maxsize=200_000)
def vowel_forms(text: str) -> tuple[str, ...]:
    """A word's skeleton with its vowels written as Arabic's three (HUSSEIN and HUSAYN: husin;
    SALEM: salam and salim), where that differs from the skeleton: candidate keys of
    persons' names, which the pair score compares by their consonants and likeness."""
    skel = skeleton(text)
    base = skel
    for a, b in _ARABIC_VOWELS:
        if a in base:
            base = base.replace(a, b)
    forms = {base.replace("e", "a"), base.replace("e", "i")} if "e" in base else {base}
    out = []
    for form in sorted(forms):
        collapsed = "".join(c for n, c in enumerate(form) if not n or form[n - 1] != c)
        if collapsed != skel:
            out.append(collapsed)
    return tuple(out)


_FEMININE = (("skaya", "skiy"), ("skaia", "skii"), ("ova", "ov"), ("eva", "ev"), ("ina", "in"))


@lru_cache(maxsize=300_000)
def masculine(text: str) -> str:
    """Russian feminine surname forms to the masculine (Ivanova -> Ivanov)."""
    for fem, masc in _FEMININE:
        if text.endswith(fem) and len(text) > len(fem) + 2:
            return text[: -len(fem)] + masc
    return text


# Same metaphone within the allowed edits: loose (Kelora ~ Kolor), below a spelling variant.
SOUNDS_ALIKE = 0.8


def _allowed_edits(length: int) -> int:
    if length <= 3:
        return 0
    if length <= 5:
        return 1
    if length <= 9:
        return 2
    return 3


@dataclass(frozen=True, slots=True)
class TokenSim:
    score: float
    how: str


IDENTICAL = TokenSim(1.0, "identical")
NONE = TokenSim(0.0, "")


def _score_of(sim: TokenSim) -> float:
    return sim.score


def _key(token: Token) -> str:
    """What a token is compared by: its Latin text, or its source word when the script
    itself is compared (Korean in Cyrillic: \x00; Arabic consonants: \x01)."""
    if token.method == KOREAN_CYRILLIC:
        return "\x00" + token.shown.lower()
    if token.method == ARABIC:
        return "\x01" + token.shown
    return token.text


def token_similarity(
    a: Token,
    b: Token,
    korean: bool,
    consonants: bool = False,
    syllables: bool = False,
    slavic: bool = False,
) -> TokenSim:
    """``consonants``: persons' names written in Latin, which may align by their Arabic
    consonant classes (SAME_CONSONANTS). ``syllables``: persons' names, whose words read from
    Chinese characters are syllables (see below). ``slavic``: a pair of persons' names one of
    which has an East Slavic patronymic: no Arabic consonant classes (Grishin is not
    GARSHIN, LARIN not Laureano)."""
    if (
        a.text == b.text
        and not a.method.startswith(_SCRIPT_METHODS)
        and not b.method.startswith(_SCRIPT_METHODS)
    ):
        return IDENTICAL
    if a.method in _HAN_READINGS and b.method in _HAN_READINGS:
        return NONE  # two Chinese words: their characters decide, not their romanisations
    if (
        (korean or a.method in _KOREAN_READINGS or b.method in _KOREAN_READINGS)
        and (a.korean or b.korean)
        and a.method != TRANSLATION != b.method
    ):
        # A word read from Hangul (or Korean Cyrillic) is Korean syllables: they decide, as
        # for persons (하성 is not Hesong, 혁마 is not Hyoksin), whatever the letters share.
        pa, pb = parses(a), parses(b)
        if pa and pb:
            sim = ko.best_parse_similarity(pa, pb)
            if sim >= 0.99:
                return TokenSim(1.0, "same Korean syllables")
            return TokenSim(sim, "Korean syllables") if sim >= 0.5 else NONE
    key_a, key_b = _key(a), _key(b)
    if key_a > key_b:
        key_a, key_b = key_b, key_a
    found = _token_similarity(key_a, key_b, korean, consonants, slavic)
    if (
        syllables
        and found.how in _LOOSE
        and (a.method in _HAN_READINGS or b.method in _HAN_READINGS)
    ):
        # A Chinese character's reading is a syllable: another spelling of it is another
        # character (杨 Yang is not WANG, 陈 Chen not CHOE, 刚 Gang not Yang).
        return NONE
    if found.how in _LOOSE_OR_CONSONANTS and _reading_against_syllables(a, b):
        # A firm's name too: 宏凯 read hongkai is not HONGDA, 丰盛 fengsheng not ZHONGSHENG,
        # where the other word is pinyin as well; 娟安 is no Arabic name's consonants.
        return NONE
    return found


def _reading_against_syllables(a: Token, b: Token) -> bool:
    """A word read from Chinese characters (pinyin, Wade-Giles, Cantonese) against a word
    written in pinyin, or against a word of Arabic script."""
    if a.method not in _HAN_READINGS:
        a, b = b, a
    if a.method not in _HAN_READINGS:
        return False
    if b.method == ARABIC:
        return True
    # One character's syllable written alone is still the same (長安 changan ~ CHANG, its AN
    # a stop word in a firm's name).
    part = a.text.startswith(b.text) or a.text.endswith(b.text)
    return not b.method and not part and is_written_pinyin(b.text)


_SCRIPT_METHODS = (KOREAN_CYRILLIC, ARABIC)
# Words read from Hangul or Hanja are Korean syllables whatever the other name is: (주)하성무역
# is not HESONG TRADING of a list that does not say it is Korean.
_KOREAN_READINGS = frozenset((MR, HANJA, KOREAN_CYRILLIC))
# Readings of Chinese characters: 昌恒 and 長安 read alike in Cantonese (cheong hang, cheung
# on), yet are other words. Two such tokens are the same word only when read the same.
_HAN_READINGS = frozenset((PINYIN, WADE, CANTONESE))


# Likenesses of spelling, not of reading (see token_similarity).
_LOOSE = frozenset(
    ("similar spelling", "sounds alike", "vowels differ", "initial", "same consonants")
)
# ... and Arabic consonant classes: a Chinese reading against written pinyin or Arabic script.
_LOOSE_OR_CONSONANTS = _LOOSE | {"Arabic consonants"}


def _key_parses(key: str) -> tuple[tuple[ko.Syllable, ...], ...]:
    if key.startswith("\x00"):
        return ko.parse_cyrillic(key[1:])
    return ko.parse_latin(key) if key.isalpha() else ()


@lru_cache(maxsize=1_000_000)
def _token_similarity(
    a: str, b: str, korean: bool, consonants: bool = False, slavic: bool = False
) -> TokenSim:
    fathers = _fathers_compared(a, b) if consonants else None
    if fathers is not None:
        return fathers  # Sergeyevich and Georgievich: two fathers, however alike the endings
    best = _spelling_similarity(a, b, korean)
    russian = consonants and _russian_surname(a) and _russian_surname(b)
    if (
        consonants
        and best.how in _SPELLING_LIKENESS
        and ((russian and _other_russian_surnames(a, b)) or _given_and_surname(a, b))
    ):
        # A person's Zubov and Zubkov, Kuzin and Kuzmin: other families; Kirill and
        # Kirillov, Roman and Romanov: a given name and a surname made of it.
        best = NONE
    if consonants and _other_given_names(a, b):
        return best  # Yegor and Igor share consonants, yet are two names
    if (
        consonants
        # Korolev and Krylov share consonants, yet are two families (not -in: Nooshin).
        and not slavic
        and not (russian and _SLAVIC_ENDING.search(a) and _SLAVIC_ENDING.search(b))
        and best.score < SAME_CONSONANTS.score
        and _same_consonants(a, b)
    ):
        return SAME_CONSONANTS
    if consonants and best.score < EAST_SLAVIC_SPELLING.score and _east_slavic_alike(a, b):
        return EAST_SLAVIC_SPELLING
    if consonants and best.score < EUROPEAN_SPELLING.score and _european_alike(a, b):
        return EUROPEAN_SPELLING
    if consonants and best.score < SAME_CONSONANTS.score:
        somali = _somali_alike(a, b)
        if somali.score > best.score:
            return somali
    if consonants and best.score < SAME_CONSONANTS.score * JOINED_ARTICLE:
        joined = max(
            _joined_article_consonants(a, b), _joined_article_consonants(b, a), key=_score_of
        )
        if joined.score > best.score:
            best = joined
    if (
        consonants
        and best.score < COMPOUND_SHORT.score
        and (_short_compound(a, b) or _short_compound(b, a))
    ):
        return COMPOUND_SHORT  # persons' names: a firm's Ansar is not its Ansarullah
    return best


# A number in Roman and Arabic numerals (SPARTA IV = Sparta 4).
SAME_NUMBER = TokenSim(1.0, "same number")
_ROMAN_VALUE = {
    roman: str(value)
    for value, roman in enumerate(
        [
            "i",
            "ii",
            "iii",
            "iv",
            "v",
            "vi",
            "vii",
            "viii",
            "ix",
            "x",
            "xi",
            "xii",
            "xiii",
            "xiv",
            "xv",
            "xvi",
            "xvii",
            "xviii",
            "xix",
            "xx",
        ],
        1,
    )
}


# Ordinals as the lists write them: 48TH, 2ND, SECOND, III (the 48th Central Research
# Institute; the Second Academy of Natural Sciences, written 2ND too).
_ORDINAL_WORDS = {word: str(value) for value, word in enumerate(ORDINAL_WORDS, 1)}
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


@lru_cache(maxsize=100_000)
def _number_value(text: str) -> str:
    """The number a word writes (48, 48th, iii, third; not forty-eighth in words), else ''."""
    if text.isdigit():
        return str(int(text))
    if (m := _ORDINAL_DIGITS.match(text)) is not None:
        return str(int(m.group(1)))
    return _ORDINAL_WORDS.get(text) or _ROMAN_VALUE.get(text, "")


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


@lru_cache(maxsize=100_000)
def _is_ordinal(text: str) -> bool:
    """An ordinal in digits or words (48TH, SECOND): another on each side is another of a
    series, as another number is."""
    return bool(_ORDINAL_DIGITS.match(text)) or text in _ORDINAL_WORDS


def _spelling_similarity(a: str, b: str, korean: bool) -> TokenSim:
    if a == b:
        return IDENTICAL
    if _number_value(a) == _number_value(b) != "":
        return SAME_NUMBER
    if _has_digit(a) or _has_digit(b):
        return NONE  # another number (Plant 100, Plant 1000) is another of a series
    if a.startswith("\x01") or b.startswith("\x01"):
        return _arabic_similarity(a, b)
    ta, tb = a.lstrip("\x00"), b.lstrip("\x00")
    best = NONE
    korean_a = _key_parses(a) if korean else ()
    korean_b = _key_parses(b) if korean_a else ()
    if korean_a and korean_b:
        sim = ko.best_parse_similarity(korean_a, korean_b)
        if sim >= 0.99:
            return TokenSim(1.0, "same Korean syllables")
        longest = max(len(ta), len(tb))
        if longest <= 5 or a.startswith("\x00") or b.startswith("\x00"):
            # Short Korean syllables: the romanisation decides, not the spelling distance
            # (Son and Song are different syllables, one letter apart).
            return TokenSim(sim, "Korean syllables") if sim >= 0.5 else TokenSim(sim, "")
        best = TokenSim(sim, "Korean syllables") if sim >= 0.5 else NONE
    if a.startswith("\x00") or b.startswith("\x00"):
        return best
    ka, kb = skeleton(ta), skeleton(tb)
    if ka == kb:
        return TokenSim(0.95, "spelling variant")
    if singular_form(ta) == singular_form(tb):
        return SINGULAR_PLURAL
    if kb in _diminutives().get(ka, ()) or ka in _diminutives().get(kb, ()):
        return DIMINUTIVE
    if kb in _east_slavic().get(ka, ()) or ka in _east_slavic().get(kb, ()):
        english = _english_forms()
        return ENGLISH_FORM if ka in english or kb in english else EAST_SLAVIC_FORM
    if _other_given_names(ta, tb):
        return best  # two known given names, one letter apart (Yegor / Igor): two names
    ma, mb = masculine(ka), masculine(kb)
    if (ma == mb and ma != ka) or (ma == mb and mb != kb):
        return TokenSim(0.9, "feminine/masculine form")
    if ma != mb and _russian_surname(ta) and _russian_surname(tb) and _yo(ma) == _yo(mb):
        # Russian ё written yo or e: Fyodorov / Fedorov; UKHNALYOVA is UKHNALEV's feminine.
        if ma == ka and mb == kb:
            return YO_AS_E
        return TokenSim(0.9, "feminine/masculine form")
    vocab = vocabulary()
    abbreviations = vocab.abbreviations
    if _abbreviates(abbreviations.get(ta), tb) or _abbreviates(abbreviations.get(tb), ta):
        return TokenSim(0.9, "abbreviation")
    if ta in vocab.synonyms and vocab.synonyms[ta] == vocab.synonyms.get(tb):
        return TokenSim(0.9, "same meaning")
    longest = max(len(ka), len(kb))
    distance = raw_levenshtein(ka, kb)
    if distance <= _allowed_edits(longest):
        sim = 1.0 - distance / longest
        if ka[0] != kb[0]:
            sim -= 0.1
        if sim > best.score:
            best = TokenSim(round(sim, 3), "similar spelling")
    if ka and kb and ka[0] != kb[0] and ta[0] == tb[0] and best.score < 0.8:
        # The skeleton's rewrites can part two spellings the letters keep close: a leading
        # ye is Russian e (Yevgeniy = Evgeniy), not in Yehya (= Yahya): as written, then.
        written = max(len(ta), len(tb))
        edits = raw_levenshtein(ta, tb)
        if edits <= _allowed_edits(written) and 1.0 - edits / written > best.score:
            best = TokenSim(round(1.0 - edits / written, 3), "similar spelling")
    if (
        best.score < SOUNDS_ALIKE
        and len(ka) >= 4
        and len(kb) >= 4
        and distance <= _allowed_edits(longest)
        and metaphone(ta) == metaphone(tb)
    ):
        best = TokenSim(SOUNDS_ALIKE, "sounds alike")
    if best.score < SAME_CHINESE_SURNAME.score:
        spellings = chinese_surname_spellings()
        if spellings.get(ta, _NO_CHARS) & spellings.get(tb, _NO_CHARS):
            best = SAME_CHINESE_SURNAME
    if (
        best.score < VOWELS_DIFFER.score
        and len(ka) == len(kb) == 3
        and ka[0] == kb[0]
        and _consonant_letters(ka) == _consonant_letters(kb)
        and len(_consonant_letters(ka)) == 2
    ):
        best = VOWELS_DIFFER
    # Either word may be the joined one (a TokenSim is always true: `or` kept the first).
    joined = max(_joined_article(ta, tb), _joined_article(tb, ta), key=_score_of)
    if joined.score > best.score:
        best = joined
    if best.score < ABD_JOINED.score and (
        (ta == "abd" and tb in _ABD_WITH_ARTICLE) or (tb == "abd" and ta in _ABD_WITH_ARTICLE)
    ):
        best = ABD_JOINED
    if best.score < ENGLISH_IN_RUSSIAN.score and len(ta) >= 6 and len(tb) >= 6:
        la, lb = english_spelling(ta), english_spelling(tb)
        if (la != ta or lb != tb) and skeleton(la) == skeleton(lb):
            best = ENGLISH_IN_RUSSIAN
    shorter, longer = (ta, tb) if len(ta) < len(tb) else (tb, ta)
    if best.score < 0.6 and len(shorter) == 1 and longer.startswith(shorter):
        best = TokenSim(0.6, "initial")
    return best


# Russian surnames (-ov, -ev, -in, -sky and their feminine forms) are spelt in other
# romanisations with other vowels (Alekseyev / Alekseev, Yermakov / Ermakov), which their
# skeletons fold, not with other consonants: Zubov and Zubkov, Panov and Ganov, Sakharov and
# Makarov, Litvinov and Litvin are other families.
# Consonants are compared as the romanisations of Russian may write them alike (Nozhkin,
# Nozjkin; Kudryavtsev, Kudryavcev, Katcavalov; Chersky, Czersky; Belarusian Zimousky):
# sibilants one class, affricates and velars another.
_RUSSIAN_SURNAME = re.compile(r"(?:[oe]va?|(?<!d)[iy]na?|sk(?:y|iy|ii|i|aya|aia))$")
_SLAVIC_ENDING = re.compile(r"(?:[oe]va?|sk(?:y|iy|ii|i|aya|aia))$")
_SURNAME_CONSONANTS = (
    ("shch", "s"),
    ("sch", "s"),
    ("sz", "s"),
    ("sh", "s"),
    ("sj", "s"),
    ("zh", "s"),
    ("zj", "s"),
    ("z", "s"),  # German s is z: BELOSEROV = BELOZYOROV
    ("tsch", "k"),
    ("tch", "k"),
    ("cz", "k"),
    ("ch", "k"),  # Czech ch is kh, Czech c without its mark ch (GIRICEV)
    ("kh", "k"),
    ("ck", "k"),
    ("ts", "k"),
    ("tc", "k"),
    ("tz", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("w", "v"),
    ("ou", "ov"),  # Belarusian ў: ZIMOUSKY = ZIMOVSKY, HALAVANAU
    ("au", "av"),
    ("eu", "ev"),
)
_SPELLING_LIKENESS = frozenset(("similar spelling", "sounds alike"))


def _surname_consonants(text: str) -> frozenset[str]:
    """The consonants, folded (see above); ts also as t, as Belarusian writes a soft t
    (SHAKUTSIN = SHACKUTIN)."""
    out = set()
    for word in (text, text.replace("ts", "t")):
        for written, folded in _SURNAME_CONSONANTS:
            word = word.replace(written, folded)
        out.add("".join(c for c in word if c not in "aeiouyjh"))
    return frozenset(out)


@lru_cache(maxsize=100_000)
def _russian_surname(text: str) -> bool:
    """A word of a Russian surname's shape (-ov, -eva, -in, -sky; five letters or more)."""
    return len(text) >= 5 and text.isalpha() and bool(_RUSSIAN_SURNAME.search(text))


_YO = re.compile(r"(?<=[^aeiou])io")
YO_AS_E = TokenSim(0.95, "spelling variant (ё as yo or e)")


def _yo(skel: str) -> str:
    """A skeleton with Russian ё as e (Fyodorov, Fedorov; Potyomkin, Potemkin)."""
    return _YO.sub("e", skel)


def _other_russian_surnames(a: str, b: str) -> bool:
    """Two Russian surnames whose consonants differ, as every romanisation writes them."""
    return not (_surname_consonants(a) & _surname_consonants(b))


# A patronymic is a father's given name and an ending, Russian, Ukrainian, Belarusian or as
# German writes it (Sergeyevich, Yuriyovych, Oleksandrivna, Uladzimirauna, Jurjewna). The
# ending is most of the word: two patronymics alike by spelling may name two fathers
# (Vasilyevich / Valeryevich, Sergeyevich / Georgievich, Igorevich / Yuryevich).
_PATRONYMIC_STEM = re.compile(
    r"^(\w{2,}?)(?:[iy]{0,2}[oea]?[vw](?:itsch|itch|ich|ych|na)|[iy]{0,2}ivna|[iy]?[ae]?una|ichna)$"
)


def _father(text: str) -> str:
    """The father's given name in a word of a patronymic's shape, else ''."""
    if len(text) < 7 or (m := _PATRONYMIC_STEM.match(text)) is None:
        return ""
    return m.group(1)


SAME_FATHER = TokenSim(0.9, "one patronymic in Russian, Ukrainian or Belarusian")


def _fathers_compared(a: str, b: str) -> TokenSim | None:
    """Two patronymics: SAME_FATHER where their given names are one in two languages
    (Yauhenavich, Yevgenievich; Yukhymovych, Yefimovich); NONE where the stems differ in
    their consonants and by more than a spelling likeness allows (Ukrainian h for g
    counted: Serhiyovych is Sergeyevich); None (no opinion) otherwise, or for other words."""
    fa, fb = _father(a), _father(b)
    if not fa or not fb:
        return None
    ka, kb = skeleton(fa), skeleton(fb)
    if ka != kb and _father_key(kb) in _fathers().get(_father_key(ka), ()):
        return SAME_FATHER
    if _surname_consonants(fa) & _surname_consonants(fb):
        return None
    if _close(east_slavic_key(fa), east_slavic_key(fb)):
        return None
    ka, kb = ka.replace("h", "g"), kb.replace("h", "g")
    return NONE if raw_levenshtein(ka, kb) > _allowed_edits(max(len(ka), len(kb))) else None


def _father_key(skel: str) -> str:
    """A given name's skeleton as its patronymics begin: Sergei -> serge (Sergeyevich),
    Evgenii -> evgen (Yevgenievich), Iauheni -> iauhen (Yauhenavich)."""
    return skel.rstrip("i") or skel


@lru_cache(maxsize=1)
def _fathers() -> dict[str, frozenset[str]]:
    """A given name's patronymic stem -> the stems of its other forms (Yauhen = Yevgeny,
    Yukhym = Yefim), from east_slavic_names.tsv."""
    return {
        _father_key(k): frozenset(_father_key(v) for v in forms)
        for k, forms in _east_slavic().items()
    }


def _given_and_surname(a: str, b: str) -> bool:
    """A known given name and a Russian surname's shape that is not one (Kirill, Kirillov)."""
    names = _east_slavic()
    ka, kb = skeleton(a), skeleton(b)
    return (ka in names) != (kb in names) and _russian_surname(b if ka in names else a)


# Russian firms named with English words, romanised back from Cyrillic (ДАЙВТЕХНОСЕРВИС =
# DAIVTEKHNOSERVIS = Divetechnoservices; БИЗНЕСПРОМЭСТЕЙТ = BIZNESPROMESTEIT =
# Businesspromestate; РОСТФИНАНС = ROSTFINANS = Rostfinance): the English words' Russian
# spellings, in and across joined words, read back as English.
ENGLISH_IN_RUSSIAN = TokenSim(0.9, "English word in Russian spelling")
_ENGLISH_IN_RUSSIAN = (
    ("menedzhment", "management"),
    ("konsalting", "consulting"),
    ("inzhiniring", "engineering"),
    ("interneshnl", "international"),
    ("korporeishn", "corporation"),
    ("korporeyshn", "corporation"),
    ("kompyuter", "computer"),
    ("tekhno", "techno"),
    ("tekh", "tech"),
    ("servis", "service"),
    ("finans", "finance"),
    ("biznes", "business"),
    ("esteit", "estate"),
    ("esteyt", "estate"),
    ("treid", "trade"),
    ("treyd", "trade"),
    ("daiv", "dive"),
    ("kholding", "holding"),
    ("logistik", "logistic"),
    ("elektro", "electro"),
    ("sistem", "system"),
    ("telekom", "telecom"),
    ("ekspress", "express"),
    ("eksport", "export"),
    ("kapital", "capital"),
    ("grupp", "group"),
    ("tsentr", "centr"),
    ("evro", "euro"),
)


@lru_cache(maxsize=100_000)
def english_spelling(text: str) -> str:
    """A word with the English words in its Russian spelling read back as English, and
    without a plural s (the form both sides of ENGLISH_IN_RUSSIAN are compared in)."""
    for russian, english in _ENGLISH_IN_RUSSIAN:
        if russian in text:
            text = text.replace(russian, english)
    return text.rstrip("s")  # SERVIS / SERVICES: the plural


# One Chinese surname in pinyin, Wade-Giles and Hong Kong Cantonese (Zhang / Chang / Cheung,
# Xu / Hsu / Tsui, Chen / Chan): the romanisation systems of the lists' Chinese names.
SAME_CHINESE_SURNAME = TokenSim(0.9, "one Chinese surname")
_NO_CHARS: frozenset[str] = frozenset()

# Three-letter names romanised with another vowel (Haq / Heq, Tum / Tim): no edit is allowed
# at that length, yet the consonants agree. Only a likeness: the name around it decides.
VOWELS_DIFFER = TokenSim(0.75, "vowels differ")


# Arabic names romanised by other conventions keep their consonants (Jdid / Jadeed, Khudour /
# Khaddor, Shaleesh / Chaliche, Haqani / Haqqani): the same consonant classes in the same
# order, at least SAME_CONSONANTS_MIN of them, both words starting with a vowel or neither.
# Persons only: firms' coined names share consonants by chance (Liber / Labor, Doxa / Duks).
SAME_CONSONANTS = TokenSim(0.85, "same consonants")
# A Russian name in its Belarusian or Ukrainian spelling (HARA = GORA, HALAVANAU = GOLOVANOV,
# Uladzimiravich = Vladimirovich): г is h, an unstressed o is a, a final ў is u, д and т
# soften to dz and ts. Persons' names only, one side with such a mark.
EAST_SLAVIC_SPELLING = TokenSim(0.85, "Belarusian or Ukrainian spelling")
_HARD_DIGRAPHS = re.compile(r"(?<=[kzscg])h")
_SLAVIC_VOWELS = re.compile(r"ie|ye|yi|iy|ii|io|yo|y")
SAME_CONSONANTS_MIN = 2
_VOWELS = frozenset("aeiouy")


def _arabic_consonants(text: str) -> str:
    # French ch is sh (Chaliche); v is no Arabic letter (Kovalskiy is not Klychkov): as f.
    key = arabic.latin_skeleton(text.replace("ch", "sh").replace("v", "f"))
    if len(key) > 1 and key.endswith("H") and text[-1] == "h" and text[-2:-1] in "aeiou":
        key = key[:-1]  # the feminine ending: Ta'mah / Taame
    return key.replace("G", "J")  # French g is gh (Geummane / Ghumayn), Egyptian g is j


def east_slavic_key(text: str) -> str:
    """A word as Russian, Ukrainian and Belarusian spellings of it meet (HALAVANAU and
    GOLOVANOV: galavanav; KARPIANKOU and KARPENKOV): h is g, dz d, ts t, a final u v, o a."""
    s = _HARD_DIGRAPHS.sub("\x00", text).replace("h", "g").replace("\x00", "h")
    s = s.replace("dz", "d").replace("ts", "t").replace("w", "v")
    if s.endswith(_FINAL_U):
        s = s[:-1] + "v"
    s = _SLAVIC_VOWELS.sub(lambda m: "e" if m.group(0) in ("ie", "ye") else "i", s)
    s = s.replace("o", "a")
    return "".join(c for n, c in enumerate(s) if n == 0 or s[n - 1] != c)


# Belarusian ў after a vowel at a word's end, romanised u: -аў, -еў, -оў (NAVUMAU, KARPIANKOU).
_FINAL_U = ("au", "eu", "ou")


def slavic_marks(text: str) -> bool:
    """A Belarusian or Ukrainian mark: an h of its own, dz, a final au, eu or ou."""
    return bool(_HARD_DIGRAPHS.sub("", text).count("h")) or "dz" in text or text.endswith(_FINAL_U)


def _east_slavic_alike(a: str, b: str) -> bool:
    """Asked only from the cached _token_similarity: not cached itself."""
    if not (a.isalpha() and b.isalpha()) or min(len(a), len(b)) < 4:
        return False
    if not (slavic_marks(a) or slavic_marks(b)):
        return False
    ka, kb = east_slavic_key(a), east_slavic_key(b)
    if ka[0] != kb[0] and {ka[0], kb[0]} != {"u", "v"}:  # Uladzimir = Vladimir
        return False
    return _close(ka, kb)


def _close(ka: str, kb: str) -> bool:
    """Two keys of one name read in another convention: equal, or within one edit fewer
    than a spelling likeness of words that long allows."""
    return ka == kb or raw_levenshtein(ka, kb) <= _allowed_edits(max(len(ka), len(kb))) - 1


# A Russian name as German, French or Polish write it (Chruschtschow, Khrouchtchev and
# Chruszczow are Khrushchev; Jurij is Yury; Poutine is Putin): read back in the English
# (BGN/PCGN) manner, each convention only for a word with its own marks, so that a plain
# Chan or Juan is never read as Khan or Yuan. Persons' names only.
EUROPEAN_SPELLING = TokenSim(0.9, "German, French or Polish spelling")
_GERMAN = (
    ("schtsch", "SHCH"),
    ("tsch", "CH"),
    ("sch", "SH"),
    ("ch", "KH"),
    ("j", "Y"),
    ("w", "V"),
    ("z", "TS"),
)
_GERMAN_MARK = re.compile(r"sch|(?:ow|ew|owa|ewa|ij|ej|itsch)$")
# German writes ж as sch too (Schukow = Zhukov, Prigoschin = Prigozhin).
_GERMAN_ZH = tuple((w, "ZH" if w == "sch" else e) for w, e in _GERMAN)
_GERMAN_ZH_MARK = re.compile(r"(?<!t)sch")
_FRENCH = (("chtch", "SHCH"), ("tch", "CH"), ("ch", "SH"), ("ou", "U"), ("j", "ZH"), ("gu", "G"))
_FRENCH_MARK = re.compile(r"ou|tch")
_POLISH = (
    ("szcz", "SHCH"),
    ("sz", "SH"),
    ("cz", "CH"),
    ("rz", "ZH"),
    ("ch", "KH"),
    ("w", "V"),
    ("j", "Y"),
)
_POLISH_MARK = re.compile(r"sz|cz|rz|[^aeiou]ie.*j$")
# French writes ш as ch (Kalachnikov = Kalashnikov, Chouvalov = Shuvalov): a Russian
# surname's shape is its mark, and only its ch is read so.
_FRENCH_SH = (("ch", "SH"),)
_FRENCH_SH_MARK = re.compile(r"^(?=.*(?<!t)ch).{2,}(?:[oe]va?|(?<!d)[iy]na?)$")
# Per convention: the marks a word must have, a first rewrite (Polish ie after a consonant
# is e: Siergiej = Sergey; a French final e is silent: Poutine = Putin), then its letters.
_NO_REWRITE = (re.compile(r"(?!)"), "")
_CONVENTIONS = (
    (_GERMAN_MARK, _NO_REWRITE, _GERMAN),
    (_GERMAN_ZH_MARK, _NO_REWRITE, _GERMAN_ZH),
    (_FRENCH_MARK, (re.compile(r"(?<=[^aeiou])e$"), ""), _FRENCH),
    (_POLISH_MARK, (re.compile(r"(?<=[^aeiou])ie"), "e"), _POLISH),
    (_FRENCH_SH_MARK, _NO_REWRITE, _FRENCH_SH),
)


@lru_cache(maxsize=100_000)
def european_readings(text: str) -> tuple[str, ...]:
    """A word's English-manner readings as a Russian name in German, French or Polish
    spelling (empty for a word without any convention's marks)."""
    if len(text) < 4 or not text.isalpha() or not text.isascii():
        return ()
    out: list[str] = []
    for mark, (pattern, replacement), rules in _CONVENTIONS:
        if not mark.search(text):
            continue
        s = pattern.sub(replacement, text)
        for written, english in rules:
            s = s.replace(written, english)
        s = s.lower()
        if s != text and s not in out:
            out.append(s)
    return tuple(out)


def _european_alike(a: str, b: str) -> bool:
    """Asked only from the cached _token_similarity: not cached itself."""
    forms_a, forms_b = european_readings(a), european_readings(b)
    if not forms_a and not forms_b:
        return False
    keys_a = {skeleton(f) for f in forms_a}
    keys_b = {skeleton(f) for f in forms_b}
    for ka in keys_a | {skeleton(a)}:
        for kb in keys_b | {skeleton(b)}:
            if (ka in keys_a or kb in keys_b) and ka[0] == kb[0] and _close(ka, kb):
                return True
    return False


def _common_prefix(a: str, b: str) -> int:
    """How many letters two words begin with alike: the stem they share."""
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common


def _abbreviates(full: str | None, word: str) -> bool:
    """An abbreviation's word, in any of its forms (IND. is industrial, industries or
    industry; MACH. machinery or machine): the same stem, as _same_stems reads one, that
    leaves little of either word over (INT. is international, not internal)."""
    if not full:
        return False
    common = _common_prefix(full, word)
    return common == len(full) == len(word) or (
        common >= STEM_MIN
        and common >= min(len(full), len(word)) - STEM_SLACK
        and common >= max(len(full), len(word)) - 2 * STEM_SLACK
    )


# Somali's Latin alphabet writes Arabic ح as x and ع as c (Xasan Cabdullaahi XIRSI is Hassan
# Abdullah HERSI; Cali is Ali, Cumar Umar): the UN's Somalia list carries both spellings of
# one man. A word with those letters (x not as pinyin's, c before a vowel) is read back with
# h and without the c, then compared as another romanisation of the Arabic name. Persons only.
# A c before a vowel is Somali only in a word with another Somali mark (an x, a long vowel
# written double: Cabdullaahi, Ciise) or in a Somali name's opening: Carlos is no Arlos.
SOMALI_SPELLING = TokenSim(0.9, "Somali spelling")
_SOMALI_LETTERS = re.compile(r"x|c(?=[aeiou])")
_SOMALI_MARKS = re.compile(r"x|aa|ii|uu|ee|oo|^(?:cabd|cali$|cumar|cusm|cism|cilm)")


@lru_cache(maxsize=100_000)
def somali_reading(text: str) -> str:
    """The word with Somali x read as h and Somali c (ʿayn) dropped; the word itself when it
    has neither, or is pinyin (Xu, Xiao), or is too short to tell (Xu, Cao)."""
    if len(text) < 4 or not text.isascii() or not text.isalpha() or "ch" in text:
        return text
    if not _SOMALI_LETTERS.search(text) or is_written_pinyin(text):
        return text
    if not _SOMALI_MARKS.search(text):
        return text
    return _SOMALI_LETTERS.sub(lambda m: "h" if m.group(0) == "x" else "", text)


def _somali_alike(a: str, b: str) -> TokenSim:
    """Asked only from the cached _token_similarity: not cached itself."""
    ra, rb = somali_reading(a), somali_reading(b)
    if ra == a and rb == b:
        return NONE
    if skeleton(ra) == skeleton(rb):
        return SOMALI_SPELLING
    if _same_consonants(ra, rb):
        return TokenSim(SAME_CONSONANTS.score, "Somali spelling")
    return NONE


def _joined_article_consonants(joined: str, bare: str) -> TokenSim:
    """A person's name with the article written on, whose rest has the other word's Arabic
    consonants (ALJEITHNI ~ JUAYTHINI): _joined_article's rule, by consonant classes."""
    rest = _article_rest(joined, bare)
    if len(rest) < 5 or not _same_consonants(rest, bare) or len(_arabic_consonants(rest)) < 3:
        return NONE
    return TokenSim(round(SAME_CONSONANTS.score * JOINED_ARTICLE, 3), "article joined")


def _same_consonants(a: str, b: str) -> bool:
    """Asked only from the cached _token_similarity: not cached itself."""
    if not (a.isalpha() and b.isalpha()):
        return False
    if (a[0] in _VOWELS) != (b[0] in _VOWELS):
        return False  # Ahmed is not Hamed, Aung is not Naing
    ka, kb = _arabic_consonants(a), _arabic_consonants(b)
    if len(ka) >= SAME_CONSONANTS_MIN and ka == kb:
        return True
    # Persian reads غ and ق alike, and romanisations write either gh or q (Qaani = Ghaani,
    # Qureishi = Ghoreishi): a gh on one side and a q on the other are one letter.
    if ("gh" in a) != ("gh" in b) and "q" in a + b:
        ka, kb = _arabic_consonants(a.replace("gh", "q")), _arabic_consonants(b.replace("gh", "q"))
        return len(ka) >= SAME_CONSONANTS_MIN and ka == kb
    return False


def _consonant_letters(text: str) -> str:
    return "".join(c for c in text if c not in _VOWELS)


# A Russian given name and its diminutive (Volodya = Vladimir, Sasha = Aleksandr): one
# person's name, as a list's alias gives it.
DIMINUTIVE = TokenSim(0.9, "diminutive")


@lru_cache(maxsize=1)
def _diminutives() -> dict[str, frozenset[str]]:
    """Skeleton of a diminutive -> skeletons of its full names (russian_diminutives.tsv)."""
    out: dict[str, set[str]] = {}
    for row in data_rows("russian_diminutives.tsv"):
        out.setdefault(skeleton(row[0]), set()).update(skeleton(n) for n in row[1].split("|"))
    return {k: frozenset(v) for k, v in out.items()}


# One given name in its Russian and its Ukrainian or Belarusian form (Yauhen = Yevgeniy,
# Volodymyr = Uladzimir = Vladimir), or its English form (Jacob = Yakov): as sure as a
# diminutive.
EAST_SLAVIC_FORM = TokenSim(0.9, "one name in Russian, Ukrainian or Belarusian")
ENGLISH_FORM = TokenSim(0.9, "one name in its East Slavic and English forms")


@lru_cache(maxsize=1)
def _east_slavic_rows() -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """east_slavic_names.tsv as skeletons: per name, its Russian spellings and its other
    forms (Ukrainian, Belarusian and English)."""
    rows = []
    for row in data_rows("east_slavic_names.tsv"):
        russian = frozenset(skeleton(n) for n in row[0].split("|"))
        forms = "|".join(row[1:])  # the English forms too (Jacob = Yakov)
        rows.append((russian, frozenset(skeleton(n) for n in forms.split("|")) - russian))
    return tuple(rows)


@lru_cache(maxsize=1)
def _english_forms() -> frozenset[str]:
    """Skeletons of east_slavic_names.tsv's English forms: their likeness is said so."""
    return frozenset(
        skeleton(n)
        for row in data_rows("east_slavic_names.tsv")
        if len(row) > 2
        for n in row[2].split("|")
    )


@lru_cache(maxsize=1)
def _east_slavic() -> dict[str, frozenset[str]]:
    """Skeleton of a Ukrainian or Belarusian given name -> skeletons of the Russian one, and
    of one form to the others (Oleksandr = Aliaksandr), from east_slavic_names.tsv."""
    out: dict[str, set[str]] = {}
    for russian, forms in _east_slavic_rows():
        for form in forms | russian:  # the Russian spellings too: Pyotr = Petr
            out.setdefault(form, set()).update((russian | forms) - {form})
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _russian_forms() -> dict[str, frozenset[str]]:
    """Skeleton of a Ukrainian or Belarusian given name, or of a diminutive -> skeletons of
    the Russian full name (Ihar -> igor, Dzmitry -> dmitri, Sasha -> aleksandr)."""
    out: dict[str, set[str]] = {}
    for russian, forms in _east_slavic_rows():
        for form in forms:
            out.setdefault(form, set()).update(russian)
    for short, full in _diminutives().items():
        out.setdefault(short, set()).update(full)
    return {k: frozenset(v) for k, v in out.items()}


def russian_given_name(text: str) -> frozenset[str]:
    """The Russian full name of a Ukrainian or Belarusian form or a diminutive (empty for
    a Russian name): listed such words are also keyed by it, and a query's look it up, so
    that the candidate search finds what the pair score matches (Ihar ~ Igor) at no cost
    for the common Russian names."""
    return _russian_forms().get(skeleton(text), frozenset())


def _other_given_names(a: str, b: str) -> bool:
    """Two given names of east_slavic_names.tsv's rows that are not one name."""
    names = _east_slavic()
    ka, kb = skeleton(a), skeleton(b)
    return ka != kb and ka in names and kb in names and kb not in names[ka]


# The Arabic article joined to the name on one side (ALSHOFA) and written apart on the other
# (AL-SHUFA: the article is a token of its own, weight 0): the rest is compared, a little
# below a spelling variant.
JOINED_ARTICLE = 0.95


# 'Abd with the article that follows it written on: ABD AL-KARIM = ABDUL KARIM. Written
# apart, the article is a particle of its own and 'Abd is left alone.
ABD_JOINED = TokenSim(0.95, "Abd al- written as one")
_ABD_WITH_ARTICLE = frozenset(
    ("abdul", "abdel", "abdal", "abdol", "abdoul", "abdil", "abdur", "abdus", "abdulla")
)


# A compound of ad-Din or Allah and its first part alone (Siraj = Sirajuddin, Shafiq =
# Shafiqullah): how its bearer is called, as likely another man of that first name.
COMPOUND_SHORT = TokenSim(0.75, "short form of the compound")
# Left over after alignment, a compound's part spelt otherwise (Naseer = Nasiruddin), or the
# second part of 'Abd al- (Rahman = Abdurrahman, Salam = Abdussalam), as alike in spelling
# as COMPOUND_PART or more. Only leftovers: ABDURSALAM meets ABDUL SALAM joined first.
COMPOUND_PART = 0.8
_COMPOUND_ENDINGS = ("uddin", "ullah")
# 'Abd with its article written on (_ABD_WITH_ARTICLE), or with a linking vowel only
# (Abdurahman's abdu, Abdiqadir's abdi), longest first: what precedes a joined second part.
_ABD_JOINED_PREFIXES = tuple(
    sorted(_ABD_WITH_ARTICLE | {"abdou", "abdu", "abdi"}, key=lambda p: (-len(p), p))
)


def _short_compound(compound: str, short: str) -> bool:
    return len(short) >= 4 and compound.endswith(_COMPOUND_ENDINGS) and compound[:-5] == short


def _compound_part(compound: str, short: str) -> bool:
    if len(short) < 4:
        return False
    if compound.endswith(_COMPOUND_ENDINGS):
        parts = [compound[:-5]]
    else:
        # Every reading of the joint: ABDURAHMAN is abdu-rahman, not abdur-ahman.
        parts = [compound[len(p) :] for p in _ABD_JOINED_PREFIXES if compound.startswith(p)]
    for part in parts:
        if len(part) < 4:
            continue
        a, b = (part, short) if part < short else (short, part)
        if part == short or _token_similarity(a, b, False).score >= COMPOUND_PART:
            return True
    return False


def _compound_parts(
    rest_q: list[Token], rest_c: list[Token], stats: Stats, pairs: list[Pair]
) -> tuple[list[Token], list[Token]]:
    if not any(
        t.text.startswith("abd") or t.text.endswith(_COMPOUND_ENDINGS) for t in (*rest_q, *rest_c)
    ):
        return rest_q, rest_c
    left_c = list(rest_c)
    left_q: list[Token] = []
    for i, a in enumerate(rest_q):
        for n, b in enumerate(left_c):
            if a.kind == NAME == b.kind and (
                _compound_part(a.text, b.text) or _compound_part(b.text, a.text)
            ):
                q_side, c_side = [a], [b]
                # 'Abd al-Nabi written apart on one side, Abdulnabi on the other: the 'Abd
                # before the part is the compound's too, not a name of its own.
                # (The query's words are taken in order: the one before a, if left, is
                # the last of left_q; the listed words left keep their order in left_c.)
                if (
                    b.text.startswith(_ABD_JOINED_PREFIXES)
                    and i > 0
                    and left_q
                    and left_q[-1] is rest_q[i - 1]
                    and _lone_abd(left_q[-1])
                ):
                    q_side.insert(0, left_q.pop())
                if a.text.startswith(_ABD_JOINED_PREFIXES) and n > 0 and _lone_abd(left_c[n - 1]):
                    c_side.insert(0, left_c.pop(n - 1))
                    n -= 1
                sim = ABD_JOINED if len(q_side) + len(c_side) == 3 else COMPOUND_SHORT
                q_toks, c_toks = tuple(q_side), tuple(c_side)
                pairs.append(Pair(q_toks, c_toks, sim, _pair_weight(q_toks, c_toks, stats)))
                del left_c[n]
                break
        else:
            left_q.append(a)
    return left_q, left_c


def _lone_abd(token: Token) -> bool:
    return token.text in ("abd", "abdu", "abdi")


def _joined_article(joined: str, bare: str) -> TokenSim:
    """ALKHALIDI ~ KHALIDI, ELKADDAFI ~ QADHAFI."""
    rest = _article_rest(joined, bare)
    if not rest:
        return NONE
    sim = _token_similarity(*sorted((rest, bare)), False)
    if sim.score < 0.8:
        return NONE
    return TokenSim(round(sim.score * JOINED_ARTICLE, 3), "article joined")


def _article_rest(joined: str, bare: str) -> str:
    """The word after an Arabic article written on (ALKHALIDI: khalidi), where the other
    word has none; else "". After el, five letters at least: Elvira and Elmira are not Vira
    and Mira."""
    if bare.startswith(("al", "el")) or not joined.startswith(("al", "el")):
        return ""
    if len(joined) < (7 if joined.startswith("el") else 6):
        return ""
    return joined[2:]


def _arabic_similarity(a: str, b: str) -> TokenSim:
    if a.startswith("\x01") and b.startswith("\x01"):
        same = arabic.arabic_skeleton(a[1:]) == arabic.arabic_skeleton(b[1:])
        return TokenSim(0.95, "same Arabic consonants") if same else NONE
    word, latin = (a[1:], b) if a.startswith("\x01") else (b[1:], a)
    if latin.startswith("\x00"):
        return NONE
    sim = arabic.similarity(word, latin)
    return TokenSim(sim, "Arabic consonants") if sim else NONE


# -- alignment ----------------------------------------------------------------------------


class Pair(NamedTuple):
    """Aligned words of the query and of the listed name (a tuple: made by the thousand)."""

    query: tuple[Token, ...]
    candidate: tuple[Token, ...]
    sim: TokenSim
    weight: float


def _pair_weight(query: Sequence[Token], candidate: Sequence[Token], stats: Stats) -> float:
    """An aligned pair's weight: the mean of its two sides' mean word weights."""
    return (
        sum(stats.weight(t) for t in query) / len(query)
        + sum(stats.weight(t) for t in candidate) / len(candidate)
    ) / 2


@dataclass
class NameMatch:
    score: float
    query: str = ""
    candidate: str = ""
    method: str = ""
    details: list[str] = field(default_factory=list)  # the rules that applied
    pairs: list[Pair] = field(default_factory=list)
    rest_q: list[Token] = field(default_factory=list)
    rest_c: list[Token] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The explanation: aligned words (heaviest first), words left over, rules.
        Written only for the results shown, not for every name pair scored."""
        out = []
        for p in sorted(self.pairs, key=lambda p: -p.weight):
            method = p.query[0].method or p.candidate[0].method
            how = p.sim.how + (f", {method}" if method and method != p.sim.how else "")
            line = f"`{_shown(p.query)}` = `{_shown(p.candidate)}` ({how}; weight {p.weight:.2f})"
            translated = any(t.method == TRANSLATION for t in p.query + p.candidate)
            if not (translated and line in out):  # LLC = OOO, aligned as three, said once
                out.append(line)
        if self.rest_q:
            out.append("query only: " + ", ".join(f"`{w}`" for w in _shown_words(self.rest_q)))
        if self.rest_c:
            out.append(
                "listed name only: " + ", ".join(f"`{w}`" for w in _shown_words(self.rest_c))
            )
        return out + self.details

    def detail(self) -> str:
        return "; ".join(self.lines())


# Per reading (kept alive by the cache itself, so that an id is never reused while cached):
# its tokens with each segment's first option, whether it has options, and all its words.
_PLAIN: dict[int, tuple[Reading, tuple[Token, ...], bool, frozenset[str]]] = {}
_CHINESE: dict[int, tuple[Reading, bool]] = {}


def _reading_chinese(reading: Reading, tokens: Sequence[Token], multi: bool) -> bool:
    """_chinese_person of a reading's words, once per reading (as _plain)."""
    if multi:
        return _chinese_person(tokens)
    found = _CHINESE.get(id(reading))
    if found is None or found[0] is not reading:
        if len(_CHINESE) > 100_000:
            _CHINESE.clear()
        found = _CHINESE[id(reading)] = (reading, _chinese_person(tokens))
    return found[1]


def _plain(reading: Reading) -> tuple[tuple[Token, ...], bool, frozenset[str]]:
    found = _PLAIN.get(id(reading))
    if found is None or found[0] is not reading:
        if len(_PLAIN) > 100_000:
            _PLAIN.clear()
        found = _PLAIN[id(reading)] = (
            reading,
            tuple(_resolve(reading, None)),
            any(len(s.options) > 1 for s in reading.segments),
            frozenset(
                form
                for s in reading.segments
                for o in s.options
                for t in o
                for form in (t.text, singular_form(t.text))
            ),
        )
    return found[1], found[2], found[3]


# One English word, singular and plural (TECHNOLOGY = TECHNOLOGIES, a translation's word
# against the list's), as alike as two spellings of one word.
SINGULAR_PLURAL = TokenSim(0.95, "singular and plural")


@lru_cache(maxsize=100_000)
def singular_form(text: str) -> str:
    """An English plural's singular, for choosing a reading: ракетное read as missile is the
    reading that meets TACTICAL MISSILES."""
    if len(text) > 5 and text.endswith("ies"):
        return text[:-3] + "y"
    if len(text) >= 6 and text.endswith("s") and not text.endswith("ss"):  # not TAMAS
        return text[:-1]
    return text


def _resolve(reading: Reading, other: AbstractSet[str] | None) -> list[Token]:
    """Pick, per segment, the option that shares most tokens with the other name."""
    out: list[Token] = []
    if other is None:
        return _dprk_phrase([t for s in reading.segments for t in s.options[0]])
    for segment in reading.segments:
        if len(segment.options) == 1:
            out.extend(segment.options[0])
            continue
        best = segment.options[0]
        best_hits = sum(1 for t in best if t.text in other) / len(best)
        # A firm's own word read as parts (TULAMASHZAVOD = tula machine building plant) is
        # read so only where all its parts are found: Volgograd and machine building alone
        # are not VOLGOGRADNEFTEMASH.
        own = len(best) == 1 and best[0].kind == NAME
        for option in segment.options[1:]:
            found = sum(1 for t in option if t.text in other or singular_form(t.text) in other)
            if len(option) > 1 and "".join(t.text for t in option) in other:
                found = len(option)  # written as one word there (香港 = hong kong: Hongkong)
            elif own and found < len(option) and _parts_of_a_name(option):
                found = 0
            hits = found / len(option)
            if hits > best_hits:
                best, best_hits = option, hits
        out.extend(best)
    return _dprk_phrase(out)


def _parts_of_a_name(option: tuple[Token, ...]) -> bool:
    """A word read as a name and what it is (tula machine building plant), not as a legal
    form's words (KTB = design and technological bureau) or Korean syllables."""
    return (
        len(option) > 1
        and all(t.method == TRANSLATION for t in option)
        and any(t.kind == NAME for t in option)
    )


_DPRK = ("democratic", "peoples", "republic", "of", "korea")


def _dprk_phrase(tokens: list[Token]) -> list[Token]:
    """ "Democratic People's Republic of Korea" and "DPRK" read as "korea" (a generic word)."""
    texts = [t.text for t in tokens]
    if "democratic" not in texts and "dprk" not in texts:
        return tokens
    out = list(tokens)
    for start in range(len(texts) - 3):
        if texts[start : start + 3] == ["democratic", "peoples", "republic"]:
            end = start + 3
            if end < len(texts) and texts[end] == "of":
                end += 1
            if end < len(texts) and texts[end] == "korea":
                end += 1
            shown = " ".join(t.shown for t in tokens[start:end])
            out = [*tokens[:start], Token("korea", shown, GENERIC), *tokens[end:]]
            break
    return [Token("korea", t.shown, GENERIC, t.method) if t.text == "dprk" else t for t in out]


def _joined(tokens: Sequence[Token]) -> Token:
    first = tokens[0]
    joined: tuple[tuple[ko.Syllable, ...], ...] = ()
    if any(t.korean for t in tokens) and all(parses(t) for t in tokens):
        combos: list[tuple[ko.Syllable, ...]] = [()]
        for t in tokens:
            combos = [c + p for c in combos for p in parses(t)[:3]][:9]
        joined = tuple(combos)
    # An Arabic article inside a joined name is its lam only: its alif is no long vowel.
    shown = [
        "ل" if t.kind == STOP and t.method == ARABIC and t.shown == "ال" else t.shown
        for t in tokens
    ]
    return Token(
        "".join(t.text for t in tokens),
        " ".join(shown),
        NAME,
        first.method,
        joined,
        first.surname,
    )


def align(
    query: list[Token],
    candidate: list[Token],
    korean: bool,
    stats: Stats,
    person: bool = False,
    arabic: bool = False,
    syllables: bool = False,
    slavic: bool = False,
    written_chinese: bool = False,
) -> tuple[list[Pair], list[Token], list[Token]]:
    """Greedy alignment, best pairs first; then adjacent leftover tokens may be joined on
    either side (Xiao Ping = Xiaoping, Jong Un = Jongun).

    ``syllables`` (persons): a word read from Chinese characters is a syllable, met only by
    its own reading (token_similarity). ``written_chinese``: a person's name on either side
    is Chinese syllables written in Latin, so no likeness of spelling alone aligns a pair."""
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[Pair] = []
    weight = stats.weight
    # Identical words first: in long names most words are, and nothing scores above them.
    by_text: dict[str, list[int]] = {}
    for j, token in enumerate(candidate):
        if token.kind != STOP and not (token.method and token.method in _SCRIPT_METHODS):
            by_text.setdefault(token.text, []).append(j)
    for i, token in enumerate(query):
        if token.kind == STOP or (token.method and token.method in _SCRIPT_METHODS):
            continue
        same = by_text.get(token.text)
        if same:
            j = same.pop(0)
            used_q.add(i)
            used_c.add(j)
            other = candidate[j]
            pairs.append(Pair((token,), (other,), IDENTICAL, (weight(token) + weight(other)) / 2))
    if len(used_q) == len(query) and len(used_c) == len(candidate):
        return pairs, [], []  # the same words (the commonest case of a true match)
    _joined_identical(query, candidate, used_q, used_c, stats, pairs)
    _joined_identical(candidate, query, used_c, used_q, stats, pairs, swap=True)
    singles = [(i, i + 1) for i in range(len(query)) if i not in used_q]
    c_singles = [(j, j + 1) for j in range(len(candidate)) if j not in used_c]
    # Arabic words joined over an article compete with single words from the start (نور
    # الله نوری: Nurullah, then Nuri), as the longer span wins a tie.
    if arabic:
        singles += _over_article(query, [i for i, _ in singles])
        c_singles += _over_article(candidate, [j for j, _ in c_singles])

    def greedy(q_units: list[tuple[int, int]], c_units: list[tuple[int, int]], joins: bool) -> None:
        _greedy(
            query,
            candidate,
            q_units,
            c_units,
            korean,
            stats,
            used_q,
            used_c,
            pairs,
            person,
            joins_only=joins,
            syllables=syllables,
            slavic=slavic,
            written_chinese=written_chinese,
        )

    if singles and c_singles:
        greedy(singles, c_singles, False)
    left_q = [i for i in range(len(query)) if i not in used_q and query[i].kind != STOP]
    left_c = [j for j in range(len(candidate)) if j not in used_c and candidate[j].kind != STOP]
    if left_q and left_c and (len(left_q) > 1 or len(left_c) > 1):
        # Never across a Chinese surname read from its character (贾丽 ka lai is not KALAI).
        q_joins = [(i, i + 2) for i in left_q if i + 1 in left_q and not _han_join(query, i)]
        c_joins = [(j, j + 2) for j in left_c if j + 1 in left_c and not _han_join(candidate, j)]
        if arabic:
            q_joins += _over_article(query, left_q)
            c_joins += _over_article(candidate, left_c)
        if not q_joins and not c_joins:
            # No two leftover words stand side by side: nothing to join.
            return _rest(query, candidate, used_q, used_c, pairs)
        q_units = [(i, i + 1) for i in left_q] + q_joins
        c_units = [(j, j + 1) for j in left_c] + c_joins
        greedy(q_units, c_units, bool(singles and c_singles))
    return _rest(query, candidate, used_q, used_c, pairs)


def _rest(
    query: list[Token],
    candidate: list[Token],
    used_q: set[int],
    used_c: set[int],
    pairs: list[Pair],
) -> tuple[list[Pair], list[Token], list[Token]]:
    rest_q = [t for i, t in enumerate(query) if i not in used_q and t.kind != STOP]
    rest_c = [t for j, t in enumerate(candidate) if j not in used_c and t.kind != STOP]
    return pairs, rest_q, rest_c


def _han_surname(token: Token) -> bool:
    """A Chinese surname read from its character (pinyin, Wade-Giles, Cantonese)."""
    return token.surname and token.method in _HAN_READINGS


def _han_join(tokens: list[Token], i: int) -> bool:
    return _han_surname(tokens[i]) or _han_surname(tokens[i + 1])


def _joined_identical(
    one: list[Token],
    other: list[Token],
    used_one: set[int],
    used_other: set[int],
    stats: Stats,
    pairs: list[Pair],
    swap: bool = False,
) -> None:
    """A word written as two or three on the other side (ALNASER = AL-NASER, Najibullah =
    Najib ULLAH, NAMCHONGANG = NAM CHON GANG): exact, so it is found before looser
    single-word likenesses."""
    if len(other) < 2:
        return
    for i, token in enumerate(one):
        text = token.text
        if i in used_one or token.kind == STOP or len(text) < 4:
            continue
        for j in range(len(other) - 1):
            first = other[j].text
            if j in used_other or not text.startswith(first) or len(first) >= len(text):
                continue
            if _han_join(other, j):
                continue  # 贾丽 read ka lai is not KALAI: a Chinese surname is a word alone
            end, pos = j + 1, len(first)
            while end < len(other) and end - j < 3 and end not in used_other:
                nxt = other[end].text
                if not text.startswith(nxt, pos):
                    break
                pos += len(nxt)
                end += 1
                if pos == len(text):
                    break
            if pos != len(text) or other[end - 1].kind == STOP:
                continue
            span = range(j, end)
            used_one.add(i)
            used_other.update(span)
            many = tuple(other[k] for k in span)
            weight = _pair_weight((token,), many, stats)
            sim = TokenSim(1.0, "identical, joined")
            pairs.append(
                Pair(many, (token,), sim, weight) if swap else Pair((token,), many, sim, weight)
            )
            break


def _over_article(tokens: list[Token], left: list[int]) -> list[tuple[int, int]]:
    """Two Arabic words joined over the article between them, as romanisations write them
    (حبيب الله = Habibullah, عبد الحی = Abdulhai)."""
    free = set(left)
    return [
        (i, i + 3)
        for i in left
        if i + 2 in free and tokens[i + 1].method == ARABIC and tokens[i + 1].shown == "ال"
    ]


# A Russian surname made of a given name (Aleksandrov, Borisova) and a patronymic of the same
# name (Aleksandrovich, Borisovna) are other parts of a name: ALEKSANDROVA, Tatyana is not
# Tatyana Aleksandrovna KOVALCHUK.
_SURNAME_ENDINGS = ("ov", "ev", "in", "ova", "eva", "ina", "yn", "yna")


def _surname_and_patronymic(a: Token, b: Token) -> bool:
    if (a.kind == PATRONYMIC) == (b.kind == PATRONYMIC) or a.text == b.text:
        return False
    other = b if a.kind == PATRONYMIC else a
    return other.kind == NAME and other.text.endswith(_SURNAME_ENDINGS)


# A Chinese person's name in Latin is syllables: a word like another by its spelling, its
# sound or Arabic rules is another syllable (Longsong is not JONG Yong, LIANG not JI Sang,
# Zhi not Ji, YE Xin not ALEKSIN), as a character's reading is (token_similarity's _LOOSE).
_NOT_SYLLABLES = _LOOSE | {"spelling variant", "article joined"}


def _slavic_name(q_tokens: list[Token], c_tokens: list[Token]) -> bool:
    """Either name has an East Slavic patronymic (not a Turkic oglu or kyzy)."""
    return any(
        t.kind == PATRONYMIC and t.text not in PATRONYMIC_WORDS for t in (*q_tokens, *c_tokens)
    )


def _patronymic_as_surname(
    pairs: list[Pair], rest_q: list[Token], rest_c: list[Token]
) -> Pair | None:
    """A patronymic aligned with a surname of its shape (ANDRIANOV, Viktor Petrovich ~
    PETROVICH, Viktor Evgenievich) where the surname's name has a patronymic of its own left
    over and the patronymic's name a name of its own: the word fills two slots, the names
    two men. A patronymic-shaped word that is the query's only other name (Viktor
    Rusakevich) is its surname, and stays a match."""
    for pair in pairs:
        if len(pair.query) != 1 or len(pair.candidate) != 1:
            continue
        q_father = pair.query[0].kind == PATRONYMIC
        if q_father == (pair.candidate[0].kind == PATRONYMIC):
            continue
        as_surname, as_father = (rest_c, rest_q) if q_father else (rest_q, rest_c)
        if any(t.kind == PATRONYMIC for t in as_surname) and any(t.kind == NAME for t in as_father):
            return pair
    return None


def _greedy(
    query: list[Token],
    candidate: list[Token],
    q_units: list[tuple[int, int]],
    c_units: list[tuple[int, int]],
    korean: bool,
    stats: Stats,
    used_q: set[int],
    used_c: set[int],
    pairs: list[Pair],
    person: bool = False,
    joins_only: bool = False,
    syllables: bool = False,
    slavic: bool = False,
    written_chinese: bool = False,
) -> None:
    """Best pairs of units first. ``joins_only``: words left over from a first pass, whose
    single-word likenesses were all found wanting there: only joined units are compared."""
    options: list[tuple[float, int, tuple[int, int], tuple[int, int], TokenSim]] = []
    c_items = []
    for cu in c_units:
        single = cu[1] - cu[0] == 1
        token = candidate[cu[0]] if single else _joined(candidate[cu[0] : cu[1]])
        if token.kind != STOP:
            c_items.append((cu, token, single))
    for qu in q_units:
        q_single = qu[1] - qu[0] == 1
        q_tok = query[qu[0]] if q_single else _joined(query[qu[0] : qu[1]])
        if q_tok.kind == STOP:
            continue
        consonants = person and not q_tok.method
        for cu, c_tok, c_single in c_items:
            # Never two joined units; two single words only in the first pass.
            if q_single == c_single and (not q_single or joins_only):
                continue
            if person and _surname_and_patronymic(q_tok, c_tok):
                continue
            sim = token_similarity(
                q_tok, c_tok, korean, consonants and not c_tok.method, syllables, slavic
            )
            if written_chinese and sim.how in _NOT_SYLLABLES:
                continue
            if sim.score >= 0.5:
                span = (qu[1] - qu[0]) + (cu[1] - cu[0])
                options.append((sim.score, span, qu, cu, sim))
    options.sort(key=lambda o: (o[0], o[1]), reverse=True)
    for _score, _span, qu, cu, sim in options:
        q_idx = range(qu[0], qu[1])
        c_idx = range(cu[0], cu[1])
        if any(i in used_q for i in q_idx) or any(j in used_c for j in c_idx):
            continue
        if sim.how == "initial" and person and _initial_of_another_name(query, candidate, qu, cu):
            continue
        used_q.update(q_idx)
        used_c.update(c_idx)
        q_toks = tuple(query[i] for i in q_idx)
        c_toks = tuple(candidate[j] for j in c_idx)
        pairs.append(Pair(q_toks, c_toks, sim, _pair_weight(q_toks, c_toks, stats)))


def _initial_of_another_name(
    query: list[Token], candidate: list[Token], qu: tuple[int, int], cu: tuple[int, int]
) -> bool:
    """An initial beside a known given name of its own is not that given name's other side:
    in STEPANOVA, Olga G. the G is the patronymic's, so Galina meets Olga (another woman),
    not G. Known given names only (east_slavic_names.tsv): two known names that differ."""
    q_tok, c_tok = query[qu[0]], candidate[cu[0]]
    if len(q_tok.text) == 1:
        full, side = c_tok.text, query  # the initial's side
    else:
        full, side = q_tok.text, candidate
    return any(
        len(other.text) > 1 and other.kind == NAME and _other_given_names(full, other.text)
        for other in side
    )


# Unmatched tokens count against a score: the query's most (it says who is meant), the
# listed name's less (lists add patronymics, clan names, second given names). logic-v2 uses
# 0.8 and 0.2 (nm_extra_query_name, nm_extra_result_name).
EXTRA_QUERY_WEIGHT = 0.8
EXTRA_CANDIDATE_WEIGHT = 0.3
EXTRA_CANDIDATE_WEIGHT_ORG = 0.5  # a subsidiary or branch adds words to its parent's name
DISTINCT_NAMES_CAP = 0.65  # each side has a name the other lacks (Mushtaq / Umar: siblings)
PATRONYMIC_CONFLICT_CAP = 0.65  # each side's patronymic unmatched: two fathers
# The aligned share of name weight (coverage) is reported as coverage ** CALIBRATION: at
# the 0.70 threshold (yente's) precision on real alias pairs of the lists is about 0.95
# (benchmark, "blocked real" slice, held-out half); the rules below (surnames, distinct
# names, own words, kinds) apply after it.
CALIBRATION = 0.4
# How alike the aligned words are counts apart from how much is aligned, with this exponent:
# one loosely alike word (Manaure ~ Manar, 0.71) no longer passes as a whole name found.
# 0.7 was chosen on the development half of the real pairs (benchmark, held-out split).
QUALITY = 0.7
SURNAME_MISSING = 0.8  # the query's surname is nowhere in the listed name
LISTED_SURNAME_MISSING = 0.8  # the listed surname is missing from a partial query
# Letters of a rare single name that a one-part listed alias may match on; a query's one
# word (Patek, Hottak Sahib, Nkunda) may be two letters shorter: a listed one-word alias of
# five or six letters (George, Muslim) is rare on the lists, not in the world, while a
# query of one rare word asks for that name.
ONE_NAME_LENGTH = 7
ONE_NAME_LENGTH_QUERY = 5
ONE_PART_CAP = 0.65  # persons sharing one name part only (Ahmed ~ Ahmed Diriye)
CLASS_CONFLICT = 0.65  # a bank is not a trading company
# Firms of one name in two cities or countries are two firms (Suzhou Zhongsheng Magnetic
# Industry, Dandong Zhongsheng Industry & Trade; ISIL - Yemen, ISIL - Libya): a place of one
# level (a city or province of org_words.tsv; a country or demonym) on each side, unmatched.
CITY_CONFLICT = 0.8
# Tian Xiang 8 is not Tian Xiang 18: numbered ships and companies of one series (logic-v2's
# nm_number_mismatch is 0.3).
NUMBER_MISMATCH = 0.4
SISTER_COMPANY = 0.75  # X Trading and X General Corporation, X Trading and X International;
# not X Group and X International, which differ in frame words only (org_words.tsv)
# A name is told apart by its own words (Orventuma in "Orventuma Import Export LLC"), not by
# what it shares with thousands of firms: when either name's distinctive words are all left
# unmatched, the names are not the same, whatever generic words they share. A distinctive
# word is a name word (not a legal form, generic word, title or particle) that is not common
# in the lists; it counts as found when aligned at DISTINCTIVE_FOUND or better.
DISTINCTIVE_UNMATCHED_CAP = 0.5
DISTINCTIVE_WEIGHT = 0.4
DISTINCTIVE_FOUND = 0.6


# Two names of one firm often differ only in what they say it is or does (PJSC
# TRANSCONTAINER ~ Public Joint Stock Company Center for Cargo Container Traffic
# Transcontainer; SOUE RC Chernomorneftegaz ~ Chernomorneftegaz): when every word of the
# listed name's own is found in the query (at OWN_WORDS_SIMILARITY or better) and one of
# them is rare (weight OWN_WORDS_RARE) and not short (OWN_WORD_LENGTH letters: Point, Mehr
# are names of many firms), the generic rest does not pull the score below OWN_WORDS_FOUND;
# the kind, number and sister-company rules still apply after it. Chosen on the development
# half of the real pairs (benchmark): 40 more pairs found, 8 more false ones; unlisted false
# hits unchanged.
OWN_WORDS_FOUND = 0.75
OWN_WORDS_SIMILARITY = 0.9
OWN_WORDS_RARE = 0.9
OWN_WORD_LENGTH = 6


def _listed_words_found(
    q_tokens: Sequence[Token], c_tokens: Sequence[Token], pairs: Sequence[Pair], stats: Stats
) -> list[Token]:
    """The listed name's own words, when the query has them all (else nothing)."""
    if not any(_own_word(t, stats) for t in q_tokens):
        return []
    own = [t for t in c_tokens if _own_word(t, stats) and t.kind != NUMBER]
    found = {id(t) for p in pairs if p.sim.score >= OWN_WORDS_SIMILARITY for t in p.candidate}
    if not own or any(id(t) not in found for t in own):
        return []
    if not any(stats.weight(t) >= OWN_WORDS_RARE and len(t.text) >= OWN_WORD_LENGTH for t in own):
        return []
    return own


def _distinct(token: Token, stats: Stats) -> bool:
    """A written given or family name, rare enough to tell people apart.
    Other transliterated words may just have failed to align: they do not count; Chinese
    words do, as their characters are compared (_HAN_READINGS). Particles (Ben, Ould, Abu)
    are not names."""
    return (
        token.kind == NAME
        and (not token.method or token.method in _HAN_READINGS or token.method == ARABIC)
        and len(token.text) > 1
        and token.text not in PARTICLES
        and stats.weight(token) >= 0.4
    )


def _family_words(tokens: Sequence[Token]) -> list[Token]:
    """The words that may be a person's surname: the one written as such, else the first or
    the last (Chinese order, or Western)."""
    names = [t for t in tokens if t.kind == NAME]
    flagged = [t for t in names if t.surname]
    return flagged or names[:1] + names[-1:]


def _surnames_apart(
    q_tokens: Sequence[Token], c_tokens: Sequence[Token], pairs: list[Pair]
) -> bool:
    """A Chinese name's surname is found only as the other name's given name, or not at all
    (Jiang Hua ~ PAO, Hua Chiang; DONG, Yanying ~ YAN, Zhiyong): Chinese given names are
    syllables that many families share, the surname tells them apart."""
    if sum(t.kind == NAME for t in q_tokens) < 2 or sum(t.kind == NAME for t in c_tokens) < 2:
        return False
    return not _surnames_found(q_tokens, c_tokens, pairs)


def _surnames_found(
    q_tokens: Sequence[Token], c_tokens: Sequence[Token], pairs: list[Pair]
) -> bool:
    """A word that may be the query's surname is aligned with one that may be the listed
    name's (see _family_words)."""
    partners: dict[int, set[int]] = {}
    for pair in pairs:
        for q in pair.query:
            partners.setdefault(id(q), set()).update(id(c) for c in pair.candidate)
    families = {id(t) for t in _family_words(c_tokens)}
    return any(partners.get(id(t), set()) & families for t in _family_words(q_tokens))


def _married_surname(extra: Sequence[Token], tokens: Sequence[Token]) -> bool:
    """A surname put before a woman's own (Tsai Su Lu-chi, Su Lu-chi married to a Tsai),
    as in Taiwan and Hong Kong: the extra word is a surname, first."""
    return (
        len(extra) == 1 and extra[0] is tokens[0] and extra[0].text in chinese_surname_spellings()
    )


def _other_given_pair(
    rest_q: Sequence[Token], rest_c: Sequence[Token]
) -> tuple[Token, Token] | None:
    """A known given name left on each side, the two other names (east_slavic_names.tsv)."""
    for a in rest_q:
        if a.kind != NAME or a.method:
            continue
        for b in rest_c:
            if b.kind == NAME and not b.method and _other_given_names(a.text, b.text):
                return a, b
    return None


def _own_syllable(token: Token) -> bool:
    """A Chinese person's given name, written in Latin or read from its characters, however
    common its syllables."""
    return (
        token.kind == NAME
        and (not token.method or token.method in _HAN_READINGS or token.method == ARABIC)
        and len(token.text) > 1
    )


# A kunya (Abu Muhammad, "father of Muhammad"; Umm Khalid) is a by-name that one alias gives
# and another does not: its name is a son's, not a second given name of another person.
_KUNYA_MARKERS = frozenset(("abu", "abou", "abo", "umm"))


def _kunya(tokens: Sequence[Token]) -> set[int]:
    out: set[int] = set()
    for first, second in pairwise(tokens):
        if first.text in _KUNYA_MARKERS and second.kind == NAME:
            out.update((id(first), id(second)))
    return out


def _own_word(token: Token, stats: Stats) -> bool:
    """A word that tells one name from others: see DISTINCTIVE_UNMATCHED_CAP."""
    if token.kind == NUMBER:
        return True  # Office 39, Tian Xiang 8
    return (
        token.kind == NAME
        and len(token.text) > 2  # IS, UE, LG: initials and forms more than names
        and token.text not in PARTICLES
        and token.text not in vocabulary().places  # Shenzhen X: X tells it apart
        and stats.weight(token) >= DISTINCTIVE_WEIGHT
    )


def _unmatched_own_words(
    tokens: Sequence[Token], pairs: Sequence[Pair], side: str, stats: Stats
) -> list[Token]:
    """The distinctive words of one side when none of them is found in the other name."""
    own = [t for t in tokens if _own_word(t, stats)]
    if not own:
        return []
    found = {
        id(t)
        for p in pairs
        if p.sim.score >= DISTINCTIVE_FOUND and p.sim.how != "initial"  # M. is not Mobetta
        for t in getattr(p, side)
    }
    if any(id(t) in found for t in own):
        return []
    # The name's own acronym found on the other side (KKBC ~ Korea Kwangson Banking
    # Corporation (KKBC)) names it as well as its words do.
    vocab = vocabulary()
    for p in pairs:
        for t in getattr(p, side):
            acronym = t.kind == GENERIC and len(t.text) >= 3 and t.text not in vocab.generic
            if acronym and p.sim.score >= 0.95 and t.text not in vocab.places:
                return []
    return own


# Names found beyond the given name that tell a person's line (Rukan Razuki Abd al-Ghafur:
# given name, father's, grandfather's). With the given name found, a name on each side is
# a further ancestor's or a tribe's that one alias gives and the other does not.
LINEAGE_NAMES = 3


def _first_given(tokens: Sequence[Token]) -> Token | None:
    return next((t for t in tokens if t.kind == NAME and not t.surname), None)


def _same_given_and_lineage(
    q_tokens: Sequence[Token], c_tokens: Sequence[Token], pairs: Sequence[Pair]
) -> bool:
    """The first given names align with each other, and LINEAGE_NAMES names in all: one
    person's longer and shorter name (siblings differ in the given name: Raghad / Qusay)."""
    first_q, first_c = _first_given(q_tokens), _first_given(c_tokens)
    if first_q is None or first_c is None:
        return False
    names = [p for p in pairs if p.sim.score >= 0.8 and p.query[0].kind == NAME]
    given = any(
        any(t is first_q for t in p.query) and any(t is first_c for t in p.candidate) for p in names
    )
    return given and len(names) >= LINEAGE_NAMES


def _consonants(token: Token) -> str:
    if token.method == ARABIC:
        return arabic.arabic_skeleton(token.shown)
    return arabic.latin_skeleton(token.text)


def _loosely_alike(a: Token, b: Token, syllables: bool = False) -> bool:
    """Spellings too close to call different names (Momade/Mohamed, Nassir/Nasiruddin).
    Chinese given names in Latin (``syllables``) are never: a syllable more or another is
    another character (Jian / Jianguo), and consonants say nothing (the skeletons of
    Mingguo and Dong differ in one letter, the names in every syllable)."""
    ta, tb = a.text, b.text
    if syllables or _other_given_names(ta, tb):
        return False  # Yegor / Igor, Valentin / Valentina: two known names
    if ta.startswith(tb[:4]) or tb.startswith(ta[:4]):
        return True
    ca, cb = _consonants(a), _consonants(b)
    return bool(ca) and raw_levenshtein(ca, cb) <= 1


def _classes(tokens: Iterable[Token]) -> set[str]:
    out: set[str] = set()
    for t in tokens:
        out |= _token_classes(t.text, t.shown, t.kind)
    return out


@lru_cache(maxsize=100_000)
def _token_classes(text: str, shown: str, kind: str) -> frozenset[str]:
    """What kinds of organisation a word says it is (bank, trading ...), in any script."""
    vocab = vocabulary()
    out = set()
    cls = vocab.classes.get(vocab.abbreviations.get(text, text))
    if cls:
        out.add(cls)
    # A word left untranslated still says what kind it is (무역, muyok, torgovyy).
    meanings = list(_written_meanings(shown))
    if kind != NAME or cls is None:
        meanings.append(latin_meaning(text))
    for meaning in meanings:
        for alternative in meaning:
            out.update(vocab.classes[w] for w in alternative if w in vocab.classes)
    return frozenset(out)


def _written_meanings(shown: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """What a word written in Hangul, Chinese or Arabic script means, by the glossaries."""
    vocab = vocabulary()
    return (
        vocab.korean_glossary.get(shown, ()),
        vocab.chinese_glossary.get(shown, ()),
        vocab.arabic_glossary.get(arabic.glossary_key(shown), ()),
    )


@lru_cache(maxsize=100_000)
def _token_places(text: str, shown: str) -> frozenset[tuple[str, str]]:
    """The places a word names, in any script (اليمن = Yemen) and romanisation (rossii = of
    Russia), each with its level: a city or province ("c"), a country or its demonym ("t")."""
    vocab = vocabulary()
    meanings = (*_written_meanings(shown), latin_meaning(text))
    words = {text} | {w for meaning in meanings for alt in meaning for w in alt}
    cities = {("c", w) for w in words if w in vocab.cities}
    return frozenset(cities | {("t", w) for w in words if w in vocab.territories})


def _frame_only(tokens: Iterable[Token]) -> bool:
    """Words that say only how an organisation is organised (group, foundation, network):
    two names that differ in these alone are not two firms of one family."""
    vocab = vocabulary()
    return all(vocab.abbreviations.get(t.text, t.text) in vocab.frame for t in tokens)


def _descriptors(tokens: Iterable[Token], generic_name: bool = False) -> list[Token]:
    """Words that say what a firm does or is (trading, bank, machinery, shipyard), in any
    of the languages and scripts the word lists cover. A name made of generic words only
    (Central Bank of Korea) is told apart by all of them, places too."""
    vocab = vocabulary()
    out = []
    for t in tokens:
        if t.kind in (LEGAL, STOP) or (t.text in vocab.places and not generic_name):
            continue
        word = vocab.abbreviations.get(t.text, t.text)
        if t.kind == GENERIC or generic_name or word in vocab.commerce or _classes([t]):
            out.append(t)
    return out


# Organisation words cut short or inflected (TRANS = TRANSPORTATION, as OFAC's 35-character
# name fields truncate; IRAN = IRANIAN; PRECISE = PRECISION): a common beginning of at least
# STEM_MIN letters, covering all but STEM_SLACK letters of the shorter word.
STEM_MIN = 4
STEM_SLACK = 2
STEM_SIMILARITY = TokenSim(0.8, "same stem")
_STEM_METHODS = ("", RUSSIAN, TRANSLATION)


def _same_stems(
    rest_q: list[Token], rest_c: list[Token], stats: Stats, pairs: list[Pair]
) -> tuple[list[Token], list[Token]]:
    left_c = list(rest_c)
    left_q = []
    for a in rest_q:
        for n, b in enumerate(left_c):
            shorter = min(len(a.text), len(b.text))
            if shorter < STEM_MIN or a.kind == NUMBER or b.kind == NUMBER:
                continue
            if a.method not in _STEM_METHODS or b.method not in _STEM_METHODS:
                continue  # romanised Korean or Chinese: syllables, not stems
            if _compound_head(a.text, b.text):
                continue  # a compound's parts say more (VOLGOGRADNEFTEMASH is no Volgograd)
            common = _common_prefix(a.text, b.text)
            if common >= STEM_MIN and common >= shorter - STEM_SLACK:
                weight = (stats.weight(a) + stats.weight(b)) / 2
                pairs.append(Pair((a,), (b,), STEM_SIMILARITY, weight))
                del left_c[n]
                break
        else:
            left_q.append(a)
    return left_q, left_c


def _compound_head(a: str, b: str) -> bool:
    """The shorter word is the head of the longer read as a compound (VOLGOGRAD of
    VOLGOGRADNEFTEMASH): the rest of the compound says what the shorter does not. BELVEB is
    no head of BELVESHECONOMBANK, which it abbreviates."""
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    if (rest := stem_compound(longer)) and len(shorter) <= len(longer) - len(rest):
        return True  # RADIO of RADIOAVIONIKA, a combining stem: its own word says more
    return any(alt[0].startswith(shorter) for alt in russian_compound(longer))


# A word in Wade-Giles whose pinyin is the other name's word (Tse-tung = Zedong): the same
# syllables, though a Wade-Giles spelling without its apostrophes may be two in pinyin.
WADE_GILES_PINYIN = TokenSim(0.9, "Wade-Giles = pinyin")


def _chinese_latin(tokens: Sequence[Token], han: bool = False) -> bool:
    """Two words or more, every one Chinese syllables in pinyin or Wade-Giles (``han``: or
    read from Chinese characters)."""
    names = [t for t in tokens if t.kind == NAME]
    return len(names) >= 2 and all(
        (han and t.method in _HAN_READINGS)
        or (not t.method and (is_pinyin(t.text) or wade_giles_pinyin(t.text)))
        for t in names
    )


def _pinyin_person(tokens: Sequence[Token]) -> bool:
    """A Chinese person's name in pinyin (not Wade-Giles, which Korean names spell too:
    JANG): every word pinyin, one a Chinese surname."""
    names = [t for t in tokens if t.kind == NAME]
    surnames = pinyin_surnames()
    return (
        len(names) >= 2
        and any(t.text in surnames for t in _family_words(names))
        and all(not t.method and is_written_pinyin(t.text) for t in names)
    )


def _chinese_person(tokens: Sequence[Token]) -> bool:
    """A Chinese person's name in Latin or read from characters: Chinese syllables, one of
    them a Chinese surname (Hamadou Koufa spells pinyin syllables too)."""
    surnames, pinyin = chinese_surname_spellings(), pinyin_surnames()
    if not _chinese_latin(tokens, han=True):
        return False
    marked = [t for t in tokens if t.surname and t.kind == NAME]
    if any(t.text not in surnames and t.text not in pinyin for t in marked):
        return False  # Nuri BO SAMIN: a family name written so is Chinese surnames only
    return any(t.text in surnames or t.text in pinyin for t in tokens if t.kind == NAME)


# Likenesses of one Chinese word across romanisations, not of two words.
_ONE_CHINESE_WORD = frozenset((WADE_GILES_PINYIN.how, SAME_CHINESE_SURNAME.how))


def _other_chinese_syllables(pairs: Sequence[Pair]) -> Pair | None:
    """A pair of words, both pinyin syllables, that are not the same syllables: Jianguo
    and Jianhua, Dehai and Dehui are other characters, other names, however alike their
    letters (as a Korean given-name syllable that differs is another person)."""
    for pair in pairs:
        if pair.sim.score >= 1.0 or len(pair.query) != 1 or len(pair.candidate) != 1:
            continue
        q, c = pair.query[0], pair.candidate[0]
        if (
            q.kind == NAME
            and pair.sim.how not in _ONE_CHINESE_WORD
            and not q.method
            and not c.method
            and is_pinyin(q.text)
            and is_pinyin(c.text)
        ):
            return pair
    return None


def _wade_giles(
    rest_q: list[Token], rest_c: list[Token], stats: Stats, pairs: list[Pair]
) -> tuple[list[Token], list[Token]]:
    """Words of two Chinese names in Latin, one in Wade-Giles and the other in pinyin, one
    word or two written as one (Mao Tse-tung ~ MAO Zedong); the other words are returned."""

    def units(tokens: list[Token]) -> list[tuple[Token, ...]]:
        pairs_ = [tuple(tokens[i : i + 2]) for i in range(len(tokens) - 1)]
        return [u for u in [*pairs_, *((t,) for t in tokens)] if all(t.kind == NAME for t in u)]

    used_q: set[int] = set()
    used_c: set[int] = set()
    for qu in units(rest_q):
        for cu in units(rest_c):
            if len(qu) > 1 and len(cu) > 1:
                continue
            if any(id(t) in used_q for t in qu) or any(id(t) in used_c for t in cu):
                continue
            a = "".join(t.text for t in qu)
            b = "".join(t.text for t in cu)
            # One side is Wade-Giles (not pinyin) and reads as the other's pinyin: Ting and
            # Ding, both pinyin, stay two names.
            if (not is_pinyin(a) and b in wade_giles_pinyin(a)) or (
                not is_pinyin(b) and a in wade_giles_pinyin(b)
            ):
                used_q.update(id(t) for t in qu)
                used_c.update(id(t) for t in cu)
                weight = (
                    sum(stats.weight(t) for t in qu) / len(qu)
                    + sum(stats.weight(t) for t in cu) / len(cu)
                ) / 2
                pairs.append(Pair(qu, cu, WADE_GILES_PINYIN, weight))
                break
    return (
        [t for t in rest_q if id(t) not in used_q],
        [t for t in rest_c if id(t) not in used_c],
    )


def _shown(tokens: Sequence[Token]) -> str:
    return " ".join(_shown_words(tokens))


def _shown_words(tokens: Sequence[Token]) -> list[str]:
    """The source words of tokens, a word translated as two said once (香港 = hong kong)."""
    return [
        t.shown
        for n, t in enumerate(tokens)
        if not (n and t.method == TRANSLATION and tokens[n - 1].shown == t.shown)
    ]


def compare_readings(
    q: Reading, c: Reading, stats: Stats, korean: bool, kind: str = "any"
) -> NameMatch:
    organisation = kind == "organisation"
    q_plain, q_multi, q_texts = _plain(q)
    c_plain, c_multi, c_texts = _plain(c)
    # A reading with options (a Korean syllable split, a word read two ways) takes, per
    # segment, the option that shares most words with the other name.
    q_tokens = _resolve(q, c_texts) if q_multi else list(q_plain)
    c_tokens = _resolve(c, q_texts) if c_multi else list(c_plain)
    if not q_tokens or not c_tokens:
        return NameMatch(0.0)
    particles = all(t.kind == STOP for t in q_tokens) and all(t.kind == STOP for t in c_tokens)
    if particles:
        # A name of particles only (THE, عن): its words are all it has to be found by.
        q_tokens = [replace(t, kind=NAME) for t in q_tokens]
        c_tokens = [replace(t, kind=NAME) for t in c_tokens]
    arabic_reading = q.method == ARABIC or c.method == ARABIC
    person = kind == "person"
    written_q = not organisation and _reading_chinese(q, q_tokens, q_multi or particles)
    written_c = not organisation and _reading_chinese(c, c_tokens, c_multi or particles)
    # Arabic consonant classes and Russian spellings in other conventions are not how
    # Chinese syllables vary (Ming is not Myong, Shanyong not Song).
    # Nor Korean syllables (Kyong is not Koang, Gwang not Jong): a Korean person's name is
    # compared by its syllables.
    spelling_rules = person and not (written_q or written_c or q.korean or c.korean)
    slavic = spelling_rules and _slavic_name(q_tokens, c_tokens)
    written_chinese = person and (written_q or written_c)

    def align_names(
        query: list[Token], candidate: list[Token]
    ) -> tuple[list[Pair], list[Token], list[Token]]:
        return align(
            query,
            candidate,
            korean,
            stats,
            spelling_rules,
            arabic_reading,
            syllables=person,
            slavic=slavic,
            written_chinese=written_chinese,
        )

    pairs, rest_q, rest_c = align_names(q_tokens, c_tokens)
    if (
        person
        and (rest_q or rest_c)
        and not korean
        and _chinese_latin(q_tokens)
        and _chinese_latin(c_tokens)
    ):
        # Aligned again, Wade-Giles words first: a spelling likeness would pair ming with
        # Zhiming (Chih-ming ~ Zhiming), and leave Chih alone.
        chinese: list[Pair] = []
        align_q, align_c = _wade_giles(q_tokens, c_tokens, stats, chinese)
        if chinese:
            pairs, rest_q, rest_c = align_names(align_q, align_c)
            pairs[:0] = chinese
    if person and rest_q and rest_c:
        rest_q, rest_c = _compound_parts(rest_q, rest_c, stats, pairs)
    if pairs and not rest_q and not rest_c and all(p.sim is IDENTICAL for p in pairs):
        # The same words: no rule below applies to two names without a word of their own.
        match = NameMatch(1.0, method=q.method if q.method != "written" else c.method)
        match.pairs = pairs
        return match
    if organisation and rest_q and rest_c:
        rest_q, rest_c = _same_stems(rest_q, rest_c, stats, pairs)

    if organisation and rest_q and rest_c:
        rest_q, rest_c = _leftover_acronyms(rest_q, rest_c, stats, pairs)
    aligned = sum(p.weight for p in pairs)
    num = sum(p.sim.score * p.weight for p in pairs)
    den = aligned + EXTRA_QUERY_WEIGHT * sum(stats.weight(t) for t in rest_q)
    kunya_q = _kunya(q_tokens) if rest_q and not organisation else set()
    if person and rest_q:
        # A person's particles (bin, Ould) and kunya (Abu Muhammad) left over are by-names
        # and links of the lineage, not who is meant: they count as a listed name's extra
        # words do.
        by_names = kunya_q | {id(t) for t in rest_q if t.text in PARTICLES}
        den -= (EXTRA_QUERY_WEIGHT - EXTRA_CANDIDATE_WEIGHT) * sum(
            stats.weight(t) for t in rest_q if id(t) in by_names
        )
    extra = EXTRA_CANDIDATE_WEIGHT_ORG if organisation else EXTRA_CANDIDATE_WEIGHT
    den += extra * sum(stats.weight(t) for t in rest_c)
    if den <= 0 or aligned <= 0:
        acronym = _acronym(q_tokens, c_tokens) or _acronym(c_tokens, q_tokens)
        if acronym:
            why = [f"leading letters: `{_shown(q_tokens)}` ~ `{_shown(c_tokens)}`"]
            return NameMatch(acronym, method="acronym", details=why)
        return NameMatch(0.0)
    # How much of the names is found (coverage, calibrated) times how alike the found words
    # are (quality): a loose likeness of one word (Manaure ~ Manar, 0.71) stays loose.
    score = (aligned / den) ** CALIBRATION * (num / aligned) ** QUALITY
    details: list[str] = []
    if organisation and score < OWN_WORDS_FOUND and (rest_q or rest_c):
        own = _listed_words_found(q_tokens, c_tokens, pairs, stats)
        if own:
            score = OWN_WORDS_FOUND
            details.append(
                f"the listed name's own words ({', '.join(f'`{t.shown}`' for t in own[:3])}) "
                f"all found; the rest says what the firm is or does: at least {OWN_WORDS_FOUND}"
            )
    # A known family name must be found in the other name.
    matched_q = {id(t) for p in pairs for t in p.query}
    matched_c = {id(t) for p in pairs for t in p.candidate}
    # Only where the other name has a name of its own left over (a competing family name):
    # a listed name fully found in a longer query (SHABAN, Adib ~ AL-ANI, Adib Shaban) is
    # an extra name part, already counted in the share.
    lost_q = [t for t in q_tokens if t.surname and id(t) not in matched_q]
    lost_c = [t for t in c_tokens if t.surname and id(t) not in matched_c]
    # A Russian surname found only as an initial (Vinogradov ~ SHESTAKOV, Ilya V, the V
    # his patronymic's) is a name of its own left over.
    as_initial = [p for p in pairs if p.sim.how == "initial"]
    initial_q = [p.query[0] for p in as_initial if _russian_surname(p.query[0].text)]
    initial_c = [p.candidate[0] for p in as_initial if _russian_surname(p.candidate[0].text)]
    if not any(_distinct(t, stats) for t in [*rest_c, *initial_c]):
        lost_q = []
    if not any(_distinct(t, stats) for t in [*rest_q, *initial_q]):
        lost_c = []
    if lost_q and not organisation:
        score *= SURNAME_MISSING
        details.append(f"surname `{lost_q[0].shown}` not in the listed name: x{SURNAME_MISSING}")
    elif lost_c and not organisation:
        score *= LISTED_SURNAME_MISSING
        details.append(
            f"listed surname `{lost_c[0].shown}` not in the query: x{LISTED_SURNAME_MISSING}"
        )
    if not organisation:
        # A Chinese name's given syllables are common (Jian, Wei), yet another given name
        # is another person: a written Chinese person's word left over is one of its own,
        # against any other name's, an English one too. The surname alone is no match:
        # CHANG Wen-Fu and CHANG, Tony, aliases of one man, are each found by their own
        # words; 林军 is not LAM, Carrie, 叶杰 not YE, Theit Thinzar.
        own_q = [t for t in rest_q if _distinct(t, stats) or (written_q and _own_syllable(t))]
        own_c = [t for t in rest_c if _distinct(t, stats) or (written_c and _own_syllable(t))]
        if own_q and own_c and score > DISTINCT_NAMES_CAP:
            # A kunya left on one side only is a by-name; one on each side, two sons' names.
            left_q = kunya_q & {id(t) for t in rest_q}
            left_c = _kunya(c_tokens) & {id(t) for t in rest_c}
            if bool(left_q) != bool(left_c):
                own_q = [t for t in own_q if id(t) not in left_q]
                own_c = [t for t in own_c if id(t) not in left_c]
        # A Chinese name in Latin: its given names are syllables, not consonants (Donglei is
        # not Daniel, whatever their consonants).
        # Nor a Korean one: Bok is not Kyaw, Nam not Saam, whatever their consonants.
        syllables = bool(own_q and own_c) and (written_q or written_c or q.korean or c.korean)
        # A name loosely like one on the other side may be its spelling; the others are
        # names of their own (Sara Marilyn / Lupe Maritza: Sara and Lupe).
        apart_q = [a for a in own_q if not any(_loosely_alike(a, b, syllables) for b in own_c)]
        apart_c = [b for b in own_c if not any(_loosely_alike(a, b, syllables) for a in own_q)]
        if (
            apart_q
            and apart_c
            and score > DISTINCT_NAMES_CAP
            and not (
                # A surname that differs is another family (MEZA ANGULO / MEZA FLORES).
                not any(t.surname for t in own_q + own_c)
                and _same_given_and_lineage(q_tokens, c_tokens, pairs)
            )
        ):
            score = DISTINCT_NAMES_CAP
            details.append(
                f"`{apart_q[0].shown}` vs `{apart_c[0].shown}`: a distinct name on each side, "
                f"likely another person: capped at {DISTINCT_NAMES_CAP}"
            )
        given = _other_given_pair(rest_q, rest_c) if score > DISTINCT_NAMES_CAP and person else None
        if given is not None:
            # Common given names weigh little (Yuriy, Ivan), yet one on each side that are
            # two names is two people: Yuriy NOVIKOV is not Yan NOVIKOV.
            score = DISTINCT_NAMES_CAP
            details.append(
                f"`{given[0].shown}` vs `{given[1].shown}`: two given names, another person: "
                f"capped at {DISTINCT_NAMES_CAP}"
            )
        if (
            (written_q or written_c)
            and not korean  # two Korean names: their syllables decide, in either order
            and score > DISTINCT_NAMES_CAP
            and _surnames_apart(q_tokens, c_tokens, pairs)
        ):
            score = DISTINCT_NAMES_CAP
            details.append(
                "a Chinese name's surname is not the other name's surname: another family: "
                f"capped at {DISTINCT_NAMES_CAP}"
            )
        if (
            (written_q or written_c)
            and (written_q or q.korean)
            and (written_c or c.korean)
            and score > EXTRA_SYLLABLE_CAP
            and bool(own_q) != bool(own_c)
            and _surnames_found(q_tokens, c_tokens, pairs)
            and not _married_surname(own_q or own_c, q_tokens if own_q else c_tokens)
        ):
            # LI Hong ~ LI Hong Ri, WEI Long ~ WEI Hsueh Lung: a Chinese given name of one
            # or two syllables is written whole; one more is another name, as in Korean.
            surplus = (own_q or own_c)[0]
            score = EXTRA_SYLLABLE_CAP
            details.append(
                f"`{surplus.shown}`: a given syllable in one Chinese name only, another name: "
                f"capped at {EXTRA_SYLLABLE_CAP}"
            )
        father_q = [t for t in rest_q if t.kind == PATRONYMIC]
        father_c = [t for t in rest_c if t.kind == PATRONYMIC]
        if father_q and father_c and score > PATRONYMIC_CONFLICT_CAP:
            # KONONOV, Vladimir Petrovich / Mikhaylovich: two fathers, two men.
            score = PATRONYMIC_CONFLICT_CAP
            details.append(
                f"patronymics `{father_q[0].shown}` vs `{father_c[0].shown}` differ: "
                f"another father, likely another person: capped at {PATRONYMIC_CONFLICT_CAP}"
            )
        slot = _patronymic_as_surname(pairs, rest_q, rest_c)
        if slot is not None and score > PATRONYMIC_CONFLICT_CAP:
            score = PATRONYMIC_CONFLICT_CAP
            details.append(
                f"`{slot.query[0].shown}` is one name's patronymic, the other's surname; "
                f"each has its own surname or patronymic besides: likely another person: "
                f"capped at {PATRONYMIC_CONFLICT_CAP}"
            )
        other = _other_chinese_syllables(pairs) if score > DIFFERENT_GIVEN_CAP else None
        if other is not None and written_q and written_c:
            score = DIFFERENT_GIVEN_CAP
            details.append(
                f"`{other.query[0].shown}` vs `{other.candidate[0].shown}`: other Chinese "
                f"syllables, another name: capped at {DIFFERENT_GIVEN_CAP}"
            )
        strong = [p for p in pairs if p.sim.score >= 0.8 and p.query[0].kind == NAME]
        # Either way round: a one-word query (Ahmed ~ Ahmed Diriye) or a one-word listed
        # alias (HABBASH, George ~ the weak alias George of another man).
        # Without the lists' word counts every word weighs as rare: then only long ones. A
        # query with a firm's words (Mada Technology Trading) is no person's one name.
        bare = not any(
            t.kind == LEGAL or (t.kind == GENERIC and t.text not in TITLES) for t in q_tokens
        )
        query_length = ONE_NAME_LENGTH_QUERY if stats.names > 0 and bare else ONE_NAME_LENGTH
        for tokens, rest, length in (
            (q_tokens, rest_c, query_length),
            (c_tokens, rest_q, ONE_NAME_LENGTH),
        ):
            unmatched = sum(stats.weight(t) for t in rest if t.kind == NAME)
            # A particle counts when it is found (ABU BAKR ~ Abubakar), not when left (ABU
            # KHALIL ~ Nazmi Salih Khalil AYYAD: one name in common).
            names = [
                t
                for t in tokens
                if t.kind == NAME
                and (t.text not in PARTICLES or id(t) in matched_q or id(t) in matched_c)
            ]
            single = names[0] if len(names) == 1 else None
            if (
                single is not None
                and len(strong) == 1
                and unmatched >= 0.5
                and score > ONE_PART_CAP
                # A long, rare name (Atiqullah, Khairullah) names one person; Ahmed does not.
                and not (len(single.text) >= length and stats.weight(single) >= 0.9)
            ):
                score = ONE_PART_CAP
                details.append(f"only one name part in common: capped at {ONE_PART_CAP}")
    for side, tokens, label in (
        ("query", q_tokens, "query"),
        ("candidate", c_tokens, "listed name"),
    ):
        if kind == "person":
            break  # persons: the surname and distinct-name rules above
        lost = _unmatched_own_words(tokens, pairs, side, stats)
        if lost and score > DISTINCTIVE_UNMATCHED_CAP:
            score = DISTINCTIVE_UNMATCHED_CAP
            details.append(
                f"the {label}'s own words ({', '.join(f'`{t.shown}`' for t in lost[:3])}) "
                f"are not in the other name, only common words are: capped at "
                f"{DISTINCTIVE_UNMATCHED_CAP}"
            )
            break
    # Numbers and ordinals in digits or words (48, 48TH, SECOND; not a Roman numeral, which
    # may be a letter).
    numbers_q = {t.shown for t in rest_q if t.kind == NUMBER or _is_ordinal(t.text)}
    numbers_c = (
        {t.shown for t in rest_c if t.kind == NUMBER or _is_ordinal(t.text)} if numbers_q else set()
    )
    if numbers_q and numbers_c:
        score *= NUMBER_MISMATCH
        details.append(
            f"different numbers ({', '.join(sorted(numbers_q))} vs "
            f"{', '.join(sorted(numbers_c))}): another one of a series, x{NUMBER_MISMATCH}"
        )
    if organisation and rest_q and rest_c:
        cities_q = {c for t in rest_q for c in _token_places(t.text, t.shown)}
        cities_c = (
            {c for t in rest_c for c in _token_places(t.text, t.shown)} if cities_q else set()
        )
        # Of one level: a city and a country may be one place (Yanbian, China).
        if {c[0] for c in cities_q} & {c[0] for c in cities_c}:
            score *= CITY_CONFLICT
            details.append(
                f"different places (`{sorted(cities_q)[0][1]}` vs `{sorted(cities_c)[0][1]}`): "
                f"another firm of the name, x{CITY_CONFLICT}"
            )
        q_cls, c_cls = _classes(q_tokens), _classes(c_tokens)
        if q_cls and c_cls and not q_cls & c_cls:
            score *= CLASS_CONFLICT
            details.append(
                f"different kinds of organisation ({', '.join(sorted(q_cls))} vs "
                f"{', '.join(sorted(c_cls))}): x{CLASS_CONFLICT}"
            )
        elif (
            (q_only := _descriptors(rest_q, not any(_own_word(t, stats) for t in q_tokens)))
            and (c_only := _descriptors(rest_c, not any(_own_word(t, stats) for t in c_tokens)))
            and not _classes(q_only) & _classes(c_only)  # aviation = aircraft: synonyms
            and not _frame_only([*q_only, *c_only])  # GROUP / INTERNATIONAL: one firm
        ):
            score *= SISTER_COMPANY
            details.append(
                f"`{q_only[0].shown}` vs `{c_only[0].shown}`: each name says what "
                f"the other does not (sister companies): x{SISTER_COMPANY}"
            )

    match = NameMatch(score, method=q.method if q.method != "written" else c.method)
    match.details = details
    match.pairs = pairs
    match.rest_q = rest_q
    match.rest_c = rest_c
    acronym = _acronym(q_tokens, c_tokens) or _acronym(c_tokens, q_tokens)
    if acronym and acronym > match.score:
        return NameMatch(
            acronym,
            method="acronym",
            details=[f"leading letters: `{_shown(q_tokens)}` ~ `{_shown(c_tokens)}`"],
        )
    return match


# A word left over on one side that spells the leading letters of words left over on the
# other (RSS JSC ~ Russian Space Systems Joint Stock Company; IRISL MTI ~ IRISL Maritime
# Training Institute; SMP Bank ~ Bank Severny Morskoy Put): an acronym of part of the name.
LEFTOVER_ACRONYM = TokenSim(0.8, "acronym")
LEFTOVER_ACRONYM_LETTERS = (3, 6)


def _leftover_acronyms(
    rest_q: list[Token], rest_c: list[Token], stats: Stats, pairs: list[Pair]
) -> tuple[list[Token], list[Token]]:
    for short_side in ("query", "candidate"):
        shorts, longs = (rest_q, rest_c) if short_side == "query" else (rest_c, rest_q)
        for token in list(shorts):
            run = _acronym_run(token, longs)
            if not run:
                continue
            weight = _pair_weight((token,), run, stats)
            if short_side == "query":
                pairs.append(Pair((token,), run, LEFTOVER_ACRONYM, weight))
            else:
                pairs.append(Pair(run, (token,), LEFTOVER_ACRONYM, weight))
            shorts.remove(token)
            for t in run:
                longs.remove(t)
    return rest_q, rest_c


# Russian firms' acronyms stand for the Russian words, which the lists translate (IEMZ Kupol =
# Kupol Izhevsk Electromechanical Plant: Izhevsky ElektroMekhanichesky Zavod; NPP Istok =
# Istok Research and Production Enterprise; TsNII = Central Research Institute; KhSZ =
# Khabarovsk Shipbuilding Yard; MZ = Machine Building Plant): an English word of the lists'
# translations may stand for its Russian word's initial letters, and a transliterated word
# for its first Russian letter (Kh, Ts, Ch, Sh, Zh). "" marks the second word of a pair that
# is one Russian word (machine building: mashinostroitelny). Two-letter acronyms (MZ, KZ)
# only where a Russian initial is used, so that English AB ~ Alpha Beta stays unread.
_RUSSIAN_INITIALS = {
    "plant": ("z",),
    "factory": ("z", "f"),
    "works": ("z",),
    "yard": ("z",),
    "shipyard": ("sz",),
    "research": ("n", "ni", "i"),
    "scientific": ("n",),
    "production": ("p",),
    "enterprise": ("p",),
    "association": ("o",),
    "design": ("k",),
    "experimental": ("o",),
    "electromechanical": ("em",),
    "central": ("ts",),
    "state": ("g",),
    "instrument": ("p",),
    "company": ("k",),
    "concern": ("k",),
    "combine": ("k",),
    "military": ("v",),
    "shipbuilding": ("s",),
    "building": ("",),
    "making": ("",),
}
_RUSSIAN_DIGRAPHS = ("kh", "ts", "ch", "sh", "zh")


def _initials(text: str) -> tuple[tuple[str, bool], ...]:
    """A word's possible initial letters, each flagged when it is a Russian reading."""
    out = [(text[0], False)]
    if text[:2] in _RUSSIAN_DIGRAPHS:
        out.append((text[:2], True))
    out.extend((initial, True) for initial in _RUSSIAN_INITIALS.get(text, ()))
    return tuple(out)


def _spells(letters: str, words: list[Token], start: int) -> int:
    """How many words from ``start`` spell ``letters`` (0: none): 1 bit for a Russian
    reading used, shifted left (the count is ``result >> 1``)."""

    def walk(pos: int, word: int, russian: bool) -> int:
        if pos == len(letters):
            return ((word - start) << 1) | russian if word > start else 0
        if word >= len(words):
            return 0
        for initial, is_russian in _initials(words[word].text):
            if initial == "" and word == start:
                continue  # building alone is not the rest of machine building
            if letters.startswith(initial, pos):
                found = walk(pos + len(initial), word + 1, russian or is_russian)
                if found:
                    return found
        return 0

    return walk(0, start, False)


def _acronym_run(token: Token, others: list[Token]) -> tuple[Token, ...]:
    """Consecutive words of ``others`` whose initials spell ``token``, one each."""
    letters = token.text
    low, high = LEFTOVER_ACRONYM_LETTERS
    if token.kind != NAME or token.method or not (2 <= len(letters) <= high):
        return ()
    if not letters.isalpha():
        return ()
    words = [t for t in others if t.kind in (NAME, GENERIC) and not t.method]
    for start in range(len(words)):
        found = _spells(letters, words, start)
        if found and (len(letters) >= low or found & 1):
            return tuple(words[start : start + (found >> 1)])
    return ()


def _acronym(short: list[Token], long: list[Token]) -> float:
    """KOMID ~ KOrea MIning Development (Trading Corporation): leading letters, in order."""
    if len(short) != 1 or short[0].kind != NAME:
        return 0.0
    letters = short[0].text
    words = [t.text for t in long if t.kind in (NAME, GENERIC)]
    if len(letters) < 3 or len(letters) > 8 or len(words) < 3 or not letters.isalpha():
        return 0.0

    def fits(pos: int, word: int, used: int) -> bool:
        if pos == len(letters):
            return used >= 3
        if word >= len(words):
            return False
        for take in (1, 2, 3):
            if (
                take <= len(words[word])
                and letters.startswith(words[word][:take], pos)
                and fits(pos + take, word + 1, used + 1)
            ):
                return True
        return False

    return 0.8 if fits(0, 0, 0) else 0.0


# -- Korean persons -------------------------------------------------------------------------

SURNAME_SYLLABLE_WEIGHT = 0.5
GIVEN_SYLLABLE_FLOOR = 0.5  # a given-name syllable below this: another person
DIFFERENT_GIVEN_CAP = 0.55
EXTRA_SYLLABLE_CAP = 0.6  # Korean given names have two syllables: a third is another name


def _person_syllables(reading: Reading) -> list[list[tuple[tuple[ko.Syllable, ...], Token]]]:
    """Per name token, its alternative syllable parses (each token may spell several)."""
    out = []
    for segment in reading.segments:
        for token in segment.options[0]:
            if token.kind == STOP:
                continue
            options = parses(token)
            if not options:
                return []
            # The shortest parses only (a name syllable is one parse, Jongun two), at most
            # a few alternatives each: the sequences multiply.
            shortest = min(len(p) for p in options)
            kept = [p for p in options if len(p) <= shortest + 1][:8]
            out.append([(p, token) for p in kept])
    return out


def compare_korean_persons(q: Reading, c: Reading) -> NameMatch:
    """Syllable by syllable: KIM Jong Un = 김정은 = Gim Jeong-eun = Ким Чен Ын."""
    q_parts, c_parts = _person_syllables(q), _person_syllables(c)
    if not q_parts or not c_parts:
        return NameMatch(0.0)
    best = NameMatch(0.0)
    for q_seq, q_src in _sequences(q_parts):
        for c_seq, c_src in _sequences(c_parts):
            if len(c_src) >= 2 and c_src[-1].surname and not c_src[0].surname:
                # A listed name in Western order with its surname marked (Son-gwang KIM):
                # compared surname first, as the query's rotations are.
                c_seq, c_src = _rotations(c_seq, c_src)[1]
            if q_src[0].method in _SCRIPT_ORDER:
                # A name read from Hangul or Han characters is written surname first: 宋伟春
                # is Song Wi-chun, never Wi-chun Song (~ RI Chun Song); the listed name may
                # turn (Jong-un Kim), unless read from a script too or its surname is marked
                # first (RI, Chun Song).
                turns = (
                    [(c_seq, c_src)]
                    if c_src[0].method in _SCRIPT_ORDER or _marked_first(c_src)
                    else _rotations(c_seq, c_src)
                )
                for turned, c_rot in enumerate(turns):
                    if turned and not _surname_whole(c_rot[1], q_src):
                        continue
                    match = _syllable_score((q_seq, q_src), *c_rot)
                    if match.score > best.score:
                        best = match
                continue
            for turned, q_rot in enumerate(_rotations(q_seq, q_src)):
                if turned and not _surname_whole(q_rot[1], c_src):
                    continue
                match = _syllable_score(q_rot, c_seq, c_src)
                if match.score > best.score:
                    best = match
    best.method = "Korean syllables"
    return best


_SCRIPT_ORDER = frozenset((MR, HANJA))


def _marked_first(src: list[Token]) -> bool:
    """The first word is the surname as the list marks it (upper case among mixed case: RI,
    Chun Song), not as guessed from a Korean surname's spelling (Jong-un Kim)."""
    first = src[0]
    return first.surname and first.shown.isupper() and any(not t.shown.isupper() for t in src)


def _surname_whole(q_src: list[Token], c_src: list[Token]) -> bool:
    """A query's words turned (surname to the other end) only into an order in which the
    surname, at the front or the back, is a word of as many syllables on both sides (or a
    name is one word: KIMJONGUN). A syllable inside a given name is not a surname moved:
    LI Lijian turned is Lijian LI, not LI Jianli."""
    if q_src[0] is q_src[-1] or c_src[0] is c_src[-1]:
        return True

    def run(src: list[Token], token: Token) -> int:
        return sum(1 for t in src if t is token)

    return run(q_src, q_src[0]) == run(c_src, c_src[0]) or run(q_src, q_src[-1]) == run(
        c_src, c_src[-1]
    )


def _sequences(
    parts: list[list[tuple[tuple[ko.Syllable, ...], Token]]],
) -> list[tuple[list[ko.Syllable], list[Token]]]:
    combos: list[tuple[list[ko.Syllable], list[Token]]] = [([], [])]
    for alternatives in parts:
        combos = [
            (seq + list(parse), src + [token] * len(parse))
            for seq, src in combos
            for parse, token in alternatives
        ][:96]
    return combos


def _rotations(
    seq: list[ko.Syllable], src: list[Token]
) -> list[tuple[list[ko.Syllable], list[Token]]]:
    """Surname first (Korean order) or last (Western order: Jong Un Kim), either way round:
    the last word moved to the front, or the first word moved to the end."""
    out = [(seq, src)]
    if len(seq) >= 2 and src[-1] is not src[0]:
        last = src[-1]
        size = sum(1 for t in src if t is last)
        out.append((seq[-size:] + seq[:-size], src[-size:] + src[:-size]))
        first = src[0]
        size = sum(1 for t in src if t is first)
        out.append((seq[size:] + seq[:size], src[size:] + src[:size]))
    return out


def _syllable_score(
    q: tuple[list[ko.Syllable], list[Token]],
    c_seq: list[ko.Syllable],
    c_src: list[Token],
) -> NameMatch:
    q_seq, q_src = q
    if len(q_seq) != len(c_seq):
        shorter = min(len(q_seq), len(c_seq))
        extra = abs(len(q_seq) - len(c_seq))
    else:
        shorter, extra = len(q_seq), 0
    num = den = 0.0
    details = []
    worst_given = 1.0
    for n in range(shorter):
        sim = ko.syllable_similarity(q_seq[n], c_seq[n])
        weight = SURNAME_SYLLABLE_WEIGHT if n == 0 else 1.0
        num += sim * weight
        den += weight
        if n > 0:
            worst_given = min(worst_given, sim)
    den += extra * 1.0
    score = num / den if den else 0.0
    if extra:
        score = min(score, EXTRA_SYLLABLE_CAP)
    q_shown = " ".join(dict.fromkeys(t.shown for t in q_src))
    c_shown = " ".join(dict.fromkeys(t.shown for t in c_src))
    details.append(f"`{q_shown}` ~ `{c_shown}`: syllables compared across romanisations")
    if extra:
        details.append(f"{extra} syllable(s) in one name only")
    surname = vocabulary().korean_surname_romanisations
    if q_src and q_src[0].text in surname:
        details.append(f"surname `{q_src[0].shown}` is common: weight {SURNAME_SYLLABLE_WEIGHT}")
    if shorter and ko.syllable_similarity(q_seq[0], c_seq[0]) < GIVEN_SYLLABLE_FLOOR:
        score = min(score, DIFFERENT_GIVEN_CAP)
        details.append("the surnames differ: another person")
    if worst_given < GIVEN_SYLLABLE_FLOOR:
        score = min(score, DIFFERENT_GIVEN_CAP)
        details.append("a given-name syllable differs: another person")
    return NameMatch(score, q_shown, c_shown, details=details)


# -- Korean names in Mandarin readings -------------------------------------------------------

# A Korean name is written in Han characters, and Chinese records romanise those by their
# Mandarin readings: 李成赫 is RI Song Hyok in Korean, Li Cheng He in pinyin (the UN lists
# both for one man; KANG MUN KIL is also Jiang Wen-ji). Syllable by syllable, a Korean
# syllable meets a pinyin one when a common character reads as both (korean_mandarin.tsv).
# A syllable reads several characters, so a match is likely, not certain: three syllables
# or more make a match; two (Li Cheng) could be any of many names.
KOREAN_MANDARIN = 0.8
KOREAN_MANDARIN_TWO = 0.6
KOREAN_MANDARIN_METHOD = "Korean and Mandarin readings of Han characters"


class KoreanMandarin(NamedTuple):
    surname: dict[str, frozenset[str]]  # the surnames' characters (朴 Pak: piao, pu)
    given: dict[str, frozenset[str]]  # common characters, by their first reading


@lru_cache(maxsize=1)
def korean_mandarin() -> KoreanMandarin:
    """A Korean syllable's romanisation-invariant key -> the pinyin syllables of the
    characters it reads (all syllables of one key pooled: Song is 성 or 송)."""
    tables: dict[str, dict[str, set[str]]] = {"surname": {}, "given": {}}
    for hangul, readings, kind in data_rows("korean_mandarin.tsv"):
        key = ko.syllable_key((ko.hangul_syllable(hangul),))
        tables[kind].setdefault(key, set()).update(readings.split("|"))
    surname, given = (
        {k: frozenset(v) for k, v in tables[kind].items()} for kind in ("surname", "given")
    )
    return KoreanMandarin(surname, given)


@lru_cache(maxsize=1)
def _mandarin_korean() -> dict[str, frozenset[str]]:
    """A pinyin syllable -> the keys of the Korean syllables that read it (korean_mandarin
    turned round), for finding a Korean listed name by its Mandarin reading."""
    out: dict[str, set[str]] = {}
    for table in korean_mandarin():
        for key, readings in table.items():
            for reading in readings:
                out.setdefault(reading, set()).add(key)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=100_000)
def korean_syllable_keys(text: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Per reading of a pinyin or Wade-Giles word as syllables (Zhengen: zheng en, zhen
    gen), per syllable the index keys (``k:``) of the Korean syllables that read it."""
    table = _mandarin_korean()
    return tuple(
        tuple(tuple(sorted("k:" + k for k in table.get(p, ()))) for p in split)
        for split in _fewest(mandarin_syllables(text))
    )


def _fewest(splits: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """A word's readings as syllables: its fewest syllables, or one more, at most four."""
    if not splits:
        return ()
    shortest = min(len(s) for s in splits)
    return tuple(s for s in splits if len(s) <= shortest + 1)[:4]


def mandarin_words(reading: Reading) -> list[Token]:
    """A Latin name's words when every one of them reads as pinyin syllables (in pinyin or
    Wade-Giles), two at least; else none."""
    if reading.method != "written":
        return []
    words = [t for s in reading.segments for t in s.options[0] if t.kind != STOP]
    if len(words) < 2:
        return []
    if all(t.kind == NAME and mandarin_syllables(t.text) for t in words):
        return words
    return []


def _mandarin_sequences(reading: Reading) -> list[tuple[tuple[str, ...], list[Token]]]:
    """A Latin name's readings as pinyin syllables (with the word each comes from): every
    word of it must read so, two words at least. Per word its fewest syllables, or one more."""
    parts = []
    for token in mandarin_words(reading):
        parts.append([(s, token) for s in _fewest(mandarin_syllables(token.text))])
    if not parts:
        return []
    combos: list[tuple[tuple[str, ...], list[Token]]] = [((), [])]
    for alternatives in parts:
        combos = [
            ((*seq, *split), src + [token] * len(split))
            for seq, src in combos
            for split, token in alternatives
        ][:48]
    return combos


def compare_korean_mandarin(q: Reading, c: Reading) -> NameMatch:
    """One name's Korean syllables against the other's pinyin, either way round, the
    Korean name's surname first or last (Wen-ji JIANG ~ KANG MUN KIL)."""
    best = NameMatch(0.0)
    for korean, mandarin, flipped in ((q, c, False), (c, q, True)):
        if not korean.korean:
            continue
        pinyin = _mandarin_sequences(mandarin)
        if not pinyin:
            continue
        if _pinyin_person(_plain(korean)[0]):
            continue  # a Chinese name in pinyin: WANG Wei is not the Korean Wang We-i
        # Each Korean word in its fewest syllables (Wei is one, not we-i).
        k_parts = [
            [(p, t) for p, t in alternatives if len(p) == min(len(a) for a, _ in alternatives)]
            for alternatives in _person_syllables(korean)
        ]
        if not k_parts:
            continue
        for k_seq, k_src in _sequences(k_parts):
            for r_seq, r_src in _rotations(k_seq, k_src):
                match = _mandarin_score(r_seq, r_src, pinyin)
                if match is not None and match.score > best.score:
                    if flipped:
                        match.query, match.candidate = match.candidate, match.query
                    best = match
        if best.score >= KOREAN_MANDARIN:
            break
    best.method = KOREAN_MANDARIN_METHOD
    return best


def _mandarin_score(
    k_seq: list[ko.Syllable],
    k_src: list[Token],
    pinyin: list[tuple[tuple[str, ...], list[Token]]],
) -> NameMatch | None:
    """The Korean syllables read, one by one, as some sequence of the pinyin's syllables."""
    tables = korean_mandarin()
    keys = [ko.syllable_key((s,)) for s in k_seq]
    # The surname's syllable reads a surname's character (김 is 金 Jin, 박 朴 Piao), the
    # others common characters by their first reading.
    # Surname and surname align: the Chinese name's is its first word, or the one written
    # as a surname (Wen-ji JIANG, JIANG, Wen-ji); Deng Wenjin is not Wen Jin of the Deng.
    korean_surnames = vocabulary().korean_surname_romanisations
    family = next((t for t in k_src if t.surname and t.text in korean_surnames), k_src[0])
    readings = [tables.surname if t is family else tables.given for t in k_src]
    at = [n for n, t in enumerate(k_src) if t is family]
    chinese_surnames = chinese_surname_spellings()
    for p_seq, p_src in pinyin:
        if len(p_seq) != len(keys):
            continue
        # The Chinese name's surname: its first word, or one written as a surname that is
        # one (a list's capitals may mark a given syllable: Li Cheng HE).
        p_family = [t for t in p_src if t is p_src[0] or (t.surname and t.text in chinese_surnames)]
        if not any([n for n, t in enumerate(p_src) if t is f] == at for f in p_family):
            continue
        if all(p in table.get(k, ()) for k, p, table in zip(keys, p_seq, readings, strict=True)):
            score = KOREAN_MANDARIN if len(keys) >= 3 else KOREAN_MANDARIN_TWO
            k_shown = " ".join(dict.fromkeys(t.shown for t in k_src))
            p_shown = " ".join(dict.fromkeys(t.shown for t in p_src))
            by_word: dict[int, list[str]] = {}
            for token, p in zip(k_src, p_seq, strict=True):
                by_word.setdefault(id(token), [token.shown]).append(p)
            syllables = ", ".join(f"{w[0]} = {' '.join(w[1:])}" for w in by_word.values())
            details = [
                f"`{k_shown}` ~ `{p_shown}`: the Korean syllables read, one by one, Han "
                f"characters of which the pinyin is the other name's ({syllables}): likely one "
                "name in Korean and in Mandarin readings"
            ]
            if len(keys) < 3:
                details.append(f"two syllables only: at most {KOREAN_MANDARIN_TWO}")
            return NameMatch(score, k_shown, p_shown, details=details)
    return None


# -- names ----------------------------------------------------------------------------------


# Vessels: ships of one owner or series share all but one word of their names (TONG HUNG 1
# and PU HUNG 1, NS BRAVO and BS BRAVO, KUM UN SAN and KUM UN SAN 3). A word on each side
# that the other lacks, a number on one side only or another Roman numeral is another ship:
# the name alone is then below the threshold (the IMO number still decides).
VESSEL_OTHER_SHIP_CAP = 0.6
_ROMAN = frozenset(_ROMAN_VALUE) - {"i"}  # I is a letter more often than one


def _vessel_words(tokens: Iterable[Token]) -> list[Token]:
    return [t for t in tokens if t.kind not in (STOP, NUMBER) and t.text not in _ROMAN]


def vessel_rules(match: NameMatch) -> NameMatch:
    """Cap a vessel name pair that names another ship of a series (see above)."""
    if match.score <= VESSEL_OTHER_SHIP_CAP:
        return match
    why = ""
    own_q, own_c = _vessel_words(match.rest_q), _vessel_words(match.rest_c)
    # A letter that aligns with a word as its initial names no ship: LADY R is not LADY RANIA.
    initials = [p for p in match.pairs if p.sim.how == "initial"]
    own_q += [t for p in initials for t in p.query]
    own_c += [t for p in initials for t in p.candidate]
    numbers_q = [t for t in match.rest_q if t.kind == NUMBER or t.text in _ROMAN]
    numbers_c = [t for t in match.rest_c if t.kind == NUMBER or t.text in _ROMAN]
    roman = [
        p
        for p in match.pairs
        if _shown(p.query).lower() in _ROMAN
        and _shown(p.candidate).lower() in _ROMAN
        and _shown(p.query).lower() != _shown(p.candidate).lower()
    ]
    if (
        own_q
        and own_c
        and not any(
            min(len(a.text), len(b.text)) >= 4 and _loosely_alike(a, b)
            for a in own_q
            for b in own_c
        )
    ):
        why = f"`{own_q[0].shown}` vs `{own_c[0].shown}`: a word on each side"
    elif bool(numbers_q) != bool(numbers_c):
        why = f"`{(numbers_q or numbers_c)[0].shown}` on one side only"
    elif roman:
        why = f"`{_shown(roman[0].query)}` vs `{_shown(roman[0].candidate)}`"
    elif numbers_q and numbers_c and any(t.text in _ROMAN for t in numbers_q + numbers_c):
        why = f"`{numbers_q[0].shown}` vs `{numbers_c[0].shown}`"  # Arabic ones: x0.4 above
    if why:
        match.score = VESSEL_OTHER_SHIP_CAP
        match.details.append(f"{why}, likely another ship: capped at {VESSEL_OTHER_SHIP_CAP}")
    return match


# A body of the state is its country's: a query that names a country none of the listed
# entity's countries (its list record's), where the listed name names none, is another
# country's (Минобороны России ~ the DPRK's MINISTRY OF DEFENCE). A ministry, committee or
# bureau so is capped below the threshold; another firm counts as two places do.
OTHER_COUNTRY_CAP = 0.65


def country_rules(match: NameMatch, countries: frozenset[str]) -> NameMatch:
    """Weigh a name pair by the listed entity's countries (see above)."""
    if not countries or not match.rest_q or match.score <= OTHER_COUNTRY_CAP:
        return match
    listed = [t for p in match.pairs for t in p.candidate] + list(match.rest_c)
    if any(_country_codes(t) for t in listed):
        return match  # the listed name says its own country: the place rule has weighed it
    for token in match.rest_q:
        codes = _country_codes(token)
        if not codes or codes & countries:
            continue
        where = f"`{token.shown}` in the query, the listed entity of {', '.join(sorted(countries))}"
        if "government" in _classes(listed):
            match.score = OTHER_COUNTRY_CAP
            match.details.append(f"{where}: another country's body, capped at {OTHER_COUNTRY_CAP}")
        else:
            match.score *= CITY_CONFLICT
            match.details.append(f"{where}: another country's firm of the name, x{CITY_CONFLICT}")
        break
    return match


def _country_codes(token: Token) -> frozenset[str]:
    """The territories a word names (Russia, России, Burmese: ru, mm), by rigour's codes."""
    codes = vocabulary().territory_codes
    out: frozenset[str] = frozenset()
    for level, word in _token_places(token.text, token.shown):
        if level == "t":
            out |= codes.get(word, frozenset())
    return out


def compare_names(
    query: AnalysedName,
    candidate: AnalysedName,
    stats: Stats = DEFAULT_STATS,
    kind: str = "any",
) -> NameMatch:
    """The best score over all readings of both names, with its explanation."""
    best = NameMatch(0.0)
    for q in query.readings:
        for c in candidate.readings:
            if kind != "organisation" and (
                (q.method == HANJA and not c.korean) or (c.method == HANJA and not q.korean)
            ):
                # A person's characters read in Korean meet a Korean name only: 夏志 read
                # 하지 is not HAJI Sahib, 苏杰 소걸 not SOKOL.
                continue
            # Two names in pinyin with Chinese surnames are Chinese names (SUN Lei is not
            # SUN Wei, Jiandong not Jiantong), though Korean ones may spell them.
            korean = (
                q.korean
                and c.korean
                and not (_pinyin_person(_plain(q)[0]) and _pinyin_person(_plain(c)[0]))
            )
            match = compare_readings(q, c, stats, korean, kind)
            if korean and kind != "organisation" and ((q.korean and c.korean) or _latin(q, c)):
                person = compare_korean_persons(q, c)
                if person.score > 0:
                    # Both spell Korean syllables: the syllables decide, not the letters.
                    match = person
            if (
                kind != "organisation"
                and (q.korean or c.korean)
                and match.score < KOREAN_MANDARIN
                and best.score < KOREAN_MANDARIN
            ):
                mandarin = compare_korean_mandarin(q, c)
                if mandarin.score > match.score:
                    match = mandarin
            if match.score > best.score:
                best = match
                best.method = best.method or q.method
            if best.score >= 0.999:
                break
    best.query = query.original
    best.candidate = candidate.original
    return best


def _latin(q: Reading, c: Reading) -> bool:
    return q.method == "written" or c.method == "written"


def explain_name(match: NameMatch) -> str:
    head = f"`{match.query}` ~ `{match.candidate}`"
    if match.method and match.method != "written":
        head += f" via {match.method}"
    lines = match.lines()
    return head + ": " + "; ".join(lines) if lines else head


def round_score(value: float) -> float:
    return round(max(0.0, min(1.0, value)), 4)


def as_dict(match: NameMatch) -> dict[str, Any]:
    return {
        "score": round_score(match.score),
        "query": match.query,
        "candidate": match.candidate,
        "detail": explain_name(match),
    }
