"""The engine's one entry point: load, build, ask.

    engine = Engine.from_settings(EngineSettings())
    engine.ensure_index()                  # load the current version, build one if there is none
    reply = engine.ask("Где пройдет 22-е заседание?")

An :class:`Engine` holds one loaded snapshot and swaps it whole after a build, so questions
asked during a build are answered from the previous version and never from a mix.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from index.answering import AnswerConfig, SentenceChoice, background_level, choose_sentence
from index.builder import BuildOptions, ProgressCallback, build, source_stamps
from index.config import EngineSettings
from index.embedding.embedder import Embedder, EmbedderConfig
from index.embedding.factory import create_embedder
from index.lexical import Stemmer
from index.models import Answer, BuildReport, Passage, Reply
from index.retrieval import QuestionSignals, RetrievalConfig, ScoredChunk, retrieve
from index.snapshot import Snapshot, faiss_kind, load_snapshot, use_one_search_thread
from index.splitter import SplitterConfig
from index.store import CorruptIndex, VersionStore

logger = logging.getLogger(__name__)


@dataclass
class EngineConfig:
    build: BuildOptions
    store: VersionStore
    embedder: EmbedderConfig
    retrieval: RetrievalConfig = field(default_factory=RetrievalConfig)
    answer: AnswerConfig = field(default_factory=AnswerConfig)
    top_k: int = 3

    @classmethod
    def from_settings(cls, settings: EngineSettings) -> EngineConfig:
        return cls(
            build=BuildOptions(
                documents_dir=settings.documents_dir,
                max_file_bytes=int(settings.max_file_mb * 1024 * 1024),
                splitter=SplitterConfig(max_chars=settings.chunk_max_chars),
            ),
            store=VersionStore(settings.index_dir),
            embedder=EmbedderConfig(
                model=settings.embedding_model,
                cache_dir=settings.model_cache_dir,
                query_prompt=settings.query_prompt,
                document_prompt=settings.document_prompt,
                quantize=settings.quantize,
                backend=settings.embedding_backend,
                language_neutral=settings.language_neutral,
            ),
            retrieval=RetrievalConfig(lexical_weight=settings.lexical_weight),
            answer=AnswerConfig(abstain_margin=settings.abstain_margin),
            top_k=settings.top_k,
        )


class Engine:
    def __init__(self, config: EngineConfig, embedder_factory: Callable[[], Embedder] | None = None) -> None:
        self.config = config
        self.stemmer = Stemmer()
        use_one_search_thread()
        self._embedder_factory = embedder_factory or (lambda: create_embedder(config.embedder))
        self._embedder: Embedder | None = None
        self._embedder_lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._load_attempted = False
        self.last_report: BuildReport | None = None

    @classmethod
    def from_settings(cls, settings: EngineSettings, embedder_factory: Callable[[], Embedder] | None = None) -> Engine:
        return cls(EngineConfig.from_settings(settings), embedder_factory)

    # ---- model and index -----------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        with self._embedder_lock:  # two threads asking at start-up must not load the model twice
            if self._embedder is None:
                self._embedder = self._embedder_factory()
            return self._embedder

    @property
    def snapshot(self) -> Snapshot | None:
        return self._snapshot

    def load(self) -> Snapshot | None:
        """Load the newest usable version: CURRENT, else the previous good one. None if there is none."""
        self._load_attempted = True
        store = self.config.store
        current = store.current_name()
        for name in store.candidates():
            try:
                snapshot = load_snapshot(store.path_of(name), self.stemmer)
            except CorruptIndex as exc:
                logger.error("index version %s cannot be used: %s", name, exc)
                continue
            if name != current:
                logger.warning("serving the previous index version %s; run `commission-bot index` to rebuild", name)
            self._snapshot = snapshot
            return snapshot
        return None

    def ensure_index(self, progress: ProgressCallback | None = None) -> BuildReport | None:
        """Load an index, building one first if none is usable. Returns the build report if it built."""
        if self.load() is not None:
            return None
        return self.build(progress=progress)

    def build(self, full: bool = False, progress: ProgressCallback | None = None) -> BuildReport:
        options = BuildOptions(
            self.config.build.documents_dir, self.config.build.max_file_bytes, self.config.build.splitter, full
        )
        kwargs = {"progress": progress} if progress else {}
        if self._snapshot is None and not self._load_attempted:
            self.load()  # the previous version's vectors are what make the build incremental
        report = build(self.config.store, self.embedder, options, self._snapshot, self.stemmer, **kwargs)
        self.last_report = report
        self.load()
        return report

    def is_stale(self) -> bool:
        """True when the documents folder no longer matches what the loaded index was built from."""
        if self._snapshot is None:
            return True
        return self._snapshot.manifest.get("sources") != source_stamps(self.config.build.documents_dir)

    # ---- questions -----------------------------------------------------------------------
    def ask(self, question: str, k: int | None = None) -> Reply:
        snapshot = self._snapshot  # one version for the whole answer, even if a build swaps it now
        question = question.strip()
        if snapshot is None or not question:
            return Reply(question, None, [])
        query_vector = self.embedder.embed_queries([question])[0]
        return self.answer_with_vector(snapshot, question, query_vector, k or self.config.top_k)

    def answer_with_vector(
        self,
        snapshot: Snapshot,
        question: str,
        query_vector: np.ndarray,
        k: int,
        retrieval: RetrievalConfig | None = None,
        excluded_documents: frozenset[int] = frozenset(),
    ) -> Reply:
        """Everything after encoding the question (evaluation reuses question vectors)."""
        hits, signals = self.retrieve(snapshot, question, query_vector, k, retrieval, excluded_documents)
        return self.reply_from_hits(snapshot, question, query_vector, hits, signals, k)

    def retrieve(
        self,
        snapshot: Snapshot,
        question: str,
        query_vector: np.ndarray,
        k: int,
        retrieval: RetrievalConfig | None = None,
        excluded_documents: frozenset[int] = frozenset(),
    ) -> tuple[list[ScoredChunk], QuestionSignals]:
        """Ranked chunks: enough for k passages and for the best document's competing sentences."""
        depth = max(k, self.config.answer.document_chunks + k)
        config = retrieval or self.config.retrieval
        return retrieve(snapshot, query_vector, question, depth, config, excluded_documents)

    def reply_from_hits(
        self,
        snapshot: Snapshot,
        question: str,
        query_vector: np.ndarray,
        hits: list[ScoredChunk],
        signals: QuestionSignals,
        k: int,
    ) -> Reply:
        """Choose the answer sentence in the best document, or abstain."""
        choice, margin = self.judge(snapshot, query_vector, hits, signals)
        if choice is None or margin < self.config.answer.abstain_margin:
            # Nearest text that does not answer is noise; say "not found" instead of showing it.
            return Reply(question, None, [])
        # The answer's own passage first, then the next best passages.
        shown = [choice.hit] + [h for h in hits if h.chunk != choice.hit.chunk][: max(k - 1, 0)]
        passages = [self._passage(snapshot, hit) for hit in shown]
        best = passages[0]
        answer = Answer(best.text[choice.start : choice.end], best, choice.start, choice.end, hits[0].score)
        return Reply(question, answer, passages)

    def judge(
        self, snapshot: Snapshot, query_vector: np.ndarray, hits: list[ScoredChunk], signals: QuestionSignals
    ) -> tuple[SentenceChoice | None, float]:
        """The answer sentence and its margin over generic text (abstain below the threshold)."""
        answer = self.config.answer
        choice = choose_sentence(snapshot, hits, answer)
        if choice is None:
            return None, float("-inf")
        # Questions in the documents' language share domain words with many sentences, answer
        # or not; only lexical evidence beyond that common share counts towards answering.
        expected_overlap = answer.lexical_discount * signals.lexical_weight
        return choice, choice.relevance - expected_overlap - background_level(snapshot, query_vector, answer)

    def _passage(self, snapshot: Snapshot, hit: ScoredChunk) -> Passage:
        document = snapshot.documents[int(snapshot.chunk_document[hit.chunk])]
        return Passage(document.path, document.meta.title, snapshot.chunk_text[hit.chunk], hit.score, document.meta)

    # ---- facts for /stats and the CLI ------------------------------------------------------
    def stats(self) -> dict:
        snapshot = self._snapshot
        if snapshot is None:
            return {"version": None, "documents": 0, "chunks": 0}
        return {
            "version": snapshot.version,
            "documents": len(snapshot.documents),
            "chunks": snapshot.n_chunks,
            "sentences": int(snapshot.sentence_vectors.ntotal),
            "model": snapshot.model,
            "created": snapshot.manifest.get("created", ""),
            "vector_index": faiss_kind(snapshot.chunk_vectors),
        }
