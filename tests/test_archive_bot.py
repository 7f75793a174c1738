"""Admins manage the archive from Telegram: the real bot against the fake Bot API, with the fast fake embedder."""

from __future__ import annotations

import errno
import tempfile

from bot.document_views import DocAction, doc_key
from index.metadata import read_sidecar
from tests.archive_helpers import ask, button, latest_text, reply_with_button, sent_to, wait_text
from tests.bot_harness import ADMIN, STAFF, assert_reindex_stages_in_order, running_bot
from tests.conftest import FIXTURES, FakeEmbedder
from tests.fake_telegram import FakeTelegram, callback_query, document_message, private_message

ADMIN_2 = 5
ASTANA = "План мероприятий. Дни культуры Азербайджана пройдут в Астане в мае 2026 года."
BAKU = "План мероприятий. Дни культуры Азербайджана пройдут в Баку в июне 2026 года."
QUESTION = "Где пройдут дни культуры Азербайджана?"


def upload(fake: FakeTelegram, user_id: int, name: str, data: bytes, caption: str | None = None, n: int = 7) -> None:
    file_id = f"file-{len(fake.files)}"
    fake.files[file_id] = data
    fake.push(document_message(user_id, file_id, name, len(data), caption=caption, message_id=n))


async def test_replace_keeps_one_document_and_undo_brings_the_old_version_back(documents, tmp_path) -> None:
    (documents / "table.xlsx").write_bytes(b"PK\x03\x04 a spreadsheet")
    async with running_bot(documents, tmp_path / "index", FakeEmbedder(), abstain_margin=-1.0) as run:
        fake = run.fake
        upload(fake, ADMIN, "culture-plan.txt", ASTANA.encode(), caption="План дней культуры; Trend; 2025-07-15")
        await wait_text(fake, ADMIN, "в индексе: бот уже отвечает по нему")
        answer = await ask(fake, STAFF, QUESTION)
        assert "Астане" in answer and "План дней культуры" in answer and "Trend, 2025-07-15" in answer

        upload(fake, ADMIN, "culture-plan.txt", BAKU.encode(), n=8)  # the same name: a new version
        await wait_text(fake, ADMIN, "заменён новой версией", count=1)
        await wait_text(fake, ADMIN, "в индексе: бот уже отвечает по нему", count=2)
        assert sorted(p.name for p in documents.iterdir() if p.name.startswith("culture")) == [
            "culture-plan.txt",
            "culture-plan.txt.meta.yaml",
        ]
        answer = await ask(fake, STAFF, QUESTION)
        assert "Баку" in answer and "Астане" not in answer and "План дней культуры" in answer  # description kept

        fake.push(private_message(ADMIN, "/undo"))
        await wait_text(fake, ADMIN, "Возвращена прежняя версия документа <code>culture-plan.txt</code>")
        await wait_text(fake, ADMIN, "Индекс обновлён", count=3)
        answer = await ask(fake, STAFF, QUESTION)
        assert "Астане" in answer and "Баку" not in answer

        # /docs shows the description; a document's page has its facts and its buttons
        fake.push(private_message(ADMIN, "/docs"))
        listing = await reply_with_button(fake, ADMIN, DocAction(action="open", key=doc_key("culture-plan.txt")))
        assert "План дней культуры — Trend, 2025-07-15" in listing.params["text"]
        assert "table.xlsx</code>\n    ⚠ не индексируется: формат .xlsx не поддерживается" in listing.params["text"]
        fake.push(callback_query(ADMIN, button(listing, "open", "culture-plan.txt"), listing.result["message_id"]))
        page = await wait_text(fake, ADMIN, "Фрагментов в индексе: 1")
        assert "<b>План дней культуры</b>" in page and "Источник: Trend" in page and "Дата: 2025-07-15" in page
        assert "Добавлен:" in page and "КБ" in page and "с тем же именем" in page


async def test_delete_asks_for_confirmation_and_the_document_leaves_the_answers(documents, tmp_path) -> None:
    (documents / "port-kuryk.txt").write_text("Порт Курык расширят до 2027 года, сообщили в министерстве.", "utf-8")
    (documents / "agriculture.txt").write_text("Поставки зерна выросли до 600 тысяч тонн.", "utf-8")
    async with running_bot(documents, tmp_path / "index", FakeEmbedder(), abstain_margin=-1.0) as run:
        fake = run.fake
        fake.push(private_message(ADMIN, "/delete"))
        listing = await reply_with_button(fake, ADMIN, DocAction(action="delete", key=doc_key("port-kuryk.txt")))
        assert "Какой документ удалить?" in listing.params["text"]
        fake.push(callback_query(ADMIN, button(listing, "delete", "port-kuryk.txt"), listing.result["message_id"]))
        question = await wait_text(fake, ADMIN, "Удалить документ")
        assert "port-kuryk.txt" in question and (documents / "port-kuryk.txt").exists()  # nothing happens before "yes"

        confirm = DocAction(action="confirm", key=doc_key("port-kuryk.txt")).pack()
        fake.push(callback_query(ADMIN, confirm, listing.result["message_id"], query_id="cb2"))
        final = await wait_text(fake, ADMIN, "удалён и больше не попадает в ответы")
        assert "удалено: 1" in final and "− port-kuryk.txt" in final
        assert not (documents / "port-kuryk.txt").exists()
        assert "Курык" not in await ask(fake, STAFF, "Когда расширят порт Курык?")

        fake.push(private_message(ADMIN, "/delete зерн"))  # no match by name: "agriculture" by its title? no — by text
        await wait_text(fake, ADMIN, "Документ «зерн» не найден")
        fake.push(private_message(ADMIN, "/delete agriculture"))
        question_message = await reply_with_button(fake, ADMIN, DocAction(action="cancel"))
        fake.push(callback_query(ADMIN, DocAction(action="cancel").pack(), question_message.result["message_id"], "c3"))
        await wait_text(fake, ADMIN, "Удаление отменено")
        assert (documents / "agriculture.txt").exists()


async def test_uploads_during_a_build_wait_for_one_follow_up_build_and_each_admin_is_told(documents, tmp_path) -> None:
    from tests.test_archive import GatedEmbedder

    embedder = GatedEmbedder()
    admins = frozenset({ADMIN, ADMIN_2})
    async with running_bot(documents, tmp_path / "index", embedder, abstain_margin=-1.0, admin_ids=admins) as run:
        fake = run.fake
        embedder.gate.clear()
        embedder.waiting.clear()
        fake.push(private_message(ADMIN, "/reindex full"))
        await wait_text(fake, ADMIN, "Переиндексация (полная): начинаю")
        upload(fake, ADMIN, "tourism.txt", "Туристический поток между странами вырос на 30 процентов.".encode())
        upload(fake, ADMIN_2, "transit.txt", "Транзит грузов через порт Алят удвоится к 2028 году.".encode(), n=9)
        await wait_text(fake, ADMIN, "будет проиндексирован сразу после неё")
        await wait_text(fake, ADMIN_2, "будет проиндексирован сразу после неё")
        assert run.dp["archive"].builds.builds_run == 0
        embedder.gate.set()
        # a new message (not only an edit) tells each admin, so Telegram notifies them
        for admin, name in ((ADMIN, "tourism.txt"), (ADMIN_2, "transit.txt")):
            await wait_text(fake, admin, f"✅ <code>{name}</code> в индексе", kind="sendMessage")
        assert run.dp["archive"].builds.builds_run == 2  # the running build and one follow-up for both files
        assert "30 процентов" in await ask(fake, STAFF, "На сколько вырос туристический поток?")
        assert "Алят" in await ask(fake, STAFF, "Как изменится транзит грузов через порт?")


async def test_unreadable_upload_is_refused_with_its_reason_and_not_kept(documents, tmp_path, monkeypatch) -> None:
    async with running_bot(documents, tmp_path / "index", FakeEmbedder(), abstain_margin=-1.0) as run:
        fake = run.fake
        before = sorted(p.name for p in documents.iterdir())
        upload(fake, ADMIN, "протокол.pdf", (FIXTURES / "hostile" / "encrypted.pdf").read_bytes())
        refusal = await wait_text(fake, ADMIN, "не принят")
        assert "PDF защищён паролем" in refusal and "Он не сохранён" in refusal
        upload(fake, ADMIN, "отчёт.docx", b"PK\x03\x04 definitely not a document", n=8)
        refusal = await wait_text(fake, ADMIN, "отчёт.docx</code> не принят")
        assert "это не файл DOCX" in refusal
        assert sorted(p.name for p in documents.iterdir()) == before
        assert not fake.calls_to("editMessageText")  # no build was started for them

        def read_only(*args, dir=None, **kwargs):
            raise PermissionError(errno.EROFS, "Read-only file system", str(dir))

        monkeypatch.setattr(tempfile, "mkstemp", read_only)
        upload(fake, ADMIN, "new.txt", "Новый документ о сотрудничестве.".encode(), n=9)
        refusal = await wait_text(fake, ADMIN, "закрыта для записи")
        assert f"папка {documents}" in refusal and "право записи" in refusal and "Извините" not in refusal
        assert not fake.calls_to("downloadFile")[2:]  # refused before downloading the third file


async def test_description_is_asked_with_buttons_after_an_upload(documents, tmp_path) -> None:
    async with running_bot(documents, tmp_path / "index", FakeEmbedder(), abstain_margin=-1.0) as run:
        fake = run.fake
        upload(
            fake, ADMIN, "Протокол 12/2025.txt", "Стороны подписали протокол о сотрудничестве в энергетике.".encode()
        )
        name = "Протокол 12_2025.txt"  # the whole name kept; "/" cannot be in a file name
        card = await reply_with_button(fake, ADMIN, DocAction(action="field", key=doc_key(name), field="source"))
        assert "Название: Протокол 12/2025" in card.params["text"] and "Источник: —" in card.params["text"]
        await wait_text(fake, ADMIN, "в индексе: бот уже отвечает по нему")

        source = DocAction(action="field", key=doc_key(name), field="source").pack()
        fake.push(callback_query(ADMIN, source, card.result["message_id"]))
        prompt = await reply_with_button(
            fake, ADMIN, DocAction(action="set", key=doc_key(name), field="source", value=0)
        )
        assert "Пришлите источник" in prompt.params["text"]
        assert button(prompt, "set", name, label="Trend")  # sources already in the archive are offered
        fake.push(callback_query(ADMIN, button(prompt, "set", name, label="Trend"), prompt.result["message_id"], "c2"))
        await wait_text(fake, ADMIN, "Источник: Trend")

        date = DocAction(action="field", key=doc_key(name), field="date").pack()
        fake.push(callback_query(ADMIN, date, card.result["message_id"], "c3"))
        await wait_text(fake, ADMIN, "Пришлите дату")
        fake.push(private_message(ADMIN, "вчера", message_id=20))
        await wait_text(fake, ADMIN, "Дату «вчера» не удалось разобрать")
        fake.push(private_message(ADMIN, "15.07.2025", message_id=21))
        await wait_text(fake, ADMIN, "Дата: 2025-07-15")
        assert read_sidecar(documents / name)[0] == {
            "title": "Протокол 12/2025",
            "source": "Trend",
            "date": "2025-07-15",
        }
        answer = await ask(fake, STAFF, "Какой протокол подписали стороны?")
        assert "Протокол 12/2025" in answer and "Trend, 2025-07-15" in answer


async def test_reindex_progress_under_flood_control_ends_with_the_summary(documents, tmp_path) -> None:
    from tests.archive_helpers import SlowEmbedder

    fake = FakeTelegram()
    async with running_bot(documents, tmp_path / "index", SlowEmbedder(), fake, abstain_margin=-1.0):
        fake.edit_flood_seconds = 2.5  # longer than the bot's own pacing: flood control must be met
        for i in range(30):
            (documents / f"report-{i:02d}.txt").write_text(
                f"Отчёт {i}. " + " ".join(f"Пункт {j} программы номер {i} выполнен." for j in range(12)), "utf-8"
            )
        (documents / "broken.pdf").write_bytes(b"not a pdf")
        fake.push(private_message(ADMIN, "/reindex"))
        status = await wait_text(fake, ADMIN, "Переиндексация: начинаю", kind="sendMessage")
        status_id = next(c for c in fake.calls_to("sendMessage") if c.params["text"] == status).result["message_id"]
        final = await wait_text(fake, ADMIN, "Индекс обновлён", timeout=120)
        edits = [
            c for c in fake.calls if c.method.endswith("editMessageText") and int(c.params["message_id"]) == status_id
        ]
        refused = [c for c in edits if c.method.startswith("!")]
        assert refused, "the test must meet flood control"
        for refusal in refused:  # retry_after was waited out before the next edit of that message
            later = [c for c in edits if c.at > refusal.at]
            assert not later or later[0].at - refusal.at >= 0.9
        assert latest_text(fake, ADMIN, status_id) == final  # the summary is the last state shown
        shown = [c.params["text"] for c in edits if not c.method.startswith("!")]
        assert_reindex_stages_in_order(shown)
        assert any("▓" in t and " %" in t for t in shown)
        assert not any("0 из 0" in t or "векторизация" in t for t in shown)
        assert "Добавлено: 30" in final and "+ report-09.txt" in final and "…и ещё 20" in final
        assert "⚠ broken.pdf: это не PDF-файл" in final
        assert not any("Извините" in t for t in sent_to(fake, ADMIN))

        fake.push(private_message(ADMIN, "/stats", message_id=2))
        stats = await wait_text(fake, ADMIN, "Документов в ответах: 31")
        assert "(добавлено 30, изменено 0, удалено 0)" in stats and "Не прочитано файлов: 1" in stats
        assert "multilingual" not in stats and "int8" not in stats and "с момента запуска" not in stats
