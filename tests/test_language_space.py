"""The language-neutral space and the numbers a question names (no model needed: the fake embedder)."""

from __future__ import annotations

import stat
from pathlib import Path

import numpy as np

from index.background import BACKGROUND_SENTENCES, PARALLEL_SENTENCES
from index.constraints import names_in, numbers_in
from index.language_space import LanguageNeutralEmbedder, cached_parallel_vectors, remove_directions
from tests.conftest import CountingEmbedder, FakeEmbedder


def test_the_parallel_sentences_say_the_same_in_every_language() -> None:
    lengths = {language: len(sentences) for language, sentences in PARALLEL_SENTENCES.items()}
    assert len(set(lengths.values())) == 1, lengths
    assert {"ru", "en", "kk", "az", "tr", "de"} <= set(PARALLEL_SENTENCES)
    assert len(set(BACKGROUND_SENTENCES)) == len(BACKGROUND_SENTENCES)  # no sentence copied into two languages


def test_vectors_lose_the_language_directions_and_stay_unit_length(tmp_path: Path) -> None:
    fake = FakeEmbedder()
    embedder = LanguageNeutralEmbedder(fake, cached_parallel_vectors(fake, tmp_path))
    assert embedder.name == "fake-hash-256+langfree1"
    assert 1 <= len(embedder.basis) < len(PARALLEL_SENTENCES)
    vectors = embedder.embed_queries(["Где пройдет заседание?", "Where will the session be held?"])
    assert np.allclose(vectors @ embedder.basis.T, 0, atol=1e-5)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    again = remove_directions(vectors, embedder.basis)
    assert np.allclose(again, vectors, atol=1e-6)  # a projection: doing it twice changes nothing


def test_the_parallel_vectors_are_embedded_once_and_readable_by_others(tmp_path: Path) -> None:
    counting = CountingEmbedder(FakeEmbedder())
    first = cached_parallel_vectors(counting, tmp_path)
    assert len(counting.texts) == len(BACKGROUND_SENTENCES)
    second = cached_parallel_vectors(counting, tmp_path)
    assert len(counting.texts) == len(BACKGROUND_SENTENCES)  # read from the cache, not embedded again
    assert np.array_equal(first, second)
    [cached] = (tmp_path / "language-space").iterdir()
    assert cached.stat().st_mode & stat.S_IROTH


def test_a_full_build_does_not_embed_the_background_again(make_engine, documents: Path, tmp_path: Path) -> None:
    counting = CountingEmbedder(FakeEmbedder())
    embedder = LanguageNeutralEmbedder(counting, cached_parallel_vectors(counting, tmp_path / "models"))
    counting.texts.clear()
    engine = make_engine(documents, embedder)
    engine.build(full=True)
    assert not set(BACKGROUND_SENTENCES) & set(counting.texts)
    assert engine.snapshot is not None and len(engine.snapshot.background) == len(BACKGROUND_SENTENCES)


def test_numbers_are_read_in_digits_and_roman_numerals() -> None:
    assert numbers_in("22-е заседание, 6. Sitzung, KEK 14. Dönem, 2025-07-15") == {22, 6, 14, 2025, 7, 15}
    assert numbers_in("XII отырысы, IV сессия") == {12, 4}
    assert numbers_in("I think VV and IIII are no numerals") == set()
    assert numbers_in("09. Juni") == {9}


def test_a_document_that_never_writes_the_asked_number_is_a_near_miss() -> None:
    report = ["Одиннадцатое заседание комиссии", "2023-12-02", "Товарооборот составил 1,2 млрд долларов за 9 месяцев."]
    named = names_in(report).numbers
    assert numbers_in("Где прошло 14-е заседание?") - named == {14}
    assert numbers_in("Какой товарооборот назван за 9 месяцев?") - named == set()
    assert numbers_in("Что обсудили в 2023 году?") - named == set()  # the date in the metadata counts
    assert numbers_in("Что обсудили стороны?") - named == set()
