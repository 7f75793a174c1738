"""Voice questions end to end: the real bot polls the fake Bot API, gets the file, transcribes, answers.

The first tests run everything real (Whisper, the embedding model, the shipped documents); the rest
check the bot's decisions (where it listens, what it refuses before downloading) with a scripted
transcriber and the fake embedder, which is all they need.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import numpy as np

from bot.speech import SpeechService, Transcript
from bot.speech.vocabulary import Vocabulary
from tests.bot_harness import STAFF, running_bot
from tests.conftest import FakeEmbedder
from tests.fake_telegram import BOT_USER, private_message, user
from tests.speech_synthesis import espeak, festival_russian, mp4_video_note, ogg_opus, tone, word_error_rate

GROUP = -100700


def recording_message(
    chat_id: int,
    user_id: int,
    file_id: str,
    size: int,
    duration: int,
    kind: str = "voice",
    language: str = "ru",
    caption: str | None = None,
    reply_to_bot: bool = False,
) -> dict:
    """An update with a voice message ("voice"), an audio file ("audio") or a video note ("video_note")."""
    chat = {"id": chat_id, "type": "private"} if chat_id > 0 else {"id": chat_id, "type": "supergroup", "title": "S"}
    media: dict[str, Any] = {"file_id": file_id, "file_unique_id": file_id, "duration": duration, "file_size": size}
    if kind == "voice":
        media["mime_type"] = "audio/ogg"
    elif kind == "video_note":
        media["length"] = 64
    message: dict[str, Any] = {
        "message_id": int(time.monotonic() * 1000) % 1_000_000,
        "date": int(time.time()),
        "chat": chat,
        "from": user(user_id, language),
        kind: media,
    }
    if caption is not None:
        message["caption"] = caption
        mention = "@" + BOT_USER["username"]
        if mention in caption:
            message["caption_entities"] = [
                {"type": "mention", "offset": caption.index(mention), "length": len(mention)}
            ]
    if reply_to_bot:
        message["reply_to_message"] = {"message_id": 999, "date": int(time.time()), "chat": chat, "from": BOT_USER,
                                       "text": "earlier answer"}  # fmt: skip
    return {"message": message}


def send_recording(fake, data: bytes, file_id: str, chat_id: int = STAFF, **fields) -> None:
    fake.files[file_id] = data
    seconds = fields.pop("duration", 5)
    fake.push(recording_message(chat_id, STAFF, file_id, len(data), seconds, **fields))


# ---- the whole path, everything real ---------------------------------------------------------------
async def test_spoken_english_question_is_heard_and_answered(documents, tmp_path, real_embedder, whisper) -> None:
    voice = ogg_opus(espeak("Where will the 22nd session be held?", "en-us", "-s", "140", "-g", "4"))
    speech = SpeechService(whisper, max_seconds=60)
    async with running_bot(documents, tmp_path / "index", real_embedder, speech=speech) as run:
        fake = run.fake
        send_recording(fake, voice, "voice-en", duration=4, language="en")
        await fake.wait_for(lambda calls: len(fake.sent_texts(STAFF)) >= 2, timeout=120)
        heard, answer = fake.sent_texts(STAFF)[:2]
        assert heard.startswith("🎤 “") and heard.endswith("”")
        assert word_error_rate("Where will the 22nd session be held?", heard[3:-1]) <= 0.3
        assert "пройдет в следующем году в Казахстане" in answer and "<b>" in answer and "Trend" in answer
        assert [c.method for c in fake.calls if c.method in ("getFile", "downloadFile")] == ["getFile", "downloadFile"]
        assert speech.transcribed == 1


async def test_spoken_russian_question_in_a_group_reply(documents, tmp_path, real_embedder, whisper) -> None:
    # Without the corpus prompt Whisper hears "нурландс уран-Баев", and the engine finds no answer to that.
    voice = ogg_opus(festival_russian("Какую должность занимает Нурлан Сауранбаев?"))
    async with running_bot(documents, tmp_path / "index", real_embedder, speech=SpeechService(whisper, 60)) as run:
        fake = run.fake
        send_recording(fake, voice, "voice-ru", chat_id=GROUP, kind="audio", reply_to_bot=True, duration=4)
        await fake.wait_for(lambda calls: len(fake.sent_texts(GROUP)) >= 2, timeout=120)
        heard, answer = fake.sent_texts(GROUP)[:2]
        assert heard.startswith("🎤 «") and "Сауранбаев" in heard
        # The name heard reaches the engine: the answer is the report's sentence about him, with its source.
        assert "<b>Нурлан Сауранбаев" in answer and "Trend" in answer


# ---- the bot's decisions, with a scripted transcriber -------------------------------------------------
class ScriptedTranscriber:
    """Hears ``text`` in any audio; records the length of what it was given and the vocabulary."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.heard: list[float] = []
        self.vocabularies: list[Vocabulary | None] = []

    def transcribe(self, audio: np.ndarray, vocabulary: Vocabulary | None = None) -> Transcript:
        self.heard.append(len(audio) / 16_000)
        self.vocabularies.append(vocabulary)
        return Transcript(self.text, "ru", len(audio) / 16_000, 0.0)


async def test_group_recordings_are_answered_only_when_addressed(documents, tmp_path) -> None:
    transcriber = ScriptedTranscriber("Где пройдет 22-е заседание?")
    speech = SpeechService(transcriber, max_seconds=60)
    clip = ogg_opus(tone(2.0))
    async with running_bot(documents, tmp_path / "index", FakeEmbedder(), speech=speech, abstain_margin=-1.0) as run:
        fake = run.fake
        send_recording(fake, clip, "chatter", chat_id=GROUP)  # colleagues talking among themselves
        send_recording(fake, clip, "other-bot", chat_id=GROUP, caption="@someone_else_bot послушай")
        send_recording(fake, clip, "mention", chat_id=GROUP, caption="@commission_test_bot вопрос")
        send_recording(fake, mp4_video_note(tone(3.0)), "reply", chat_id=GROUP, kind="video_note", reply_to_bot=True)
        await fake.wait_for(lambda calls: len(fake.sent_texts(GROUP)) >= 4)
        await asyncio.sleep(0.5)
        texts = fake.sent_texts(GROUP)
        assert len(texts) == 4 and texts.count("🎤 «Где пройдет 22-е заседание?»") == 2  # two answered, in any order
        assert {c.params["file_id"] for c in fake.calls_to("getFile")} == {"mention", "reply"}
        assert sorted(round(s) for s in transcriber.heard) == [2, 3]  # the video note's sound was decoded
        assert transcriber.vocabularies[0] is not None and "Сауранбаев" in transcriber.vocabularies[0].prompt("ru")


async def test_refusals_before_and_after_download(documents, tmp_path) -> None:
    transcriber = ScriptedTranscriber("")
    speech = SpeechService(transcriber, max_seconds=60)
    async with running_bot(documents, tmp_path / "index", FakeEmbedder(), speech=speech, abstain_margin=-1.0) as run:
        fake = run.fake
        send_recording(fake, ogg_opus(tone(1.0)), "long", duration=61, language="en")
        await fake.wait_for(lambda calls: fake.sent_texts(STAFF))
        assert fake.sent_texts(STAFF)[-1] == (
            "The recording is too long (61 s, limit 60 s). Ask a shorter question or type it."
        )
        assert not fake.calls_to("getFile")  # refused before download

        send_recording(fake, ogg_opus(tone(70.0)), "lying", duration=5)  # the declared length was wrong
        await fake.wait_for(lambda calls: len(fake.sent_texts(STAFF)) == 2)
        assert "Сообщение слишком длинное (> 60 с, предел 60 с)" in fake.sent_texts(STAFF)[-1]

        send_recording(fake, b"definitely not audio" * 20, "junk")
        await fake.wait_for(lambda calls: len(fake.sent_texts(STAFF)) == 3)
        assert fake.sent_texts(STAFF)[-1].startswith("Не удалось прочитать запись")

        send_recording(fake, ogg_opus(tone(2.0)), "mumble")  # nothing heard
        await fake.wait_for(lambda calls: len(fake.sent_texts(STAFF)) == 4)
        assert fake.sent_texts(STAFF)[-1].startswith("Не удалось разобрать вопрос")
        assert transcriber.heard == [2.0]  # neither the long nor the junk one reached the model

        fake.faults["getFile"].append((400, {"description": "Bad Request: file is too big"}))
        send_recording(fake, ogg_opus(tone(2.0)), "gone")
        await fake.wait_for(lambda calls: len(fake.sent_texts(STAFF)) == 5)
        assert fake.sent_texts(STAFF)[-1].startswith("Не удалось получить запись из Telegram")


async def test_voice_off_says_so_in_one_line_and_downloads_nothing(documents, tmp_path) -> None:
    speech = SpeechService(None, max_seconds=60, off_reason="VOICE_MODEL is not set")
    async with running_bot(documents, tmp_path / "index", FakeEmbedder(), speech=speech) as run:
        fake = run.fake
        send_recording(fake, ogg_opus(tone(1.0)), "v1", language="kk")
        await fake.wait_for(lambda calls: fake.sent_texts(STAFF))
        await asyncio.sleep(0.3)
        assert fake.sent_texts(STAFF) == ["Дауыстық сұрақтар әзірге танылмайды, сұрағыңызды мәтінмен жазыңыз."]
        assert not fake.calls_to("getFile")


async def test_voice_and_text_questions_share_one_rate_limit(documents, tmp_path) -> None:
    speech = SpeechService(ScriptedTranscriber("Где пройдет 22-е заседание?"), max_seconds=60)
    async with running_bot(
        documents, tmp_path / "index", FakeEmbedder(), speech=speech, rate_limit_per_minute=1, abstain_margin=-1.0
    ) as run:
        fake = run.fake
        fake.push(private_message(STAFF, "Где пройдет 22-е заседание?"))
        await fake.wait_for(lambda calls: fake.sent_texts(STAFF))
        send_recording(fake, ogg_opus(tone(1.0)), "v2")
        await fake.wait_for(lambda calls: len(fake.sent_texts(STAFF)) == 2)
        assert fake.sent_texts(STAFF)[-1].startswith("Слишком много вопросов подряд")
        assert not fake.calls_to("getFile")
