"""Numbers a question names, which the document that answers it must hold.

"Where was the 6th session held?" over an archive that reports the 9th session of the same
commission is a near miss: every word but one matches, and dense similarity cannot tell 6 from 9.
A session ordinal, a year or an amount is written with the same digits in every language ("6-е",
"6th", "6-cı", "6. Sitzung"), so a document that never writes the question's number (in its text,
title or date) is not the one that answers, and the engine says so instead of answering about the
9th session. Roman numerals ("XII отырысы") count as the number they write.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_DIGITS = re.compile(r"\d+")
# Two or more capital Roman digits standing alone: "XII", "IV"; a lone "I" or "V" is too often a word.
_ROMAN = re.compile(r"\b[IVXLC]{2,7}\b")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(numeral: str) -> int | None:
    """The value of a well-formed Roman numeral, else None ("IIII", "VV" are not numerals)."""
    total, previous = 0, 0
    for char in reversed(numeral):
        value = _ROMAN_VALUES[char]
        total += -value if value < previous else value
        previous = max(previous, value)
    return total if _to_roman(total) == numeral else None


def _to_roman(value: int) -> str:
    out = []
    for symbol, amount in (
        ("C", 100),
        ("XC", 90),
        ("L", 50),
        ("XL", 40),
        ("X", 10),
        ("IX", 9),
        ("V", 5),
        ("IV", 4),
        ("I", 1),
    ):
        while value >= amount:
            out.append(symbol)
            value -= amount
    return "".join(out)


def numbers_in(text: str) -> set[int]:
    """Every number written in digits or Roman numerals (leading zeros ignored: "09" is 9)."""
    found = {int(d) for d in _DIGITS.findall(text) if len(d) <= 9}
    found.update(v for v in (roman_value(r) for r in _ROMAN.findall(text)) if v is not None)
    return found


def missing_numbers(question: str, document_texts: Iterable[str]) -> set[int]:
    """The question's numbers that none of the document's texts (body, title, date) writes."""
    wanted = numbers_in(question)
    if not wanted:
        return set()
    for text in document_texts:
        wanted -= numbers_in(text)
        if not wanted:
            break
    return wanted
