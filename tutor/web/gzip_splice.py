"""A gzip body built from pieces compressed once and small pieces that change per request.

A lesson page is ~160 KB of HTML that is the same for every learner, with a few dozen bytes per
learner spliced in (the CSRF token, a best score). Compressing the whole page per request cost
more than everything else the request did. Deflate allows another way: each shared piece is
compressed once, on its own, and ended with a full flush (byte-aligned, no reference to what
came before), so the pieces can be laid end to end; the per-request bytes go in between as
*stored* (uncompressed) deflate blocks, which cost nothing to make. The gzip trailer needs the
CRC-32 and length of the whole page, computed per request over the plain bytes (fast, in C).
Any gzip reader accepts the result: it is one ordinary deflate stream.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable

HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, mtime 0, unknown OS
LAST_BLOCK = b"\x03\x00"  # an empty final block (fixed Huffman, end of block)
STORED_MAX = 0xFFFF


def packed_piece(data: bytes, level: int = 9) -> bytes:
    """``data`` as deflate blocks that stand alone and end byte-aligned (not the last block)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


def stored_piece(data: bytes) -> bytes:
    """``data`` as stored (uncompressed) deflate blocks, for the few bytes that change."""
    out = bytearray()
    for start in range(0, len(data), STORED_MAX):
        chunk = data[start : start + STORED_MAX]
        out += b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk
    return bytes(out)


def gzip_body(pieces: Iterable[bytes], plain: bytes) -> bytes:
    """The gzip member of ``plain``, whose deflate stream is ``pieces`` laid end to end."""
    trailer = struct.pack("<II", zlib.crc32(plain) & 0xFFFFFFFF, len(plain) & 0xFFFFFFFF)
    return b"".join((HEADER, *pieces, LAST_BLOCK, trailer))
