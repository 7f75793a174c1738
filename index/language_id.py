"""Which language a document is written in, from its text (py3langid: a small bundled model).

The engine uses it for one thing: lexical evidence ranks documents only against documents of the
same language (see :mod:`index.retrieval`). Words of the question's language occur in every report
of that language, so in a mixed archive raw BM25 lifts them all above the report in another
language that answers; within one language, BM25 still tells the right report from the others.
"""

from __future__ import annotations

from functools import lru_cache

SAMPLE_CHARS = 4000  # enough text to be sure, little enough to stay fast on a long document


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)


def detect_language(text: str) -> str:
    """An ISO 639-1-like code ("ru", "en", "kk", ...), or "" for text with no letters."""
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return ""
    language, _ = _identifier().classify(sample)
    return str(language)
