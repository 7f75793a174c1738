"""What the voice handlers use: is voice on, how long may a message be, and transcribe off the loop.

Transcription is CPU-bound (about a quarter to a half of the audio's length on two cores), so it
runs in one worker thread: voice messages queue behind each other instead of stalling the event
loop or fighting over the cores. The prompt is rebuilt from the index whenever its version changes.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

import numpy as np

from bot.config import Settings
from bot.speech.audio import decode_audio
from bot.speech.vocabulary import Vocabulary, corpus_vocabulary
from bot.speech.whisper import Transcript, VoiceUnavailable, load_whisper
from index.lexical import Stemmer
from index.snapshot import Snapshot

logger = logging.getLogger(__name__)


class Transcriber(Protocol):
    def transcribe(self, audio: np.ndarray, vocabulary: Vocabulary | None = None) -> Transcript: ...


class SpeechService:
    def __init__(self, transcriber: Transcriber | None, max_seconds: float, off_reason: str | None = None) -> None:
        self.transcriber = transcriber
        self.max_seconds = max_seconds
        self.off_reason = off_reason if transcriber is None else None
        self.transcribed = 0
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="voice")
        self._stemmer = Stemmer()
        self._vocabulary_lock = threading.Lock()
        self._vocabulary_version: str | None = None
        self._vocabulary: Vocabulary | None = None

    @property
    def available(self) -> bool:
        return self.transcriber is not None

    async def transcribe(self, data: bytes, snapshot: Snapshot | None) -> Transcript:
        """The text of an audio file; raises UnreadableAudio or AudioTooLong."""
        loop = asyncio.get_running_loop()
        transcript = await loop.run_in_executor(self._executor, self.transcribe_now, data, snapshot)
        self.transcribed += 1
        return transcript

    def transcribe_now(self, data: bytes, snapshot: Snapshot | None) -> Transcript:
        """The same, in the calling thread (the worker, the bench)."""
        if self.transcriber is None:
            raise VoiceUnavailable(self.off_reason or "voice is off")
        audio = decode_audio(data, self.max_seconds)
        transcript = self.transcriber.transcribe(audio, self.vocabulary_of(snapshot))
        logger.info(
            "transcribed %.1f s of %s audio in %.1f s",
            transcript.audio_seconds,
            transcript.language,
            transcript.elapsed_seconds,
        )
        return transcript

    def vocabulary_of(self, snapshot: Snapshot | None) -> Vocabulary | None:
        """The corpus's titles and names, gathered once per index version."""
        if snapshot is None:
            return None
        with self._vocabulary_lock:
            if snapshot.version != self._vocabulary_version:
                titles = [value for d in snapshot.documents for value in (d.meta.title, d.meta.place, d.meta.source)]
                self._vocabulary = corpus_vocabulary(titles, snapshot.chunk_text, self._stemmer)
                self._vocabulary_version = snapshot.version
            return self._vocabulary

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=False)


def create_speech_service(settings: Settings) -> SpeechService:
    """Load the whisper model once; when that cannot be done, a service that says voice is off (logged once)."""
    voice_model, max_seconds = settings.voice_model, settings.voice_max_seconds
    if not voice_model:
        installed = importlib.util.find_spec("faster_whisper") is not None
        reason = "VOICE_MODEL is not set"
        if not installed:
            reason = "faster-whisper is not installed (pip install '.[voice]') and VOICE_MODEL is not set"
        logger.info("voice questions are off: %s", reason)
        return SpeechService(None, max_seconds, reason)
    try:
        transcriber = load_whisper(voice_model, settings.model_cache_dir / "whisper")
    except VoiceUnavailable as exc:
        logger.warning("voice questions are off: %s", exc)
        return SpeechService(None, max_seconds, str(exc))
    logger.info("voice questions are on (up to %g s per message)", max_seconds)
    return SpeechService(transcriber, max_seconds)
