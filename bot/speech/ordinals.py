"""English compound ordinals as one number: "twenty second" and "20 second" become "22nd".

Whisper writes a spoken "twenty-second" in any of three ways ("22nd", "twenty second", "20 second");
only the first matches "22-е" in the documents, and the other two made the engine abstain on
"Where will the 20 second session be held?". Only tens followed by an ordinal word are joined.
"""

from __future__ import annotations

import re

TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
}  # fmt: skip
_COMPOUND = re.compile(
    rf"\b({'|'.join(TENS)}|[2-9]0)[\s-]+({'|'.join(UNITS)})\b",
    re.IGNORECASE,
)


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def join_english_ordinals(text: str) -> str:
    def joined(match: re.Match[str]) -> str:
        tens = match.group(1).lower()
        return ordinal((TENS.get(tens) or int(tens)) + UNITS[match.group(2).lower()])

    return _COMPOUND.sub(joined, text)
