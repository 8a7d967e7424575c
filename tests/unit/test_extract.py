"""Extraction: real files of every format, built in the test, read back into structural blocks;
and every way a file can be refused."""

from __future__ import annotations

import codecs
import importlib.util
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import docx
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from docx.oxml import parse_xml

from garrison.core.documents import Block, BlockKind, DocumentError, Extracted
from garrison.retrieval import extract as extract_module
from garrison.retrieval import formats_docx
from garrison.retrieval.extract import NO_HINTS, LineHints, extract
from garrison.retrieval.formats_docx_lists import Numbering
from garrison.retrieval.lines import heading_level, join_lines

ROOT = Path(__file__).resolve().parents[2]
BANNER = "SECRET//REL TO USA, GBR"
H, P, S, T, C = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.STEP, BlockKind.TABLE, BlockKind.CODE
IT = BlockKind.ITEM


def _load_minipdf() -> ModuleType:
    spec = importlib.util.spec_from_file_location("minipdf", ROOT / "scripts" / "minipdf.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


minipdf = _load_minipdf()
write_pdf: Callable[..., bytes] = minipdf.write_pdf


class FakeHints:
    """Lines equal to the banner are banners; "(S..." and "(U)" open portions."""

    def is_banner(self, line: str) -> bool:
        return line == BANNER

    def starts_portion(self, line: str) -> bool:
        return line.startswith(("(S//", "(S)", "(U)"))


HINTS: LineHints = FakeHints()


def kinds(result: Extracted) -> list[tuple[BlockKind, str]]:
    return [(b.kind, b.text) for b in result.blocks]


def find(result: Extracted, text: str) -> Block:
    return next(b for b in result.blocks if b.text == text)


def refused(data: bytes, filename: str) -> str:
    with pytest.raises(DocumentError) as info:
        extract(data, filename)
    return info.value.message


# PDF

MANUAL = [
    [
        BANNER,
        "# SECTION 4 - TROUBLESHOOTING",
        "# 4.2 Hydraulic pump",
        "",
        "The hydraulic pump delivers 2,000 psi to the actuators. Check the hydrau-",
        "lic lines for leaks before every flight.",
        "(S//REL TO USA) The relief valve setting is held here and this sentence",
        "wraps onto a second line.",
        "(U) An unclassified remark.",
        "",
        "1. Remove the access cover",
        "2. Check the pump inlet filter P/N 66-1234",
        "• Wear protective gloves",
        "  - Nitrile only",
        "",
        "SAFETY PRECAUTIONS",
        "Depressurize the system first.",
        BANNER,
    ],
    [BANNER, "Voir la procédure : déposer le filtre, Überprüfung der Dichtung, perché è già pronto.", "7", BANNER],
]


def test_pdf_blocks_headings_steps_items_and_pages() -> None:
    result = extract(write_pdf(MANUAL), "manual.pdf", hints=HINTS)
    assert result.format == "pdf"
    assert result.pages == 2
    assert kinds(result) == [
        (P, BANNER),
        (H, "SECTION 4 - TROUBLESHOOTING"),
        (H, "4.2 Hydraulic pump"),
        (
            P,
            "The hydraulic pump delivers 2,000 psi to the actuators. Check the hydraulic lines for leaks before every "
            "flight.",
        ),
        (P, "(S//REL TO USA) The relief valve setting is held here and this sentence wraps onto a second line."),
        (P, "(U) An unclassified remark."),
        (S, "1. Remove the access cover"),
        (S, "2. Check the pump inlet filter P/N 66-1234"),
        (IT, "Wear protective gloves"),
        (IT, "Nitrile only"),
        (H, "SAFETY PRECAUTIONS"),
        (P, "Depressurize the system first."),
        (P, BANNER),
        (P, BANNER),
        (P, "Voir la procédure : déposer le filtre, Überprüfung der Dichtung, perché è già pronto."),
        (P, BANNER),
    ]
    assert [b.level for b in result.blocks[1:3]] == [1, 2]
    assert find(result, "Nitrile only").level == 1 and find(result, "Wear protective gloves").level == 0
    assert [b.page for b in result.blocks if b.text == BANNER] == [1, 1, 2, 2]
    assert find(result, "Depressurize the system first.").page == 1
    assert result.blocks[-2].page == 2  # and the bare page number "7" is gone


def test_pdf_accents_round_trip_through_winansi() -> None:
    text = "Sécurité : contrôler la pompe à 2,000 psi; Größe prüfen; perché così; Ørsted – 5 °C"
    result = extract(write_pdf([[text]]), "accents.pdf")
    assert result.blocks[0].text == text


def test_pdf_dehyphenates_only_a_broken_word() -> None:
    lines = ["The hydrau-", "lic pump is made by Hydraulik-", "Werke and has P/N 66-", "1234."]
    result = extract(write_pdf([lines]), "hyphen.pdf")
    assert result.blocks[0].text == "The hydraulic pump is made by Hydraulik-Werke and has P/N 66-1234."


def test_pdf_title_from_metadata_else_first_heading() -> None:
    assert extract(write_pdf(MANUAL, title="Pump Manual, rév. 3"), "m.pdf").title == "Pump Manual, rév. 3"
    assert extract(write_pdf(MANUAL), "m.pdf", hints=HINTS).title == "SECTION 4 - TROUBLESHOOTING"


def test_pdf_banner_glued_to_text_is_split_out() -> None:
    pages = [["Intro paragraph line one", BANNER, "continues here after the banner."]]
    with_hints = extract(write_pdf(pages), "g.pdf", hints=HINTS)
    assert kinds(with_hints) == [(P, "Intro paragraph line one"), (P, BANNER), (P, "continues here after the banner.")]
    without = extract(write_pdf(pages), "g.pdf", hints=NO_HINTS)
    assert BANNER in without.blocks[0].text  # no hints: nothing special about the line


def test_pdf_paragraph_never_spans_pages() -> None:
    result = extract(write_pdf([["A sentence that stops at the page end and"], ["goes on here."]]), "s.pdf")
    assert [(b.text, b.page) for b in result.blocks] == [
        ("A sentence that stops at the page end and", 1),
        ("goes on here.", 2),
    ]


def test_pdf_header_may_follow_junk_within_1024_bytes() -> None:
    result = extract(b"junk before the header\n" + write_pdf([["Hello PDF"]]), "junk.pdf")
    assert result.blocks[0].text == "Hello PDF"


def test_encrypted_pdf_is_refused_by_pdfium_and_by_extract() -> None:
    data = write_pdf([["Top secret pump data"]], user_password="s3cret")
    with pytest.raises(pdfium.PdfiumError) as info:
        pdfium.PdfDocument(data)
    assert info.value.err_code == pdfium.raw.FPDF_ERR_PASSWORD
    opened = pdfium.PdfDocument(data, password="s3cret")  # the RC4 key schedule is right
    try:
        page = opened[0]
        textpage = page.get_textpage()
        assert textpage.get_text_range() == "Top secret pump data"
        textpage.close()
        page.close()
    finally:
        opened.close()
    assert refused(data, "locked.pdf") == "encrypted PDF: remove the password and ingest it again"


def test_encrypted_pdf_keeps_its_encrypted_title() -> None:
    data = write_pdf([["Body"]], title="Titre chiffré", user_password="pw")
    opened = pdfium.PdfDocument(data, password="pw")
    try:
        assert opened.get_metadata_value("Title") == "Titre chiffré"
    finally:
        opened.close()


def test_truncated_pdf_is_broken() -> None:
    data = write_pdf(MANUAL)
    assert refused(data[: len(data) // 2], "cut.pdf").startswith("broken PDF: ")


def test_pdf_without_text_needs_ocr() -> None:
    message = refused(write_pdf([[], []]), "scan.pdf")
    assert message == "no text found (a scanned document needs OCR, which Garrison does not do)"


def test_minipdf_xref_points_at_every_object_and_pages_overflow() -> None:
    data = write_pdf([[f"line {n}" for n in range(80)]], title="T")
    start = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert data[start:].startswith(b"xref\n0 ")
    rows = data[start:].split(b"\n")[3:]
    offsets = [int(row[:10]) for row in rows if row.endswith(b" n ")]
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(b"%d 0 obj" % number)
    result = extract(data, "long.pdf")
    assert result.pages == 2  # 80 lines do not fit one A4 page
    assert result.blocks[-1].page == 2 and "line 79" in result.blocks[-1].text


def test_minipdf_cli_splits_pages(tmp_path: Path) -> None:
    source = tmp_path / "demo.txt"
    source.write_text("# Titre\nPremière page.\n\f\nSecond page.\n<<<PAGE>>>\nThird page.\n", encoding="utf-8")
    out = tmp_path / "demo.pdf"
    assert minipdf.main([str(source), str(out), "--title", "Démo"]) == 0
    result = extract(out.read_bytes(), "demo.pdf")
    assert result.pages == 3 and result.title == "Démo"
    assert [(b.kind, b.text, b.page) for b in result.blocks] == [
        (H, "Titre", 1),
        (P, "Première page.", 1),
        (P, "Second page.", 2),
        (P, "Third page.", 3),
    ]


# DOCX


def _docx(title: str = "") -> bytes:
    document = docx.Document()
    document.core_properties.title = title
    document.sections[0].header.paragraphs[0].text = BANNER
    document.add_heading("Pump Maintenance Manual", 0)
    document.add_heading("Hydraulic pump", 1)
    intro = document.add_paragraph("The pump delivers 2,000 psi.")
    intro.add_run().add_break()
    intro.add_run(BANNER)
    document.add_heading("Removal", 2)
    document.add_paragraph("Remove the access cover", style="List Number")
    document.add_paragraph("Check the pump inlet filter P/N 66-1234", style="List Number")
    document.add_paragraph("Wear gloves", style="List Bullet")
    document.add_paragraph("Nitrile only", style="List Bullet 2")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Part", "P/N", "Qty"], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["Filter", "66-1234", "1"], strict=True):
        cell.text = text
    document.add_paragraph("(U) Après le tableau, vérifier l'étanchéité.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_body_in_order_with_header_banner_first() -> None:
    result = extract(_docx(), "manual.docx", hints=HINTS)
    assert result.format == "docx" and result.pages is None
    assert kinds(result) == [
        (P, BANNER),
        (H, "Pump Maintenance Manual"),
        (H, "Hydraulic pump"),
        (P, "The pump delivers 2,000 psi."),
        (P, BANNER),
        (H, "Removal"),
        (S, "1. Remove the access cover"),
        (S, "2. Check the pump inlet filter P/N 66-1234"),
        (IT, "Wear gloves"),
        (IT, "Nitrile only"),
        (T, "Part | P/N | Qty\nFilter | 66-1234 | 1"),
        (P, "(U) Après le tableau, vérifier l'étanchéité."),
    ]
    assert [b.level for b in result.blocks if b.kind is H] == [1, 1, 2]
    assert find(result, "Nitrile only").level == 1
    assert all(b.page is None for b in result.blocks)


def test_docx_reads_tracked_insertions_and_links_but_not_deletions() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Torque to ")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paragraph._p.append(parse_xml(f"<w:del {w}><w:r><w:delText>10 N·m</w:delText></w:r></w:del>"))
    paragraph._p.append(parse_xml(f"<w:ins {w}><w:r><w:t>12 N·m</w:t></w:r></w:ins>"))
    paragraph._p.append(
        parse_xml(f"<w:hyperlink {w}><w:r><w:t xml:space='preserve'> (see AMM)</w:t></w:r></w:hyperlink>")
    )
    buffer = io.BytesIO()
    document.save(buffer)
    assert kinds(extract(buffer.getvalue(), "t.docx")) == [(P, "Torque to 12 N·m (see AMM)")]


def test_docx_title_from_core_properties_else_title_style() -> None:
    assert extract(_docx("Official title"), "m.docx").title == "Official title"
    assert extract(_docx(), "m.docx").title == "Pump Maintenance Manual"


def test_docx_numbering_labels_follow_word_formats() -> None:
    xml = (
        '<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:abstractNum w:abstractNumId="7">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1.%2)"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl>'
        "</w:abstractNum>"
        '<w:num w:numId="3"><w:abstractNumId w:val="7"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>'
        "</w:numbering>"
    )
    numbering = Numbering(parse_xml(xml))
    labels = [numbering.label("3", ilvl) for ilvl in (0, 1, 1, 0, 1)]
    assert labels == ["4.", "4.a)", "4.b)", "5.", "5.a)"]
    bullet = numbering.level("3", 2)
    assert bullet is not None and bullet.bullet and not bullet.numbered
    assert numbering.level("99", 0) is None


def test_docx_that_is_a_plain_zip_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert refused(buffer.getvalue(), "x.docx") == "not a DOCX: the zip archive has no word/document.xml"


def test_docx_that_is_not_a_zip_or_is_a_pdf_is_refused() -> None:
    assert refused(b"Hello world, plain text", "x.docx") == "not a DOCX: the file is not a zip archive"
    assert refused(write_pdf([["x"]]), "x.docx").startswith("not a DOCX: the file is a PDF")
    assert "old Word .doc" in refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "x.docx")


def test_docx_zip_bomb_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    assert formats_docx.MAX_UNCOMPRESSED == 256 * 1024 * 1024
    data = _docx()
    monkeypatch.setattr(formats_docx, "MAX_UNCOMPRESSED", 10_000)  # the sample unpacks to ~40 kB
    assert refused(data, "bomb.docx").startswith("DOCX too large: it unpacks to more than")


def test_docx_broken_document_xml_is_a_document_error() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<not xml")
    assert refused(buffer.getvalue(), "x.docx").startswith("broken DOCX: ")


def test_docx_without_text() -> None:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    assert refused(buffer.getvalue(), "empty.docx").startswith("no text found")


# HTML

PAGE = """<!DOCTYPE html>
<html><head><title>Pump &amp; Valve Guide</title><style>p { color: red }</style>
<script>document.write("<p>not text</p>")</script></head>
<body><nav><a href="/">Home</a> | <a href="/x">Index</a></nav>
<h1>Hydraulic pump</h1>
<p>SECRET//REL TO USA, GBR<br>The pump delivers 2,000&nbsp;psi &mdash; check
the <b>inlet</b> filter.</p>
<h2>Removal</h2>
<ol start="3"><li>Remove the cover<li>Check the filter P/N&nbsp;66-1234</ol>
<ul><li>Gloves<ul><li>Nitrile</li></ul></li></ul>
<table><thead><tr><th>Part</th><th>P/N</th></tr></thead>
<tbody><tr><td>Filter</td><td>66-1234</td></tr></tbody></table>
<pre>
torque = 12  # N·m
  check()
</pre>
<p>Unclosed paragraph<div>Division text</div>
<footer>SECRET//REL TO USA, GBR</footer>
</body></html>"""


def test_html_blocks() -> None:
    result = extract(PAGE.encode(), "guide.HTM", hints=HINTS)
    assert result.format == "html" and result.title == "Pump & Valve Guide"
    assert kinds(result) == [
        (H, "Hydraulic pump"),
        (P, BANNER),
        (P, "The pump delivers 2,000 psi — check the inlet filter."),
        (H, "Removal"),
        (S, "3. Remove the cover"),
        (S, "4. Check the filter P/N 66-1234"),
        (IT, "Gloves"),
        (IT, "Nitrile"),
        (T, "Part | P/N\nFilter | 66-1234"),
        (C, "torque = 12  # N·m\n  check()"),
        (P, "Unclosed paragraph"),
        (P, "Division text"),
        (P, BANNER),
    ]
    assert [b.level for b in result.blocks if b.kind in (H, IT)] == [1, 2, 0, 1]


def test_html_title_falls_back_to_first_h1() -> None:
    result = extract(b"<body><h2>Intro</h2><h1>Real title</h1><p>x</p></body>", "a.html")
    assert result.title == "Real title"


def test_html_without_tags_or_text() -> None:
    assert refused(b"just some words, no markup", "a.html").startswith("not HTML: no HTML tag found")
    assert refused(b"<html><script>x()</script></html>", "a.html").startswith("no text found")


# Markdown

MARKDOWN = """# Pump manual

The pump delivers *2,000 psi* and `P/N 66-1234`.
SECRET//REL TO USA, GBR
(S//REL TO USA) A portion on its own line.

Setext heading
--------------

3. Remove the cover
4. Check the filter
   - Nitrile gloves

| Part | P/N |
|------|-----|
| Filter | 66-1234 |

```sh
pump --check
```
"""


def test_markdown_blocks() -> None:
    result = extract(MARKDOWN.encode(), "m.markdown", hints=HINTS)
    assert result.format == "markdown" and result.title == "Pump manual"
    assert kinds(result) == [
        (H, "Pump manual"),
        (P, "The pump delivers 2,000 psi and P/N 66-1234."),
        (P, BANNER),
        (P, "(S//REL TO USA) A portion on its own line."),
        (H, "Setext heading"),
        (S, "3. Remove the cover"),
        (S, "4. Check the filter"),
        (IT, "Nitrile gloves"),
        (T, "Part | P/N\nFilter | 66-1234"),
        (C, "pump --check"),
    ]
    assert find(result, "Setext heading").level == 2
    assert find(result, "Nitrile gloves").level == 1


# Plain text

TEXT = f"""{BANNER}
Pump Manual
===========

SECTION 4 - TROUBLESHOOTING

4.2 Hydraulic pump
The pump delivers 2,000 psi. Check the hydrau-
lic lines.
(U) An unclassified remark
that wraps.

WARNING

Depressurize the system first.

1. Remove the cover
2. Check the filter
   which may be dirty
- Gloves
  - Nitrile
{BANNER}
\f{BANNER}
Page two text.
\f"""


def test_text_blocks_pages_and_hints() -> None:
    result = extract(TEXT.encode(), "notes.txt", hints=HINTS)
    assert result.format == "text" and result.pages == 2 and result.title == "Pump Manual"
    assert kinds(result) == [
        (P, BANNER),
        (H, "Pump Manual"),
        (H, "SECTION 4 - TROUBLESHOOTING"),
        (H, "4.2 Hydraulic pump"),
        (P, "The pump delivers 2,000 psi. Check the hydraulic lines."),
        (P, "(U) An unclassified remark that wraps."),
        (P, "WARNING Depressurize the system first."),
        (S, "1. Remove the cover"),
        (S, "2. Check the filter which may be dirty"),
        (IT, "Gloves"),
        (IT, "Nitrile"),
        (P, BANNER),
        (P, BANNER),
        (P, "Page two text."),
    ]
    assert [b.level for b in result.blocks if b.kind is H] == [1, 1, 2]
    assert [b.page for b in result.blocks[-3:]] == [1, 2, 2]


def test_text_without_form_feed_has_no_pages_and_first_line_title() -> None:
    result = extract(b"First line of notes\nsecond line.\n", "n.text")
    assert result.pages is None and result.blocks[0].page is None
    assert result.title == "First line of notes second line."


def test_text_encodings() -> None:
    body = "Überprüfung à 2,000 psi"
    assert extract(codecs.BOM_UTF8 + body.encode(), "a.txt").blocks[0].text == body
    assert extract(body.encode("utf-16"), "a.txt").blocks[0].text == body  # with its BOM
    assert extract(codecs.BOM_UTF16_BE + body.encode("utf-16-be"), "a.md").blocks[0].text == body
    message = refused(body.encode("latin-1"), "a.txt")
    assert message.startswith("plain text is not UTF-8") and "save it as UTF-8" in message
    assert "save it as UTF-8" in refused(body.encode("cp1252"), "a.html")
    assert "UTF-32" in refused(body.encode("utf-32"), "a.md")


def test_text_with_nul_bytes_is_refused() -> None:
    assert "NUL bytes" in refused(b"abc\x00def", "a.txt")
    assert "NUL bytes" in refused(body_utf16_without_bom(), "a.md")


def body_utf16_without_bom() -> bytes:
    return "plain words".encode("utf-16-le")


def test_text_formats_that_hold_a_pdf_or_a_docx() -> None:
    assert refused(write_pdf([["x"]]), "a.txt") == "not plain text: the file is a PDF; give it the right extension"
    assert refused(_docx(), "a.md").startswith("not Markdown: the file is a zip archive")
    assert refused(_docx(), "a.html").startswith("not HTML: the file is a zip archive")


def test_pdf_extension_on_text() -> None:
    assert refused(b"Hello world, this is text", "a.pdf") == "not a PDF: the file starts with 'Hello wor', not '%PDF-'"
    assert refused(_docx(), "a.pdf").startswith("not a PDF: the file starts with 'PK")


def test_empty_text_files() -> None:
    assert refused(b"", "a.txt") == "no text found: the file is empty"
    assert refused(b"  \n\n\t\n", "a.md") == "no text found: the file is empty"


# Dispatch


def test_unsupported_extensions() -> None:
    expected = "unsupported format '.xyz': expected PDF, DOCX, HTML, Markdown or plain text"
    assert refused(b"data", "report.xyz") == expected
    assert refused(b"data", "README").startswith("unsupported format (no extension)")
    assert refused(b"data", "old.doc").startswith("unsupported format '.doc'")


def test_extension_is_case_insensitive() -> None:
    assert extract(b"# Title\n\nBody.", "NOTES.MD").format == "markdown"
    assert extract(write_pdf([["x y z"]]), "SCAN.Pdf").format == "pdf"


def test_a_parser_crash_becomes_a_document_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(data: bytes, hints: LineHints) -> Extracted:
        raise ValueError("unexpected structure")

    monkeypatch.setitem(extract_module.EXTENSIONS, ".txt", crash)
    assert refused(b"x", "a.txt") == "unreadable TXT file: ValueError: unexpected structure"


# Line rules


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("3.2 Hydraulic pump", 2),
        ("3 Hydraulic system", 1),
        ("3.2.1 Inlet filter", 3),
        ("SECTION 4 - TROUBLESHOOTING", 1),
        ("Chapter 2: Hydraulics", 1),
        ("Appendix B", 1),
        ("HYDRAULIC SYSTEM", 1),
        ("WARNING", 0),  # an admonition, not a heading
        ("SECRET//REL TO USA", 0),
        ("3.2 Hydraulic pump ........ 45", 0),  # a table-of-contents line
        ("The pump is checked daily.", 0),
        ("3 bar is the limit", 0),
        ("P/N 66-1234", 0),
    ],
)
def test_heading_level(line: str, level: int) -> None:
    assert heading_level(line) == level


def test_join_lines() -> None:
    assert join_lines(["hydrau-", "lic  pump", "Air-", "Bus 66-", "12"]) == "hydraulic pump Air-Bus 66-12"
    assert join_lines(["well-", "known"], dehyphenate=False) == "well- known"


def test_no_hints_never_says_yes() -> None:
    assert not NO_HINTS.is_banner(BANNER) and not NO_HINTS.starts_portion("(S) x")
