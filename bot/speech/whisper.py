"""faster-whisper (CTranslate2, int8 on CPU, no torch): loading a model offline and transcribing.

``VOICE_MODEL`` is a local folder (model.bin, config.json, tokenizer.json, vocabulary) or a
faster-whisper model name ("base", "small", "Systran/faster-whisper-small"). A name is looked up
in the model cache first and downloaded only where the model hub is reachable; nothing is fetched
unless a name is configured. Every way this can fail becomes ``VoiceUnavailable`` with a reason
for the log: the bot then answers voice messages with one line saying voice is off.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.speech.audio import SAMPLE_RATE
from bot.speech.ordinals import join_english_ordinals
from bot.speech.vocabulary import Vocabulary

logger = logging.getLogger(__name__)

# A folder must hold these (faster-whisper would fetch a missing tokenizer from the hub).
REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")
VOCABULARY_FILES = ("vocabulary.txt", "vocabulary.json")


class VoiceUnavailable(Exception):
    """Why voice questions are off (for the start-up log; users get a plain one-liner)."""


@dataclass(frozen=True)
class Transcript:
    text: str
    language: str
    audio_seconds: float
    elapsed_seconds: float


@dataclass(frozen=True)
class DecodingOptions:
    # Beam 5 against greedy, measured on synthesised questions: without a prompt WER 0.22 vs 0.35
    # (English) and 0.41 vs 0.68 (Russian); with the corpus prompt both reach about 0.36 on Russian.
    # Time differed by less than the noise of a shared machine: on short clips the encoder dominates.
    beam_size: int = 5
    # Sampling at higher temperatures and carrying text from one window to the next are what let
    # Whisper loop for 10-33 s on a 5 s clip of bad audio (measured in issue 13); one pass at 0 does not.
    temperature: float = 0.0
    condition_on_previous_text: bool = False
    # Below this language probability Whisper cannot place the audio, and a prompt is all it would
    # write: unintelligible clips came back as lists of the prompt's names (language 0.17-0.40,
    # while every intelligible clip scored 0.66 or more). Such audio is transcribed without prompt.
    prompt_min_language_probability: float = 0.5
    # A segment whose text compresses this well is a loop ("in the chest, in the chest, ..." from
    # reversed speech), not speech; Whisper itself retries above 2.4, here it is dropped.
    max_compression_ratio: float = 2.4


class WhisperTranscriber:
    """One loaded model. The speech service calls it from a single thread."""

    def __init__(self, model: Any, name: str, options: DecodingOptions | None = None) -> None:
        self.model = model
        self.name = name
        self.options = options or DecodingOptions()

    def transcribe(self, audio: np.ndarray, vocabulary: Vocabulary | None = None) -> Transcript:
        from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps

        started = time.perf_counter()
        seconds = len(audio) / SAMPLE_RATE
        # Voice activity detection first: silence and noise end here, before the encoder runs, and
        # the language is detected on speech only.
        pieces, _ = collect_chunks(audio, get_speech_timestamps(audio, VadOptions()))
        speech = np.concatenate(pieces)
        if speech.size == 0:
            return Transcript("", "", seconds, time.perf_counter() - started)
        language, probability, _ = self.model.detect_language(speech)
        confident = probability >= self.options.prompt_min_language_probability
        prompt = vocabulary.prompt(language) if vocabulary is not None and confident else ""
        o = self.options
        segments, _ = self.model.transcribe(
            speech,
            language=language,
            beam_size=o.beam_size,
            temperature=o.temperature,
            condition_on_previous_text=o.condition_on_previous_text,
            initial_prompt=prompt or None,
            vad_filter=False,  # done above
        )
        kept = [s.text.strip() for s in segments if s.compression_ratio <= o.max_compression_ratio]  # decodes
        text = " ".join(kept).strip()
        if language == "en":
            text = join_english_ordinals(text)
        return Transcript(text, language, seconds, time.perf_counter() - started)


def _looks_like_path(value: str) -> bool:
    """ "var/whisper" or "./model" is a folder even when missing; "Systran/faster-whisper-base" is a name."""
    if value.startswith((".", "/", "~")):
        return True
    first = value.split("/", 1)[0]
    return "/" in value and Path(first).is_dir()


def check_model_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise VoiceUnavailable(f"the model folder {folder} does not exist")
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if not any((folder / name).is_file() for name in VOCABULARY_FILES):
        missing.append(VOCABULARY_FILES[0])
    if missing:
        raise VoiceUnavailable(f"the model folder {folder} lacks {', '.join(missing)}")


def locate_model(value: str, cache_dir: Path) -> Path:
    """The local folder of VOICE_MODEL: as given, from the cache, or downloaded where a hub answers."""
    if Path(value).expanduser().is_dir() or _looks_like_path(value):
        folder = Path(value).expanduser()
        check_model_folder(folder)
        return folder
    from faster_whisper.utils import download_model

    try:
        return Path(download_model(value, cache_dir=str(cache_dir), local_files_only=True))
    except ValueError as exc:  # not a model name faster-whisper knows
        raise VoiceUnavailable(f"{value!r} is neither a model folder nor a faster-whisper model name") from exc
    except Exception:
        logger.info("whisper model %r is not in %s; trying to download it", value, cache_dir)
    try:
        folder = Path(download_model(value, cache_dir=str(cache_dir)))
    except Exception as exc:
        raise VoiceUnavailable(
            f"the model {value!r} is not in {cache_dir} and could not be downloaded ({type(exc).__name__}); "
            "copy a faster-whisper model folder to this machine and set VOICE_MODEL to its path"
        ) from exc
    check_model_folder(folder)
    return folder


def load_whisper(value: str, cache_dir: Path, options: DecodingOptions | None = None) -> WhisperTranscriber:
    """Load the model once (int8 on CPU). Raises VoiceUnavailable with the reason."""
    try:
        from faster_whisper import WhisperModel
    except ImportError as exc:
        raise VoiceUnavailable("faster-whisper is not installed (pip install '.[voice]')") from exc
    folder = locate_model(value, cache_dir)
    threads = min(4, os.cpu_count() or 1)
    started = time.perf_counter()
    try:
        model = WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=threads)
    except Exception as exc:  # CTranslate2 raises RuntimeError/ValueError for damaged or foreign files
        raise VoiceUnavailable(f"the model in {folder} could not be loaded: {exc}") from exc
    logger.info("whisper model %s loaded in %.1f s (int8, %d threads)", folder, time.perf_counter() - started, threads)
    return WhisperTranscriber(model, value, options)
