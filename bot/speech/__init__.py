"""Speech to text for voice questions: offline faster-whisper behind a small interface.

The bot gets a :class:`SpeechService` through the dispatcher's workflow data (``speech``). It is
either on (a loaded model) or off with a reason; the handlers never see which engine runs.
"""

from bot.speech.audio import AudioTooLong, UnreadableAudio
from bot.speech.service import SpeechService, Transcriber, create_speech_service
from bot.speech.whisper import Transcript, VoiceUnavailable

__all__ = [
    "AudioTooLong",
    "SpeechService",
    "Transcriber",
    "Transcript",
    "UnreadableAudio",
    "VoiceUnavailable",
    "create_speech_service",
]
