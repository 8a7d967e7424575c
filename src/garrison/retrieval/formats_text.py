"""Plain text -> blocks, and the decoding every text format (text, Markdown, HTML) shares: UTF-8
with or without a byte-order mark, UTF-16 with one; nothing else is guessed."""

from __future__ import annotations

import codecs
import re

from garrison.core.documents import BlockKind, DocumentError, Extracted
from garrison.retrieval.lines import Line, LineHints, assemble

_SAVE_AS_UTF8 = "save it as UTF-8 and ingest it again"
_SIGNATURES = (
    (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a zip archive (DOCX?)"),
    (b"\xd0\xcf\x11\xe0", "an old Office file"),
)
_SETEXT = re.compile(r"(=+|-+)\s*")


def decode_text(data: bytes, label: str) -> str:
    """The text of a text-format file, or a DocumentError saying what to do about it."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise DocumentError(f"{label} is UTF-32: {_SAVE_AS_UTF8}")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DocumentError(f"{label} is not valid UTF-16 (byte {exc.start}): {_SAVE_AS_UTF8}") from None
    else:
        for signature, what in _SIGNATURES:
            if data.startswith(signature):
                raise DocumentError(f"not {label}: the file is {what}; give it the right extension")
        if b"\x00" in data:
            raise DocumentError(f"not {label}: the file contains NUL bytes (binary, or UTF-16 without a BOM)")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DocumentError(f"{label} is not UTF-8 (invalid byte at {exc.start}): {_SAVE_AS_UTF8}") from None
    if "\x00" in text:
        raise DocumentError(f"not {label}: the file contains NUL characters")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def extract_text(data: bytes, hints: LineHints) -> Extracted:
    text = decode_text(data, "plain text")
    pages = text.split("\f")
    while len(pages) > 1 and not pages[-1].strip():
        pages.pop()  # a form feed that ends the file does not open a page
    paged = len(pages) > 1
    lines: list[Line] = []
    for number, page in enumerate(pages, start=1):
        lines.extend(_page_lines(page, number if paged else None))
    blocks = assemble(lines, hints)
    if not blocks:
        raise DocumentError("no text found: the file is empty")
    heading = next((b.text for b in blocks if b.kind is BlockKind.HEADING), None)
    title = heading or next((b.text for b in blocks if not hints.is_banner(b.text)), None)
    return Extracted(
        format="text", blocks=blocks, title=title[:200] if title else None, pages=len(pages) if paged else None
    )


def _page_lines(page: str, number: int | None) -> list[Line]:
    raw = page.expandtabs(4).split("\n")
    out: list[Line] = []
    gap = True
    for i, line in enumerate(raw):
        stripped = line.strip()
        if not stripped:
            gap = True
            continue
        if _SETEXT.fullmatch(stripped) and len(stripped) >= 3:
            if out and not gap and i > 0 and raw[i - 1].strip() == out[-1].text and len(out[-1].text) <= 100:
                out[-1].heading = 1 if stripped[0] == "=" else 2
                gap = True
                continue
            gap = True  # a rule on its own: a thematic break
            continue
        out.append(Line(stripped, number, gap, float(len(line) - len(line.lstrip()))))
        gap = False
    return out
