"""`commission-bot eval`: seed questions, XQuAD (retrieval and through `ask`), and an archive with questions.

Everything goes through the engine the bot uses: the same builder, retrieval, answer choice and
abstention. Evaluation indexes live under the output folder and are kept between runs, so a second
run only re-embeds what changed; question vectors are cached per model and question list.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.config import EngineSettings
from index.embedding.embedder import Embedder
from index.engine import Engine
from index.evaluation.corpus import evaluate_corpus, load_corpus_questions
from index.evaluation.followups import evaluate_follow_ups, evaluate_unrelated_context, load_follow_ups
from index.evaluation.near_duplicates import evaluate_grouping
from index.evaluation.xquad import (
    article_number,
    evaluate_ask,
    evaluate_retrieval,
    load_passages,
    load_questions,
    write_passages_as_documents,
)

logger = logging.getLogger(__name__)
ProgressFactory = Callable[[str, int], Callable[[int], None]]
# The absent-article protocol (xquad-ru/SOURCE.md): articles 0-39 indexed, 40-47 absent.
XQUAD_INDEXED_ARTICLES = 40


@dataclass
class EvalInputs:
    seed_questions: Path | None
    passages: Path | None
    questions: tuple[Path, ...]  # XQuAD question files (every language in them is evaluated)
    workdir: Path
    languages: tuple[str, ...] = ()  # empty: every language in the question files
    corpus_documents: Path | None = None
    corpus_questions: Path | None = None
    follow_ups: Path | None = None  # follow-up pairs about the documents folder (the seed document)
    corpus_follow_ups: Path | None = None  # follow-up pairs about the archive (--corpus)
    near_duplicates: Path | None = None  # questions in groups of near duplicates, for /report's grouping


def evaluate_seed(engine: Engine, path: Path) -> dict:
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        reply = engine.ask(item["question"])
        answer = reply.answer.text if reply.answer else None
        expect = item.get("expect")
        right = answer is None if expect is None else (answer is not None and expect in answer)
        rows.append(
            {
                "id": item.get("id", ""),
                "lang": item.get("lang", ""),
                "question": item["question"],
                "expect": expect,
                "answer": answer,
                "document": reply.answer.passage.document if reply.answer else None,
                "right": right,
            }
        )
    return {"questions": rows, "right": sum(r["right"] for r in rows), "total": len(rows)}


def embed_questions(
    embedder: Embedder, questions: list[str], cache: Path, progress: Callable[[int], None]
) -> np.ndarray:
    """Question vectors, cached per model and question list (evaluation re-runs are quick)."""
    key = f"{embedder.name}\n" + "\n".join(questions)
    digest = hashlib.sha1(key.encode()).hexdigest()[:16]
    path = cache / f"questions-{digest}.npy"
    if path.exists():
        progress(len(questions))
        return np.load(path)
    parts = []
    for question in questions:
        # One at a time, as the bot asks: int8 activation scales are per batch, so a question encoded
        # beside others gets a (slightly) different vector than the bot would give it.
        parts.append(embedder.embed_queries([question]))
        progress(1)
    vectors = np.concatenate(parts) if parts else np.zeros((0, embedder.dimension), np.float32)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def _engine_on(settings: EngineSettings, documents: Path, index_dir: Path, embedder: Callable[[], Embedder]) -> Engine:
    engine = Engine.from_settings(
        settings.model_copy(update={"documents_dir": documents, "index_dir": index_dir}), embedder
    )
    engine.build()  # incremental: unchanged documents keep their vectors
    return engine


def evaluate_xquad_files(
    settings: EngineSettings, inputs: EvalInputs, embedder: Callable[[], Embedder], progress_factory: ProgressFactory
) -> dict:
    assert inputs.passages is not None
    passages = load_passages(inputs.passages)
    questions = [q for path in inputs.questions for q in load_questions(path)]
    if inputs.languages:
        questions = [q for q in questions if q.lang in inputs.languages]
    every = inputs.workdir / "xquad-documents"
    write_passages_as_documents(passages, every)
    full = _engine_on(settings, every, inputs.workdir / "xquad-index", embedder)
    vectors = embed_questions(
        full.embedder,
        [q.question for q in questions],
        inputs.workdir / "cache",
        progress_factory("Embedding XQuAD questions", len(questions)),
    )
    retrieval = evaluate_retrieval(full, questions, vectors, progress_factory("XQuAD retrieval", len(questions)))
    indexed = [p for p in passages if (article_number(p["id"]) or 0) < XQUAD_INDEXED_ARTICLES]
    partial = inputs.workdir / f"xquad-documents-{XQUAD_INDEXED_ARTICLES}-articles"
    write_passages_as_documents(indexed, partial)
    held_out = _engine_on(
        settings, partial, inputs.workdir / f"xquad-index-{XQUAD_INDEXED_ARTICLES}-articles", embedder
    )
    ask = evaluate_ask(held_out, questions, vectors, progress_factory("XQuAD through ask", len(questions)))
    return {
        "passages": len(passages),
        "indexed_for_ask": len(indexed),
        "retrieval": retrieval,
        "ask": ask,
    }


def run_evaluation(
    settings: EngineSettings,
    inputs: EvalInputs,
    embedder_factory: Callable[[], Embedder] | None = None,
    progress_factory: ProgressFactory | None = None,
) -> dict:
    """Everything `eval` reports, as one JSON-able dict."""
    progress_factory = progress_factory or (lambda label, total: lambda n: None)
    started = time.monotonic()
    result: dict = {
        "settings": {
            "model": settings.embedding_model,
            "abstain_margin": settings.abstain_margin,
            "topic_margin": settings.topic_margin,
            "language_neutral": settings.language_neutral,
        }
    }
    engine = Engine.from_settings(settings, embedder_factory)
    # One model for every index of the run.
    shared: Callable[[], Embedder] = lambda: engine.embedder  # noqa: E731
    if inputs.seed_questions is not None:
        engine.ensure_index()
        result["seed"] = evaluate_seed(engine, inputs.seed_questions)
    if inputs.follow_ups is not None:
        engine.ensure_index()
        items = load_follow_ups(inputs.follow_ups)
        result["followups"] = {
            "file": str(inputs.follow_ups),
            **evaluate_follow_ups(engine, items, progress_factory("Follow-ups", len(items))),
        }
    if inputs.near_duplicates is not None:
        grouping = evaluate_grouping(engine.embedder, inputs.near_duplicates)
        result["grouping"] = {"file": str(inputs.near_duplicates), **grouping}
    if inputs.passages is not None and inputs.questions:
        result["xquad"] = evaluate_xquad_files(settings, inputs, shared, progress_factory)
    if inputs.corpus_documents is not None and inputs.corpus_questions is not None:
        name = hashlib.sha1(str(inputs.corpus_documents.resolve()).encode()).hexdigest()[:8]
        corpus = _engine_on(settings, inputs.corpus_documents, inputs.workdir / f"corpus-index-{name}", shared)
        questions = load_corpus_questions(inputs.corpus_questions)
        result["corpus"] = {
            "documents_dir": str(inputs.corpus_documents),
            **evaluate_corpus(corpus, questions, progress_factory("Archive questions", len(questions))),
        }
        if inputs.corpus_follow_ups is not None:
            items = load_follow_ups(inputs.corpus_follow_ups)
            result["corpus"]["followups"] = {
                "file": str(inputs.corpus_follow_ups),
                **evaluate_follow_ups(corpus, items, progress_factory("Archive follow-ups", len(items))),
            }
            result["corpus"]["unrelated_context"] = evaluate_unrelated_context(
                corpus, questions, progress_factory("Archive questions after unrelated ones", len(questions))
            )
    result["model"] = engine.embedder.name
    result["seconds"] = round(time.monotonic() - started, 1)
    return result
