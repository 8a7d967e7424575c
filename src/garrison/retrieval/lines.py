"""Lines to blocks, for formats whose structure is guessed from lines (PDF, plain text), and the
line hints every format honours: a classification banner line is its own block, a line that opens
with a portion marking starts a new one. Markings are never read or removed here."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from garrison.core.documents import Block, BlockKind


class LineHints(Protocol):
    """What the marking parser tells extraction about a line, without extraction knowing markings."""

    def is_banner(self, line: str) -> bool:
        """The whole line is a classification banner, e.g. ``SECRET//REL TO USA, GBR``."""
        ...

    def starts_portion(self, line: str) -> bool:
        """The line opens with a portion marking, e.g. ``(S//REL TO USA) Check the pump``."""
        ...


class _NoHints:
    def is_banner(self, line: str) -> bool:
        return False

    def starts_portion(self, line: str) -> bool:
        return False


NO_HINTS: LineHints = _NoHints()


@dataclass(slots=True)
class Line:
    """One line of text with what the layout says about it."""

    text: str  # stripped, never empty
    page: int | None = None
    gap: bool = False  # a paragraph break comes before it: blank line, vertical space, new column
    indent: float = 0.0  # left offset, in the format's unit; only compared within one list
    heading: int = 0  # heading level the layout gives (font size, setext underline); 0 = none


_WS = re.compile(r"\s+")
_BROKEN_WORD = re.compile(r"(\S)-\n(\S)")
_BULLET = re.compile(r"[•●○◦▪▫■□‣⁃∙·➢►▶✓❖*–—\uf0b7\uf0a7\uf076\uf0d8\uf0fc-]\s+(?=\S)")  # \uf0..: Symbol font
_STEP = re.compile(
    r"(?:\d{1,3}[.)]|\(\d{1,3}\)|[a-z][.)]|\([a-z]\)|[A-Z]\)"
    r"|(?:Step|STEP|Étape|ÉTAPE|Schritt|Passo|Paso)\s+\d{1,3}\s*[:.)–-]?)\s+(?=\S)"
)
_NUMBERED = re.compile(r"(\d{1,2}(?:\.\d{1,3}){0,5})\.?\s+(?=[^\W\d_])")
_KEYWORD = re.compile(
    r"(?i:section|chapter|part|appendix|annexe?|chapitre|kapitel|abschnitt|capitolo|sezione|allegato)"
    r"\s+(\d{1,3}(?:\.\d{1,3})*|[A-Z]|[IVXLC]{1,6})(?:$|\s*[-–—:.]\s*|\s+(?=[^\W\d_]))"
)
_PORTION = re.compile(r"\([^()]{1,80}\)\s*")
_LEADERS = re.compile(r"\.{4,}|(?:\. ){3,}|…{2,}")
_WORD3 = re.compile(r"[^\W\d_]{3,}")
_ADMONITIONS = frozenset(
    {
        "WARNING",
        "CAUTION",
        "NOTE",
        "DANGER",
        "ATTENTION",
        "AVERTISSEMENT",
        "REMARQUE",
        "PRUDENCE",
        "ACHTUNG",
        "WARNUNG",
        "HINWEIS",
        "VORSICHT",
        "AVVERTENZA",
        "ATTENZIONE",
        "NOTA",
        "PELIGRO",
        "ADVERTENCIA",
    }
)


def join_lines(parts: Iterable[str], *, dehyphenate: bool = True) -> str:
    """One paragraph from its lines: ``hydrau-``/``lic`` becomes ``hydraulic``, whitespace one space."""
    text = "\n".join(parts)
    if dehyphenate and "-\n" in text:
        text = _BROKEN_WORD.sub(_mend, text)
    return _WS.sub(" ", text).strip()


def _mend(match: re.Match[str]) -> str:
    before, after = match.group(1), match.group(2)
    return before + after if before.isalpha() and after.islower() else f"{before}-{after}"


def heading_level(text: str) -> int:
    """The level of a line that reads as a heading ("3.2 Hydraulic pump" -> 2, "SECTION 4 - X" -> 1,
    a short all-caps line -> 1), else 0. A line with "//" (a banner, a URL) is never one."""
    if len(text) > 100 or text[-1] in ".,;:" or len(text.split()) > 14 or _LEADERS.search(text) or "//" in text:
        return 0
    if match := _KEYWORD.match(text):
        number = match.group(1)
        return number.count(".") + 1 if number[0].isdigit() else 1
    if (match := _NUMBERED.match(text)) and (text[match.end()].isupper() or "." in match.group(1)):
        return min(match.group(1).count(".") + 1, 9)
    if text.upper() == text != text.lower() and len(text.split()) <= 10 and _WORD3.search(text):
        return 0 if text.rstrip("!:").strip() in _ADMONITIONS else 1
    return 0


def numbered_depth(text: str) -> int:
    """How deep a heading's own number is ("3.2 ..." -> 2), 0 when it has none."""
    match = _NUMBERED.match(text) or _KEYWORD.match(text)
    return match.group(1).count(".") + 1 if match and match.group(1)[0].isdigit() else 0


class LineAssembler:
    """Feeds lines in reading order, groups them into blocks; a block never spans pages."""

    def __init__(self, hints: LineHints, *, dehyphenate: bool = True) -> None:
        self.hints = hints
        self.dehyphenate = dehyphenate
        self.blocks: list[Block] = []
        self._kind: BlockKind | None = None
        self._parts: list[str] = []
        self._page: int | None = None
        self._level = 0
        self._layout_heading = 0  # the layout level of the open heading, to join a wrapped heading
        self._glue = False  # the open block takes the next line even across a gap ("WARNING")
        self._indents: list[float] = []  # left offsets of the open list levels

    def feed(self, line: Line) -> None:
        text = line.text
        if self._kind is not None and line.page != self._page:
            self.flush()
        if self.hints.is_banner(text):
            self.flush()
            self.blocks.append(Block(BlockKind.PARAGRAPH, _WS.sub(" ", text), line.page))
            return
        portion = self.hints.starts_portion(text)
        body = _PORTION.sub("", text, count=1) if portion else text
        if not body:
            body = text
        open_kind = self._kind
        continuing = open_kind is not None and not portion and (not line.gap or self._glue)
        if line.heading:
            if continuing and open_kind is BlockKind.HEADING and self._layout_heading == line.heading:
                self._parts.append(text)
                return
            self._start(BlockKind.HEADING, text, line, numbered_depth(body) or line.heading)
            self._layout_heading = line.heading
            self._indents.clear()
            return
        if match := _BULLET.match(body):
            self._start(BlockKind.ITEM, text if portion else text[match.end() :], line, self._nest(line.indent))
            return
        if _STEP.match(body):
            self._start(BlockKind.STEP, text, line, self._nest(line.indent))
            return
        fresh = not continuing or open_kind is BlockKind.HEADING or self._parts[-1][-1] in ".!?:;"
        if fresh and (level := heading_level(body)):
            self._start(BlockKind.HEADING, text, line, level)
            self._indents.clear()
            return
        if continuing and open_kind is not BlockKind.HEADING:
            self._parts.append(text)
            self._glue = False
            return
        self._start(BlockKind.PARAGRAPH, text, line, 0)
        if line.gap or open_kind not in (BlockKind.STEP, BlockKind.ITEM):
            self._indents.clear()
        self._glue = len(body) < 20 and body.rstrip("!:").strip().upper() in _ADMONITIONS

    def flush(self) -> None:
        if self._kind is not None and self._parts:
            text = join_lines(self._parts, dehyphenate=self.dehyphenate)
            self.blocks.append(Block(self._kind, text, self._page, self._level))
        self._kind, self._parts, self._layout_heading, self._glue = None, [], 0, False

    def finish(self) -> list[Block]:
        self.flush()
        return self.blocks

    def _start(self, kind: BlockKind, text: str, line: Line, level: int) -> None:
        self.flush()
        self._kind, self._parts, self._page, self._level = kind, [text], line.page, level

    def _nest(self, indent: float) -> int:
        stack = self._indents
        while stack and indent < stack[-1] - 0.5:
            stack.pop()
        if not stack or indent > stack[-1] + 0.5:
            stack.append(indent)
        return len(stack) - 1


def assemble(lines: Iterable[Line], hints: LineHints, *, dehyphenate: bool = True) -> list[Block]:
    """Blocks from lines: banners alone, portions and list items start blocks, headings stand alone."""
    assembler = LineAssembler(hints, dehyphenate=dehyphenate)
    for line in lines:
        assembler.feed(line)
    return assembler.finish()


def hinted_blocks(
    text: str, kind: BlockKind, hints: LineHints, *, level: int = 0, prefix: str = "", page: int | None = None
) -> list[Block]:
    """The blocks of one structural element whose text may hold line breaks (``<br>``, soft breaks):
    a banner line becomes its own PARAGRAPH, a portion line starts a new PARAGRAPH; the first other
    piece keeps ``kind``, ``level`` and ``prefix`` (a step's number). Whitespace is normalised."""
    groups: list[tuple[bool, list[str]]] = []  # (is banner, lines)
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if hints.is_banner(line):
            groups.append((True, [line]))
        elif not groups or groups[-1][0] or hints.starts_portion(line):
            groups.append((False, [line]))
        else:
            groups[-1][1].append(line)
    blocks: list[Block] = []
    first = True
    for banner, parts in groups:
        joined = join_lines(parts, dehyphenate=False)
        if banner:
            blocks.append(Block(BlockKind.PARAGRAPH, joined, page))
        elif first:
            blocks.append(Block(kind, prefix + joined, page, level))
            first = False
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, joined, page))
    return blocks
