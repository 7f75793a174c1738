"""Names written in another script meet the documents that hold them (sound keys)."""

from __future__ import annotations

import numpy as np
import pytest

from index.lexical import BM25Index, Stemmer
from index.name_keys import names_in, sound_keys


@pytest.mark.parametrize(
    "spellings",
    [
        ["Denver", "Денвер", "डेनवर", "Ντένβερ", "เดนเวอร์"],
        ["Broncos", "Бронкос", "Μπρόνκος"],
        ["Kazakhstan", "Казахстан", "Қазақстан", "Qazaxıstan"],
        ["Azerbaijan", "Азербайджан", "Azərbaycan", "Әзірбайжан"],
        ["Shakhbazov", "Шахбазов", "Şahbazov"],
    ],
)
def test_one_name_in_any_script_shares_a_key(spellings: list[str]) -> None:
    shared = set.intersection(*(set(sound_keys(s)) for s in spellings))
    assert shared, {s: sound_keys(s) for s in spellings}


def test_different_names_and_short_words_do_not_meet() -> None:
    assert not set(sound_keys("Denver")) & set(sound_keys("Turkmenistan"))
    assert not set(sound_keys("Kazakhstan")) & set(sound_keys("Kyrgyzstan"))
    assert sound_keys("Baku") == ()  # two consonants: too little to tell a name from a chance match


def test_names_are_capitalised_words_that_do_not_open_a_sentence() -> None:
    text = "Следующее заседание пройдет в Казахстане, сообщил «Тренд». Министр Шахбазов выступил."
    assert names_in(text) == ["Казахстане", "Тренд", "Шахбазов"]
    assert names_in("¿Cuántos puntos dejaron los Panthers?") == ["Panthers"]
    assert names_in("डेनवर ब्रोंकोस") == ["डेनवर", "ब्रोंकोस"]  # no case: any word may be a name


def test_a_name_typed_in_latin_finds_the_cyrillic_passage() -> None:
    chunks = [
        "Министр энергетики Парвиз Шахбазов провел встречу в Баку.",
        "Министр экономики Микаил Джаббаров провел встречу в Баку.",
        "Заседание комиссии прошло в Астане.",
    ]
    index = BM25Index.build(chunks, chunks, [], Stemmer())
    match = index.search("What did Shahbazov say?")
    assert int(np.argmax(match.number_scores)) == 0 and match.number_scores[1] == 0
    # Words the corpus knows match as words only: no key of "министр" or "встречу" is looked for.
    assert index.search("Министр Шахбазов").number_scores.max() == 0
