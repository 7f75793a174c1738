"""Telegram's audio (OGG/Opus voice, MP3/M4A files, MP4 video notes) as 16 kHz mono samples.

PyAV (which faster-whisper installs, with FFmpeg inside its wheel) decodes every format Telegram
sends. Decoding stops as soon as the audio runs past the limit: a file whose declared duration was
missing or wrong cannot make the bot decode an hour of audio into memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from itertools import chain

import numpy as np

SAMPLE_RATE = 16_000  # what Whisper listens at
# Telegram rounds a voice message's duration to whole seconds; a clip of 60.4 s says "60".
LENGTH_TOLERANCE_SECONDS = 1.0


class UnreadableAudio(Exception):
    """The bytes are not audio PyAV can decode, or hold no audio track."""


class AudioTooLong(Exception):
    def __init__(self, limit_seconds: float) -> None:
        super().__init__(f"longer than {limit_seconds:g} s")
        self.limit_seconds = limit_seconds


def decode_audio(data: bytes, max_seconds: float) -> np.ndarray:
    """Float32 samples in [-1, 1] at 16 kHz, mono; AudioTooLong past ``max_seconds``."""
    import av  # the voice extra; only called when voice is on

    limit = int((max_seconds + LENGTH_TOLERANCE_SECONDS) * SAMPLE_RATE)
    pieces: list[np.ndarray] = []
    total = 0
    try:
        with av.open(io.BytesIO(data), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise UnreadableAudio("no audio track")
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            for frame in chain(_frames(container), [None]):  # None flushes the resampler
                for out in resampler.resample(frame):
                    samples = out.to_ndarray().reshape(-1)
                    pieces.append(samples)
                    total += samples.size
                if total > limit:
                    raise AudioTooLong(max_seconds)
    except av.FFmpegError as exc:
        raise UnreadableAudio(type(exc).__name__) from exc
    if total == 0:
        raise UnreadableAudio("no audio samples")
    return np.concatenate(pieces).astype(np.float32) / 32768.0


def _frames(container) -> Iterator:
    """Audio frames, skipping damaged packets (a voice message cut short still has its start)."""
    import av

    frames = container.decode(audio=0)
    while True:
        try:
            yield next(frames)
        except StopIteration:
            return
        except av.error.InvalidDataError:
            continue
