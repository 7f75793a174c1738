"""Spoken test questions made in the test: espeak-ng (English), festival with festvox-ru (Russian).

Telegram sends voice messages as OGG/Opus (48 kHz mono); PyAV, which faster-whisper installs anyway,
encodes them, so no encoder package is needed. Word error rate is measured on normalised words:
case, punctuation and ordinal endings ("22nd", "22-й") do not count.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import tempfile
from pathlib import Path

import av
import numpy as np
import pytest

from tests.conftest import require_system_tool

FESTIVAL_RUSSIAN_VOICE = "msu_ru_nsh_clunits"
FESTIVAL_VOICES = Path("/usr/share/festival/voices/russian")


def espeak(text: str, voice: str = "en-us", *options: str) -> bytes:
    """WAV bytes of ``text`` spoken by espeak-ng (``options``: e.g. "-s", "140" for the pace)."""
    command = require_system_tool("espeak-ng", "espeak-ng")
    return subprocess.run([command, "-v", voice, *options, "--stdout", text], check=True, capture_output=True).stdout


def festival_russian(text: str) -> bytes:
    """WAV bytes of Russian ``text`` spoken by festival's Russian voice (festvox-ru)."""
    command = require_system_tool("text2wave", "festival")
    if not (FESTIVAL_VOICES / FESTIVAL_RUSSIAN_VOICE).is_dir():
        message = "festival's Russian voice is missing: install the Debian package festvox-ru"
        if os.environ.get("REQUIRE_SYSTEM_PACKAGES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "text.txt", Path(folder) / "speech.wav"
        source.write_text(text, "utf-8")
        voice = f"(voice_{FESTIVAL_RUSSIAN_VOICE})"
        subprocess.run([command, "-eval", voice, str(source), "-o", str(target)], check=True, capture_output=True)
        return target.read_bytes()


def _encode(frames, container_format: str, codec: str, rate: int, extra_video: bool = False) -> bytes:
    """Encode audio frames (an iterable of av.AudioFrame) into a container, optionally with a video track."""
    out = io.BytesIO()
    with av.open(out, "w", format=container_format) as target:
        audio = target.add_stream(codec, rate=rate, layout="mono")
        video = None
        if extra_video:  # a video note is a square MP4 with sound
            video = target.add_stream("mpeg4", rate=10)
            video.width = video.height = 64
            video.pix_fmt = "yuv420p"
        resampler = av.AudioResampler(format=audio.codec_context.codec.audio_formats[0].name, layout="mono", rate=rate)
        for frame in [*frames, None]:
            for piece in resampler.resample(frame):
                target.mux(audio.encode(piece))
        target.mux(audio.encode(None))
        if video is not None:
            picture = av.VideoFrame.from_ndarray(np.zeros((64, 64, 3), np.uint8), format="rgb24")
            for _ in range(3):
                target.mux(video.encode(picture.reformat(format="yuv420p")))
            target.mux(video.encode(None))
    return out.getvalue()


def _wav_frames(wav: bytes) -> list:
    with av.open(io.BytesIO(wav)) as source:
        return list(source.decode(audio=0))


def ogg_opus(wav: bytes) -> bytes:
    """A Telegram voice message: OGG/Opus, 48 kHz mono."""
    return _encode(_wav_frames(wav), "ogg", "libopus", 48_000)


def mp4_video_note(wav: bytes) -> bytes:
    """A Telegram video note: MP4 with a small video track and AAC sound."""
    return _encode(_wav_frames(wav), "mp4", "aac", 44_100, extra_video=True)


def tone(seconds: float, rate: int = 48_000, frequency: float = 440.0) -> bytes:
    """A sine tone as WAV bytes: audio of an exact length, no speech."""
    t = np.arange(int(seconds * rate)) / rate
    samples = (0.3 * np.sin(2 * np.pi * frequency * t) * 32767).astype(np.int16)
    out = io.BytesIO()
    with av.open(out, "w", format="wav") as target:
        stream = target.add_stream("pcm_s16le", rate=rate, layout="mono")
        for start in range(0, len(samples), rate):
            frame = av.AudioFrame.from_ndarray(samples[None, start : start + rate], format="s16", layout="mono")
            frame.sample_rate = rate
            target.mux(stream.encode(frame))
        target.mux(stream.encode(None))
    return out.getvalue()


def words(text: str) -> list[str]:
    text = text.lower().replace("ё", "е")
    text = re.sub(r"(\d+)-?(?:st|nd|rd|th|й|е|го|ое|ий)\b", r"\1", text)
    return re.sub(r"[^\w\s]", " ", text).split()


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level edit distance over the reference's length."""
    ref, hyp = words(reference), words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        previous, row = row, [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (r != h))
    return row[-1] / max(1, len(ref))
