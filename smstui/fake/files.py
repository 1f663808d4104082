"""Attachment files served by the fake gateway at ``GET /files/<name>``.

Real, small files made in pure Python (zlib + struct): a PNG that looks like a photographed
receipt in a colour derived from the name, and a one-page PDF. The same name always gives the
same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import re
import struct
import zlib

_NAME = re.compile(r"[A-Za-z0-9_-]{1,80}\.(png|pdf)")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDTH, HEIGHT = 160, 120


def content_type(name: str) -> str | None:
    """The Content-Type for a servable file name, or None when the name is not one of ours."""
    match = _NAME.fullmatch(name)
    if match is None:
        return None
    return "image/png" if match.group(1) == "png" else "application/pdf"


@functools.lru_cache(maxsize=256)
def file_bytes(name: str) -> bytes:
    """The file's bytes (call :func:`content_type` first to check the name)."""
    return png_image(name) if name.endswith(".png") else pdf_document(name)


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_image(name: str) -> bytes:
    """A ``WIDTH``×``HEIGHT`` RGB PNG: a tinted background with a white 'receipt' on it."""
    seed = hashlib.blake2b(name.encode(), digest_size=6).digest()
    top, bottom = seed[:3], seed[3:]
    left, right = WIDTH // 4, WIDTH - WIDTH // 4
    rows = []
    for y in range(HEIGHT):
        shade = bytes((top[c] * (HEIGHT - y) + bottom[c] * y) // HEIGHT // 2 + 60 for c in range(3))
        if 12 <= y < HEIGHT - 12:
            ink = y % 9 in (0, 1) and 20 <= y < HEIGHT - 20
            paper = b"\x50\x50\x50" if ink else b"\xf4\xf1\xe8"
            middle = paper * (right - left)
            if ink:  # lines of 'text' of varying length
                length = 20 + (seed[y % 6] + y * 7) % (right - left - 28)
                middle = b"\xf4\xf1\xe8" * 6 + paper * length
                middle += b"\xf4\xf1\xe8" * (right - left - 6 - length)
            row = shade * left + middle + shade * (WIDTH - right)
        else:
            row = shade * WIDTH
        rows.append(b"\x00" + row)
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return b"".join(
        (
            _PNG_SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(b"".join(rows), 9)),
            _chunk(b"IEND", b""),
        )
    )


def pdf_document(name: str) -> bytes:
    """A valid one-page PDF that shows the file name as a title."""
    title = re.sub(r"[^A-Za-z0-9 ._-]", "", name)
    stream = f"BT /F1 20 Tf 72 760 Td ({title}) Tj ET\nBT /F1 11 Tf 72 730 Td (SmsShop) Tj ET\n"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}endstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode("ascii")
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    out += trailer.encode("ascii")
    return bytes(out)
