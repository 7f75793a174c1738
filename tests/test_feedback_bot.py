"""Votes under answers, /report and the answer log's retention: the real bot against the fake Bot API."""

from __future__ import annotations

import asyncio
import csv
import io
import itertools
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

from bot.feedback import FeedbackService, FeedbackStore, FollowUpRules, Vote
from index.models import Reply
from tests.bot_harness import ADMIN, GROUP, QUESTION, STAFF, fast_bot, running_bot
from tests.conftest import ROOT
from tests.fake_telegram import (
    BOT_USER,
    Call,
    FakeTelegram,
    callback_query,
    group_message,
    inline_query,
    private_message,
    user,
)

MENTION = "@" + BOT_USER["username"]
DAY = 86400.0
_presses = itertools.count()


async def answer_to(fake: FakeTelegram, chat_id: int, update: dict) -> Call:
    """Push a question; the bot's (last) message in reply."""
    before = len(fake.calls_to("sendMessage"))
    fake.push(update)
    await fake.wait_for(
        lambda calls: any(int(c.params["chat_id"]) == chat_id for c in fake.calls_to("sendMessage")[before:])
    )
    return [c for c in fake.calls_to("sendMessage")[before:] if int(c.params["chat_id"]) == chat_id][-1]


def buttons(fake: FakeTelegram, answer: Call) -> list[list[str]]:
    """The buttons under the answer as Telegram shows them now (after every edit)."""
    held = fake.messages[(int(answer.params["chat_id"]), answer.result["message_id"])]
    return [[b["text"] for b in row] for row in (held["reply_markup"] or {}).get("inline_keyboard", [])]


def vote_data(answer: Call, choice: str) -> str:
    for row in answer.params["reply_markup"]["inline_keyboard"]:
        for button in row:
            if button["callback_data"].startswith("fb:"):
                return Vote(token=Vote.unpack(button["callback_data"]).token, choice=choice).pack()
    raise AssertionError("no vote buttons under the answer")


async def press(fake: FakeTelegram, user_id: int, answer: Call, choice: str) -> str:
    """A press of a vote button; the notice Telegram shows the presser."""
    query_id = f"vote-{next(_presses)}"
    chat_id = int(answer.params["chat_id"])
    fake.push(callback_query(user_id, vote_data(answer, choice), answer.result["message_id"], query_id, chat_id))
    await fake.wait_for(lambda calls: any(c.params.get("callback_query_id") == query_id for c in calls))
    await asyncio.sleep(0.2)  # the keyboard is redrawn after the notice
    return next(c for c in fake.calls_to("answerCallbackQuery") if c.params["callback_query_id"] == query_id).params[
        "text"
    ]


async def test_votes_one_per_person_changeable_with_reasons(tmp_path: Path) -> None:
    async with fast_bot(tmp_path) as run:
        fake = run.fake
        fake.edit_flood_seconds = 0  # presses here come faster than a person's
        answer = await answer_to(fake, STAFF, private_message(STAFF, QUESTION))
        assert buttons(fake, answer) == [["Ещё источники (2)"], ["👍", "👎"]]

        assert "что не так" in await press(fake, STAFF, answer, "down")
        reasons = [["Не тот документ"], ["Не то предложение"], ["Устарело"]]
        assert buttons(fake, answer) == [["Ещё источники (2)"], ["👍", "👎 1"], *reasons]
        assert await press(fake, STAFF, answer, "outdated") == "Спасибо, причина учтена."
        assert buttons(fake, answer)[1:] == [["👍", "👎 1"], ["Не тот документ"], ["Не то предложение"], ["Устарело 1"]]
        await press(fake, STAFF, answer, "up")  # changed mind: the 👎 and its reason are gone
        assert buttons(fake, answer) == [["Ещё источники (2)"], ["👍 1", "👎"]]
        assert await press(fake, STAFF, answer, "up") == "Спасибо за оценку!"
        assert buttons(fake, answer)[1] == ["👍 1", "👎"]  # one vote per person, however often pressed

        # In a group everyone votes once on the same answer, and everyone sees the counts.
        group_answer = await answer_to(fake, GROUP, group_message(GROUP, STAFF, f"{MENTION} {QUESTION}", message_id=2))
        await press(fake, STAFF, group_answer, "up")
        await press(fake, ADMIN, group_answer, "sentence")  # a reason alone is a 👎 with that reason
        assert buttons(fake, group_answer)[1:] == [
            ["👍 1", "👎 1"], ["Не тот документ"], ["Не то предложение 1"], ["Устарело"]
        ]  # fmt: skip

        log = sqlite3.connect(run.settings.feedback_path)
        votes = log.execute("SELECT a.chat_kind, v.vote, v.reason, v.voter FROM votes v JOIN answers a "
                            "ON a.id = v.answer_id ORDER BY a.id, v.vote").fetchall()  # fmt: skip
        assert [row[:3] for row in votes] == [("private", 1, None), ("group", -1, "sentence"), ("group", 1, None)]
        voters = {row[3] for row in votes}
        store = run.dp["feedback"].store
        assert voters == {store.pseudonym("user", STAFF), store.pseudonym("user", ADMIN)}  # keyed hashes, not ids
        assert {row[0] for row in log.execute("SELECT asker FROM answers")} == {store.pseudonym("user", STAFF)}
        chats = {row[0] for row in log.execute("SELECT chat FROM messages")}
        assert chats == {store.pseudonym("chat", STAFF), store.pseudonym("chat", GROUP)}
        assert not {str(STAFF), str(ADMIN), str(GROUP), "User2"} & (voters | chats)
    salt = run.settings.feedback_path.with_suffix(".salt")
    assert stat.S_IMODE(salt.stat().st_mode) == 0o600
    assert not [c for c in fake.refused() if "not modified" not in c.error]


async def test_report_groups_what_the_archive_lacks_and_sends_it_as_csv(documents, tmp_path, real_embedder) -> None:
    asked = [
        (STAFF, "Где пройдет 23-е заседание комиссии?"),  # no report of the 23rd session: not answered
        (STAFF, "Какая погода будет завтра в Астане?"),  # off the archive's subject: not answered
        (STAFF, "Where will the 23rd session of the commission be held?"),
        (STAFF, "Где пройдет 22-е заседание межправительственной комиссии?"),  # answered, then 👎 "out of date"
        (ADMIN, "В каком городе состоится 23-е заседание комиссии?"),
        (ADMIN, "Кто является сопредседателями комиссии?"),  # answered, then 👍
    ]
    async with running_bot(documents, tmp_path / "index", real_embedder) as run:
        fake = run.fake
        answers = [await answer_to(fake, user, private_message(user, q, message_id=i)) for i, (user, q) in
                   enumerate(asked, start=1)]  # fmt: skip
        assert [a.params.get("reply_markup") is not None for a in answers] == [False, False, False, True, False, True]
        await press(fake, STAFF, answers[3], "outdated")
        await press(fake, ADMIN, answers[5], "up")

        refused = await answer_to(fake, STAFF, private_message(STAFF, "/report", message_id=20))
        assert refused.params["text"] == "Эта команда доступна только администраторам."
        in_group = await answer_to(fake, GROUP, group_message(GROUP, ADMIN, "/report", message_id=19))
        assert "в личном чате" in in_group.params["text"]  # staff's questions are not shown to a whole group
        fake.push(private_message(ADMIN, "/report", message_id=21))
        await fake.wait_for(lambda calls: fake.calls_to("sendDocument"))
    report = fake.messages_to(ADMIN)[-1]
    assert "Вопросов: 6 (задали 2 чел.). С ответом: 2 (33 %), без ответа: 4." in report
    assert "Оценки ответов: 👍 1 (50 %), 👎 1 (50 %)." in report and "Причины 👎: устарело — 1." in report
    lacking = report.split("Чего не хватает в архиве")[1].split("\n")[1:]
    # The three wordings of one missing fact (two languages) are one group, and it comes first.
    assert "вопросов: 3 (без ответа: 3, с 👎: 0)" in lacking[0] and "23" in lacking[0]
    assert lacking[1].strip().startswith("Также спрашивали:") and lacking[1].count("23") == 2
    assert "погода" in lacking[2] and "вопросов: 1 (без ответа: 1, с 👎: 0)" in lacking[2]
    assert "22-е" in lacking[3] and "вопросов: 1 (без ответа: 0, с 👎: 1)" in lacking[3]
    assert "• 21-е заседание Совместной межправительственной комиссии Азербайджан–Казахстан — 👎 1" in report

    [sent] = fake.calls_to("sendDocument")
    assert sent.params["document"]["filename"].endswith(".csv")
    rows = list(csv.reader(io.StringIO(sent.params["document"]["data"].decode("utf-8-sig"))))
    assert rows[0][:3] == ["Группа", "Вопросов в группе", "Вопрос"]
    assert [(r[0], r[1]) for r in rows[1:]] == [("1", "3"), ("1", "3"), ("1", "3"), ("2", "1"), ("3", "1")]
    assert rows[4][4] == "нет ответа" and rows[5][4] == "👎" and rows[5][6] == "Устарело"
    assert "22-е заседание" in rows[5][8]  # the answer sentence that got the 👎


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


async def test_retention_deletes_old_questions_with_their_votes_and_context(tmp_path: Path) -> None:
    clock = Clock()
    path = tmp_path / "feedback.sqlite"
    feedback = FeedbackService.open(path, 180, FollowUpRules(), clock=clock, purge_every=0.1)
    old_question = "Что подписали по итогам двадцать первого заседания?"
    async with fast_bot(tmp_path, feedback=feedback) as run:
        fake = run.fake
        old = await answer_to(fake, STAFF, private_message(STAFF, old_question, message_id=1))
        await press(fake, STAFF, old, "up")
        clock.now += 100 * DAY
        await answer_to(fake, STAFF, private_message(STAFF, QUESTION, message_id=2))
        clock.now += 80 * DAY + 60  # the first question is now older than 180 days, the second is not

        log = sqlite3.connect(path)
        deadline = time.monotonic() + 10
        while log.execute("SELECT COUNT(*) FROM answers").fetchone()[0] > 1 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)  # the bot deletes expired rows periodically while it runs
        assert log.execute("SELECT question FROM answers").fetchall() == [(QUESTION,)]
        assert log.execute("SELECT COUNT(*) FROM votes").fetchone() == (0,)
        assert log.execute("SELECT COUNT(*) FROM messages").fetchone() == (1,)  # the second answer's message
        log.close()

        assert await press(fake, STAFF, old, "down") == "Этот ответ больше не хранится, оценить его нельзя."
        reply = private_message(STAFF, "А когда?", message_id=3)
        reply["message"]["reply_to_message"] = {**old.result, "chat": {"id": STAFF, "type": "private"}}
        later = await answer_to(fake, STAFF, reply)
        assert "К вопросу" not in later.params["text"]  # the forgotten answer gives no context
    # The deleted text is gone from the file itself, not only from the table.
    assert old_question.encode() not in b"".join(p.read_bytes() for p in tmp_path.glob("feedback.sqlite*"))


def test_report_on_the_command_line(tmp_path: Path) -> None:
    """`commission-bot report`: the same report from the log beside the index, and its CSV."""
    store = FeedbackStore(tmp_path / "feedback.sqlite", 180)
    for question in ("Где пройдет 23-е заседание комиссии?", "Where will the 23rd session be held?", "Кто такой?"):
        store.record(STAFF, "private", "ru", Reply(question, None, []))
    store.close()
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "report", "--index-dir", str(tmp_path / "index"), "--csv",
         str(tmp_path / "report.csv")], cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Questions: 3 (people asking: 1). Answered: 0 (0 %), not answered: 3." in result.stdout
    assert "1. “Где пройдет 23-е заседание комиссии?” — questions: 2 (no answer: 2, with 👎: 0)" in result.stdout
    assert "Also asked as: “Where will the 23rd session be held?”" in result.stdout
    rows = list(csv.reader(io.StringIO((tmp_path / "report.csv").read_text("utf-8-sig"))))
    assert rows[0][2] == "Question" and len(rows) == 4


async def test_inline_answers_are_logged_when_sent_and_take_votes(tmp_path: Path) -> None:
    async with fast_bot(tmp_path) as run:
        fake = run.fake
        fake.push(inline_query(STAFF, QUESTION))
        [offered] = await fake.wait_for(lambda calls: fake.calls_to("answerInlineQuery")) and fake.calls_to(
            "answerInlineQuery"
        )
        answer = offered.params["results"][0]
        assert [[b["text"] for b in row] for row in answer["reply_markup"]["inline_keyboard"]] == [["👍", "👎"]]
        log = run.dp["feedback"].store
        assert log.summary().questions == 0  # offered while typing is not asked: nothing is logged yet

        sent = {"result_id": answer["id"], "from": user(STAFF), "query": QUESTION, "inline_message_id": "in-1"}
        fake.push({"chosen_inline_result": sent})
        vote = answer["reply_markup"]["inline_keyboard"][0][1]["callback_data"]  # 👎
        press_inline = {"id": "iv", "from": user(ADMIN), "chat_instance": "ci", "inline_message_id": "in-1",
                        "data": vote}  # fmt: skip
        fake.push({"callback_query": press_inline})
        await fake.wait_for(lambda calls: fake.calls_to("editMessageReplyMarkup"))
        summary = log.summary()
    [redrawn] = fake.calls_to("editMessageReplyMarkup")
    assert redrawn.params["inline_message_id"] == "in-1"
    assert redrawn.params["reply_markup"]["inline_keyboard"][0][1]["text"] == "👎 1"
    assert (summary.questions, summary.answered, summary.votes_down) == (1, 1, 1)


async def test_a_log_that_cannot_be_written_never_costs_an_answer(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("a file where the log's folder should be")
    feedback = FeedbackService.open(tmp_path / "not-a-folder" / "feedback.sqlite", 180, FollowUpRules())
    async with fast_bot(tmp_path, feedback=feedback) as run:
        fake = run.fake
        first = await answer_to(fake, STAFF, private_message(STAFF, QUESTION))
        assert "Казахстане" in first.params["text"] and first.params["reply_markup"]  # kept in memory meanwhile
        report = await answer_to(fake, ADMIN, private_message(ADMIN, "/report", message_id=2))
        assert report.params["text"].startswith("⚠ Журнал вопросов не удаётся сохранить на диск (папка ")
        feedback.store.close()  # the log fails outright: answers still come, without vote buttons
        second = await answer_to(fake, STAFF, private_message(STAFF, QUESTION, message_id=3))
        assert "Казахстане" in second.params["text"] and "fb:" not in str(second.params.get("reply_markup"))
    assert not (tmp_path / "not-a-folder" / "feedback.sqlite").exists()
