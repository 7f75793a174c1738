"""End to end: the real bot polls a fake Bot API on 127.0.0.1; the real model answers."""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

import pytest

from tests.bot_harness import ADMIN, OUTSIDER, STAFF, assert_reindex_stages_in_order, running_bot
from tests.conftest import SEED_DOCUMENTS
from tests.fake_telegram import document_message, group_message, inline_query, private_message

GROUP = -100500


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "documents"
    shutil.copytree(SEED_DOCUMENTS, folder)
    return folder


def texts_to(fake, chat_id: int) -> list[str]:
    return [c.params["text"] for c in fake.calls_to("sendMessage") if int(c.params["chat_id"]) == chat_id]


async def test_private_question_gets_the_highlighted_answer_with_source(docs, tmp_path, real_embedder) -> None:
    async with running_bot(docs, tmp_path / "index", real_embedder) as run:
        fake = run.fake
        fake.push(private_message(STAFF, "Где пройдет 22-е заседание комиссии?"))
        await fake.wait_for(lambda calls: texts_to(fake, STAFF))
        [text] = texts_to(fake, STAFF)
        assert "<b>" in text and "пройдет в следующем году в Казахстане" in text
        assert "Trend" in text and "📄" in text
        call = fake.calls_to("sendMessage")[-1]
        assert "Ещё источники" in str(call.params.get("reply_markup"))
        assert fake.calls_to("sendChatAction")  # typing indicator
        assert fake.calls_to("setMyCommands")

        # the "more sources" button sends the next passage
        data = call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        fake.push({"callback_query": {"id": "cb1", "from": {"id": STAFF, "is_bot": False, "first_name": "S"},
                   "chat_instance": "x", "data": data,
                   "message": {"message_id": 1000, "date": 0, "chat": {"id": STAFF, "type": "private"},
                               "text": "answer"}}})  # fmt: skip
        await fake.wait_for(lambda calls: len(texts_to(fake, STAFF)) == 2 and fake.calls_to("answerCallbackQuery"))
        assert "Фрагмент 2 из" in texts_to(fake, STAFF)[1]

        fake.push(private_message(STAFF, "Who won the 2018 FIFA World Cup?", language="en"))
        await fake.wait_for(lambda calls: len(texts_to(fake, STAFF)) == 3)
        assert "The documents hold no answer" in texts_to(fake, STAFF)[2]


async def test_group_answers_only_when_addressed(docs, tmp_path, real_embedder) -> None:
    async with running_bot(docs, tmp_path / "index", real_embedder) as run:
        fake = run.fake
        fake.push(group_message(GROUP, STAFF, "Коллеги, кто идёт обедать?"))
        fake.push(group_message(GROUP, STAFF, "@commission_test_bot Где пройдет 22-е заседание?"))
        fake.push(group_message(GROUP, STAFF, "/ask Что подписали по итогам заседания?"))
        fake.push(group_message(GROUP, STAFF, "А какой был товарооборот в 2024 году?", reply_to_bot=True))
        await fake.wait_for(lambda calls: len(texts_to(fake, GROUP)) >= 3)
        await asyncio.sleep(1.0)  # the chatter must not produce a fourth message
        texts = texts_to(fake, GROUP)
        assert len(texts) == 3
        joined = "\n".join(texts)
        assert "Казахстане" in joined and "подписан Протокол" in joined and "470 млн" in joined


async def test_inline_query_returns_articles_and_a_hint_when_empty(docs, tmp_path, real_embedder) -> None:
    async with running_bot(docs, tmp_path / "index", real_embedder) as run:
        fake = run.fake
        fake.push(inline_query(STAFF, "Где пройдет 22-е заседание?", "q1"))
        fake.push(inline_query(STAFF, "", "q2"))
        await fake.wait_for(lambda calls: len(fake.calls_to("answerInlineQuery")) == 2)
        answers = {c.params["inline_query_id"]: c.params for c in fake.calls_to("answerInlineQuery")}
        results = answers["q1"]["results"]
        assert results and results[0]["type"] == "article"
        assert "Казахстане" in results[0]["input_message_content"]["message_text"]
        assert results[0]["title"]
        assert answers["q2"]["results"] == [] and answers["q2"]["button"]["text"]


async def test_admin_reindex_with_progress_while_questions_are_answered(docs, tmp_path, real_embedder) -> None:
    for i in range(40):  # enough text that the build takes a while
        (docs / f"report-{i:02d}.txt").write_text(
            f"Отчет {i}. " + " ".join(f"Пункт {j} программы сотрудничества номер {i} выполнен." for j in range(15)),
            "utf-8",
        )
    async with running_bot(docs, tmp_path / "index", real_embedder) as run:
        fake = run.fake
        fake.push(private_message(ADMIN, "/reindex full"))
        await fake.wait_for(lambda calls: any("Переиндексация" in t for t in texts_to(fake, ADMIN)))
        fake.push(private_message(STAFF, "Где пройдет 22-е заседание комиссии?"))
        await fake.wait_for(
            lambda calls: any("Индекс обновлён" in c.params["text"] for c in fake.calls_to("editMessageText")),
            timeout=300,
        )
        edits = [c for c in fake.calls_to("editMessageText")]
        assert len(edits) >= 3  # progress edits, then the summary
        assert_reindex_stages_in_order([c.params["text"] for c in edits])
        final = edits[-1].params["text"]
        assert "Индекс обновлён" in final and "Добавлено: 0" in final and "Документов: 41" in final
        answer = next(c for c in fake.calls_to("sendMessage") if int(c.params["chat_id"]) == STAFF)
        assert "Казахстане" in answer.params["text"]
        assert answer.at < edits[-1].at  # answered during the build, from the previous version

        # Two /reindex at once: never two builds at a time (the engine would refuse one), and both get the summary.
        fake.push(private_message(ADMIN, "/reindex"))
        fake.push(private_message(ADMIN, "/reindex"))
        await fake.wait_for(
            lambda calls: sum("Индекс обновлён" in t for t in fake.sent_texts(ADMIN)) >= 3,
            timeout=120,
        )
        assert not any("не удалась" in t for t in fake.sent_texts(ADMIN))


async def test_non_admin_is_refused(docs, tmp_path, real_embedder) -> None:
    async with running_bot(docs, tmp_path / "index", real_embedder) as run:
        fake = run.fake
        for command in ("/reindex", "/stats", "/docs"):
            fake.push(private_message(STAFF, command))
        fake.files["f1"] = "Новый документ.".encode()
        fake.push(document_message(STAFF, "f1", "new.txt", 20))
        await fake.wait_for(lambda calls: len(texts_to(fake, STAFF)) == 4)
        assert all("только администраторам" in t for t in texts_to(fake, STAFF))
        assert not fake.calls_to("getFile") and not (docs / "new.txt").exists()


async def test_uploaded_document_becomes_answerable(docs, tmp_path, real_embedder) -> None:
    async with running_bot(docs, tmp_path / "index", real_embedder, upload_max_mb=1) as run:
        fake = run.fake
        fake.files["huge"] = b"x"
        fake.push(document_message(ADMIN, "huge", "huge.pdf", 5 * 1024 * 1024))
        await fake.wait_for(lambda calls: any("слишком большой" in t for t in texts_to(fake, ADMIN)))
        assert not fake.calls_to("getFile")  # refused before any download

        content = "Протокол рабочей группы.\n\nСовместный завод по сборке тракторов откроется в Костанае в 2027 году."
        fake.files["doc-1"] = content.encode()
        fake.push(document_message(ADMIN, "doc-1", "../../etc/трактор завод.txt", len(content.encode())))
        await fake.wait_for(
            lambda calls: any("Индекс обновлён" in c.params["text"] for c in fake.calls_to("editMessageText")),
            timeout=120,
        )
        assert fake.calls_to("getFile") and fake.calls_to("downloadFile")
        saved = sorted(p.name for p in docs.iterdir())
        assert "etc_трактор завод.txt" in saved  # the whole name, its slashes made safe
        fake.push(private_message(STAFF, "Где откроется завод по сборке тракторов?"))
        await fake.wait_for(lambda calls: texts_to(fake, STAFF))
        assert "Костанае" in texts_to(fake, STAFF)[0]

        fake.push(private_message(ADMIN, "/stats"))
        fake.push(private_message(ADMIN, "/docs"))
        await fake.wait_for(
            lambda calls: any(re.search(r"Отвечено вопросов с .*: 1$", t) for t in texts_to(fake, ADMIN))
        )
        await fake.wait_for(lambda calls: any("трактор завод.txt" in t for t in texts_to(fake, ADMIN)))


async def test_restricted_access(docs, tmp_path, real_embedder) -> None:
    async with running_bot(docs, tmp_path / "index", real_embedder, allowed_user_ids=frozenset({STAFF})) as run:
        fake = run.fake
        fake.push(private_message(OUTSIDER, "Где пройдет 22-е заседание?"))
        fake.push(group_message(GROUP, OUTSIDER, "@commission_test_bot Где пройдет 22-е заседание?"))
        fake.push(inline_query(OUTSIDER, "Где пройдет 22-е заседание?", "q-out"))
        fake.push(private_message(OUTSIDER, "/reindex"))
        fake.files["evil"] = b"Outsider text."
        fake.push(document_message(OUTSIDER, "evil", "evil.txt", 14))
        fake.push(private_message(STAFF, "Где пройдет 22-е заседание?"))
        await fake.wait_for(lambda calls: texts_to(fake, STAFF) and fake.calls_to("answerInlineQuery"))
        await asyncio.sleep(0.5)
        refusal = "Извините, доступ к этому боту ограничен. Обратитесь к администратору, чтобы получить доступ."
        assert texts_to(fake, OUTSIDER) == [refusal]  # question, admin command, upload: refused alike, told once
        assert not fake.calls_to("getFile") and not (docs / "evil.txt").exists()
        assert texts_to(fake, GROUP) == []
        [inline] = fake.calls_to("answerInlineQuery")
        assert inline.params["results"] == [] and inline.params["is_personal"] in (True, "true", "True")
        assert "Казахстане" in texts_to(fake, STAFF)[0]
