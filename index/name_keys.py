"""Sound keys: one spelling-free key for a name written in any script.

"Денвер", "Denver", "डेनवर" and "Ντένβερ" are one name; "Qazaqstan", "Казахстан" and "Qazaxıstan"
one country. Stems cannot meet across scripts, so a name also yields a key: transliterated to
Latin (anyascii), vowels dropped, consonants folded into classes that transliterations confuse
(k/q/g/x/h, s/z/c/j/ch/sh/zh, b/p, f/v/w, d/t, m/n), the first few kept. The key is a term of its
own that counts in every language, like a number; it is general phonetics, not a list of names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from anyascii import anyascii


def _character_class(belongs: Callable[[str], bool]) -> str:
    """A regex character class body for the Basic Multilingual Plane's characters that belong, as ranges."""
    runs: list[tuple[int, int]] = []
    for code in range(0x10000):
        if belongs(chr(code)):
            if runs and runs[-1][1] == code - 1:
                runs[-1] = (runs[-1][0], code)
            else:
                runs.append((code, code))
    return "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in runs)


# Letters with their combining marks: Devanagari and Thai vowels are marks, which "\w" does not match.
_MARKS = _character_class(lambda char: unicodedata.category(char).startswith("M"))
# A word that can be a name starts with a capital or with a letter of a script without case; the
# lower-case words (most of any text) are never visited, which keeps every build's pass over the chunks short.
_NAME_START = _character_class(lambda char: char.isalpha() and not char.islower())
_NAME_WORD = re.compile(rf"(?<![^\W\d_{_MARKS}])[{_NAME_START}](?:[^\W\d_]|[{_MARKS}])*")

# Two-letter spellings of one sound first (Greek "mp"/"nt" begin words spelt b/d in other scripts).
_DIGRAPHS = (
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "k"),
    ("sh", "s"),
    ("ch", "s"),
    ("ts", "s"),
    ("th", "t"),
    ("ph", "f"),
    ("bh", "b"),
    ("dh", "d"),
    ("gh", "g"),
    ("ck", "k"),
)
_CLASSES = str.maketrans("bpfvwdtkqgxhszjlrmn", "BBFFFTTKKKKKSSSLRNN")
# "c" is k in "Broncos" and j in "Azərbaycan": a word with it has both keys.
_C_SOUNDS = ("K", "S")
_INITIAL = (("mp", "b"), ("nt", "d"), ("gk", "g"))

KEY_LENGTH = 4  # consonant classes kept: enough to tell names apart, few enough to survive endings
MIN_CLASSES = 3  # shorter words collide with too much
PREFIX = "~"  # no stem holds it: a key never meets a word


@lru_cache(maxsize=200_000)
def sound_keys(word: str) -> tuple[str, ...]:
    """The word's keys (two when it has a "c"), none when it is too short to tell apart from other words."""
    latin = re.sub(r"[^a-z]", "", anyascii(word).lower())
    for start, sound in _INITIAL:
        if latin.startswith(start):
            latin = sound + latin[len(start) :]
    for spelling, sound in _DIGRAPHS:
        latin = latin.replace(spelling, sound)
    spelt = latin.translate(_CLASSES)
    variants = [spelt.replace("c", sound) for sound in _C_SOUNDS] if "c" in spelt else [spelt]
    keys = dict.fromkeys(_key(v) for v in variants)
    return tuple(k for k in keys if k is not None)


def _key(spelt: str) -> str | None:
    classes = [c for c in spelt if c.isupper()]
    folded = [c for i, c in enumerate(classes) if i == 0 or c != classes[i - 1]]
    if len(folded) < MIN_CLASSES:
        return None
    return PREFIX + "".join(folded[:KEY_LENGTH])


def _has_case(word: str) -> bool:
    return word.lower() != word.upper()


def names_in(text: str) -> list[str]:
    """Capitalised words that do not open a sentence; in a script without case, every word."""
    names = []
    for match in _NAME_WORD.finditer(text):
        word = match.group()
        if word[0].isupper():
            if not _starts_sentence(text, match.start()):
                names.append(word)
        elif not _has_case(word):
            names.append(word)
    return names


def name_keys(text: str) -> list[str]:
    """Keys of the text's names."""
    return [key for word in names_in(text) for key in sound_keys(word)]


def _starts_sentence(text: str, position: int) -> bool:
    # A capital after a full stop (or at the start) says nothing about a name: "¿Cuántos", "Следующее".
    before = text[max(0, position - 16) : position].rstrip(" \t\"'«“„(¿¡-—")
    return not before or before[-1] in ".!?\n:;"
