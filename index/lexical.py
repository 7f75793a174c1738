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
    """BM25 of one question against every chunk, words and numbers apart.

    Numbers are the same in every language ("22nd", "22-е", "22-ci"), so they count for any
    question; words count only as far as the corpus knows the question's vocabulary.
    """

    scores: np.ndarray  # BM25 of the question's words, per chunk
    coverage: float  # share of the question's word weight that the corpus knows at all
    ceiling: float  # the word score a chunk holding every known question word would reach
    number_scores: np.ndarray
    number_ceiling: float


class BM25Index:
    """Chunk x term matrix of BM25 weights; ``search`` scores every chunk for a question."""

    def __init__(self, vocabulary: dict[str, int], weights: sp.csc_matrix, idf: np.ndarray, stemmer: Stemmer):
        self.vocabulary = vocabulary
        self.weights = weights
        self.idf = idf
        self.stemmer = stemmer
        self.n_chunks = weights.shape[0]

    @classmethod
    def build(cls, texts: list[str], stemmer: Stemmer, k1: float = 1.2, b: float = 0.75) -> BM25Index:
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        counts: list[int] = []
        lengths = np.zeros(len(texts), dtype=np.float32)
        for row, text in enumerate(texts):
            terms = stemmer.terms(text)
            lengths[row] = len(terms)
            tf: dict[int, int] = {}
            for term in terms:
                col = vocabulary.setdefault(term, len(vocabulary))
                tf[col] = tf.get(col, 0) + 1
            rows.extend([row] * len(tf))
            cols.extend(tf.keys())
            counts.extend(tf.values())
        n = max(len(texts), 1)
        tf_matrix = sp.csr_matrix(
            (np.asarray(counts, dtype=np.float32), (rows, cols)), shape=(len(texts), len(vocabulary))
        )
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=len(vocabulary)).astype(np.float32)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        avg_len = float(lengths.mean()) if len(texts) else 1.0
        norm = k1 * (1 - b + b * lengths / max(avg_len, 1e-9))
        tf_matrix = tf_matrix.tocoo()
        data = tf_matrix.data * (k1 + 1) / (tf_matrix.data + norm[tf_matrix.row]) * idf[tf_matrix.col]
        weights = sp.csc_matrix((data.astype(np.float32), (tf_matrix.row, tf_matrix.col)), shape=tf_matrix.shape)
        return cls(vocabulary, weights, idf, stemmer)

    def search(self, question: str) -> LexicalMatch:
        terms = set(self.stemmer.terms(question))
        words = [t for t in terms if not is_number(t)]
        numbers = [t for t in terms if is_number(t)]
        # A word the corpus has never seen gets the rarest possible weight: it is exactly the
        # kind of word (a name, a foreign-language term) whose absence says the lexical signal
        # cannot judge this question.
        unseen_idf = float(np.log(1.0 + (self.n_chunks + 0.5) / 0.5))
        word_scores, known, total = self._score(words)
        total += unseen_idf * sum(1 for t in words if t not in self.vocabulary)
        number_scores, number_known, _ = self._score(numbers)
        # 2.2 = k1 + 1: the most one term can add, so the ceiling bounds any chunk's score.
        return LexicalMatch(
            scores=word_scores,
            coverage=known / total if total else 0.0,
            ceiling=known * 2.2,
            number_scores=number_scores,
            number_ceiling=number_known * 2.2,
        )

    def _score(self, terms: list[str]) -> tuple[np.ndarray, float, float]:
        columns = [self.vocabulary[t] for t in terms if t in self.vocabulary]
        weight = float(self.idf[columns].sum()) if columns else 0.0
        if not columns:
            return np.zeros(self.n_chunks, dtype=np.float32), 0.0, 0.0
        scores = np.asarray(self.weights[:, columns].sum(axis=1)).ravel().astype(np.float32)
        return scores, weight, weight

    def save(self, folder: Path) -> None:
        sp.save_npz(folder / "bm25.npz", self.weights.tocsc(), compressed=False)
        np.save(folder / "bm25_idf.npy", self.idf)
        (folder / "bm25_vocabulary.json").write_text(json.dumps(self.vocabulary, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path, stemmer: Stemmer) -> BM25Index:
        weights = sp.load_npz(folder / "bm25.npz").tocsc()
        idf = np.load(folder / "bm25_idf.npy")
        vocabulary = json.loads((folder / "bm25_vocabulary.json").read_text("utf-8"))
        return cls(vocabulary, weights, idf, stemmer)
