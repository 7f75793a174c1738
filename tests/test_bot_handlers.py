"""Handler tests through the real Dispatcher with a recording session (no network, fake embedder)."""

from __future__ import annotations

import io
import logging
import time
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import GetMe, SendMessage, TelegramMethod
from aiogram.types import Chat, Message, Update, User

from bot.app import build_dispatcher
from bot.config import Settings
from bot.formatting import split_message
from bot.logsafety import install_redaction
from index.engine import Engine
from tests.conftest import FakeEmbedder
from tests.fake_telegram import BOT_USER, TOKEN, private_message

STAFF = 2


class RecordingSession(BaseSession):
    """Records every Bot API method; answers with plausible results."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[TelegramMethod] = []

    async def make_request(self, bot: Bot, method: TelegramMethod, timeout: int | None = None) -> Any:
        self.requests.append(method)
        if isinstance(method, GetMe):
            return User(**BOT_USER)
        if isinstance(method, SendMessage):
            return Message(
                message_id=len(self.requests),
                date=int(time.time()),
                chat=Chat(id=int(method.chat_id), type="private"),
                text=method.text,
            )
        return True

    async def stream_content(self, *args: Any, **kwargs: Any):  # pragma: no cover - not used here
        yield b""

    async def close(self) -> None:
        pass

    def sent(self) -> list[str]:
        return [m.text for m in self.requests if isinstance(m, SendMessage)]


def make(tmp_path: Path, text: str, **overrides) -> tuple[Bot, Any, RecordingSession, Engine]:
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "doc.txt").write_text(text, "utf-8")
    settings = Settings(
        _env_file=None,
        bot_token=TOKEN,
        documents_dir=docs,
        index_dir=tmp_path / "index",
        abstain_margin=-1.0,
        **overrides,
    )
    engine = Engine.from_settings(settings, embedder_factory=FakeEmbedder)
    engine.ensure_index()
    session = RecordingSession()
    bot = Bot(TOKEN, session=session)
    dp = build_dispatcher(settings, engine)
    return bot, dp, session, engine


async def feed(dp, bot: Bot, update: dict, update_id: int = 1) -> None:
    await dp.feed_update(bot, Update(update_id=update_id, **update))


async def test_document_text_reaches_users_escaped(tmp_path: Path) -> None:
    hostile = "Тег <script>alert(1)</script> & *жирный* _курсив_ `код` в протоколе заседания."
    bot, dp, session, _ = make(tmp_path, hostile)
    await feed(dp, bot, private_message(STAFF, "протокол заседания"))
    [text] = session.sent()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *жирный* _курсив_ `код`" in text
    assert "<script>" not in text
    assert text.count("<b>") == text.count("</b>")


async def test_long_answer_is_split_into_valid_messages(tmp_path: Path) -> None:
    sentence = "Стороны обсудили " + "очень " * 1200 + "длинный вопрос о заседании."
    bot, dp, session, _ = make(tmp_path, sentence, chunk_max_chars=9000)
    await feed(dp, bot, private_message(STAFF, "длинный вопрос о заседании"))
    parts = session.sent()
    assert len(parts) >= 2
    assert all(len(p) <= 4096 for p in parts)
    assert all(p.count("<b>") == p.count("</b>") for p in parts)
    assert "".join(parts).count("очень") == 1200


async def test_handler_error_apologises_and_logs_without_the_token(tmp_path: Path) -> None:
    bot, dp, session, engine = make(tmp_path, "Протокол подписан в Баку.")

    def broken(*args, **kwargs):
        raise RuntimeError(f"cannot reach https://api.telegram.org/bot{TOKEN}/sendMessage")

    engine.ask = broken
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        install_redaction([TOKEN])
        await feed(dp, bot, private_message(STAFF, "Где подписан протокол?"))
    finally:
        root.removeHandler(handler)
    assert session.sent() == ["Извините, при обработке вопроса произошла ошибка. Попробуйте ещё раз чуть позже."]
    log = stream.getvalue()
    assert "Traceback" in log and "RuntimeError" in log
    assert TOKEN not in log and "[redacted]" in log


async def test_rate_limit_gives_a_friendly_message(tmp_path: Path) -> None:
    bot, dp, session, _ = make(tmp_path, "Протокол подписан в Баку.", rate_limit_per_minute=2)
    for i in range(3):
        await feed(dp, bot, private_message(STAFF, "Где подписан протокол?"), update_id=i + 1)
    sent = session.sent()
    assert len(sent) == 3
    assert "Протокол подписан" in sent[0] and "Протокол подписан" in sent[1]
    assert sent[2].startswith("Слишком много вопросов подряд")


def test_split_message_keeps_tags_and_entities_whole() -> None:
    html = "<b>" + "слово &amp; " * 900 + "</b>"
    parts = split_message(html, limit=1000)
    assert len(parts) > 5
    for part in parts:
        assert len(part) <= 1000
        assert part.startswith("<b>") and part.endswith("</b>")
        assert part.count("&") == part.count("&amp;")
