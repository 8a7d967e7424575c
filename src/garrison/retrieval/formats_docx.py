"""DOCX -> blocks, through python-docx: the body in document order (paragraphs and tables
interleaved), headings from styles or outline levels, steps and bullets from list numbering, and
the first section's page header first (classification banners often live there)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import docx
from docx.oxml.ns import qn

from garrison.core.documents import Block, BlockKind, DocumentError, Extracted
from garrison.retrieval.formats_docx_lists import Numbering
from garrison.retrieval.lines import LineHints, hinted_blocks, join_lines

MAX_UNCOMPRESSED = 256 * 1024 * 1024

_P, _TBL, _SDT, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:tr"), qn("w:tc")
_SDT_CONTENT, _VAL = qn("w:sdtContent"), qn("w:val")
_HEADING_NAME = re.compile(r"(?i)heading\s*([1-9])")
# A paragraph's runs, tracked insertions and links included (deletions are w:delText: left out).
_RUNS = (
    "./w:r | ./*[self::w:ins or self::w:hyperlink or self::w:smartTag or self::w:fldSimple or self::w:customXml]/w:r"
    " | ./w:sdt/w:sdtContent/w:r | ./w:ins/w:hyperlink/w:r | ./w:hyperlink/w:ins/w:r"
)
_SIGNATURES = ((b"%PDF-", "a PDF"), (b"\xd0\xcf\x11\xe0", "an old Word .doc or a password-protected file"))


@dataclass(frozen=True, slots=True)
class _Style:
    name: str
    heading: int  # 0 = not a heading
    num: tuple[str, int] | None  # (numId, ilvl) the style's own list numbering


def extract_docx(data: bytes, hints: LineHints) -> Extracted:
    _check_package(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx, lxml and zipfile each raise their own
        raise DocumentError(f"broken DOCX: {exc}") from None
    reader = _Reader(document, hints)
    blocks = reader.header() + reader.body()
    if not blocks:
        raise DocumentError("no text found (a scanned document needs OCR, which Garrison does not do)")
    title = (document.core_properties.title or "").strip() or reader.first_heading
    return Extracted(format="docx", blocks=blocks, title=title or None, pages=None)


def _check_package(data: bytes) -> None:
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise DocumentError(f"not a DOCX: the file is {what}; save it as .docx (without a password)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise DocumentError("not a DOCX: the file is not a zip archive") from None
    if not any(e.filename == "word/document.xml" for e in entries):
        raise DocumentError("not a DOCX: the zip archive has no word/document.xml")
    if sum(e.file_size for e in entries) > MAX_UNCOMPRESSED:
        raise DocumentError(f"DOCX too large: it unpacks to more than {MAX_UNCOMPRESSED // 2**20} MiB")


class _Reader:
    def __init__(self, document: Any, hints: LineHints) -> None:
        self.document = document
        self.hints = hints
        self.first_heading: str | None = None
        self.styles = _styles(document)
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            numbering = None
        self.numbering = Numbering(numbering)

    def header(self) -> list[Block]:
        """The first section's header paragraphs (and its first-page header when it differs)."""
        if not self.document.sections:
            return []
        section = self.document.sections[0]
        parts = []
        if section.different_first_page_header_footer and not section.first_page_header.is_linked_to_previous:
            parts.append(section.first_page_header)
        if not section.header.is_linked_to_previous:
            parts.append(section.header)
        blocks: list[Block] = []
        seen: set[str] = set()
        for part in parts:
            for p in part._element.iter(_P):
                for block in hinted_blocks(_text(p), BlockKind.PARAGRAPH, self.hints):
                    if block.text not in seen:
                        seen.add(block.text)
                        blocks.append(block)
        return blocks

    def body(self) -> list[Block]:
        blocks: list[Block] = []
        for element in _children(self.document.element.body):
            if element.tag == _P:
                blocks.extend(self._paragraph(element))
            else:
                table = _table(element)
                if table:
                    blocks.append(Block(BlockKind.TABLE, table))
        return blocks

    def _paragraph(self, p: Any) -> list[Block]:
        text = _text(p)
        if not text.strip():
            return []
        ppr = p.pPr
        style = self.styles.get(str(p.style)) if p.style is not None else self.styles.get("")
        heading = style.heading if style else 0
        outline = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
        if outline is not None and (level := _int(outline.get(_VAL), 9)) < 9:
            heading = level + 1
        if heading:
            blocks = hinted_blocks(text, BlockKind.HEADING, self.hints, level=heading)
            if self.first_heading is None:
                self.first_heading = next((b.text for b in blocks if b.kind is BlockKind.HEADING), None)
            return blocks
        num = _num(ppr) if ppr is not None else None
        if num is None and style is not None:
            num = style.num
        name = style.name.lower() if style else ""
        if num is not None and num[0] != "0":
            depth = max(num[1], _trailing_level(name))
            lvl = self.numbering.level(*num)
            if lvl is not None and lvl.bullet:
                return hinted_blocks(text, BlockKind.ITEM, self.hints, level=depth)
            if lvl is not None and lvl.numbered:
                label = self.numbering.label(*num)
                return hinted_blocks(text, BlockKind.STEP, self.hints, level=depth, prefix=f"{label} ")
        if name.startswith("list bullet"):
            return hinted_blocks(text, BlockKind.ITEM, self.hints, level=_trailing_level(name))
        if name.startswith("list number"):
            return hinted_blocks(text, BlockKind.STEP, self.hints, level=_trailing_level(name))
        return hinted_blocks(text, BlockKind.PARAGRAPH, self.hints)


def _children(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables in document order, looking inside content controls."""
    for child in parent.iterchildren():
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content)


def _table(tbl: Any) -> str:
    """One line per row, cells joined with " | "; a nested table is read as its cell's text."""
    rows = []
    for tr in tbl.iterchildren(_TR):
        cells = [join_lines((_text(p) for p in tc.iter(_P)), dehyphenate=False) for tc in tr.iterchildren(_TC)]
        if any(cells):
            rows.append(" | ".join(cells))
    return "\n".join(rows)


def _text(p: Any) -> str:
    return "".join(str(run.text) for run in p.xpath(_RUNS))


def _num(ppr: Any) -> tuple[str, int] | None:
    numpr = ppr.find(qn("w:numPr"))
    if numpr is None:
        return None
    num_id = numpr.find(qn("w:numId"))
    ilvl = numpr.find(qn("w:ilvl"))
    if num_id is None:
        return None
    return str(num_id.get(_VAL)), _int(ilvl.get(_VAL) if ilvl is not None else None, 0)


def _int(value: object, default: int) -> int:
    return int(value) if isinstance(value, str) and value.isdigit() else default


def _trailing_level(name: str) -> int:
    last = name.rsplit(" ", 1)[-1]
    return int(last) - 1 if last.isdigit() and 1 < int(last) < 10 else 0


def _styles(document: Any) -> dict[str, _Style]:
    """Paragraph styles by id ("" = the default style), with heading level and list numbering,
    following ``basedOn`` for what a style inherits."""
    elements = {
        str(s.get(qn("w:styleId"))): s
        for s in document.styles.element.iterchildren(qn("w:style"))
        if s.get(qn("w:type")) in (None, "paragraph")
    }
    resolved: dict[str, _Style] = {}

    def resolve(style_id: str, depth: int = 0) -> _Style:
        if style_id in resolved:
            return resolved[style_id]
        element = elements[style_id]
        name_node = element.find(qn("w:name"))
        name = str(name_node.get(_VAL)) if name_node is not None else style_id
        base_node = element.find(qn("w:basedOn"))
        base_id = str(base_node.get(_VAL)) if base_node is not None else None
        base = resolve(base_id, depth + 1) if base_id in elements and depth < 20 and base_id else None
        ppr = element.find(qn("w:pPr"))
        outline = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
        match = _HEADING_NAME.fullmatch(name.strip())
        if match:
            heading = int(match.group(1))
        elif name.strip().lower() == "title":
            heading = 1
        elif outline is not None and _int(outline.get(_VAL), 9) < 9:
            heading = _int(outline.get(_VAL), 0) + 1
        else:
            heading = base.heading if base and not name.lower().startswith(("list", "toc", "caption")) else 0
        num = (_num(ppr) if ppr is not None else None) or (base.num if base else None)
        resolved[style_id] = _Style(name, heading, num)
        return resolved[style_id]

    for style_id in elements:
        resolve(style_id)
    default = next((k for k, s in elements.items() if s.get(qn("w:default")) in ("1", "true")), None)
    if default is not None:
        resolved[""] = resolved[default]
    return resolved
