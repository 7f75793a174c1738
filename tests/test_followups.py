"""Follow-up questions with the real model: the engine's context API, and the bot by reply and right after."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.engine import Engine
from index.evaluation.followups import context_of, is_right, load_follow_ups
from index.followup import FollowUp
from tests.bot_harness import ADMIN, GROUP, STAFF, running_bot
from tests.conftest import FIXTURES
from tests.fake_telegram import BOT_USER, Call, group_message, private_message
from tests.test_feedback_bot import answer_to

ARCHIVE = FIXTURES / "archive"
FOLLOW_UPS = load_follow_ups(ARCHIVE / "followups.jsonl")
MENTION = "@" + BOT_USER["username"]
WHERE_22 = "Где пройдет 22-е заседание межправительственной комиссии?"


@pytest.fixture(scope="module")
def archive(archive_engine: Engine) -> Engine:
    return archive_engine


@pytest.mark.parametrize("item", [f for f in FOLLOW_UPS if f.answerable], ids=lambda f: f.id)
def test_a_follow_up_is_answered_from_the_earlier_question_and_its_document(archive: Engine, item) -> None:
    reply = archive.ask(item.question, context=context_of(archive, item.earlier))
    assert is_right(reply, item.expect), reply.answer


def test_context_answers_what_the_question_alone_cannot(archive: Engine) -> None:
    # "Where is the next one?" names no commission: alone it is refused, or answered from another report.
    earlier = "Где прошло седьмое заседание узбекско-казахстанской межправкомиссии?"
    alone = archive.ask("А где пройдет следующее?")
    assert alone.answer is None or "Алматы" not in alone.answer.text
    # "How many agreements were signed?": three reports say how many, the earlier question names one.
    reply = archive.ask("How many agreements were signed?", context=context_of(archive, earlier))
    assert reply.answer is not None and "9 документов" in reply.answer.text


def test_a_question_of_its_own_is_not_bent_towards_an_unrelated_earlier_answer(archive: Engine) -> None:
    earlier = context_of(archive, "Who led the Tajik side at the third Kyrgyz-Tajik commission meeting?")
    question = "Кто возглавил казахстанскую сторону на седьмом заседании узбекско-казахстанской межправкомиссии?"
    reply = archive.ask(question, context=earlier)
    assert reply.answer is not None and "Арман Жумабеков" in reply.answer.text
    # A document deleted since the earlier answer: the earlier question's words still count.
    gone = archive.ask("Каким был товарооборот?", context=FollowUp(earlier.question, "deleted-report.txt"))
    assert gone.answer is None or gone.answer.passage.document != "deleted-report.txt"


def replying(update: dict, to: Call) -> dict:
    """The update as a reply to the bot's message ``to``."""
    update["message"]["reply_to_message"] = {**to.result, "chat": update["message"]["chat"]}
    return update


async def test_follow_ups_by_reply_in_a_group_and_in_private_and_right_after(
    documents: Path, tmp_path: Path, real_embedder
) -> None:
    async with running_bot(documents, tmp_path / "index", real_embedder) as run:
        fake = run.fake
        assert run.engine.ask("А когда?").answer is None  # alone, "And when?" asks nothing the archive knows

        # A group: anyone's reply to the bot's answer follows that answer's question.
        first = await answer_to(fake, GROUP, group_message(GROUP, STAFF, f"{MENTION} {WHERE_22}", message_id=10))
        when = await answer_to(fake, GROUP, replying(group_message(GROUP, ADMIN, "А когда?", message_id=11), first))
        text = when.params["text"]
        assert text.startswith(f"<i>↪️ К вопросу «{WHERE_22}»</i>") and "пройдет в следующем году" in text

        # Private: a short question right after an answer follows it without being a reply.
        trade = "Каким был товарооборот между Азербайджаном и Казахстаном в 2024 году?"
        asked = await answer_to(fake, STAFF, private_message(STAFF, trade, message_id=5000))
        half = await answer_to(fake, STAFF, private_message(STAFF, "А в первом полугодии 2025 года?", message_id=5002))
        assert f"К вопросу «{trade}»" in half.params["text"] and "до 501 млн долларов" in half.params["text"]
        # ... and a reply to the earlier answer follows that one, even after other questions.
        oil = await answer_to(fake, STAFF, private_message(STAFF, "Сколько казахстанской нефти прошло через "
                              "нефтепровод Баку–Тбилиси–Джейхан с 2023 года?", message_id=5004))  # fmt: skip
        assert "К вопросу" not in oil.params["text"]  # a long question is a question of its own
        growth = await answer_to(fake, STAFF, replying(private_message(STAFF, "А в 2024?", message_id=5006), asked))
        assert f"К вопросу «{trade}»" in growth.params["text"] and "470 млн" in growth.params["text"]
        # Thanks under an answer is no question.
        thanks = await answer_to(fake, STAFF, replying(private_message(STAFF, "Спасибо!", message_id=5008), oil))
        assert thanks.params["text"].startswith("Пожалуйста!")

        log = run.dp["feedback"].store
        assert log.by_token(log.answer_for_message(STAFF, half.result["message_id"]).token).earlier == trade
