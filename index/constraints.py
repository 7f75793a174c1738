"""What a question names that the document answering it must hold too: its numbers and its countries.

"Where was the 6th session held?" over an archive that reports the 9th session of the same
commission is a near miss: every word but one matches, and dense similarity cannot tell 6 from 9.
A session ordinal, a year or an amount is written with the same digits in every language ("6-е",
"6th", "6-cı", "6. Sitzung"), so a document that never writes the question's number (in its text,
title or date) is not the one that answers, and the engine says so instead of answering about the
9th session. Roman numerals ("XII отырысы") and ordinal words ("десятая сессия", :mod:`index.ordinals`)
count as the number they write. A report dated in full (17.01.2009, 2009-01-17) also names the years
next to its date: "last year's trade" and "the next session will be held next year" are written without
digits in every language, and a question asking about 2008 must not be refused by a report of January
2009 that says "last year". A session the question writes as an ordinal ("19th", "19-й", "19-cu", "19.
Sitzung") must be a number the report writes on its own, not the end of a range or a day of a date: a
report of talks held "14-19 November" does not name a 19th meeting.

The countries of the commission a question names (two or more, :mod:`index.countries`) are checked the
same way. Both also choose between close candidates: the 13th session of the German–Uzbek commission is
not an answer to a question about the 13th Azerbaijani–Uzbek one, nor the 20th Kazakh–Uzbek session to
one about the 18th, and a report of the right pair and session a little further down the ranking is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from index.countries import commission_countries, countries_in
from index.ordinals import ordinals_in

_DIGITS = re.compile(r"\d+")
# Two or more capital Roman digits standing alone: "XII", "IV"; a lone "I" or "V" is too often a word.
_ROMAN = re.compile(r"\b[IVXLC]{2,7}\b")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
# A full date in digits, day first or ISO: the forms news reports and their sidecars are dated in.
_FULL_DATE = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]((?:19|20)\d\d)\b|\b((?:19|20)\d\d)-\d\d-\d\d\b")
# Numbers that are not a count or an ordinal of their own: both ends of a range, any date in digits.
_RANGE_OR_DATE = re.compile(r"\d+\s*[-–—]\s*\d+|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{4}-\d\d-\d\d\b")
# An ordinal in digits, as the staff's languages mark it: "19th", "19-й", "19-cu", "19-отырысы", "19.
# Sitzung", "19'uncu". Sessions run below 1000; a marked year ("2019-cu il") is a year, not a session.
_MARKED_ORDINAL = re.compile(
    r"(?<![\d.,])(\d{1,3})(?:-[^\W\d_]+|(?:st|nd|rd|th)\b|\.(?=[ \t]*[^\W\d_])|['’][^\W\d_]+)", re.I
)


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
    """Every number written in digits, Roman numerals or ordinal words (leading zeros ignored: "09" is 9)."""
    found = {int(d) for d in _DIGITS.findall(text) if len(d) <= 9}
    found.update(v for v in (roman_value(r) for r in _ROMAN.findall(text)) if v is not None)
    found.update(ordinals_in(text))
    return found


@dataclass(frozen=True)
class Names:
    """The numbers and countries a document names anywhere (title, date, text)."""

    numbers: frozenset[int]
    countries: frozenset[str]
    lone_numbers: frozenset[int]  # written on their own: not an end of a range ("14-19"), not in a date


def dated_years(text: str) -> set[int]:
    """The years of the full dates a text writes ("17.01.2009", "2009-01-17"), not of bare years."""
    return {int(match.group(1) or match.group(2)) for match in _FULL_DATE.finditer(text)}


def names_in(document_texts: Iterable[str]) -> Names:
    """What a document names, read once: the engine keeps it per index version (``Engine.names_of``).

    Its numbers include the years before and after each full date it writes: relative years ("last
    year", "в следующем году", "keçən il") are how reports name them, in any language.
    """
    numbers: set[int] = set()
    lone: set[int] = set()
    countries: set[str] = set()
    for text in document_texts:
        # Read once: the text without its ranges and dates, then the digits of those (a report's names are
        # read at the first question after a build that touches it, on the answer path).
        in_ranges = _RANGE_OR_DATE.findall(text)
        lone |= numbers_in(_RANGE_OR_DATE.sub(" ", text))
        numbers |= lone | {int(d) for span in in_ranges for d in _DIGITS.findall(span) if len(d) <= 9}
        numbers |= {year + step for year in dated_years(text) for step in (-1, 1)}
        countries |= countries_in(text)
    return Names(frozenset(numbers), frozenset(countries), frozenset(lone))


def ordinals_asked(question: str) -> set[int]:
    """The numbers a question writes as ordinals: marked digits, Roman numerals, words (below 1000)."""
    found = {int(match.group(1)) for match in _MARKED_ORDINAL.finditer(question)}
    found.update(v for v in (roman_value(r) for r in _ROMAN.findall(question)) if v is not None)
    found.update(ordinals_in(question))
    return {n for n in found if n < 1000}


@dataclass(frozen=True)
class Asked:
    """What a question names that its answer must hold (:func:`asked_in`)."""

    numbers: frozenset[int]
    ordinals: frozenset[int]
    countries: frozenset[str]


@lru_cache(maxsize=1024)
def asked_in(question: str) -> Asked:
    """Read once per question: the re-ranking checks up to ten reports and the refusal one more."""
    return Asked(
        frozenset(numbers_in(question)), frozenset(ordinals_asked(question)), frozenset(commission_countries(question))
    )


def unmet(question: str, names: Names) -> bool:
    """Whether the document misses a number or a commission's country the question names.

    A number the question writes as an ordinal (a session) must be one the document writes on its own.
    """
    asked = asked_in(question)
    return not (
        asked.numbers <= names.numbers and asked.ordinals <= names.lone_numbers and asked.countries <= names.countries
    )


def first_meeting_constraints(
    question: str,
    ranked: list[tuple[int, float]],
    names_of: Callable[[int], Names],
    window: float,
    documents: int,
) -> int | None:
    """The best-ranked document that names every number and country the question names.

    ``ranked``: (document, score) best first. Only documents within ``window`` of the best score, and
    at most ``documents`` of them, are considered: a report far below the best is no longer about the
    question however it names the session and the countries. None when the question names neither
    numbers nor countries, or none of the close documents names them all.
    """
    asked = asked_in(question)
    if not ranked or not (asked.numbers or asked.countries):
        return None
    best = ranked[0][1]
    for document, score in ranked[:documents]:
        if best - score > window:
            break
        if not unmet(question, names_of(document)):
            return document
    return None
