"""The corpus's own terms as a Whisper prompt: document titles, places, sources and frequent names.

Whisper reads its prompt as text that came before the audio, so words in it become likelier
spellings. Names of people, countries and bodies are exactly what a general model gets wrong
("Шахбазов", "Сауранбаев"), and they are what the documents repeat. Everything here is read from
the loaded index: a new document's names reach the prompt with the next index version.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from index.lexical import Stemmer

# A capitalised word (Latin or Cyrillic, with Kazakh and Azerbaijani letters), optionally joined by
# hyphens or dashes to more of them ("Касым-Жомарт", "Баку–Тбилиси–Джейхан").
_WORD = r"[A-ZА-ЯЁƏÖÜĞŞÇİӘҒҚҢӨҰҮҺІ][a-zа-яёəöüğşçıөұүһіәғқң]+"
_NAME = re.compile(rf"(?<![\w-]){_WORD}(?:[-–—]{_WORD})*(?![\w-])")
_LETTERS = re.compile(r"[^\W\d_]+")
_SENTENCE_START = re.compile(r"(?:^|[.!?…]\s*[«\"(]?)\s*$")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F\u0259]")

# The script each language Whisper may detect is written in, for the staff's languages and their
# neighbours (Azerbaijani, Turkish, Uzbek and Turkmen are written in Latin letters today).
LANGUAGE_SCRIPTS = {
    **dict.fromkeys(("ru", "kk", "uk", "be", "bg", "sr", "mk", "mn", "tg", "ba", "tt"), "cyrillic"),
    **dict.fromkeys(
        ("en", "de", "fr", "es", "it", "pt", "nl", "tr", "az", "uz", "tk", "pl", "cs", "ro", "hu", "fi", "sv"),
        "latin",
    ),
}


@dataclass(frozen=True)
class PromptLimits:
    # Whisper keeps at most 223 prompt tokens and drops the start of a longer prompt; Cyrillic
    # words take 2-4 tokens each, so 400 characters stay inside it.
    max_chars: int = 400
    max_names: int = 40
    # Texts scanned for names: enough for a stable ranking, bounded so that even a 100k-chunk index
    # costs about 0.6 s (measured: 5,000 chunks, 4.3 M characters), once per index version.
    max_texts: int = 5000
    # Fewer terms than this in the speaker's script: no prompt (one stray name does more harm than good).
    min_terms: int = 3


def word_roots(words: Iterable[str], stemmer: Stemmer) -> dict[str, str]:
    """Each word (lower case) -> one key shared by its inflected forms.

    Snowball alone gives "Казахстан" and "Казахстаном" different stems ("казахста", "казахстан");
    a stem that extends a shorter one (of five letters or more) joins it.
    """
    stems = {word: stemmer.stem(word.lower().replace("ё", "е")) for word in words}
    roots: dict[str, str] = {}
    for stem in sorted(set(stems.values()), key=len):
        roots[stem] = next((r for r in roots.values() if len(r) >= 5 and stem.startswith(r)), stem)
    return {word: roots[stem] for word, stem in stems.items()}


def frequent_names(texts: Iterable[str], limit: int, stemmer: Stemmer) -> list[str]:
    """Capitalised words inside sentences, the most widespread first, one form per word.

    A word capitalised only because it starts a sentence is no name. Inflected forms count as one
    word ("Казахстан", "Казахстана", "Казахстаном"), shown in its most frequent form; the ranking
    counts the texts a word occurs in, so one long document cannot crowd out the rest.
    """
    found: list[list[str]] = []
    for text in texts:
        found.append(
            [
                match.group(0)
                for match in _NAME.finditer(text)
                if not _SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()])
            ]
        )
    root_of = word_roots({name for names in found for name in names}, stemmer)
    spread: Counter[str] = Counter()  # root -> texts it occurs in
    forms: dict[str, Counter[str]] = {}  # root -> surface forms and their counts
    for names in found:
        for name in names:
            forms.setdefault(root_of[name], Counter())[name] += 1
        spread.update({root_of[name] for name in names})
    first = {root: i for i, root in enumerate(forms)}  # dicts keep insertion order: first occurrence
    ranked = sorted(spread, key=lambda root: (-spread[root], first[root]))
    return [forms[root].most_common(1)[0][0] for root in ranked[:limit]]


def corpus_terms(titles: Iterable[str], names: Iterable[str], stemmer: Stemmer) -> tuple[str, ...]:
    """Titles first (each once), then the names whose word no title already holds."""
    titles = [" ".join(title.split()) for title in titles if title.strip()]
    title_words = [word for title in titles for word in _LETTERS.findall(title)]
    names = list(names)
    root_of = word_roots([*title_words, *names], stemmer)
    taken = {root_of[word] for word in title_words}
    terms = list(dict.fromkeys(titles))
    for name in names:
        if root_of[name] not in taken:
            taken.add(root_of[name])
            terms.append(name)
    return tuple(terms)


def script_of(text: str) -> str | None:
    if _CYRILLIC.search(text):
        return "cyrillic"
    if _LATIN.search(text):
        return "latin"
    return None


@dataclass(frozen=True)
class Vocabulary:
    """The corpus's terms, most important first; a prompt is made of those in the speaker's script."""

    terms: tuple[str, ...]
    limits: PromptLimits = PromptLimits()

    def prompt(self, language: str) -> str:
        """The terms written in the script of ``language``, cut at a whole term; "" if too few.

        Measured on English questions over Russian documents, Cyrillic names in the prompt leaked
        into the English transcript ("Markut-Тбилиси–Джейхан-Пайплайн") and a lone source name
        replaced a spoken word ("trade" heard as "Trend"): the prompt only helps speech in its script.
        """
        script = LANGUAGE_SCRIPTS.get(language)
        terms = [term for term in self.terms if script is not None and script_of(term) == script]
        if len(terms) < self.limits.min_terms:
            return ""
        prompt = ""
        for term in terms:
            candidate = f"{prompt}, {term}" if prompt else term
            if len(candidate) > self.limits.max_chars:
                break
            prompt = candidate
        return f"{prompt}."


def corpus_vocabulary(
    titles: Iterable[str], texts: Sequence[str], stemmer: Stemmer, limits: PromptLimits | None = None
) -> Vocabulary:
    """The vocabulary of an index: ``titles`` (titles, places, sources) and its chunk texts.

    A large index is sampled evenly (every n-th chunk), so every part of the archive has its say.
    """
    limits = limits or PromptLimits()
    sample = texts[:: max(1, -(-len(texts) // limits.max_texts))]
    names = frequent_names(sample, limits.max_names, stemmer)
    return Vocabulary(corpus_terms(titles, names, stemmer), limits)
