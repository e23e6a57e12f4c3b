"""Tiny but valid PNG and PDF files, so downloaded attachments open in a viewer."""

from __future__ import annotations

import struct
import zlib

from .data import Attachment


def png(seed: int, size: int = 16) -> bytes:
    """A solid-colour RGB square; the colour comes from `seed`, so files differ."""
    r, g, b = (seed >> 16) & 0xFF, (seed >> 8) & 0xFF, seed & 0xFF

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes((r, g, b)) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * size)) + chunk(b"IEND", b"")


def pdf(title: str) -> bytes:
    """A one-page PDF with one line of ASCII text (non-ASCII is dropped: the base font has no Polish glyphs)."""
    line = title.encode("ascii", "ignore").decode().replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 720 Td ({line}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def generated(file_name: str, mime_type: str, seed: int) -> bytes:
    if mime_type == "application/pdf":
        return pdf(file_name)
    # JPEG names get PNG bytes too: building a JPEG by hand is not worth it for a demo, and viewers sniff content.
    return png(seed)


def content_of(att: Attachment) -> bytes:
    """What a download of `att` returns: the uploaded bytes, or a generated file for the seeded ones."""
    if att.content:
        return att.content
    return generated(att.file_name, att.mime_type, int(att.id[:6], 16))
