"""Answers from documents: the sources go into the prompt numbered and marked, the answer's
citations are checked against them, and the answer is marked from what it cites.

- Sources are numbered [1]..[n] in the system message, each with its portion marking, title,
  page and heading path.
- A citation whose number is not a source given to the model is removed from the text, in a
  stream too (``CitationFilter`` holds back a ``[`` until it knows what it opens).
- The answer's marking is the derivative (highest level, union of caveats, intersection of
  releasability) of the sources it cites; an answer that cites nothing carries the derivative of
  every source it was given, since it may have used any of them.
- An answer that cites nothing valid is matched to its sources sentence by sentence (share of a
  sentence's content words found in a source); the sources matched are listed at its end as
  ``Sources: [1], [3]`` and flagged ``attributed`` (small models often do not cite).
- With no readable source relevant enough, the model is not called: the answer says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from garrison.core.documents import Citation, Grounding, Hit, context_text
from garrison.core.markings import combine_all
from garrison.core.types import Message
from garrison.retrieval.text import tokens

INSTRUCTIONS = (
    "Answer the question using only the numbered sources below. After each statement, cite its "
    "source by number in square brackets, for example [1]. If the sources do not answer the "
    "question, say that the documents do not answer it. Do not use outside knowledge."
)
NO_SOURCES = (
    "None of the documents you may read in {collections} answers this question, so I cannot answer it from them."
)
_CITE = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
_MAX_HELD = 16  # "[12, 13, 14]" fits; anything longer is not a citation


def fit(hits: Sequence[Hit], budget_chars: int) -> list[Hit]:
    """The best hits whose text fits the prompt budget (in characters), in rank order."""
    out: list[Hit] = []
    used = 0
    for h in hits:
        size = len(h.text) + len(h.title) + 80
        if used + size > budget_chars:
            break
        out.append(h)
        used += size
    return out


def relevant(hits: Sequence[Hit], min_similarity: float) -> list[Hit]:
    """Hits close enough to the question to be worth giving the model."""
    return [h for h in hits if h.scores.get("dense", 0.0) >= min_similarity]


def source_block(number: int, hit: Hit, filename: str | None = None) -> str:
    where = hit.title
    if hit.page is not None:
        where += f", page {hit.page}"
    if hit.headings:
        where += " — " + " > ".join(hit.headings)
    return f"[{number}] {hit.marking.portion()} {where}\n{hit.text}"


def grounded_messages(messages: Sequence[Message], hits: Sequence[Hit]) -> tuple[Message, ...]:
    sources = "\n\n".join(source_block(i, h) for i, h in enumerate(hits, start=1))
    system = f"{INSTRUCTIONS}\n\nSources:\n\n{sources}"
    rest = [m for m in messages if m.role not in ("system", "developer")]
    own = [m.content for m in messages if m.role in ("system", "developer")]
    if own:
        system = "\n\n".join(own) + "\n\n" + system
    return (Message("system", system), *rest)


def no_sources_text(collections: Sequence[str]) -> str:
    return NO_SOURCES.format(collections=", ".join(collections))


class CitationFilter:
    """Keeps citations to sources 1..n, drops others, in one pass over a stream of text."""

    def __init__(self, sources: int) -> None:
        self._n = sources
        self._held = ""
        self.cited: list[int] = []

    def _render(self, inside: str) -> str:
        kept = []
        for part in inside.split(","):
            number = int(part)
            if 1 <= number <= self._n:
                kept.append(number)
                if number not in self.cited:
                    self.cited.append(number)
        return "[" + ", ".join(str(k) for k in kept) + "]" if kept else ""

    def _scan(self, text: str) -> str:
        return _CITE.sub(lambda m: self._render(m.group(1)), text)

    def feed(self, text: str) -> str:
        text = self._held + text
        self._held = ""
        start = text.rfind("[")
        if start != -1 and "]" not in text[start:]:
            tail = text[start:]
            if len(tail) <= _MAX_HELD and re.fullmatch(r"\[[\d,\s]*", tail):
                self._held = tail  # it may become a citation: wait for the rest
                text = text[:start]
        return self._scan(text)

    def finish(self) -> str:
        text, self._held = self._held, ""
        return self._scan(text)

    def filter(self, text: str) -> str:
        return self.feed(text) + self.finish()


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
MIN_SHARE = 0.6  # of a sentence's content words found in the source
MIN_SHARED = 3


def attribute(answer: str, hits: Sequence[Hit]) -> list[int]:
    """The sources (1-based) the answer's sentences draw on, in order of first use."""
    sources = [set(tokens(context_text(h.title, h.headings, h.text))) for h in hits]
    found: list[int] = []
    for sentence in _SENTENCE_END.split(answer):
        terms = set(tokens(sentence))
        if len(terms) < MIN_SHARED:
            continue
        shared = [len(terms & s) for s in sources]
        best = max(range(len(sources)), key=lambda i: (shared[i], -i))
        if shared[best] >= MIN_SHARED and shared[best] / len(terms) >= MIN_SHARE and best + 1 not in found:
            found.append(best + 1)
    return found


def sources_line(numbers: Sequence[int]) -> str:
    return "\n\nSources: " + ", ".join(f"[{n}]" for n in numbers)


def grounding(
    hits: Sequence[Hit], cited: Sequence[int], collections: Sequence[str], *, attributed: bool = False
) -> Grounding:
    citations = tuple(
        Citation(
            number=n,
            chunk_id=hits[n - 1].chunk_id,
            document_id=hits[n - 1].document_id,
            title=hits[n - 1].title,
            filename=hits[n - 1].filename,
            page=hits[n - 1].page,
            headings=hits[n - 1].headings,
            marking=hits[n - 1].marking,
            attributed=attributed,
        )
        for n in cited
    )
    context = combine_all([h.marking for h in hits]) if hits else None
    marking = combine_all([c.marking for c in citations]) if citations else context
    return Grounding(citations, marking, context, len(hits), tuple(collections))
