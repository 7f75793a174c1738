"""What kind of fact a question asks for, and whether a sentence holds one.

Across languages the answer sentence's cosine to the question is dominated by the shared subject
(the commission, its session, the countries); the asked fact itself ("which year", "who chaired",
"how much") barely moves it. Three sentences of one report about the 8th session score within a
point of each other, and the one with "the work plan for 2020" is not the first. The question's
interrogative, though, says what the answer must contain, and that can be checked in any language:
a year, a number, a date, a person's name. A sentence that holds the asked kind of fact earns a small
bonus in the choice (:mod:`index.answering`); one that does not loses nothing.

The question words are those of the staff's languages: Russian, English, Kazakh, Azerbaijani,
Turkish and German. A question none of them matches asks for no particular kind (what, which
project, where): the choice is then unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum

from index.constraints import asked_in, numbers_in


class AnswerType(Enum):
    YEAR = "year"
    NUMBER = "number"
    PERSON = "person"
    DATE = "date"


_I = re.IGNORECASE
# Checked in this order: "в каком году" is a year, not a date; "сколько" a number.
_YEAR_QUESTION = re.compile(
    r"в каком году|на какой год|какого года|в какие годы|на какие годы|(?:for |in )?(?:which|what) years?\b"
    r"|қай жылы|қай жылға|қай жылдың|hansı il|hangi yıl|welche[mns]? jahr",
    _I,
)
_NUMBER_QUESTION = re.compile(
    r"\b(?:сколько|скольких|насколько|как сильно|на сколько|каким по сч[её]ту|до какого уровня"
    r"|как(?:ой|ого|ую) (?:объ[её]м|сумм|размер|уров|рост|товарооборот|дол)\w*"
    r"|how (?:many|much|big|large|long)|by how much|what (?:volume|value|amount|share|percentage|level|figure)"
    r"|қанша|неше|nə qədər|neçə|hansı həcm\w*|ne kadar|kaç|wie viele?|wie hoch|wie lange?|wievielte\w*"
    r"|welche[nr]? (?:umfang|höhe|betrag|anteil|wert))",
    _I,
)
# "Who", and "which (deputy) prime minister / ambassador / co-chair": the answer is a person's name.
_ROLE = (
    r"(?:министр|премьер|вице-премьер|посол|сопредседател|председател|глав|руководител|президент"
    r"|minister|premier|prime minister|ambassador|co-chair|chair|president|head|official|envoy"
    r"|министр\w*|премьер-министр\w*|елші|төраға\w*|nazir\w*|baş nazir|səfir\w*|sədr\w*|bakan\w*|büyükelçi\w*"
    r"|başkan\w*|minister\w*|botschafter\w*|vorsitz\w*|präsident\w*)"
)
_PERSON_QUESTION = re.compile(
    r"(?:^|[\s,«\"(])(?:кто|кем|кого|кому|who|whom|whose|кім\w*|kim\w*|wer|wem|wen)\b"
    r"|(?:какой|какая|какого|каким|which|what|қай|қандай|hansı|hangi|welche[rnms]?)\s+(?:[\w-]+\s+){0,3}" + _ROLE,
    _I,
)
_DATE_QUESTION = re.compile(
    r"\b(?:когда|какого числа|в какие дни|какие даты|when|what date|on what date|which date|which day"
    r"|қашан|қай күні|nə vaxt|nə zaman|hansı tarix\w*|ne zaman|hangi tarih\w*|wann|an welchem tag)\b",
    _I,
)
_QUESTIONS = (
    (AnswerType.YEAR, _YEAR_QUESTION),
    (AnswerType.NUMBER, _NUMBER_QUESTION),
    (AnswerType.PERSON, _PERSON_QUESTION),
    (AnswerType.DATE, _DATE_QUESTION),
)

# Numbers spelled out ("two hours", "iki saat", "полмиллиарда") and the big units amounts come in.
_NUMBER_WORDS = re.compile(
    r"\b(?:два|две|двух|три|трёх|трех|четыр\w+|пят[ьиыо]\w*|шест[ьиоы]\w*|сем[ьи]|седьм\w+|восем\w+|девят\w+|десят\w+"
    r"|сто|сотн\w+|тысяч\w*|млн|млрд|миллион\w*|миллиард\w*|полмиллиард\w*|процент\w*"
    r"|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundred|thousand|million|billion"
    r"|percent|екі|үш|төрт|бес|алты|жеті|сегіз|тоғыз|жүз|мың|миллион|миллиард|пайыз\w*"
    r"|iki|üç|dörd|dört|beş|altı|yeddi|yedi|səkkiz|sekiz|doqquz|dokuz|yüz|min|bin|milyon|milyar|mln|mlrd"
    r"|faiz|yüzde|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|hundert|tausend|millionen?"
    r"|milliarden?|mio|mrd|prozent)\b",
    _I,
)
_MONTHS = re.compile(
    r"\b(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр"
    r"|january|february|march|april|may|june|july|august|september|october|november|december"
    r"|қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан"
    r"|yanvar|fevral|aprel|iyun|iyul|avqust|sentyabr|oktyabr|noyabr|dekabr"
    r"|ocak|şubat|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık"
    r"|januar|februar|märz|juni|juli|oktober|dezember)",
    _I,
)
_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІƏÇĞİÖŞÜÄ"
_LOWER = "a-zа-яёәғқңөұүһіəçğıöşüäß'’"
# A person's name: two capitalised words in a row ("Maka Bochorishvili", "Роман Скляр"), or an initial
# and a surname ("R.Sklyar", "А. Мамин"). Bodies match the pattern too ("Intergovernmental Commission"):
# holds() asks that one of the two words be rare in the archive.
_NAME_PAIR = re.compile(rf"\b[{_UPPER}][{_LOWER}]+\s+[{_UPPER}][{_LOWER}]{{2,}}")
_NAME_INITIAL = re.compile(rf"\b[{_UPPER}]\.\s?[{_UPPER}][{_LOWER}]{{2,}}")


def asked_type(question: str) -> AnswerType | None:
    """The kind of fact the question asks for, or None when its words name no particular kind."""
    for kind, pattern in _QUESTIONS:
        if pattern.search(question):
            return kind
    return None


def holds(kind: AnswerType, sentence: str, question: str, is_rare: Callable[[str], bool] = lambda word: True) -> bool:
    """Whether the sentence holds a fact of that kind beyond the numbers the question itself names.

    ``is_rare`` tells a name from a body's or an event's name: "Batyr Atdaev" occurs in a report or
    two, "Intergovernmental Commission" in every one (the engine asks its lexical index).
    """
    new_numbers = numbers_in(sentence) - asked_in(question).numbers
    if kind is AnswerType.YEAR:
        return any(1900 <= n <= 2100 for n in new_numbers)
    if kind is AnswerType.NUMBER:
        return bool(new_numbers) or bool(_NUMBER_WORDS.search(sentence))
    if kind is AnswerType.DATE:
        return bool(new_numbers) or bool(_MONTHS.search(sentence))
    if _NAME_INITIAL.search(sentence):
        return True
    # A pair of capitals from the sentence's second word on ("The Kyrgyz premier…" is capitalised by
    # position), one of them rare in the archive.
    first_word = re.match(r"\W*\w+", sentence)
    pairs = _NAME_PAIR.finditer(sentence, first_word.end() if first_word else 0)
    return any(any(is_rare(word) for word in pair.group(0).split()) for pair in pairs)
