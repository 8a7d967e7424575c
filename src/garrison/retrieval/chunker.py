"""Structure-aware chunking: blocks in reading order -> chunks that a citation can point at.

Rules, in order of strength:

- a chunk never mixes markings (a portion marked SECRET is never glued to an UNCLASSIFIED one),
  and its marking is never lower than the document's (``floor``);
- a chunk never crosses a heading: the heading path (outermost first) is kept on the chunk;
- a numbered procedure (consecutive steps, with the sentence that introduces them) stays in one
  chunk when it fits ``max_words``, and is otherwise split between steps, never inside one;
- a table stays whole when it fits; a longer one is split between rows, its header row repeated;
- paragraphs are packed up to ``target_words``; a paragraph longer than ``max_words`` is split
  between sentences.

Sizes are in words: multilingual-e5-small reads 512 tokens, about 300 English words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from garrison.core.documents import Block, BlockKind, ChunkDraft
from garrison.core.markings import Marking

_SENTENCE = re.compile(r"(?<=[.!?;:])\s+(?=[A-ZÀ-ÖØ-Þ0-9(\"'«])")


@dataclass(frozen=True, slots=True)
class ChunkSizes:
    target_words: int = 160
    max_words: int = 260


def _words(text: str) -> int:
    return len(text.split())


@dataclass
class _Unit:
    """Blocks that should stay together (a paragraph, a procedure, a table)."""

    texts: list[str]
    page: int | None
    page_end: int | None
    kind: BlockKind

    @property
    def words(self) -> int:
        return sum(_words(t) for t in self.texts)


def chunk(blocks: Sequence[Block], *, floor: Marking, sizes: ChunkSizes | None = None) -> list[ChunkDraft]:
    sizes = sizes or ChunkSizes()
    out: list[ChunkDraft] = []
    path: list[tuple[int, str]] = []
    section: list[tuple[Marking, _Unit]] = []

    def flush() -> None:
        headings = tuple(text for _, text in path)
        for marking, units in _runs(section):
            for texts, page, page_end in _pack(units, sizes):
                out.append(ChunkDraft("\n".join(texts), headings, page, page_end, marking, len(out)))
        section.clear()

    for block in blocks:
        if block.kind is BlockKind.HEADING:
            flush()
            level = max(block.level, 1)
            while path and path[-1][0] >= level:
                path.pop()
            path.append((level, block.text.strip()))
            continue
        text = block.text.strip()
        if not text:
            continue
        marking = floor if block.marking is None else floor.combine(block.marking)
        prev = section[-1] if section else None
        if (
            prev is not None
            and prev[0] == marking
            and block.kind is BlockKind.STEP
            and prev[1].kind in (BlockKind.STEP, BlockKind.PARAGRAPH)
            and (prev[1].kind is BlockKind.STEP or prev[1].words < 60)
        ):
            unit = prev[1]  # a step joins its procedure (and the sentence that introduces it)
            unit.texts.append(text)
            unit.kind = BlockKind.STEP
            unit.page_end = block.page if block.page is not None else unit.page_end
            continue
        if prev is not None and prev[0] == marking and block.kind is BlockKind.ITEM and prev[1].kind is BlockKind.ITEM:
            prev[1].texts.append(text)
            prev[1].page_end = block.page if block.page is not None else prev[1].page_end
            continue
        section.append((marking, _Unit([text], block.page, block.page, block.kind)))
    flush()
    return out


def _runs(section: list[tuple[Marking, _Unit]]) -> list[tuple[Marking, list[_Unit]]]:
    runs: list[tuple[Marking, list[_Unit]]] = []
    for marking, unit in section:
        if runs and runs[-1][0] == marking:
            runs[-1][1].append(unit)
        else:
            runs.append((marking, [unit]))
    return runs


def _pack(units: list[_Unit], sizes: ChunkSizes) -> list[tuple[list[str], int | None, int | None]]:
    """Pack units into chunks of about ``target_words``; split units above ``max_words``."""
    pieces: list[_Unit] = []
    for unit in units:
        pieces.extend(_split(unit, sizes) if unit.words > sizes.max_words else [unit])
    out: list[tuple[list[str], int | None, int | None]] = []
    texts: list[str] = []
    words = 0
    page: int | None = None
    page_end: int | None = None
    for piece in pieces:
        w = piece.words
        if texts and (words + w > sizes.max_words or (words >= sizes.target_words)):
            out.append((texts, page, page_end))
            texts, words, page, page_end = [], 0, None, None
        if not texts:
            page = piece.page
        texts.extend(piece.texts)
        words += w
        page_end = piece.page_end if piece.page_end is not None else page_end
    if texts:
        out.append((texts, page, page_end))
    return out


def _split(unit: _Unit, sizes: ChunkSizes) -> list[_Unit]:
    if unit.kind is BlockKind.TABLE:
        lines = unit.texts[0].split("\n")
        header, rows = lines[0], lines[1:]
        return _group(rows, sizes.max_words, unit, prefix=[header])
    if len(unit.texts) > 1:  # a procedure or a list: split between steps
        parts: list[_Unit] = []
        for text in unit.texts:
            if _words(text) > sizes.max_words:
                parts.extend(_group(_SENTENCE.split(text), sizes.max_words, unit))
            else:
                parts.append(_Unit([text], unit.page, unit.page_end, BlockKind.PARAGRAPH))
        return _regroup(parts, sizes.max_words, unit)
    return _group(_SENTENCE.split(unit.texts[0]), sizes.max_words, unit)


def _group(pieces: list[str], limit: int, unit: _Unit, prefix: list[str] | None = None) -> list[_Unit]:
    """Pieces (sentences or table rows) packed up to ``limit`` words; ``prefix`` (a table's header)
    starts every group."""
    out: list[_Unit] = []
    current: list[str] = []
    words = 0

    def emit() -> None:
        text = " ".join(current) if prefix is None else "\n".join(prefix + current)
        out.append(_Unit([text], unit.page, unit.page_end, BlockKind.PARAGRAPH))

    for piece in pieces:
        w = _words(piece)
        if current and words + w > limit:
            emit()
            current, words = [], 0
        current.append(piece)
        words += w
    if current:
        emit()
    return out


def _regroup(parts: list[_Unit], limit: int, unit: _Unit) -> list[_Unit]:
    out: list[_Unit] = []
    current: list[str] = []
    words = 0
    for part in parts:
        w = part.words
        if current and words + w > limit:
            out.append(_Unit(current, unit.page, unit.page_end, BlockKind.STEP))
            current, words = [], 0
        current.extend(part.texts)
        words += w
    if current:
        out.append(_Unit(current, unit.page, unit.page_end, BlockKind.STEP))
    return out
