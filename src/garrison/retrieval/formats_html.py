"""HTML -> blocks, with the standard library's tokenizer: headings, paragraphs, list items (``ol``
items numbered as drawn), tables, preformatted code; scripts, styles, navigation and the head
(except its title) are skipped. ``<br>`` and source line breaks are where line hints apply."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from garrison.core.documents import Block, BlockKind, DocumentError, Extracted
from garrison.retrieval.formats_docx_lists import render
from garrison.retrieval.formats_text import decode_text
from garrison.retrieval.lines import LineHints, hinted_blocks, join_lines

_ANY_TAG = re.compile(r"<(?:!doctype\s|[a-z][a-z0-9-]*(?:\s[^<>]*)?/?>)", re.IGNORECASE)
_SKIP = frozenset(
    ("script", "style", "template", "svg", "math", "nav", "noscript", "iframe", "object", "head", "select", "canvas")
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "header",
        "hgroup",
        "html",
        "legend",
        "main",
        "p",
        "section",
        "summary",
    }
)
_CLOSES_P = _BLOCKS | {"ul", "ol", "menu", "table", "pre", "hr", *_HEADINGS}
_LIST_FORMATS = {"a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}


@dataclass(slots=True)
class _Open:
    tag: str
    kind: BlockKind = BlockKind.PARAGRAPH
    level: int = 0
    prefix: str = ""  # an ol item's number, drawn before its first block only
    ordered: bool = False  # for ol: numbering state
    next: int = 1
    fmt: str = "decimal"


@dataclass(slots=True)
class _Table:
    rows: list[list[str]] = field(default_factory=list)
    cell: list[str] | None = None
    depth: int = 1  # nested tables are read as the text of their cell


class _Parser(HTMLParser):
    def __init__(self, hints: LineHints) -> None:
        super().__init__(convert_charrefs=True)
        self.hints = hints
        self.blocks: list[Block] = []
        self.title: list[str] | None = None  # collecting <title>
        self.title_text = ""
        self._buf: list[str] = []
        self._stack: list[_Open] = []
        self._skip: list[str] = []
        self._pre: list[str] | None = None
        self._table: _Table | None = None

    # tokenizer callbacks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and self.title is None and not self.title_text:
            self.title = []
            return
        if self._skip:
            if tag == "body" and self._skip == ["head"]:
                self._skip.clear()
            elif tag in _SKIP:
                self._skip.append(tag)
            return
        if tag in _SKIP:
            self._skip.append(tag)
            return
        if tag == "br":
            self._text("\n")
            return
        if tag == "hr" and self._pre is None and self._table is None:
            self._flush()
            return
        if self._pre is not None:
            return
        if self._table is not None and self._in_table(tag):
            return
        if tag == "pre":
            self._flush()
            self._pre = []
            return
        if tag == "table":
            self._flush()
            self._table = _Table()
            return
        if tag in _CLOSES_P and self._stack and self._stack[-1].tag == "p":
            self._close("p")
        if tag == "li":
            self._li(dict(attrs))
        elif tag in ("ul", "ol", "menu"):
            self._flush()
            values = dict(attrs)
            fmt = _LIST_FORMATS.get(values.get("type") or "", "decimal")
            self._stack.append(_Open(tag, ordered=tag == "ol", next=_int(values.get("start"), 1), fmt=fmt))
        elif tag in _HEADINGS:
            self._flush()
            self._stack.append(_Open(tag, BlockKind.HEADING, _HEADINGS[tag]))
        elif tag in _BLOCKS:
            self._flush()
            self._stack.append(_Open(tag))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.title is not None:
            self.title_text = join_lines(self.title, dehyphenate=False)
            self.title = None
            return
        if self._skip:
            if tag in self._skip:
                del self._skip[len(self._skip) - 1 - self._skip[::-1].index(tag) :]
            return
        if self._pre is not None:
            if tag == "pre":
                code = "".join(self._pre).removeprefix("\n").rstrip()
                self._pre = None
                if code.strip():
                    self.blocks.append(Block(BlockKind.CODE, code))
            return
        if self._table is not None:
            self._end_in_table(tag)
            return
        if any(o.tag == tag for o in self._stack):
            self._close(tag)

    def handle_data(self, data: str) -> None:
        if self.title is not None:
            self.title.append(data)
        elif not self._skip:
            self._text(data)

    def close(self) -> None:
        super().close()
        if self._table is not None:
            self._end_in_table("table", force=True)
        if self._pre is not None:
            self.handle_endtag("pre")
        self._flush()

    # structure

    def _text(self, data: str) -> None:
        if self._pre is not None:
            self._pre.append(data)
        elif self._table is not None:
            if self._table.cell is not None:
                self._table.cell.append(data)
        else:
            self._buf.append(data)

    def _li(self, attrs: dict[str, str | None]) -> None:
        lists = [i for i, o in enumerate(self._stack) if o.tag in ("ul", "ol", "menu")]
        owner = self._stack[lists[-1]] if lists else None
        open_li = [i for i, o in enumerate(self._stack) if o.tag == "li"]
        if open_li and (not lists or open_li[-1] > lists[-1]):
            self._close("li")  # an <li> without its </li>
        self._flush()
        level = max(len(lists) - 1, 0)
        if owner is not None and owner.ordered:
            number = _int(attrs.get("value"), owner.next)
            owner.next = number + 1
            self._stack.append(_Open("li", BlockKind.STEP, level, f"{render(owner.fmt, number)}. "))
        else:
            self._stack.append(_Open("li", BlockKind.ITEM, level))

    def _close(self, tag: str) -> None:
        self._flush()
        while self._stack:
            if self._stack.pop().tag == tag:
                return

    def _flush(self) -> None:
        text = "".join(self._buf)
        self._buf.clear()
        if not text.strip():
            return
        owner = next((o for o in reversed(self._stack) if o.tag == "li" or o.kind is BlockKind.HEADING), None)
        if owner is None:
            self.blocks.extend(hinted_blocks(text, BlockKind.PARAGRAPH, self.hints))
            return
        self.blocks.extend(hinted_blocks(text, owner.kind, self.hints, level=owner.level, prefix=owner.prefix))
        if owner.tag == "li":  # a second paragraph of the same item continues it as a paragraph
            owner.kind, owner.prefix = BlockKind.PARAGRAPH, ""

    def _in_table(self, tag: str) -> bool:
        """Start tags inside a table; False hands the tag back (none do: tables hold their text)."""
        table = self._table
        assert table is not None
        if tag == "table":
            table.depth += 1
        if table.depth > 1:
            if tag in ("td", "th", "tr", "p", "div", "li") and table.cell is not None:
                table.cell.append(" ")
            return True
        if tag == "tr":
            self._end_in_table("tr")
            table.rows.append([])
        elif tag in ("td", "th"):
            self._end_in_table("td")
            if not table.rows:
                table.rows.append([])
            table.cell = []
        elif tag == "caption":
            table.cell = []
        elif table.cell is not None and tag in ("p", "div", "li"):
            table.cell.append(" ")
        return True

    def _end_in_table(self, tag: str, *, force: bool = False) -> None:
        table = self._table
        assert table is not None
        if tag == "table" and table.depth > 1 and not force:
            table.depth -= 1
            return
        if table.depth > 1 and not force:
            return
        if tag in ("td", "th", "tr", "table") and table.cell is not None and table.rows:
            table.rows[-1].append(join_lines(table.cell, dehyphenate=False))
            table.cell = None
        if tag == "caption" and table.cell is not None:
            caption = join_lines(table.cell, dehyphenate=False)
            table.cell = None
            if caption:
                self.blocks.append(Block(BlockKind.PARAGRAPH, caption))
        if tag == "table":
            rows = [" | ".join(row) for row in table.rows if any(row)]
            self._table = None
            if rows:
                self.blocks.append(Block(BlockKind.TABLE, "\n".join(rows)))


def _int(value: str | None, default: int) -> int:
    value = (value or "").strip()
    return int(value) if value.lstrip("-").isdigit() else default


def html_blocks(text: str, hints: LineHints) -> tuple[list[Block], str]:
    """The blocks of an HTML text, and its <title> ("" when none)."""
    parser = _Parser(hints)
    parser.feed(text)
    parser.close()
    return parser.blocks, parser.title_text


def extract_html(data: bytes, hints: LineHints) -> Extracted:
    text = decode_text(data, "HTML")
    if not _ANY_TAG.search(text):
        raise DocumentError("not HTML: no HTML tag found (plain text? give it a .txt extension)")
    blocks, title = html_blocks(text, hints)
    if not blocks:
        raise DocumentError("no text found: the HTML has no visible text")
    if not title:
        title = next((b.text for b in blocks if b.kind is BlockKind.HEADING and b.level == 1), "")
    return Extracted(format="html", blocks=blocks, title=title or None, pages=None)
