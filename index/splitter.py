"""Split document text into sentences and pack sentences into chunks.

Sentences come from razdel, which knows Russian abbreviations ("млн", "т.е.", "г.") and
initials, so "470 млн долларов" or "А. С. Пушкин" do not end a sentence. A chunk is a run of
whole sentences within one paragraph block, at most ``max_chars`` long: short enough to be a
precise passage, long enough to keep a sentence's context. A sentence longer than ``max_chars``
(a table dump, text with no punctuation) is cut at word boundaries.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from razdel import sentenize

from index.models import ChunkDraft

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"[ \t\u00a0]+")
# What ends a sentence (or a clause that goes on) at the end of a line, in any script we meet.
_LINE_END_PUNCTUATION = re.compile(r"[.!?…:;,\"'»”“)\]。！？]$")
# A "sentence" of a few words is a dateline or a caption ("АШХАБАД, 22 қыркүйек."), not an answer: it joins
# the sentence after it. Its short vector would otherwise match any question a little, and win.
MIN_SENTENCE_WORDS = 4
# A sentence ending in a bare 1-3 digit number and a dot is an ordinal ("14. Dönem", "am 6. Oktober"),
# not a sentence end; years (4 digits) do end sentences ("…in 2014.").
_ORDINAL_DOT = re.compile(r"(?:^|[\s(])\d{1,3}\.$")


# Bump when the same text splits differently: an index built by an older splitter is re-read, not reused.
SPLITTER_VERSION = 3


@dataclass(frozen=True)
class SplitterConfig:
    max_chars: int = 1000
    min_sentence_chars: int = 2


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _SPACES.sub(" ", text)


def _hard_wrap(sentence: str, max_chars: int) -> list[str]:
    pieces, current = [], ""
    for word in sentence.split(" "):
        while len(word) > max_chars:  # one "word" longer than a chunk: cut it
            if current:
                pieces.append(current)
                current = ""
            pieces.append(word[:max_chars])
            word = word[max_chars:]
        if current and len(current) + 1 + len(word) > max_chars:
            pieces.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        pieces.append(current)
    return pieces


def _line_units(paragraph: str) -> list[str]:
    """The paragraph's lines joined into runs that may hold sentences; a headline is a run of its own.

    A line that ends without punctuation before a line that starts a new sentence is a headline, a
    dateline or a caption ("Zeybekci ve Novak, Türk-Rus KEK protokolüne imza attı"): run together
    with the next line it would make one long "sentence" that wins answers by restating the context.
    Hard-wrapped prose is told apart by its lines that go on in lower case ("…Den Vorsitz führten" /
    "gemeinsam Hartmut Koschyk…"): where a third of the unpunctuated line ends are such, lines join.
    """
    lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
    if len(lines) < 2:
        return lines
    open_ends = [
        (previous, line) for previous, line in itertools.pairwise(lines) if not _LINE_END_PUNCTUATION.search(previous)
    ]
    continued = sum(1 for _, line in open_ends if line[0].islower())
    if open_ends and continued * 3 >= len(open_ends):
        return [" ".join(lines)]
    units = [lines[0]]
    for previous, line in itertools.pairwise(lines):
        if _LINE_END_PUNCTUATION.search(previous) or line[0].islower():
            units[-1] = f"{units[-1]} {line}"
        else:
            units.append(line)
    return units


def split_sentences(paragraph: str, config: SplitterConfig) -> list[str]:
    merged: list[str] = []
    for unit in _line_units(paragraph):
        unit_start = len(merged)
        pending = ""  # a fragment too short to stand alone, waiting for the next sentence
        for piece in sentenize(unit):
            text = f"{pending} {piece.text.strip()}".strip()
            pending = ""
            # razdel ends a sentence at ";" before a capital ("Срок: ...; Ответственный: ..."), which
            # would cut a table row apart; a clause ending in ";", ":" or "," goes on. An ordinal's dot
            # ("KEK 14. Dönem Toplantısı") does not end a sentence either.
            if len(merged) > unit_start and (merged[-1].endswith((";", ":", ",")) or _ORDINAL_DOT.search(merged[-1])):
                merged[-1] = f"{merged[-1]} {text}"
            elif len(text.split()) < MIN_SENTENCE_WORDS:
                pending = text
            else:
                merged.append(text)
        if pending:  # a short last sentence ("Протокол подписан.") stands alone
            merged.append(pending)
    sentences: list[str] = []
    for text in merged:
        if len(text) < config.min_sentence_chars:
            continue
        sentences.extend(_hard_wrap(text, config.max_chars) if len(text) > config.max_chars else [text])
    return sentences


def _pack(sentences: list[str], max_chars: int) -> list[ChunkDraft]:
    chunks: list[ChunkDraft] = []
    group: list[str] = []
    for sentence in [*sentences, None]:  # None flushes the last group
        joined_len = sum(len(s) + 1 for s in group)
        if group and (sentence is None or joined_len + len(sentence) > max_chars):
            text, spans, pos = "", [], 0
            for s in group:
                if text:
                    text += " "
                    pos += 1
                spans.append((pos, pos + len(s)))
                text += s
                pos += len(s)
            chunks.append(ChunkDraft(text, tuple(spans)))
            group = []
        if sentence is not None:
            group.append(sentence)
    return chunks


def split_text(text: str, config: SplitterConfig | None = None) -> list[ChunkDraft]:
    """Chunks of whole sentences; paragraphs are kept apart unless they are short."""
    config = config or SplitterConfig()
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(_clean(text)) if p.strip()]
    chunks: list[ChunkDraft] = []
    seen: set[str] = set()
    for paragraph in paragraphs:
        for chunk in _pack(split_sentences(paragraph, config), config.max_chars):
            # A document that repeats itself (10,000 copies of one line) gives one chunk, not 10,000.
            if chunk.text not in seen:
                seen.add(chunk.text)
                chunks.append(chunk)
    return chunks
