"""Arabic-script names against their romanisations, by consonant skeleton.

Arabic writes few vowels; romanisations write them in many ways (Mohammed, Muhammad,
Mohamed). Both sides are reduced to consonant classes that survive romanisation
(محمد = Mohammed = MHMD; صدام = Saddam = SDM), long vowels and the article dropped, doubled
letters collapsed. ICU's Any-Latin gives "mhmd" for محمد, which no spelling matches; this
module is what rigour and ICU lack for screening.
"""

from __future__ import annotations

import re
from functools import lru_cache

_ARABIC = {
    "ب": "B",
    "پ": "B",
    "ت": "T",
    "ث": "T",
    "ج": "J",
    "چ": "C",
    "ح": "H",
    "خ": "H",
    "د": "D",
    "ذ": "D",
    "ر": "R",
    "ز": "Z",
    "ژ": "Z",
    "س": "S",
    "ش": "S",
    "ص": "S",
    "ض": "D",
    "ط": "T",
    "ظ": "Z",
    "غ": "G",
    "ف": "F",
    "ق": "K",
    "ك": "K",
    "ک": "K",
    "گ": "J",
    "ل": "L",
    "م": "M",
    "ن": "N",
    "ه": "H",
    "ۃ": "H",
}
_ARABIC_RE = re.compile(r"[\u0600-\u06ff]")
_LATIN_DIGRAPHS = (
    ("kh", "H"),
    ("sh", "S"),
    ("th", "T"),
    ("dh", "D"),
    ("gh", "G"),
    ("ch", "C"),
    ("dj", "J"),
    ("ph", "F"),
)
_LATIN = {
    "b": "B",
    "p": "B",
    "t": "T",
    "j": "J",
    "g": "J",
    "h": "H",
    "d": "D",
    "r": "R",
    "z": "Z",
    "s": "S",
    "f": "F",
    "k": "K",
    "q": "K",
    "c": "K",
    "l": "L",
    "m": "M",
    "n": "N",
    "x": "KS",
}
ARTICLE_ENDINGS = frozenset("LRSNDTZ")  # Abdul, Abdur, Abdus: the article joined to a word


def is_arabic(text: str) -> bool:
    return bool(_ARABIC_RE.search(text))


_MARKS = re.compile(r"[\u064b-\u0652\u0640]")  # short-vowel marks, tatweel
_LETTER_FORMS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ک": "ك", "ۀ": "ه"}
)


def glossary_key(word: str) -> str:
    """An Arabic word as the glossary writes it: hamza seats, alif maqsura and Persian
    letter forms folded, vowel marks dropped (الإسلامية and الاسلامية are one word)."""
    return _MARKS.sub("", word).translate(_LETTER_FORMS)


def _collapse(parts: list[str]) -> str:
    out: list[str] = []
    for part in parts:
        for char in part:
            if not out or out[-1] != char:
                out.append(char)
    return "".join(out)


@lru_cache(maxsize=100_000)
def arabic_skeleton(word: str) -> str:
    """Consonant classes of an Arabic word, its article dropped (الأنصار -> NSR)."""
    if word.startswith("ال") and len(word) > 3:
        word = word[2:]
    if word.endswith("ہ"):  # Urdu he, an h at the end (اللہ); inside a word, as in چوہدری
        word = word[:-1] + "ه"  # (Chaudhry), romanisations swallow it in a digraph
    return _collapse([_ARABIC.get(c, "") for c in word])


@lru_cache(maxsize=200_000)
def latin_skeleton(word: str, digraphs: bool = True) -> str:
    """Consonant classes of a romanised Arabic word (Mohammed -> MHMD); with ``digraphs``
    False, kh, sh, th, dh and gh are read as two letters each."""
    text = word.lower()
    for a, b in _LATIN_DIGRAPHS:
        if digraphs or a not in _SPLIT_DIGRAPHS:
            text = text.replace(a, b)
    parts = [c if c.isupper() else _LATIN.get(c, "") for c in text]
    return _collapse(parts)


# Classes romanisations confuse across languages, merged: ق as Q, K or G (QADHAFI, Gaddafi,
# GHADAFFI), ج as J or G; ذ, ض and ظ as DH, D or Z (BAHADHIQ ~ BAHAZIQ, Ramadan ~ Ramazan);
# T and D, as Turkish writes a final d (Mehmet, Ahmet).
_COARSE = str.maketrans({"G": "K", "J": "K", "Z": "D", "T": "D"})


def without_joined_article(word: str) -> str:
    """A romanised word of six letters or more without the Arabic article written on it
    (ALSHAER: shaer, ELKADDAFI: kaddafi), else "": one rule for every key that reads it."""
    if len(word) >= 6 and word.startswith(("al", "el")) and word.isalpha():
        return word[2:]
    return ""


@lru_cache(maxsize=200_000)
def coarse_skeleton(word: str) -> str:
    """A romanised Arabic word's consonant classes, coarser still (``_COARSE``), its joined
    article dropped (ELKADDAFI, ALFAGIH): a loose key for a person's word no list writes so."""
    word = without_joined_article(word) or word
    return _collapse(list(latin_skeleton(word).translate(_COARSE)))


_LONG = {"و": "U", "ي": "I", "ى": "A", "ا": "A", "آ": "A"}
_LATIN_LONG = (("oo", "U"), ("ou", "U"), ("ee", "I"), ("aa", "A"), ("ii", "I"), ("uu", "U"))


@lru_cache(maxsize=100_000)
def arabic_gaps(word: str) -> tuple[str, ...]:
    """Per consonant, the long vowel written after it (محمود -> '', '', 'U', '')."""
    if word.startswith("ال") and len(word) > 3:
        word = word[2:]
    gaps: list[str] = []
    last = ""
    for char in word:
        cls = _ARABIC.get(char, "")
        if cls:
            if cls != last:
                gaps.append("")
            last = cls
        elif char in _LONG and gaps and char != word[-1]:
            gaps[-1] = _LONG[char]
    return tuple(gaps)


@lru_cache(maxsize=200_000)
def latin_gaps(word: str) -> tuple[str, ...]:
    """Per consonant, the vowel letters spelled after it (Mahmoud: 'a', '', 'ou', '')."""
    text = word.lower()
    for a, b in _LATIN_DIGRAPHS:
        text = text.replace(a, b)
    gaps: list[str] = []
    last = ""
    for char in text:
        cls = char if char.isupper() else _LATIN.get(char, "")
        if cls:
            if cls != last:
                gaps.append("")
            last = cls
        elif gaps and char in "aeiouyw":
            gaps[-1] += char
    return tuple(gaps)


_VOWEL_FITS = {"U": set("uow"), "I": set("ieyj"), "A": set("aeo")}


def _long_vowels_agree(arabic_word: str, latin_word: str) -> bool:
    """Long vowels written in Arabic must be spelled in Latin, and long ones spelled in Latin
    (ou, oo, ee) must be written in Arabic: محمد is not Mahmoud, محمود is not Mohammed."""
    a, b = arabic_gaps(arabic_word), latin_gaps(latin_word)
    if len(a) != len(b):
        return True
    for n, (long, spelled) in enumerate(zip(a, b, strict=True)):
        last = n == len(a) - 1
        if long and not last and not set(spelled) & _VOWEL_FITS[long]:
            return False
        if not long and any(d in spelled for d in ("ou", "oo", "ee", "uu")):
            return False
    return True


# The letters the article's lam is assimilated to (Ghiyath ad-Din, Abd ur-Rahman, as-Salam).
SUN_LETTERS = frozenset("تثدذرزسشصضطظلن")


def similarity(arabic_word: str, latin_word: str) -> float:
    """0.95 same consonants; 0.85-0.9 with a trailing article or ta marbuta; else 0. A name
    joined over an article (its lam written alone: عبد ل رحمن) is also read with the lam
    assimilated to a sun letter, as romanisations often write it (Abdurrahman)."""
    best = _similarity(arabic_word, latin_word)
    if not best and " ل " in arabic_word:
        head, _, tail = arabic_word.partition(" ل ")
        if tail[:1] in SUN_LETTERS:
            best = _similarity(f"{head} {tail}", latin_word)
    if not best and _PERSIAN_READING.intersection(arabic_word):
        best = _similarity(arabic_word.translate(_PERSIAN), latin_word)
    if not best and _G_READING.intersection(arabic_word) and "g" in latin_word.replace("gh", ""):
        best = _similarity(arabic_word.translate(_AS_G), latin_word)
    if not best and any(d in latin_word for d in _SPLIT_DIGRAPHS):
        best = _similarity(arabic_word, latin_word, digraphs=False)
    return best


# North African and Gulf romanisations write a plain g for غ and ق (Laagoub = لاغوب, Gaddafi
# = القذافي), where others write gh and q: tried when the usual reading fails.
_AS_G = str.maketrans({"غ": "ج", "ق": "ج"})
_G_READING = frozenset("غق")
# A Latin digraph may be two letters (Lakhal = لكحل, k and h; Adham = أدهم, d and h): read
# letter by letter when the digraph reading fails.
_SPLIT_DIGRAPHS = ("kh", "sh", "th", "dh", "gh")


# Letters Persian, Urdu and Pashto read as s and z where Arabic romanisations write th, dh,
# d (ثناء الله = Sanaullah, ذاکر = Zakir, رضا = Reza): tried when the Arabic reading fails.
_PERSIAN = str.maketrans({"ث": "س", "ذ": "ز", "ض": "ز"})
_PERSIAN_READING = frozenset("ثذض")


def _similarity(arabic_word: str, latin_word: str, digraphs: bool = True) -> float:
    a = arabic_skeleton(arabic_word)
    b = latin_skeleton(latin_word, digraphs)
    if not a or not b:
        return 0.0
    if a == b:
        if not _long_vowels_agree(arabic_word, latin_word):
            return 0.0  # محمد is not Mahmoud
        return 0.95 if len(a) >= 2 else 0.7
    if arabic_word.endswith("ة") and b in (a + "T", a + "H"):
        return 0.9  # ta marbuta read as t or h (Asbat, Binalshibh)
    if arabic_word.endswith(("ه", "ہ")) and len(a) >= 3 and b == a[:-1]:
        return 0.9  # a final silent h (زاده = Zada, Zadeh)
    if len(b) == len(a) + 1 and b.startswith(a) and b[-1] in ARTICLE_ENDINGS and len(a) >= 2:
        return 0.85  # Abdul / Abdur: the article joined to the word before
    if len(a) >= 4 and len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1:
        return 0.8
    return 0.0
