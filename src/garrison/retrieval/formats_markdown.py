"""Markdown -> blocks, through markdown-it (CommonMark with tables): headings, paragraphs, ordered
items as steps with their number, bullets as items, tables, code; raw HTML blocks go through the
HTML reader. Soft and hard line breaks are where line hints apply."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from garrison.core.documents import Block, BlockKind, DocumentError, Extracted
from garrison.retrieval.formats_html import html_blocks
from garrison.retrieval.formats_text import decode_text
from garrison.retrieval.lines import LineHints, hinted_blocks, join_lines


@dataclass(slots=True)
class _List:
    ordered: bool
    next: int
    delimiter: str


@dataclass(slots=True)
class _Item:
    kind: BlockKind
    level: int
    prefix: str


def extract_markdown(data: bytes, hints: LineHints) -> Extracted:
    text = decode_text(data, "Markdown")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    blocks = _blocks(tokens, hints)
    if not blocks:
        raise DocumentError("no text found: the file is empty")
    title = next((b.text for b in blocks if b.kind is BlockKind.HEADING), None)
    return Extracted(format="markdown", blocks=blocks, title=title, pages=None)


def _inline(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline", "image"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or _is_br(child):
            parts.append("\n")
    return "".join(parts)


def _is_br(token: Token) -> bool:
    return token.type == "html_inline" and token.content.lower().startswith("<br")


def _blocks(tokens: list[Token], hints: LineHints) -> list[Block]:
    blocks: list[Block] = []
    lists: list[_List] = []
    items: list[_Item] = []
    heading = 0
    rows: list[list[str]] | None = None
    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            heading = int(token.tag[1:])
        elif kind == "heading_close":
            heading = 0
        elif kind in ("ordered_list_open", "bullet_list_open"):
            start = token.attrs.get("start", 1)
            first = int(start) if isinstance(start, int | str) else 1
            lists.append(_List(kind == "ordered_list_open", first, token.markup or "."))
        elif kind in ("ordered_list_close", "bullet_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            owner = lists[-1] if lists else _List(False, 1, "-")
            if owner.ordered:
                items.append(_Item(BlockKind.STEP, len(lists) - 1, f"{owner.next}{owner.delimiter} "))
                owner.next += 1
            else:
                items.append(_Item(BlockKind.ITEM, max(len(lists) - 1, 0), ""))
        elif kind == "list_item_close":
            items.pop()
        elif kind == "table_open":
            rows = []
        elif kind == "tr_open" and rows is not None:
            rows.append([])
        elif kind == "table_close" and rows is not None:
            lines = [" | ".join(row) for row in rows if any(row)]
            if lines:
                blocks.append(Block(BlockKind.TABLE, "\n".join(lines)))
            rows = None
        elif kind == "inline" and rows is not None:
            if rows:
                rows[-1].append(join_lines([_inline(token)], dehyphenate=False))
        elif kind == "inline":
            blocks.extend(_text_block(_inline(token), heading, items, hints))
        elif kind in ("fence", "code_block"):
            code = token.content.rstrip()
            if code.strip():
                blocks.append(Block(BlockKind.CODE, code))
        elif kind == "html_block":
            blocks.extend(html_blocks(token.content, hints)[0])
    return blocks


def _text_block(text: str, heading: int, items: list[_Item], hints: LineHints) -> list[Block]:
    if heading:
        return hinted_blocks(text, BlockKind.HEADING, hints, level=heading)
    if not items:
        return hinted_blocks(text, BlockKind.PARAGRAPH, hints)
    item = items[-1]
    blocks = hinted_blocks(text, item.kind, hints, level=item.level, prefix=item.prefix)
    item.kind, item.prefix = BlockKind.PARAGRAPH, ""  # a second paragraph of the item continues it
    return blocks
