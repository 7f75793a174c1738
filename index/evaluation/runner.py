"""`commission-bot eval`: seed questions over the shipped documents, and XQuAD retrieval quality.

Both go through the engine the bot uses: the same builder, retrieval, answer choice and
abstention. XQuAD passages become documents of a separate index under the output folder (kept
between runs, so a second run only re-embeds what changed).
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
from index.evaluation.xquad import evaluate_xquad, load_passages, load_questions, write_passages_as_documents

logger = logging.getLogger(__name__)


@dataclass
class EvalInputs:
    seed_questions: Path | None
    passages: Path | None
    questions: Path | None
    workdir: Path
    abstention_sample: int = 400
    languages: tuple[str, ...] = ()  # empty: every language in the questions file


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


def run_evaluation(
    settings: EngineSettings,
    inputs: EvalInputs,
    embedder_factory: Callable[[], Embedder] | None = None,
    progress_factory: Callable[[str, int], Callable[[int], None]] | None = None,
) -> dict:
    """Everything `eval` reports, as one JSON-able dict."""
    progress_factory = progress_factory or (lambda label, total: lambda n: None)
    started = time.monotonic()
    result: dict = {"settings": {"model": settings.embedding_model, "abstain_margin": settings.abstain_margin}}
    engine = Engine.from_settings(settings, embedder_factory)
    shared_embedder = None
    if inputs.seed_questions is not None:
        engine.ensure_index()
        result["seed"] = evaluate_seed(engine, inputs.seed_questions)
        shared_embedder = engine.embedder
    if inputs.passages is not None and inputs.questions is not None:
        docs = inputs.workdir / "xquad-documents"
        write_passages_as_documents(load_passages(inputs.passages), docs)
        xquad_settings = settings.model_copy(
            update={"documents_dir": docs, "index_dir": inputs.workdir / "xquad-index"}
        )
        factory = (lambda: shared_embedder) if shared_embedder is not None else embedder_factory
        xquad = Engine.from_settings(xquad_settings, factory)
        xquad.build()  # incremental: unchanged passages keep their vectors
        questions = load_questions(inputs.questions)
        if inputs.languages:
            questions = [q for q in questions if q.lang in inputs.languages]
        vectors = embed_questions(
            xquad.embedder,
            [q.question for q in questions],
            inputs.workdir / "cache",
            progress_factory("Embedding questions", len(questions)),
        )
        tick = progress_factory("Scoring questions", len(questions))
        result["xquad"] = evaluate_xquad(xquad, questions, vectors, inputs.abstention_sample, tick)
        result["xquad_index"] = xquad.stats()
    result["model"] = engine.embedder.name if shared_embedder else result["settings"]["model"]
    result["seconds"] = round(time.monotonic() - started, 1)
    return result
