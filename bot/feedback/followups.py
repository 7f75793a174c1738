"""Which earlier answer a message follows up, if any.

- A reply to one of the bot's answers (or to its "not found"), in a private chat or a group, follows that
  answer's question, however long it is and however late it comes: the user pointed at it.
- In a private chat, a message that is no reply follows the bot's last answer there when it comes within
  FOLLOW_UP_MINUTES of it (default 5) and is short: at most FOLLOW_UP_WORDS words (default 8). The
  follow-up questions written for the evaluation have 1-8 words (71 of 73), the archive's standalone
  questions 9 or more (174 of 184); and a standalone question taken for a follow-up loses little, since
  the engine keeps the earlier document only when the new question alone finds nothing clearly better
  (README: Quality). A longer or later message is a new question.
- The answer to a follow-up says which question it continues, so a wrong guess is visible at once.
- "Спасибо!", "ok", "рахмет" after an answer is no question: the bot says "you're welcome" (and that 👎
  marks a wrong answer) instead of searching the archive for thanks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.feedback.store import AnswerRecord
from bot.texts import Texts
from index.followup import FollowUp

_WORD = re.compile(r"\w+")
EARLIER_MAX_CHARS = 400  # a chain of follow-ups carries its last two questions, not the whole conversation
# Whole messages made of these words thank or acknowledge; they ask nothing (ru, en, kk, az, tr, de).
ACKNOWLEDGEMENTS = frozenset(
    """
    спасибо спс благодарю большое огромное понятно ясно хорошо отлично ок окей ага супер
    thanks thank you thx ok okay got it great fine cool perfect many
    рахмет рақмет көп үлкен түсінікті жақсы тамаша
    təşəkkür təşəkkürlər edirəm sağ ol olun çox aydındır yaxşı əla
    teşekkürler teşekkür ederim sağol tamam
    danke schön sehr gut alles klar
    """.split()
)


@dataclass(frozen=True)
class FollowUpRules:
    minutes: float = 5.0  # "right after an answer" in a private chat
    max_words: int = 8  # "short"


@dataclass(frozen=True)
class EarlierAnswer:
    """The answer a message follows up: what the engine gets as context, and how it was recognised."""

    record: AnswerRecord
    by_reply: bool  # False: a short message right after the answer in a private chat

    @property
    def context(self) -> FollowUp:
        return FollowUp(earlier_question(self.record), self.record.document)


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def is_short(text: str, rules: FollowUpRules) -> bool:
    return 0 < len(words(text)) <= rules.max_words


def is_acknowledgement(text: str) -> bool:
    found = words(text)
    return bool(found) and all(word in ACKNOWLEDGEMENTS for word in found)


def earlier_question(record: AnswerRecord) -> str:
    """The question a follow-up of this answer continues: the answer's own, after the one it followed itself."""
    if not record.earlier:
        return record.question
    return f"{record.earlier} {record.question}"[-EARLIER_MAX_CHARS:]


HEADING_CHARS = 100


def follow_up_heading(earlier: EarlierAnswer | None, t: Texts) -> str:
    """The answer's first line for a follow-up: which question it continues (HTML), or nothing."""
    if earlier is None:
        return ""
    question = " ".join(earlier_question(earlier.record).split())
    if len(question) > HEADING_CHARS:
        question = "…" + question[-(HEADING_CHARS - 1) :]
    return f"<i>{t.html('follow_up', question=question)}</i>\n\n"
