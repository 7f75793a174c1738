"""Lexical retrieval: Okapi BM25 over stemmed words, as a sparse matrix.

Russian words go through the Snowball Russian stemmer and Latin ones through the English one,
so "заседание", "заседания" and "заседании" meet. The chunk-term weight matrix is computed
once at index time and saved with the index; a query is a sum of a few matrix columns.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import snowballstemmer

from index.name_keys import name_keys, names_in, sound_keys

# Letters and digits apart: "22nd", "22-е" and "22-ci" all yield the term "22".
_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]")
_LATIN = re.compile(r"[a-z]")

# Function words carry no topic; dropping them keeps "в", "и", "the" from voting.
_STOPWORD_TEXT = """
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне
    было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до
    вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы
    тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому
    этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех
    никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них
    какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой
    им более всегда конечно всю между это также the a an of to in on at by for with from and or is
    are was were be been being what which who whom whose when where why how did do does this that
    these those it its as into than then there their
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


class Stemmer:
    """Lower-cases, folds "ё", and stems Cyrillic and Latin words with Snowball (cached)."""

    def __init__(self) -> None:
        self._ru = snowballstemmer.stemmer("russian")
        self._en = snowballstemmer.stemmer("english")
        self.stem = lru_cache(maxsize=200_000)(self._stem)

    def _stem(self, word: str) -> str:
        if _CYRILLIC.search(word):
            return self._ru.stemWord(word)
        if _LATIN.search(word):
            return self._en.stemWord(word)
        return word

    def terms(self, text: str) -> list[str]:
        words = _WORD.findall(text.lower().replace("ё", "е"))
        return [self.stem(w) for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def is_number(term: str) -> bool:
    return term.isdigit()


@dataclass
class LexicalMatch:
    """One question against every chunk and sentence, words and numbers apart.

    Numbers are the same in every language ("22nd", "22-е", "22-ci"), and so are names once keyed by
    sound ("Shahbazov", "Шахбазов": index.name_keys), so they count for any question; words count only
    as far as the corpus speaks the question's language.
    """

    scores: np.ndarray  # BM25 of the question's words, per chunk
    coverage: float  # share of the question's words the corpus has seen at all
    ceiling: float  # the word score a chunk holding every known question word would reach
    number_scores: np.ndarray  # BM25 of the question's numbers and of its names' sound keys
    number_ceiling: float
    sentence_words: np.ndarray  # per sentence: idf-weighted share of the question's known words it contains
    sentence_numbers: np.ndarray  # per sentence: the same for numbers and sound keys
    columns: list[int]  # the question's known terms (words and numbers)
    total_weight: float  # their idf, plus the unseen words' at the rarest weight

    def share_beyond_titles(self, index: BM25Index, sentences: np.ndarray, documents: np.ndarray) -> np.ndarray:
        """Per sentence: idf-weighted share of the question's terms it holds that its document's title does not.

        A question restates the context its answer sits in (the commission, the session), and so
        does the title; the terms left are the asked ones ("signed", "22nd" under a 21st-session title).
        """
        if not self.columns or self.total_weight <= 0 or len(sentences) == 0:
            return np.zeros(len(sentences), dtype=np.float32)
        held = index.sentence_terms[:, self.columns].tocsr()[sentences].toarray()
        in_title = index.title_terms[documents][:, self.columns].toarray()
        return ((held * (1.0 - in_title)) @ index.idf[self.columns] / self.total_weight).astype(np.float32)


def _term_rows(texts: list[str], stemmer: Stemmer, vocabulary: dict[str, int], grow: bool) -> list[dict[int, int]]:
    rows = []
    for text in texts:
        tf: dict[int, int] = {}
        for term in [*stemmer.terms(text), *name_keys(text)]:
            col = vocabulary.setdefault(term, len(vocabulary)) if grow else vocabulary.get(term)
            if col is not None:
                tf[col] = tf.get(col, 0) + 1
        rows.append(tf)
    return rows


def _summed_rows(parts: list[dict[int, int]], groups: list[range]) -> list[dict[int, int]]:
    """One row per group: the term counts of its parts added up."""
    rows = []
    for group in groups:
        tf: dict[int, int] = {}
        for part in group:
            for col, count in parts[part].items():
                tf[col] = tf.get(col, 0) + count
        rows.append(tf)
    return rows


def words_outside(text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether the text has a letter or digit outside the given spans (its sentences)."""
    edges = [0, *(x for span in sorted(spans) for x in span), len(text)]
    return any(_WORD.search(text, a, b) for a, b in zip(edges[::2], edges[1::2], strict=True) if b > a)


def _matrix(rows: list[dict[int, int]], n_cols: int, binary: bool = False) -> sp.csr_matrix:
    r = [i for i, tf in enumerate(rows) for _ in tf]
    c = [col for tf in rows for col in tf]
    v = [1.0 if binary else float(n) for tf in rows for n in tf.values()]
    return sp.csr_matrix((np.asarray(v, dtype=np.float32), (r, c)), shape=(len(rows), n_cols))


class BM25Index:
    """Okapi BM25 weights per chunk and term incidence per sentence, as sparse matrices."""

    def __init__(
        self,
        vocabulary: dict[str, int],
        weights: sp.csc_matrix,
        idf: np.ndarray,
        sentence_terms: sp.csc_matrix,
        title_terms: sp.csr_matrix,
        stemmer: Stemmer,
    ) -> None:
        self.vocabulary = vocabulary
        self.weights = weights
        self.idf = idf
        self.sentence_terms = sentence_terms.tocsc()  # read by columns (the question's terms)
        self.title_terms = title_terms
        self.stemmer = stemmer
        self.n_chunks = weights.shape[0]
        self.chunk_frequency = np.diff(weights.tocsc().indptr)  # term column -> chunks that hold it

    @classmethod
    def build(
        cls,
        chunks: list[str],
        sentences: list[str],
        titles: list[str],
        stemmer: Stemmer,
        chunk_sentences: list[range] | None = None,
        k1: float = 1.2,
        b: float = 0.75,
    ) -> BM25Index:
        """``chunk_sentences``: each chunk's rows in ``sentences`` when its words are exactly theirs.

        Then a chunk's terms are its sentences' terms added up, and no text is read twice (the
        lexical index is rebuilt whole at every build, incremental ones included).
        """
        vocabulary: dict[str, int] = {}
        if chunk_sentences is None:
            chunk_rows = _term_rows(chunks, stemmer, vocabulary, grow=True)
            sentence_rows = _term_rows(sentences, stemmer, vocabulary, grow=False)
        else:
            sentence_rows = _term_rows(sentences, stemmer, vocabulary, grow=True)
            chunk_rows = _summed_rows(sentence_rows, chunk_sentences)
        title_rows = _term_rows(titles, stemmer, vocabulary, grow=False)
        tf = _matrix(chunk_rows, len(vocabulary)).tocoo()
        n = max(len(chunks), 1)
        df = np.bincount(tf.col, minlength=len(vocabulary)).astype(np.float32)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        lengths = np.array([sum(r.values()) for r in chunk_rows], dtype=np.float32)
        avg_len = float(lengths.mean()) if len(chunks) else 1.0
        norm = k1 * (1 - b + b * lengths / max(avg_len, 1e-9))
        data = tf.data * (k1 + 1) / (tf.data + norm[tf.row]) * idf[tf.col]
        weights = sp.csc_matrix((data.astype(np.float32), (tf.row, tf.col)), shape=tf.shape)
        sentence_terms = _matrix(sentence_rows, len(vocabulary), binary=True)
        title_terms = _matrix(title_rows, len(vocabulary), binary=True)
        return cls(vocabulary, weights, idf, sentence_terms, title_terms, stemmer)

    def search(self, question: str) -> LexicalMatch:
        terms = set(self.stemmer.terms(question))
        words = [self.vocabulary[t] for t in terms if not is_number(t) and t in self.vocabulary]
        numbers = [self.vocabulary[t] for t in terms if is_number(t) and t in self.vocabulary]
        keys = [self.vocabulary[t] for t in self._unknown_words_keys(question) if t in self.vocabulary]
        n_words = sum(1 for t in terms if not is_number(t))
        word_scores, word_weight = self._chunk_scores(words)
        # A sentence's share of the question counts unseen words too, at the rarest weight: one
        # known word ("Астане") out of three must not look like a full match.
        unseen_weight = (n_words - len(words)) * float(np.log(1.0 + (self.n_chunks + 0.5) / 0.5))
        # Numbers and names' sound keys read the same in every language: one signal that finds chunks.
        neutral_scores, neutral_weight = self._chunk_scores(numbers + keys)
        number_weight = float(self.idf[numbers].sum()) if numbers else 0.0
        # Coverage asks "does the corpus speak the question's language?": the share of its words
        # the corpus has seen at all. An English question over Russian text scores near 0, a
        # Russian one near 1 even when one of its words happens to be absent from a small corpus.
        # 2.2 = k1 + 1: the most one term can add, so the ceiling bounds any chunk's score.
        return LexicalMatch(
            scores=word_scores,
            coverage=len(words) / n_words if n_words else 0.0,
            ceiling=word_weight * 2.2,
            number_scores=neutral_scores,
            number_ceiling=neutral_weight * 2.2,
            sentence_words=self._sentence_share(words, word_weight + unseen_weight),
            sentence_numbers=self._sentence_share(numbers + keys, neutral_weight),
            # What a sentence says beyond its title is read from words and numbers only: a name
            # restated across scripts is the context (the pair of countries), not what was asked.
            columns=words + numbers,
            total_weight=word_weight + unseen_weight + number_weight,
        )

    def _unknown_words_keys(self, question: str) -> set[str]:
        """Sound keys of the question's words the corpus has not seen as written: names in another script.

        Words the corpus knows already match as words; keying them too would let "заседание" meet "Astana".
        """
        keys: set[str] = set()
        for word in names_in(question):
            stems = self.stemmer.terms(word)
            if stems and not any(stem in self.vocabulary for stem in stems):
                keys.update(sound_keys(word))
        return keys

    def is_rare(self, word: str, share: float, at_least: int) -> bool:
        """Whether the word occurs in at most ``share`` of the chunks (or ``at_least`` of them); unseen is rare."""
        terms = self.stemmer.terms(word)
        column = self.vocabulary.get(terms[0]) if terms else None
        if column is None:
            return bool(terms)
        return int(self.chunk_frequency[column]) <= max(at_least, share * self.n_chunks)

    def _chunk_scores(self, columns: list[int]) -> tuple[np.ndarray, float]:
        if not columns:
            return np.zeros(self.n_chunks, dtype=np.float32), 0.0
        scores = np.asarray(self.weights[:, columns].sum(axis=1)).ravel().astype(np.float32)
        return scores, float(self.idf[columns].sum())

    def _sentence_share(self, columns: list[int], total: float) -> np.ndarray:
        if not columns or total <= 0:
            return np.zeros(self.sentence_terms.shape[0], dtype=np.float32)
        return (self.sentence_terms[:, columns] @ self.idf[columns] / total).astype(np.float32)

    def save(self, folder: Path) -> None:
        sp.save_npz(folder / "bm25.npz", self.weights.tocsc(), compressed=False)
        sp.save_npz(folder / "sentence_terms.npz", self.sentence_terms.tocsc(), compressed=False)
        sp.save_npz(folder / "title_terms.npz", self.title_terms.tocsr(), compressed=False)
        np.save(folder / "bm25_idf.npy", self.idf)
        (folder / "bm25_vocabulary.json").write_text(json.dumps(self.vocabulary, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path, stemmer: Stemmer) -> BM25Index:
        weights = sp.load_npz(folder / "bm25.npz").tocsc()
        sentence_terms = sp.load_npz(folder / "sentence_terms.npz")
        title_terms = sp.load_npz(folder / "title_terms.npz").tocsr()
        idf = np.load(folder / "bm25_idf.npy")
        vocabulary = json.loads((folder / "bm25_vocabulary.json").read_text("utf-8"))
        return cls(vocabulary, weights, idf, sentence_terms, title_terms, stemmer)
