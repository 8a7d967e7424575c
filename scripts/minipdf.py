"""A minimal, dependency-free PDF writer: text pages in the standard-14 Helvetica fonts, optionally
encrypted with the Standard security handler (revision 3, 128-bit RC4). Used by the tests and to
build demo PDFs from text.

    python scripts/minipdf.py SOURCE.txt OUT.pdf [--title T] [--password P]

SOURCE separates pages with a form feed on its own line (or a line ``<<<PAGE>>>``); a line
starting with ``# `` is drawn as a heading (Helvetica-Bold 14 pt), an empty line is vertical space.
"""

from __future__ import annotations

import argparse
import hashlib
import struct
import sys
import textwrap
from pathlib import Path

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4, in points
MARGIN = 72
BODY_SIZE, HEADING_SIZE = 10.5, 14.0
BODY_LEADING, HEADING_LEADING = 14.0, 22.0
WRAP = 90
PAGE_BREAKS = ("\f", "<<<PAGE>>>")

# PDF 1.7, 7.6.3.3, algorithm 2, step (a): the padding string.
_PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")
_PERMISSIONS = -4  # every permission granted; bits 1-2 must be 0


def rc4(key: bytes, data: bytes) -> bytes:
    """RC4 (ARCFOUR), as the Standard security handler uses it."""
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xFF
        s[i], s[j] = s[j], s[i]
    out = bytearray(len(data))
    i = j = 0
    for n, byte in enumerate(data):
        i = (i + 1) & 0xFF
        j = (j + s[i]) & 0xFF
        s[i], s[j] = s[j], s[i]
        out[n] = byte ^ s[(s[i] + s[j]) & 0xFF]
    return bytes(out)


def _padded(password: str) -> bytes:
    return (password.encode("latin-1") + _PAD)[:32]


def _rc4_rounds(key: bytes, data: bytes) -> bytes:
    """RC4 with the key, then 19 more times with each key byte XORed with the round (R3)."""
    for round_ in range(20):
        data = rc4(bytes(b ^ round_ for b in key), data)
    return data


def _md5(data: bytes) -> bytes:
    return hashlib.md5(data, usedforsecurity=False).digest()


class _Security:
    """Revision 3, 128-bit key: algorithms 2 (file key), 3 (/O), 5 (/U) and 1 (per object)."""

    def __init__(self, user_password: str, owner_password: str, file_id: bytes) -> None:
        owner_key = _md5(_padded(owner_password or user_password))
        for _ in range(50):
            owner_key = _md5(owner_key)
        self.owner = _rc4_rounds(owner_key, _padded(user_password))
        digest = _md5(_padded(user_password) + self.owner + struct.pack("<i", _PERMISSIONS) + file_id)
        for _ in range(50):
            digest = _md5(digest)
        self.key = digest[:16]
        self.user = _rc4_rounds(self.key, _md5(_PAD + file_id)) + bytes(16)

    def encrypt(self, number: int, data: bytes) -> bytes:
        object_key = _md5(self.key + number.to_bytes(3, "little") + (0).to_bytes(2, "little"))
        return rc4(object_key[:16], data)

    def dictionary(self) -> bytes:
        return b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P %d /O <%s> /U <%s> >>" % (
            _PERMISSIONS,
            self.owner.hex().encode(),
            self.user.hex().encode(),
        )


def _literal(text: bytes) -> bytes:
    return b"(" + text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)").replace(b"\r", b"\\r") + b")"


def _content(lines: list[str]) -> list[bytes]:
    """Content streams for one source page: a page that does not fit continues on the next."""
    streams: list[bytes] = []
    ops: list[bytes] = []
    y = float(PAGE_HEIGHT - MARGIN)
    for raw in lines:
        heading = raw.startswith("# ")
        text = raw[2:] if heading else raw
        font, size, leading = (b"/F2", HEADING_SIZE, HEADING_LEADING) if heading else (b"/F1", BODY_SIZE, BODY_LEADING)
        for piece in textwrap.wrap(text, WRAP, break_long_words=True, break_on_hyphens=False) or [""]:
            if y - leading < MARGIN:
                streams.append(b"\n".join(ops))
                ops, y = [], float(PAGE_HEIGHT - MARGIN)
            y -= leading
            if piece:
                encoded = _literal(piece.encode("cp1252", errors="replace"))
                ops.append(b"BT %s %g Tf 1 0 0 1 %d %g Tm %s Tj ET" % (font, size, MARGIN, y, encoded))
    streams.append(b"\n".join(ops))
    return streams


def write_pdf(pages: list[list[str]], *, title: str | None = None, user_password: str | None = None) -> bytes:
    """A PDF with one page per list of lines (more where a page overflows)."""
    file_id = _md5(repr((pages, title)).encode())
    security = _Security(user_password, "", file_id) if user_password is not None else None
    streams = [stream for lines in pages for stream in _content(lines)] or [b""]

    objects: list[bytes] = []  # object n is objects[n - 1]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def string(number: int, text: str) -> bytes:
        try:
            data = text.encode("latin-1")
        except UnicodeEncodeError:
            data = b"\xfe\xff" + text.encode("utf-16-be")
        if security is not None:
            return b"<" + security.encrypt(number, data).hex().encode() + b">"
        return _literal(data)

    catalog = add(b"")
    pages_ref = add(b"")
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
    regular = add(font % b"Helvetica")
    bold = add(font % b"Helvetica-Bold")
    kids: list[int] = []
    for stream in streams:
        number = len(objects) + 1
        data = security.encrypt(number, stream) if security is not None else stream
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> >>"
                % (pages_ref, PAGE_WIDTH, PAGE_HEIGHT, content, regular, bold)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_ref
    objects[pages_ref - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    trailer = b"/Root %d 0 R /ID [<%s> <%s>]" % (catalog, file_id.hex().encode(), file_id.hex().encode())
    if title is not None:
        number = len(objects) + 1
        info = add(b"<< /Title %s /Producer (minipdf) >>" % string(number, title))
        trailer += b" /Info %d 0 R" % info
    if security is not None:
        trailer += b" /Encrypt %d 0 R" % add(security.dictionary())

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def read_pages(source: str) -> list[list[str]]:
    """Split a text source into pages of lines at form feeds or ``<<<PAGE>>>`` lines."""
    pages: list[list[str]] = [[]]
    for line in source.replace("\r\n", "\n").split("\n"):
        if line.strip(" \t") in PAGE_BREAKS:
            pages.append([])
            continue
        for n, piece in enumerate(line.split("\f")):  # a form feed inside a line breaks there too
            if n:
                pages.append([])
            pages[-1].append(piece.rstrip())
    return [page for page in pages if any(page)] or [[]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a simple text PDF from a text file.")
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--title")
    parser.add_argument("--password", help="encrypt with this user password (RC4, 128 bits)")
    args = parser.parse_args(argv)
    pages = read_pages(args.source.read_text(encoding="utf-8"))
    args.out.write_bytes(write_pdf(pages, title=args.title, user_password=args.password))
    print(f"wrote {args.out} ({len(pages)} source pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
