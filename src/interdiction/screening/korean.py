"""Korean syllables, whatever the script: Hangul, the romanisations, and Russian Cyrillic.

One Korean name reaches the lists as 김정은, KIM Jong Un (the DPRK's McCune-Reischauer
style), Gim Jeong-eun (Revised Romanisation), Kim Jung-eun (South Korean usage) and Ким Чен Ын
(the Russian convention). No library maps all of these onto one another (rigour gives
"gimjeong-eun"), so this module reduces each to a sequence of syllables, and each syllable to
three sound classes (initial, vowel, final) that every romanisation preserves:

- initials: plain, aspirated and tense consonants share a class (ㄱ ㅋ ㄲ: K; ㅈ ㅊ ㅉ: C),
  because romanisations disagree on aspiration (Jong/Chong, Pak/Bak, Thae/Tae);
- vowels: ㅓ ㅗ ㅜ ㅡ share a class (O): the DPRK writes ㅓ as "o", Revised Romanisation "eo",
  South Koreans often "u" (Jong/Jeong/Jung, Un/Eun); ㅕ ㅛ ㅠ share YO; ㅐ ㅔ share E;
- finals are kept apart: n and ng, l and n, k and t are what tells Son from Song.

Hangul decomposes exactly; a Latin token is parsed into every syllable sequence it can spell
(Jongun: jong+un or jon+gun); Cyrillic follows the Russian (Kontsevich and older) conventions.
``syllable_similarity`` grades two syllables; the initial-sound law (리/이, 로/노, 류/유) is
a near-match, not a mismatch.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple


class Syllable(NamedTuple):
    initial: str  # K N T L M P S _ C H
    vowel: str  # A E YA YE O YO WA WE WO WI I
    final: str  # '' K N T L M P NG


HANGUL_BASE = 0xAC00
HANGUL_LAST = 0xD7A3

_INITIALS = [
    "K",
    "K",
    "N",
    "T",
    "T",
    "L",
    "M",
    "P",
    "P",
    "S",
    "S",
    "_",
    "C",
    "C",
    "C",
    "K",
    "T",
    "P",
    "H",
]
_VOWELS = [
    "A",
    "E",
    "YA",
    "YE",
    "O",
    "E",
    "YO",
    "YE",
    "O",
    "WA",
    "WE",
    "WE",
    "YO",
    "O",
    "WO",
    "WE",
    "WI",
    "YO",
    "O",
    "WI",
    "I",
]
_FINALS = [
    "",
    "K",
    "K",
    "K",
    "N",
    "N",
    "N",
    "T",
    "L",
    "K",
    "M",
    "L",
    "L",
    "L",
    "P",
    "L",
    "M",
    "P",
    "P",
    "T",
    "T",
    "NG",
    "T",
    "T",
    "K",
    "T",
    "P",
    "T",
]

# Display readings of Hangul jamo: the DPRK's McCune-Reischauer style without diacritics
# (as the UN and OFAC lists write North Korean names) and Revised Romanisation (South Korea).
_MR_INITIALS = [
    "k",
    "kk",
    "n",
    "t",
    "tt",
    "r",
    "m",
    "p",
    "pp",
    "s",
    "ss",
    "_",
    "j",
    "jj",
    "ch",
    "kh",
    "th",
    "ph",
    "h",
]
_MR_VOWELS = [
    "a",
    "ae",
    "ya",
    "yae",
    "o",
    "e",
    "yo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "u",
    "ui",
    "i",
]
_RR_INITIALS = [
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "_",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
]
_RR_VOWELS = [
    "a",
    "ae",
    "ya",
    "yae",
    "eo",
    "e",
    "yeo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "eu",
    "ui",
    "i",
]
_FINAL_LATIN = [
    "",
    "k",
    "k",
    "k",
    "n",
    "n",
    "n",
    "t",
    "l",
    "k",
    "m",
    "l",
    "l",
    "l",
    "p",
    "l",
    "m",
    "p",
    "p",
    "t",
    "t",
    "ng",
    "t",
    "t",
    "k",
    "t",
    "p",
    "t",
]

# Two-syllable surnames: the rest is the given name.
DOUBLE_SURNAMES = {"남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방", "어금", "망절"}


def is_hangul(char: str) -> bool:
    return HANGUL_BASE <= ord(char) <= HANGUL_LAST


def decompose(char: str) -> tuple[int, int, int]:
    code = ord(char) - HANGUL_BASE
    return code // 588, (code % 588) // 28, code % 28


def hangul_syllable(char: str) -> Syllable:
    i, v, f = decompose(char)
    return Syllable(_INITIALS[i], _VOWELS[v], _FINALS[f])


def hangul_syllables(text: str) -> tuple[Syllable, ...]:
    return tuple(hangul_syllable(c) for c in text if is_hangul(c))


def romanise_syllable(char: str, system: str = "mr") -> str:
    """One Hangul syllable in the lists' style ("mr") or Revised Romanisation ("rr")."""
    i, v, f = decompose(char)
    initials, vowels = (_MR_INITIALS, _MR_VOWELS) if system == "mr" else (_RR_INITIALS, _RR_VOWELS)
    initial = initials[i].replace("_", "")
    return initial + vowels[v] + _FINAL_LATIN[f]


def romanise(text: str, system: str = "mr") -> str:
    """A Hangul word romanised syllable by syllable (Hangul only; other characters kept)."""
    out = []
    for char in text:
        out.append(romanise_syllable(char, system) if is_hangul(char) else char)
    return "".join(out)


def split_person(word: str) -> tuple[str, str]:
    """Surname and given name of a Korean name written as one Hangul word (김정은)."""
    if len(word) >= 3 and word[:2] in DOUBLE_SURNAMES:
        return word[:2], word[2:]
    return word[:1], word[1:]


# -- Latin -------------------------------------------------------------------------------

_LAT_INITIALS: tuple[tuple[str, str], ...] = (
    ("tch", "C"),
    ("ch", "C"),
    ("jj", "C"),
    ("tj", "C"),
    ("j", "C"),
    ("kk", "K"),
    ("gg", "K"),
    ("kh", "K"),
    ("k", "K"),
    ("g", "K"),
    ("n", "N"),
    ("dd", "T"),
    ("tt", "T"),
    ("th", "T"),
    ("d", "T"),
    ("t", "T"),
    ("rh", "L"),
    ("r", "L"),
    ("l", "L"),
    ("m", "M"),
    ("bb", "P"),
    ("pp", "P"),
    ("ph", "P"),
    ("b", "P"),
    ("p", "P"),
    ("ss", "S"),
    ("sh", "S"),
    ("s", "S"),
    ("h", "H"),
    ("", "_"),
)
_LAT_VOWELS: tuple[tuple[str, str], ...] = (
    ("yae", "YE"),
    ("yeo", "YO"),
    ("you", "YO"),
    ("yoo", "YO"),
    ("wae", "WE"),
    ("weo", "WO"),
    ("eui", "WI"),
    ("wee", "WI"),
    ("woo", "O"),  # 우 as South Koreans write it (Woo, Wook)
    ("ae", "E"),
    ("ai", "E"),
    ("eo", "O"),
    ("eu", "O"),
    ("oo", "O"),
    ("ou", "O"),
    ("ya", "YA"),
    ("ye", "YE"),
    ("yo", "YO"),
    ("yu", "YO"),
    ("yi", "I"),
    ("wa", "WA"),
    ("oe", "WE"),
    ("oi", "WE"),
    ("we", "WE"),
    ("wo", "WO"),
    ("wi", "WI"),
    ("ui", "WI"),
    ("ee", "I"),
    ("a", "A"),
    ("e", "E"),
    ("o", "O"),
    ("u", "O"),
    ("i", "I"),
)
_LAT_FINALS: tuple[tuple[str, str], ...] = (
    ("ng", "NG"),
    ("ck", "K"),
    ("ll", "L"),
    ("k", "K"),
    ("g", "K"),
    ("n", "N"),
    ("l", "L"),
    ("r", "L"),
    ("m", "M"),
    ("p", "P"),
    ("b", "P"),
    ("t", "T"),
    ("d", "T"),
    ("", ""),
)
_VOWEL_START = set("aeiouwy")


def _by_first(table: tuple[tuple[str, Any], ...]) -> dict[str, tuple[tuple[str, Any], ...]]:
    """Spellings grouped by their first letter ("" spellings under every letter)."""
    out: dict[str, list[tuple[str, Any]]] = {}
    empty = [entry for entry in table if entry[0] == ""]
    letters = {entry[0][0] for entry in table if entry[0]}
    for letter in letters | set("abcdefghijklmnopqrstuvwxyzабвгдеёжзийклмнопрстуфхцчшщъыьэюя"):
        out[letter] = [entry for entry in table if entry[0].startswith(letter)] + empty
    return {k: tuple(v) for k, v in out.items()}


_LAT_I = _by_first(_LAT_INITIALS)
_LAT_V = _by_first(_LAT_VOWELS)
_LAT_F = _by_first(_LAT_FINALS)
_EMPTY_I: tuple[tuple[str, Any], ...] = (("", "_"),)
_EMPTY_F: tuple[tuple[str, Any], ...] = (("", ""),)
_SILENT_H = re.compile(r"([aeiou])h(?=[^aeiouwy]|$)")  # Oh, Noh, Ahn, Suh
_PARK_R = re.compile(r"([aeo])r(?=[kg](?:[^aeiouwy]|$))")  # Park, Kark: r before final k
_LATIN_WORD = re.compile(r"^[a-z]+$")
MAX_PARSES = 12


@lru_cache(maxsize=200_000)
def parse_latin(token: str) -> tuple[tuple[Syllable, ...], ...]:
    """Every way a Latin token can spell Korean syllables (empty when it cannot)."""
    word = token.lower().replace("'", "").replace("’", "").replace("-", "")
    if not word or not _LATIN_WORD.match(word) or len(word) > 24:
        return ()
    word = _PARK_R.sub(r"\1", _SILENT_H.sub(r"\1", word))
    results: list[tuple[Syllable, ...]] = []

    def walk(pos: int, acc: tuple[Syllable, ...]) -> None:
        if len(results) >= MAX_PARSES:
            return
        if pos == len(word):
            if acc:
                results.append(acc)
            return
        if len(acc) >= 6:
            return
        for ispell, icls in _LAT_I.get(word[pos], _EMPTY_I):
            if not word.startswith(ispell, pos):
                continue
            vpos = pos + len(ispell)
            if vpos >= len(word) or (ispell == "" and word[vpos] not in _VOWEL_START):
                continue
            for vspell, vcls in _LAT_V.get(word[vpos], ()):
                if not word.startswith(vspell, vpos):
                    continue
                fpos = vpos + len(vspell)
                finals = _LAT_F.get(word[fpos], _EMPTY_F) if fpos < len(word) else _EMPTY_F
                for fspell, fcls in finals:
                    if not word.startswith(fspell, fpos):
                        continue
                    end = fpos + len(fspell)
                    # A final consonant cannot be followed directly by a vowel of the same
                    # word: that consonant then begins the next syllable (Kimil = Ki+mil
                    # or Kim+il are both tried through the empty final).
                    walk(end, (*acc, Syllable(icls, vcls, fcls)))

    walk(0, ())
    # Fewest syllables first: "jong" is one syllable, not jo+ng.
    unique = sorted(dict.fromkeys(results), key=len)  # stable: the tables' order decides ties
    return tuple(unique[:MAX_PARSES])


# -- Cyrillic (Korean names in Russian sources) --------------------------------------------

_CYR_INITIALS: tuple[tuple[str, str], ...] = (
    ("тч", "C"),
    ("чж", "C"),  # Kontsevich's ㅈ (Пак Пон Чжу)
    ("ц", "C"),  # Koryo-saram spellings (Цой = 최)
    ("чх", "C"),
    ("чч", "C"),
    ("дж", "C"),
    ("ч", "C"),
    ("кх", "K"),
    ("кк", "K"),
    ("к", "K"),
    ("г", "K"),
    ("н", "N"),
    ("тх", "T"),
    ("тт", "T"),
    ("т", "T"),
    ("д", "T"),
    ("р", "L"),
    ("л", "L"),
    ("м", "M"),
    ("пх", "P"),
    ("пп", "P"),
    ("п", "P"),
    ("б", "P"),
    ("сс", "S"),
    ("с", "S"),
    ("ш", "S"),
    ("х", "H"),
    ("", "_"),
)
# Russian е after a consonant stands for ㅓ in the older convention (Чен = 정, Сен = 성) and
# for ㅔ/ㅐ in others: both classes are allowed.
_CYR_VOWELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ый", ("WI",)),
    ("ьи", ("WI",)),
    ("ве", ("WE",)),
    ("вэ", ("WE",)),
    ("ой", ("WE",)),  # Цой = 최 (the Koryo-saram spelling of Choe)
    ("ва", ("WA",)),
    ("во", ("WO",)),
    ("ви", ("WI",)),
    ("йо", ("YO",)),
    ("ё", ("YO",)),
    ("ю", ("YO",)),
    ("я", ("YA",)),
    ("е", ("O", "E", "YO", "YE")),
    ("э", ("E",)),
    ("а", ("A",)),
    ("о", ("O",)),
    ("у", ("O",)),
    ("ы", ("O",)),
    ("и", ("I",)),
)
_CYR_FINALS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("нъ", ("NG",)),
    ("нг", ("NG",)),
    ("ль", ("L",)),
    ("н", ("N", "NG")),  # Kontsevich writes final ㅇ as н (Ким Чен Ын)
    ("к", ("K",)),
    ("р", ("L",)),
    ("л", ("L",)),
    ("м", ("M",)),
    ("п", ("P",)),
    ("т", ("T",)),
    ("", ("",)),
)
_CYR_VOWEL_START = set("аеёиоуыэюяв")
_CYR_WORD = re.compile(r"^[а-яё]+$")


@lru_cache(maxsize=50_000)
def parse_cyrillic(token: str) -> tuple[tuple[Syllable, ...], ...]:
    """Korean syllables spelled by a Cyrillic token (Ким, Чен, Ын, Чхве)."""
    word = token.lower().replace("-", "")
    if not word or not _CYR_WORD.match(word) or len(word) > 20:
        return ()
    results: list[tuple[Syllable, ...]] = []

    def walk(pos: int, acc: tuple[Syllable, ...]) -> None:
        if len(results) >= MAX_PARSES:
            return
        if pos == len(word):
            if acc:
                results.append(acc)
            return
        if len(acc) >= 6:
            return
        for ispell, icls in _CYR_INITIALS:
            if not word.startswith(ispell, pos):
                continue
            vpos = pos + len(ispell)
            if ispell == "" and (vpos >= len(word) or word[vpos] not in _CYR_VOWEL_START):
                continue
            for vspell, vclasses in _CYR_VOWELS:
                if not word.startswith(vspell, vpos):
                    continue
                fpos = vpos + len(vspell)
                for fspell, fclasses in _CYR_FINALS:
                    if not word.startswith(fspell, fpos):
                        continue
                    for vcls in vclasses:
                        for fcls in fclasses:
                            walk(fpos + len(fspell), (*acc, Syllable(icls, vcls, fcls)))

    walk(0, ())
    unique = sorted(dict.fromkeys(results), key=len)  # stable: the tables' order decides ties
    return tuple(unique[:MAX_PARSES])


# -- similarity ----------------------------------------------------------------------------

_LIQUID = {"L", "N", "_"}  # the initial-sound law: 리/이, 로/노, 녀/여
_VOWEL_NEAR = {
    frozenset(("WI", "I")): 0.85,  # 희: Hui / Hee / Hi
    frozenset(("WE", "E")): 0.8,
    frozenset(("WO", "O")): 0.45,
    frozenset(("YE", "E")): 0.75,
    frozenset(("YO", "O")): 0.45,
    frozenset(("YA", "A")): 0.45,
    frozenset(("WA", "A")): 0.45,
}


def syllable_similarity(a: Syllable, b: Syllable) -> float:
    """1.0 for the same syllable in any romanisation; low for a different syllable."""
    if a == b:
        return 1.0
    if a.initial == b.initial:
        s_init = 1.0
    elif a.initial in _LIQUID and b.initial in _LIQUID:
        s_init = 0.9
    else:
        s_init = 0.2
    s_vowel = 1.0 if a.vowel == b.vowel else _VOWEL_NEAR.get(frozenset((a.vowel, b.vowel)), 0.2)
    s_final = 1.0 if a.final == b.final else 0.25
    return s_init * s_vowel * s_final


def sequence_similarity(a: tuple[Syllable, ...], b: tuple[Syllable, ...]) -> float:
    """Position-wise similarity of two syllable sequences of the same length (else 0)."""
    if len(a) != len(b) or not a:
        return 0.0
    total = 1.0
    for x, y in zip(a, b, strict=True):
        total *= syllable_similarity(x, y)
    return total


def best_parse_similarity(
    left: tuple[tuple[Syllable, ...], ...], right: tuple[tuple[Syllable, ...], ...]
) -> float:
    best = 0.0
    for a in left:
        for b in right:
            if len(a) == len(b):
                best = max(best, sequence_similarity(a, b))
                if best == 1.0:
                    return best
    return best


def syllable_key(syllables: tuple[Syllable, ...]) -> str:
    """A romanisation-invariant key (liquid initials folded): the same for 련합 and Yonhap."""
    parts = []
    for s in syllables:
        initial = "_" if s.initial in _LIQUID else s.initial
        vowel = {"WI": "I", "WE": "E"}.get(s.vowel, s.vowel)
        parts.append(f"{initial}{vowel}{s.final}")
    return ".".join(parts)
