"""The 👍 / 👎 buttons under an answer, and the reasons a 👎 may give.

The buttons show the counts, so in a group everyone sees how the answer was judged, and in a private
chat the one vote shows as a 1. Once an answer has a 👎, the reasons appear below it: a press of one is
a 👎 with that reason (and can be changed like the vote). Other buttons of the message (more sources)
are kept as they are.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.feedback.store import REASONS, Tally
from bot.texts import Texts

UP, DOWN = "up", "down"


class Vote(CallbackData, prefix="fb"):
    token: str  # the answer (its row in the log)
    choice: str  # "up", "down", or a reason: "document", "sentence", "outdated"


def _count(label: str, n: int) -> str:
    return f"{label} {n}" if n else label


def vote_rows(token: str, tally: Tally, t: Texts) -> list[list[InlineKeyboardButton]]:
    rows = [
        [
            InlineKeyboardButton(text=_count("👍", tally.up), callback_data=Vote(token=token, choice=UP).pack()),
            InlineKeyboardButton(text=_count("👎", tally.down), callback_data=Vote(token=token, choice=DOWN).pack()),
        ]
    ]
    if tally.down:
        for reason in REASONS:
            label = _count(t(f"reason_{reason}"), tally.reasons.get(reason, 0))
            rows.append([InlineKeyboardButton(text=label, callback_data=Vote(token=token, choice=reason).pack())])
    return rows


def is_vote_row(row: list[InlineKeyboardButton]) -> bool:
    return any((button.callback_data or "").startswith(f"{Vote.__prefix__}:") for button in row)


def with_votes(markup: InlineKeyboardMarkup | None, token: str, tally: Tally, t: Texts) -> InlineKeyboardMarkup:
    """The message's keyboard with its vote rows (re)drawn below the other buttons."""
    kept = [row for row in (markup.inline_keyboard if markup else []) if not is_vote_row(row)]
    return InlineKeyboardMarkup(inline_keyboard=kept + vote_rows(token, tally, t))
