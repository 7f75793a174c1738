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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

import numpy as np

from index.answering import AnswerConfig, SentenceChoice, answer_margin, choose_sentence
from index.builder import BuildOptions, ProgressCallback, build, source_stamps
from index.config import EngineSettings
from index.constraints import Names, first_meeting_constraints, names_in, unmet
from index.embedding.embedder import Embedder, EmbedderConfig
from index.embedding.factory import create_embedder
from index.followup import FollowUp, FollowUpConfig, answer_follow_up
from index.lexical import Stemmer
from index.models import Answer, BuildReport, Passage, Reply
from index.readers import OcrSettings
from index.retrieval import (
    QuestionSignals,
    RetrievalConfig,
    ScoredChunk,
    document_scores,
    find_candidates,
    first_from,
    score_candidates,
    unscored_chunks,
)
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
    follow_up: FollowUpConfig = field(default_factory=FollowUpConfig)

    @classmethod
    def from_settings(cls, settings: EngineSettings) -> EngineConfig:
        return cls(
            build=BuildOptions(
                documents_dir=settings.documents_dir,
                max_file_bytes=int(settings.max_file_mb * 1024 * 1024),
                splitter=SplitterConfig(max_chars=settings.chunk_max_chars),
                ocr=OcrSettings.from_settings(settings),
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
            answer=AnswerConfig(abstain_margin=settings.abstain_margin, topic_margin=settings.topic_margin),
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
        options = replace(self.config.build, full=full)
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
    def ask(self, question: str, k: int | None = None, context: FollowUp | None = None) -> Reply:
        """The answer to a question; with ``context``, a follow-up of the earlier question (index.followup)."""
        snapshot = self._snapshot  # one version for the whole answer, even if a build swaps it now
        question = question.strip()
        if snapshot is None or not question:
            return Reply(question, None, [])
        query_vector = self.embedder.embed_queries([question])[0]
        if context is None or not context.question.strip():
            return self.answer_with_vector(snapshot, question, query_vector, k or self.config.top_k)
        earlier_vector = self.embedder.embed_queries([context.question.strip()])[0]
        return answer_follow_up(self, snapshot, question, query_vector, context, earlier_vector, k or self.config.top_k)

    def answer_with_vector(
        self,
        snapshot: Snapshot,
        question: str,
        query_vector: np.ndarray,
        k: int,
        retrieval: RetrievalConfig | None = None,
    ) -> Reply:
        """Everything after encoding the question (evaluation reuses question vectors)."""
        hits, signals = self.retrieve(snapshot, question, query_vector, retrieval)
        choice, margin = self.judge(snapshot, query_vector, hits, signals, question)
        return self.compose_reply(snapshot, question, hits, choice, margin, k)

    def retrieve(
        self,
        snapshot: Snapshot,
        question: str,
        query_vector: np.ndarray,
        retrieval: RetrievalConfig | None = None,
    ) -> tuple[list[ScoredChunk], QuestionSignals]:
        """Every candidate chunk, best first."""
        # Every candidate: the best document's other chunks compete for the answer sentence, and the
        # documents behind it are the yardstick it must stand out from.
        config = retrieval or self.config.retrieval
        found = find_candidates(snapshot, query_vector, question, config)
        hits = score_candidates(snapshot, found, config)
        # The question's numbers and countries choose between close reports: another pair's session
        # of the same number, or another session of the same pair, comes first too often across
        # languages (index.constraints).
        answer = self.config.answer
        named = first_meeting_constraints(
            question,
            list(document_scores(snapshot, hits).items()),
            lambda document: self.names_of(snapshot, document),
            answer.constraint_window,
            answer.constraint_documents,
        )
        if named is not None:
            hits = first_from(snapshot, hits, named)
        if hits:
            # The answer may stand in a chunk of the best document that no signal proposed (a short
            # sentence naming the co-chairs, between two long ones about the session): every chunk
            # of that document competes for the answer sentence.
            document = int(snapshot.chunk_document[hits[0].chunk])
            unscored = unscored_chunks(snapshot, found, document, answer.document_read)
            if unscored:
                hits = first_from(snapshot, score_candidates(snapshot, found.with_chunks(unscored), config), document)
        return hits, found.signals

    def compose_reply(
        self,
        snapshot: Snapshot,
        question: str,
        hits: list[ScoredChunk],
        choice: SentenceChoice | None,
        margin: float,
        k: int,
    ) -> Reply:
        """The answer sentence in its passage and the next best passages, or "not found"."""
        if choice is None or margin < 0:
            # Nearest text that does not answer is noise; say "not found" instead of showing it.
            return Reply(question, None, [])
        # The answer's own passage first, then the next best passages.
        shown = [choice.hit, *[h for h in hits if h.chunk != choice.hit.chunk][: max(k - 1, 0)]]
        passages = [self._passage(snapshot, hit) for hit in shown]
        best = passages[0]
        answer = Answer(best.text[choice.start : choice.end], best, choice.start, choice.end, hits[0].score)
        return Reply(question, answer, passages)

    def judge(
        self,
        snapshot: Snapshot,
        query_vector: np.ndarray,
        hits: list[ScoredChunk],
        signals: QuestionSignals,
        question: str = "",
    ) -> tuple[SentenceChoice | None, float]:
        """The answer sentence and its margin (abstain below the threshold)."""
        answer = self.config.answer
        choice = choose_sentence(snapshot, hits, answer, question)
        if choice is None:
            return None, float("-inf")
        margin = answer_margin(snapshot, hits, query_vector, answer)
        if margin >= 0 and unmet(question, self.names_of(snapshot, int(snapshot.chunk_document[choice.hit.chunk]))):
            # The best document never writes a number the question names (its session, year or
            # figure), or never names one of its countries: it answers a near question, not this one.
            margin = -1.0
        return choice, margin

    @staticmethod
    def names_of(snapshot: Snapshot, document: int) -> Names:
        """The numbers and countries the document names (title, date, text), read once per version."""
        names = snapshot.document_names.get(document)
        if names is None:
            names = snapshot.document_names[document] = names_in(Engine.texts_of_document(snapshot, document))
        return names

    @staticmethod
    def texts_of_document(snapshot: Snapshot, document: int) -> Iterator[str]:
        meta = snapshot.documents[document].meta
        yield meta.title
        yield meta.date
        for chunk in np.flatnonzero(snapshot.chunk_document == document):
            yield snapshot.chunk_text[int(chunk)]

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
