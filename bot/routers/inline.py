"""Inline mode: `@bot question` in any chat returns the best passages as articles."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from html import escape

from aiogram import F, Router
from aiogram.types import (
    InlineKeyboardMarkup,
    InlineQuery,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
)

from bot.config import Settings
from bot.feedback import FeedbackService, Tally, with_votes
from bot.formatting import answer_message, passage_message, split_message
from bot.limits import Debouncer, RateLimiter
from bot.middlewares import DEBOUNCED_AND_RATE_LIMITED, DebounceMiddleware, RateLimitMiddleware
from bot.routers.feedback import inline_result_id
from bot.services import AnswerService
from bot.texts import Texts

logger = logging.getLogger(__name__)

# Telegram drops inline answers after about 10 s; leave room for the network and the typing pause.
INLINE_DEADLINE = 7.0
# A query is answered once the user has stopped typing this long (Telegram sends one per keystroke).
TYPING_PAUSE = 0.7


def _article(
    result_id: str, title: str, description: str, html: str, markup: InlineKeyboardMarkup | None = None
) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        id=result_id,
        title=title[:256],
        description=description[:200],
        input_message_content=InputTextMessageContent(message_text=split_message(html)[0]),
        reply_markup=markup,
    )


def create_router(settings: Settings, limiter: RateLimiter, typing_pause: float = TYPING_PAUSE) -> Router:
    router = Router(name="inline")
    # Registration order is execution order: wait for the typing to settle, then spend the budget.
    router.inline_query.middleware(DebounceMiddleware(Debouncer(typing_pause)))
    router.inline_query.middleware(RateLimitMiddleware(limiter))

    @router.inline_query(F.query.strip() == "")
    async def inline_hint(query: InlineQuery, t: Texts) -> None:
        button = InlineQueryResultsButton(text=t("inline_hint"), start_parameter="help")
        await query.answer([], cache_time=0, is_personal=settings.access_restricted, button=button)

    @router.inline_query(flags=DEBOUNCED_AND_RATE_LIMITED)
    async def inline_answer(query: InlineQuery, t: Texts, answers: AnswerService, feedback: FeedbackService) -> None:
        personal = settings.access_restricted
        question = query.query.strip()
        try:
            reply = await asyncio.wait_for(answers.ask(question), INLINE_DEADLINE)
        except TimeoutError:
            logger.warning("inline answer took longer than %.0f s; answered empty", INLINE_DEADLINE)
            await query.answer([], cache_time=0, is_personal=True)
            return
        digest = hashlib.sha1(question.encode()).hexdigest()[:10]
        # The answer (or "not found") enters the answer log once the user sends it into a chat.
        token = feedback.offer_inline(query.from_user, reply, t.language)
        if reply.answer is None:
            result = _article(inline_result_id(token), t("inline_empty"), question, escape(t("not_found")))
            await query.answer([result], cache_time=5, is_personal=personal)
            return
        votes = with_votes(None, token, Tally(), t)
        html = answer_message(reply.answer, t)
        results = [_article(inline_result_id(token), reply.answer.passage.title, reply.answer.text, html, votes)]
        for i, passage in enumerate(reply.passages[1:], start=2):
            html = passage_message(passage, i, len(reply.passages), t)
            results.append(_article(f"{digest}-{i}", passage.title, passage.text, html))
        # Cached answers would be shown to other users: only allowed when access is open.
        await query.answer(results, cache_time=0 if personal else 30, is_personal=personal)

    return router
