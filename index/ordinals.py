"""Ordinal numbers written as words, in the staff's languages: "десятая сессия" is the 10th session.

Reports write a session's number in digits as often as in words ("восемнадцатую межправкомиссию",
"оныншы отырысы", "dokuzuncu toplantı", "zwölfte Sitzung"), and so do questions. Without reading
them, the number constraint (:mod:`index.constraints`) refuses a report that names its session in
words, and a question that names it in words is not checked at all. Ordinals 1 to 99 are read,
compounds included ("двадцать второе", "twenty-first", "он екінші", "on ikinci",
"zweiundzwanzigste"); "first" standing alone is not (it means "earliest" far more often). Cardinal
words ("два", "iki", "two") are not read either: they count countries, hours and documents far more
often than they name a session.
"""

from __future__ import annotations

import re

# Russian: a stem, then an adjective ending ("пятое", "пятой", "пятому", "третьего").
_RU_ENDING = (
    r"(?:ый|ой|ий|ая|ое|ые|ого|его|ому|ему|ом|ем|ую|юю|ей|ых|их|ым|им|ыми|ими|ья|ье|ьи|ьего|ьему|ьем|ью|ьей|ьих|ьим)"
)
_RU_UNITS = {
    "втор": 2, "трет": 3, "четв[её]рт": 4, "пят": 5, "шест": 6, "седьм": 7, "восьм": 8, "девят": 9,
}  # fmt: skip
_RU_TEENS = {
    "десят": 10, "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13, "четырнадцат": 14, "пятнадцат": 15,
    "шестнадцат": 16, "семнадцат": 17, "восемнадцат": 18, "девятнадцат": 19,
    "двадцат": 20, "тридцат": 30, "сороков": 40, "пятидесят": 50,
}  # fmt: skip
_RU_TENS = {"двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50}

_EN_UNITS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
}  # fmt: skip
_EN_TEENS = {
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
    "fortieth": 40, "fiftieth": 50,
}  # fmt: skip
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}

# Kazakh, Azerbaijani and Turkish build ordinals with a suffix; their tens stand before the unit.
_KK_UNITS = {
    "екінші": 2, "үшінші": 3, "төртінші": 4, "бесінші": 5, "алтыншы": 6, "жетінші": 7,
    "сегізінші": 8, "тоғызыншы": 9,
}  # fmt: skip
_KK_TEENS = {"оныншы": 10, "жиырмасыншы": 20, "отызыншы": 30, "қырқыншы": 40, "елуінші": 50}
_KK_TENS = {"он": 10, "жиырма": 20, "отыз": 30, "қырық": 40, "елу": 50}
_AZ_TR_UNITS = {
    "ikinci": 2, "üçüncü": 3, "dördüncü": 4, "beşinci": 5, "altıncı": 6, "yeddinci": 7,
    "yedinci": 7, "səkkizinci": 8, "sekizinci": 8, "doqquzuncu": 9, "dokuzuncu": 9,
}  # fmt: skip
_AZ_TR_TEENS = {
    "onuncu": 10, "iyirminci": 20, "yirminci": 20, "otuzuncu": 30, "qırxıncı": 40, "kırkıncı": 40,
    "əllinci": 50, "ellinci": 50,
}  # fmt: skip
_AZ_TR_TENS = {"on": 10, "iyirmi": 20, "yirmi": 20, "otuz": 30, "qırx": 40, "kırk": 40, "əlli": 50, "elli": 50}

# German: "zwölfte", "dreizehnten", "zweiundzwanzigste"; "acht"/"achte" alone is too often a verb,
# "erste" alone is "first" (see _compile).
_DE_UNITS = {
    "zweit": 2, "dritt": 3, "viert": 4, "fünft": 5, "sechst": 6, "siebt": 7, "siebent": 7,
    "neunt": 9,
}  # fmt: skip
_DE_TEENS = {
    "zehnt": 10, "elft": 11, "zwölft": 12, "dreizehnt": 13, "vierzehnt": 14, "fünfzehnt": 15, "sechzehnt": 16,
    "siebzehnt": 17, "achtzehnt": 18, "neunzehnt": 19, "zwanzigst": 20, "dreißigst": 30, "vierzigst": 40,
    "fünfzigst": 50,
}  # fmt: skip
_DE_COMPOUND_UNITS = {
    "ein": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
}
_DE_COMPOUND_TENS = {"zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50}
_DE_ENDING = r"(?:e|en|er|es|em)"


def _alternatives(words: dict[str, int]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def _lookup(words: dict[str, int], found: str) -> int:
    for pattern, value in words.items():
        if re.fullmatch(pattern, found):
            return value
    raise KeyError(found)


_B = r"(?<!\w)"  # a word's start
_E = r"(?!\w)"  # a word's end
_LANGUAGES: list[tuple[dict[str, int], dict[str, int], dict[str, int], str, str, str]] = [
    # tens (cardinal, before a unit), units, tens and teens standing alone, ending, separator, "first"
    (_RU_TENS, _RU_UNITS, _RU_TEENS, _RU_ENDING, r"\s+", "перв"),
    (_EN_TENS, _EN_UNITS, _EN_TEENS, "", r"[\s-]", "first"),
    (_KK_TENS, _KK_UNITS, _KK_TEENS, "", r"\s+", "бірінші"),
    (_AZ_TR_TENS, _AZ_TR_UNITS, _AZ_TR_TEENS, "", r"\s+", "birinci"),
]


def _compile(
    tens: dict[str, int], units: dict[str, int], teens: dict[str, int], ending: str, separator: str, first: str
) -> re.Pattern[str]:
    # "First" alone is "earliest" far more often than a session's number ("the first wife", "the
    # first plastome": measured on XQuAD, reading it cost seven right answers); in "twenty-first" it counts.
    return re.compile(
        rf"{_B}(?P<tens>{_alternatives(tens)}){separator}(?P<unit>{_alternatives(units)}|{first}){ending}{_E}"
        rf"|{_B}(?P<lone>{_alternatives(units)}){ending}{_E}"
        rf"|{_B}(?P<teen>{_alternatives(teens)}){ending}{_E}",
        re.IGNORECASE,
    )


_PATTERNS = [(_compile(*language), language) for language in _LANGUAGES]
_GERMAN = re.compile(
    rf"{_B}(?:(?P<cunit>{_alternatives(_DE_COMPOUND_UNITS)})und(?P<ctens>{_alternatives(_DE_COMPOUND_TENS)})st"
    rf"|(?P<teen>{_alternatives(_DE_TEENS)})|(?P<unit>{_alternatives(_DE_UNITS)})){_DE_ENDING}{_E}",
    re.IGNORECASE,
)


def ordinals_in(text: str) -> set[int]:
    """Every ordinal from 1 to 99 the text writes in words."""
    found: set[int] = set()
    for pattern, (tens, units, teens, _, _, first) in _PATTERNS:
        for match in pattern.finditer(text):
            if match["teen"]:
                found.add(_lookup(teens, match["teen"].lower()))
            elif match["lone"]:
                found.add(_lookup(units, match["lone"].lower()))
            else:
                found.add(_lookup(tens, match["tens"].lower()) + _lookup({**units, first: 1}, match["unit"].lower()))
    for match in _GERMAN.finditer(text):
        if match["cunit"]:
            found.add(_lookup(_DE_COMPOUND_UNITS, match["cunit"].lower()) + _DE_COMPOUND_TENS[match["ctens"].lower()])
        elif match["teen"]:
            found.add(_lookup(_DE_TEENS, match["teen"].lower()))
        else:
            found.add(_lookup(_DE_UNITS, match["unit"].lower()))
    return found
