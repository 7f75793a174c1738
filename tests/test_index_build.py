"""Index builds with the fake embedder: incremental work, reports, versions, locking, corruption."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from index import lexical
from index.lexical import BM25Index, Stemmer, words_outside
from index.store import BuildInProgress
from tests.conftest import FIXTURES, FakeEmbedder

SEED = "azerbaijan-kazakhstan-21st-session.ru.txt"


@pytest.fixture
def folder(documents: Path) -> Path:
    for item in (FIXTURES / "formats").iterdir():
        shutil.copy(item, documents / item.name)
    return documents


def test_first_build_indexes_every_good_document(folder: Path, make_engine) -> None:
    engine = make_engine(folder)
    report = engine.build()
    assert sorted(report.added) == sorted(p.name for p in folder.iterdir() if not p.name.endswith(".meta.yaml"))
    assert report.skipped == [] and report.documents == 6
    reply = engine.ask("Экспорт пшеницы из Казахстана в Азербайджан")
    assert reply.passages[0].document == "agriculture-cp1251.txt"


def test_chunk_vectors_are_the_length_weighted_mean_of_their_sentences(folder: Path, make_engine) -> None:
    engine = make_engine(folder)
    engine.build()
    snapshot = engine.snapshot
    chunks = snapshot.chunk_vectors.reconstruct_n(0, snapshot.n_chunks)
    sentences = snapshot.sentence_vectors.reconstruct_n(0, snapshot.sentence_vectors.ntotal)
    multi = 0
    for c in range(snapshot.n_chunks):
        rows = snapshot.sentences_of(c)
        multi += len(rows) > 1
        lengths = np.array([snapshot.sentence_span[s][1] - snapshot.sentence_span[s][0] for s in rows], np.float32)
        expected = lengths @ sentences[rows.start : rows.stop]
        expected /= np.linalg.norm(expected)
        assert float(chunks[c] @ expected) > 0.999  # float16 storage rounds a little
    assert multi > 0, "the corpus should have chunks of several sentences"


def test_incremental_build_embeds_only_the_changed_document(folder: Path, make_engine) -> None:
    embedder = FakeEmbedder()
    engine = make_engine(folder, embedder)
    engine.build()
    first_count = len(embedder.texts)
    embedder.texts.clear()

    culture = folder / "culture-days.md"
    culture.write_text(culture.read_text("utf-8") + "\nОткрытие выставки ковров состоится в первый день.\n", "utf-8")
    report = engine.build()

    assert report.changed == ["culture-days.md"]
    assert len(report.unchanged) == 5
    # Only the new paragraph's one sentence is new text; everything else kept its vectors (and chunk
    # vectors are composed from sentence vectors, never encoded).
    assert embedder.texts == ["Открытие выставки ковров состоится в первый день."]
    assert report.embedded_texts == 1 < first_count
    assert engine.ask("выставка ковров").answer.text == "Открытие выставки ковров состоится в первый день."


def test_removed_document_is_dropped(folder: Path, make_engine) -> None:
    engine = make_engine(folder)
    engine.build()
    (folder / "agriculture-cp1251.txt").unlink()
    report = engine.build()
    assert report.removed == ["agriculture-cp1251.txt"]
    assert all(p.document != "agriculture-cp1251.txt" for p in engine.ask("пшеница экспорт тонн").passages)


def test_full_rebuild_and_model_change_embed_everything(folder: Path, make_engine, tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    make_engine(folder, embedder).build()
    total = len(embedder.texts)
    embedder.texts.clear()
    make_engine(folder, embedder).build(full=True)
    assert len(embedder.texts) == total

    other = FakeEmbedder()
    other.name = "another-model"
    report = make_engine(folder, other).build()
    assert len(other.texts) == total  # vectors of two models never mix
    assert report.unchanged  # still reported as unchanged documents


def test_bad_files_are_reported_and_the_rest_indexed(documents: Path, make_engine) -> None:
    for item in (FIXTURES / "hostile").iterdir():
        shutil.copy(item, documents / item.name)
    report = make_engine(documents).build()
    reasons = {s.path: s.reason for s in report.skipped}
    assert set(reasons) == {
        "empty.txt", "zero-byte.pdf", "corrupt.pdf", "encrypted.pdf", "scanned.pdf",
        "not-a-zip.docx", "zip-bomb.docx", "junk.txt", "table.xlsx",
    }  # fmt: skip
    assert "encrypted" in reasons["encrypted.pdf"] and "no text" in reasons["scanned.pdf"]
    assert sorted(report.added) == sorted([SEED, "nul-bytes.txt", "scripts.html"])
    summary = report.summary()
    assert "skipped zip-bomb.docx: refused" in summary and "skipped 9" in summary


def test_second_build_is_refused_while_one_runs(documents: Path, make_engine) -> None:
    engine = make_engine(documents)
    engine.build()
    with engine.config.store.build_lock(), pytest.raises(BuildInProgress, match="already running"):
        make_engine(documents).build()
    assert engine.build().version  # the lock is free again afterwards


def test_reader_keeps_its_version_during_and_after_a_build(documents: Path, make_engine) -> None:
    reader = make_engine(documents)
    reader.build()
    old = reader.snapshot
    (documents / "new.txt").write_text("Новая линия метро откроется в Баку.", "utf-8")
    writer = make_engine(documents)
    writer.load()
    writer.build()
    # The reader still answers from the version it loaded, completely.
    assert reader.snapshot is old and reader.ask("метро").passages[0].document == SEED
    reader.load()
    assert reader.ask("линия метро").passages[0].document == "new.txt"


def test_leftovers_are_cleaned_and_two_versions_kept(documents: Path, make_engine) -> None:
    engine = make_engine(documents)
    for _ in range(4):
        engine.build(full=True)
    store = engine.config.store
    (store.versions / ".tmp-v000099").mkdir()
    engine.build()
    names = sorted(p.name for p in store.versions.iterdir())
    assert names == ["v000004", "v000005"]
    assert store.current_name() == "v000005"


@pytest.mark.parametrize("damage", ["truncate-faiss", "garble-sqlite", "delete-manifest"])
def test_damaged_current_version_falls_back_to_the_previous(documents, make_engine, damage, caplog) -> None:
    engine = make_engine(documents)
    engine.build()
    (documents / "extra.txt").write_text("Дополнительный документ о туризме.", "utf-8")
    engine.build()
    current = engine.config.store.path_of(engine.config.store.current_name())
    if damage == "truncate-faiss":
        data = (current / "chunks.faiss").read_bytes()
        (current / "chunks.faiss").write_bytes(data[: len(data) // 2])
    elif damage == "garble-sqlite":
        path = current / "index.sqlite"
        data = bytearray(path.read_bytes())
        data[100:4000] = b"\xff" * 3900
        path.write_bytes(bytes(data))
    else:
        (current / "manifest.json").unlink()

    fresh = make_engine(documents)
    with caplog.at_level(logging.WARNING):
        snapshot = fresh.load()
    assert snapshot is not None and snapshot.version == "v000001"
    assert "cannot be used" in caplog.text or damage == "delete-manifest"
    assert fresh.ask("заседание комиссии").passages  # the previous version answers


def test_no_usable_version_means_a_rebuild(documents: Path, make_engine) -> None:
    engine = make_engine(documents)
    engine.build()
    current = engine.config.store.path_of("v000001")
    (current / "sentences.faiss").write_bytes(b"garbage")
    fresh = make_engine(documents)
    report = fresh.ensure_index()
    assert report is not None and report.version == "v000002"
    assert fresh.ask("заседание комиссии").passages


def test_a_missing_documents_folder_never_empties_the_index(documents: Path, make_engine, tmp_path: Path) -> None:
    from index.builder import MissingDocumentsFolder

    make_engine(documents).build()
    mistyped = make_engine(tmp_path / "documnets")
    with pytest.raises(MissingDocumentsFolder, match="documents folder not found"):
        mistyped.build()
    assert mistyped.load().version == "v000001" and len(mistyped.snapshot.documents) == 1


def test_the_lexical_index_holds_each_chunks_words_read_once(folder: Path, make_engine, monkeypatch) -> None:
    # A chunk's terms are its sentences' terms added up (no text read twice): the same BM25 weights as
    # reading every chunk's text again, which is what a question's words are matched against.
    read: list[str] = []
    term_rows = lexical._term_rows
    monkeypatch.setattr(
        lexical, "_term_rows", lambda texts, *args, **kw: read.extend(texts) or term_rows(texts, *args, **kw)
    )
    engine = make_engine(folder)
    engine.build()
    monkeypatch.undo()
    several = [t for c, t in enumerate(engine.snapshot.chunk_text) if len(engine.snapshot.sentences_of(c)) > 1]
    assert several and not set(several) & set(read)  # no chunk of several sentences was read as a whole
    snapshot = engine.snapshot
    sentences = [
        snapshot.chunk_text[int(snapshot.sentence_chunk[i])][int(a) : int(b)]
        for i, (a, b) in enumerate(snapshot.sentence_span)
    ]
    titles = [d.meta.title for d in snapshot.documents]
    reread = BM25Index.build(list(snapshot.chunk_text), sentences, titles, Stemmer())
    built = snapshot.bm25

    def weights(index: BM25Index, chunk: int) -> dict[str, float]:
        terms = {col: term for term, col in index.vocabulary.items()}
        row = index.weights.tocsr()[chunk]
        return {terms[col]: round(float(w), 4) for col, w in zip(row.indices, row.data, strict=True)}

    assert snapshot.n_chunks > 5
    for chunk in range(snapshot.n_chunks):
        assert weights(built, chunk) == weights(reread, chunk)
    assert engine.ask("Экспорт пшеницы из Казахстана в Азербайджан").passages[0].document == "agriculture-cp1251.txt"


@pytest.mark.parametrize(
    ("spans", "outside"),
    [([(0, 12), (13, 30)], False), ([(0, 12)], True), ([], True), ([(13, 30), (0, 12)], False)],
)
def test_words_outside_the_sentences_are_noticed(spans: list[tuple[int, int]], outside: bool) -> None:
    text = "First words. Second sentence!"
    assert words_outside(text + " ", spans) is outside
