"""`commission-bot bench`: indexing speed, incremental cost, query latency, start time, a peer row.

Every figure is measured in the same run as its baseline, on the same text:
- indexing: the full pipeline (read, split, embed chunks and sentences, write, publish) against
  plain sentence-transformers ``encode`` of the same chunks;
- incremental: one changed document out of N against a full rebuild of the N;
- latency: question in, answer out (encoding included) at 1k / 10k / 100k chunks, each size in
  its own process so peak RSS belongs to that size. Beyond the real passages the index is padded
  with synthetic filler chunks (real sentences recombined, vectors of real sentences perturbed);
- start: a fresh `commission-bot ask` process until its answer, with the model cache empty
  (cold: the model is converted first) and filled (warm);
- peer: LangChain's FAISS vector store with the same model on the same chunks and questions;
- OCR: character accuracy per kind of scanned page and cleaning step, pages per minute cold and
  from the cache (index/evaluation/ocr_bench.py).
"""

from __future__ import annotations

import json
import logging
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from index.builder import compose_chunk_vectors, text_hash
from index.config import EngineSettings
from index.embedding.embedder import EmbedderConfig, SentenceTransformerEmbedder, model_location
from index.engine import Engine
from index.evaluation.xquad import load_passages, load_questions, write_passages_as_documents
from index.lexical import BM25Index, Stemmer
from index.models import DocumentMeta
from index.retrieval import retrieve
from index.snapshot import ChunkRecord, DocumentRow, faiss_kind, write_database, write_vectors
from index.store import DATABASE, TITLE_VECTORS, VersionStore, write_manifest

logger = logging.getLogger(__name__)
Progress = Callable[[str], None]
REPEATS = 2  # timed runs of each indexing side; the best one counts
WARM_UP_QUESTIONS = 10  # asked before timing: the first answers pay for page faults and buffers


@dataclass
class BenchInputs:
    passages: Path
    questions: Path
    workdir: Path
    sizes: tuple[int, ...] = (1_000, 10_000, 100_000)
    queries: int = 200
    incremental_docs: int = 200
    peer: bool = True
    ocr: bool = True  # OCR accuracy and pages per minute (needs tesseract-ocr)
    only_ocr: bool = False


def percentiles(samples: list[float]) -> dict[str, float]:
    ms = np.asarray(samples) * 1000
    return {f"p{p}": round(float(np.percentile(ms, p)), 2) for p in (50, 95, 99)}


def peak_rss_mb() -> float:
    # VmHWM belongs to this process image; getrusage's ru_maxrss survives fork+exec on Linux and
    # would report the (larger) bench parent's peak instead.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


# ---- indexing --------------------------------------------------------------------------------
def bench_indexing(settings: EngineSettings, docs: Path, workdir: Path, engine_factory, say: Progress) -> dict:
    """Full pipeline vs raw encode of the same chunks, then one changed document vs full rebuild."""
    index_dir = workdir / "pipeline-index"
    shutil.rmtree(index_dir, ignore_errors=True)
    engine: Engine = engine_factory(settings.model_copy(update={"documents_dir": docs, "index_dir": index_dir}))
    embedder = engine.embedder
    embedder.embed_documents(["warm-up"])  # model load is not indexing

    # Each side is timed REPEATS times and its best run kept (as timeit does): on a shared 2-core
    # machine single runs of the same work differ by 10-15 %, and both sides get the same treatment.
    say("indexing: full pipeline")
    pipeline_runs = _timed_runs(lambda: engine.build(full=True))
    report = engine.last_report
    assert report is not None
    pipeline_seconds = min(pipeline_runs)
    snapshot = engine.snapshot
    assert snapshot is not None
    chunk_texts = list(snapshot.chunk_text)

    say("indexing: raw sentence-transformers encode of the same chunks")
    # The baseline is plain float32 sentence-transformers at its default batch size, whatever
    # backend the pipeline uses.
    reference = SentenceTransformerEmbedder(
        EmbedderConfig(model=settings.embedding_model, cache_dir=settings.model_cache_dir, backend="torch")
    )
    reference.model.encode(["warm-up"], prompt=reference.document_prompt, show_progress_bar=False)
    encode_chunks = partial(
        reference.model.encode, chunk_texts, prompt=reference.document_prompt, show_progress_bar=False
    )
    raw_runs = _timed_runs(encode_chunks)
    raw_seconds = min(raw_runs)
    del reference, encode_chunks  # the torch model is not needed again

    float_runs: list[float] = []
    if settings.quantize:
        # The same pipeline on the float32 graph: the other candidate for the default, same run.
        say("indexing: full pipeline, float32 graph")
        float_dir = workdir / "pipeline-index-float32"
        shutil.rmtree(float_dir, ignore_errors=True)
        float_engine: Engine = engine_factory(
            settings.model_copy(update={"documents_dir": docs, "index_dir": float_dir, "quantize": False})
        )
        float_engine.embedder.embed_documents(["warm-up"])
        float_runs = _timed_runs(lambda: float_engine.build(full=True))
        del float_engine

    say("indexing: incremental rebuild after one changed document")
    changed = sorted(docs.glob("*.txt"))[0]
    original = changed.read_text("utf-8")
    changed.write_text(original.rstrip() + "\nДополнение: стороны подтвердили договоренности.\n", "utf-8")
    try:
        started = time.perf_counter()
        incremental = engine.build()
        incremental_seconds = time.perf_counter() - started
    finally:
        changed.write_text(original, "utf-8")
    engine.build()  # back to the original text
    n = len(snapshot.documents)
    return {
        "documents": n,
        "chunks": len(chunk_texts),
        "sentences": int(snapshot.sentence_vectors.ntotal),
        "texts_embedded": report.embedded_texts,
        "pipeline_seconds": round(pipeline_seconds, 2),
        "pipeline_chunks_per_s": round(len(chunk_texts) / pipeline_seconds, 2),
        "raw_seconds": round(raw_seconds, 2),
        "runs_seconds": {
            "pipeline": [round(x, 2) for x in pipeline_runs],
            "raw": [round(x, 2) for x in raw_runs],
            "float32_pipeline": [round(x, 2) for x in float_runs],
        },
        "raw_chunks_per_s": round(len(chunk_texts) / raw_seconds, 2),
        "throughput_ratio": round(raw_seconds / pipeline_seconds, 3),
        "incremental_seconds": round(incremental_seconds, 2),
        "incremental_texts_embedded": incremental.embedded_texts,
        "incremental_ratio": round(incremental_seconds / pipeline_seconds, 4),
        "incremental_changed": f"1 of {n}",
        "model": embedder.name,
        "backend": getattr(embedder, "backend", "?") + (" int8" if getattr(embedder, "int8", False) else ""),
        "float32_pipeline_seconds": round(min(float_runs), 2) if float_runs else None,
        "float32_throughput_ratio": round(raw_seconds / min(float_runs), 3) if float_runs else None,
    }


def _timed_runs(work: Callable[[], object]) -> list[float]:
    """Seconds of each of REPEATS runs of ``work``."""
    runs = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return runs


# ---- synthetic sizes -------------------------------------------------------------------------
def write_padded_version(base: Engine, target_chunks: int, index_dir: Path, seed: int = 0) -> dict:
    """A version with the real chunks plus synthetic filler up to ``target_chunks``."""
    snapshot = base.snapshot
    assert snapshot is not None
    rng = np.random.default_rng(seed)
    sent_vecs = snapshot.sentence_vectors.reconstruct_n(0, snapshot.sentence_vectors.ntotal)
    sentences = [
        snapshot.chunk_text[int(snapshot.sentence_chunk[i])][int(a) : int(b)]
        for i, (a, b) in enumerate(snapshot.sentence_span)
    ]
    documents = list(snapshot.documents)
    title_rows = [snapshot.title_vectors]
    chunks: list[ChunkRecord] = []
    sentence_rows = [sent_vecs]
    for c in range(snapshot.n_chunks):
        spans = [(int(snapshot.sentence_span[s][0]), int(snapshot.sentence_span[s][1]), snapshot.sentence_hash[s])
                 for s in snapshot.sentences_of(c)]  # fmt: skip
        chunks.append(ChunkRecord(int(snapshot.chunk_document[c]), int(snapshot.chunk_position[c]),
                                  snapshot.chunk_text[c], snapshot.chunk_hash[c], spans))  # fmt: skip
    filler = max(0, target_chunks - len(chunks))
    per_doc = 50
    for start in range(0, filler, per_doc):
        doc_id = len(documents)
        meta = DocumentMeta(title=f"Synthetic filler {doc_id}")
        documents.append(DocumentRow(f"synthetic/filler-{doc_id:06d}.txt", "synthetic", "txt", meta, 0))
        title_rows.append(snapshot.title_vectors[rng.integers(0, len(snapshot.title_vectors), size=1)])
        count = min(per_doc, filler - start)
        picks = rng.integers(0, len(sentences), size=(count, 2))
        for position, (a, b) in enumerate(picks):
            first, second = sentences[a], sentences[b]
            text = f"{first} {second}"
            spans = [(0, len(first), text_hash(f"f{start}-{position}-0")),
                     (len(first) + 1, len(text), text_hash(f"f{start}-{position}-1"))]  # fmt: skip
            chunks.append(ChunkRecord(doc_id, position, text, text_hash(f"filler-{start}-{position}"), spans))
        noise = rng.normal(0, 0.35 / np.sqrt(sent_vecs.shape[1]), size=(count, 2, sent_vecs.shape[1]))
        pair = sent_vecs[picks] + noise.astype(np.float32)
        pair /= np.linalg.norm(pair, axis=2, keepdims=True)
        sentence_rows.append(pair.reshape(-1, sent_vecs.shape[1]))
    store = VersionStore(index_dir)
    shutil.rmtree(index_dir, ignore_errors=True)
    with store.build_lock():
        staged = store.stage()
        write_database(staged.path / DATABASE, documents, chunks)
        sentence_matrix = np.concatenate(sentence_rows)
        # Chunk vectors come from sentence vectors exactly as the builder makes them.
        write_vectors(staged.path, compose_chunk_vectors(chunks, sentence_matrix), sentence_matrix, sent_vecs.shape[1])
        all_sentences = [c.text[a:b] for c in chunks for a, b, _ in c.sentences]
        titles = [d.meta.title for d in documents]
        BM25Index.build([c.text for c in chunks], all_sentences, titles, Stemmer()).save(staged.path)
        np.save(staged.path / "background.npy", snapshot.background)
        np.save(staged.path / TITLE_VECTORS, np.concatenate(title_rows))
        write_manifest(
            staged.path, {**snapshot.manifest, "version": staged.name, "chunks": len(chunks), "synthetic": filler}
        )
        store.publish(staged)
    return {"chunks": len(chunks), "synthetic_chunks": filler}


def latency_worker(index_dir: Path, queries_file: Path, settings: EngineSettings) -> dict:
    """Runs in its own process: load the index, ask every question, report latency and memory."""
    engine = Engine.from_settings(settings.model_copy(update={"index_dir": index_dir}))
    engine.load()
    items = json.loads(queries_file.read_text("utf-8"))
    for item in items[:WARM_UP_QUESTIONS]:
        engine.ask(item["question"])
    timings = []
    for item in items:
        started = time.perf_counter()
        engine.ask(item["question"])
        timings.append(time.perf_counter() - started)
    snapshot = engine.snapshot
    assert snapshot is not None
    # Retrieval quality at this size, whether or not the engine would abstain (not timed).
    hits = 0
    for item in items:
        vector = engine.embedder.embed_queries([item["question"]])[0]
        found, _ = retrieve(snapshot, vector, item["question"], 1, engine.config.retrieval)
        hits += (
            bool(found)
            and Path(snapshot.documents[int(snapshot.chunk_document[found[0].chunk])].path).stem == item["passage_id"]
        )
    return {
        "chunks": snapshot.n_chunks,
        "vector_index": faiss_kind(snapshot.chunk_vectors),
        "queries": len(items),
        **percentiles(timings),
        "answered_top1_gold": round(hits / len(items), 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def _child(args: list[str], env: dict[str, str] | None = None, timeout: float = 1800) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"child failed ({result.returncode}): {result.stderr[-2000:]}")
    return elapsed, result.stdout


def bench_start(settings: EngineSettings, index_dir: Path, workdir: Path, question: str) -> dict:
    """A new `commission-bot ask` process until it prints its answer: cold (empty model cache) and warm."""
    env = {**os.environ, "INDEX_DIR": str(index_dir), "MODEL_CACHE_DIR": str(settings.model_cache_dir)}
    warm, _ = _child(["-m", "bot.cli", "ask", "--json", question], env)
    cold_cache = workdir / "cold-model-cache"
    shutil.rmtree(cold_cache, ignore_errors=True)
    cold, out = _child(["-m", "bot.cli", "ask", "--json", question], {**env, "MODEL_CACHE_DIR": str(cold_cache)})
    shutil.rmtree(cold_cache, ignore_errors=True)
    answered = json.loads(out.splitlines()[-1])["answer"] is not None
    return {"cold_seconds": round(cold, 2), "warm_seconds": round(warm, 2), "answered": answered}


# ---- the peer --------------------------------------------------------------------------------
def bench_langchain(model_dir: Path, chunks: list[tuple[str, str]], queries: list[dict]) -> dict:
    """LangChain FAISS + HuggingFaceEmbeddings with the same model, chunks and questions."""
    try:
        from langchain_community.vectorstores import FAISS
        from langchain_huggingface import HuggingFaceEmbeddings
    except ImportError:
        return {"skipped": "langchain-community / langchain-huggingface not installed (pip install -e '.[peer]')"}
    embeddings = HuggingFaceEmbeddings(
        model_name=str(model_dir),
        model_kwargs={"device": "cpu", "local_files_only": True},
        encode_kwargs={"normalize_embeddings": True, "prompt_name": "document"},
        query_encode_kwargs={"normalize_embeddings": True, "prompt_name": "query"},
    )
    embeddings.embed_documents(["warm-up"])
    texts = [text for _, text in chunks]
    started = time.perf_counter()
    store = FAISS.from_texts(texts, embeddings, metadatas=[{"document": doc} for doc, _ in chunks])
    seconds = time.perf_counter() - started
    store.similarity_search(queries[0]["question"], k=3)
    timings, hits = [], 0
    for item in queries:
        started = time.perf_counter()
        found = store.similarity_search(item["question"], k=3)
        timings.append(time.perf_counter() - started)
        hits += bool(found) and Path(found[0].metadata["document"]).stem == item["passage_id"]
    return {
        "chunks": len(texts),
        "index_seconds": round(seconds, 2),
        "chunks_per_s": round(len(texts) / seconds, 2),
        **percentiles(timings),
        "answered_top1_gold": round(hits / len(queries), 3),
        "answers_sentence": False,
        "abstains": False,
    }


# ---- orchestration ---------------------------------------------------------------------------
def sample_queries(questions_path: Path, count: int, passage_ids: set[str]) -> list[dict]:
    """Half Russian, half English questions about the indexed passages."""
    questions = [q for q in load_questions(questions_path) if q.passage_id in passage_ids]
    rng = np.random.default_rng(3)
    picked = []
    for lang in ("ru", "en"):
        pool = [q for q in questions if q.lang == lang]
        for i in rng.choice(len(pool), size=min(count // 2, len(pool)), replace=False):
            q = pool[int(i)]
            picked.append({"question": q.question, "passage_id": q.passage_id, "lang": q.lang})
    return picked


def run_bench(settings: EngineSettings, inputs: BenchInputs, say: Progress = lambda s: None) -> dict:
    import platform

    started = time.perf_counter()
    workdir = inputs.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    passages = load_passages(inputs.passages)[: inputs.incremental_docs]
    docs = workdir / "documents"
    write_passages_as_documents(passages, docs)
    result: dict = {
        "machine": {
            "cpu": platform.processor() or platform.machine(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
        },
        "corpus": "XQuAD-ru passages rendered as scanned pages"
        if inputs.only_ocr
        else f"first {len(passages)} XQuAD-ru passages as documents",
    }
    if inputs.ocr:
        from index.evaluation.ocr_bench import bench_ocr

        result["ocr"] = bench_ocr(settings, passages, workdir, say)
    if inputs.only_ocr:
        result["seconds"] = round(time.perf_counter() - started, 1)
        return result
    result["indexing"] = bench_indexing(settings, docs, workdir, Engine.from_settings, say)

    queries = sample_queries(inputs.questions, inputs.queries, {p["id"] for p in passages})
    queries_file = workdir / "queries.json"
    queries_file.write_text(json.dumps(queries, ensure_ascii=False), "utf-8")
    base = Engine.from_settings(
        settings.model_copy(update={"documents_dir": docs, "index_dir": workdir / "pipeline-index"})
    )
    base.load()
    sizes = []
    for size in inputs.sizes:
        say(f"latency at {size} chunks (synthetic filler beyond the real chunks)")
        index_dir = workdir / f"size-{size}"
        padded = write_padded_version(base, size, index_dir)
        _, out = _child(["-m", "index.evaluation.bench", str(index_dir), str(queries_file)],
                        {**os.environ, "MODEL_CACHE_DIR": str(settings.model_cache_dir)})  # fmt: skip
        sizes.append({**padded, **json.loads(out.splitlines()[-1])})
        shutil.rmtree(index_dir, ignore_errors=True)
    result["latency"] = sizes

    say("start time, cold and warm")
    result["start"] = bench_start(settings, workdir / "pipeline-index", workdir, queries[0]["question"])

    if inputs.peer:
        say("peer: LangChain FAISS with the same model")
        snapshot = base.snapshot
        assert snapshot is not None
        model_dir, _, _ = model_location(
            EmbedderConfig(model=settings.embedding_model, cache_dir=settings.model_cache_dir)
        )
        chunk_docs = [
            (snapshot.documents[int(d)].path, t)
            for d, t in zip(snapshot.chunk_document, snapshot.chunk_text, strict=True)
        ]
        result["peer"] = bench_langchain(model_dir, chunk_docs, queries)
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def _worker_main() -> None:
    index_dir, queries_file = Path(sys.argv[1]), Path(sys.argv[2])
    logging.basicConfig(level=logging.WARNING)
    print(json.dumps(latency_worker(index_dir, queries_file, EngineSettings())))


if __name__ == "__main__":
    _worker_main()
