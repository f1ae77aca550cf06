"""A gzip body built from pieces compressed once and small pieces that change per request.

A lesson page is ~160 KB of HTML that is the same for every learner, with a few dozen bytes per
learner spliced in (the CSRF token, a best score). Compressing the whole page per request cost
more than everything else the request did. Deflate allows another way: each shared piece is
compressed once, on its own, and ended with a full flush (byte-aligned, no reference to what
came before), so the pieces can be laid end to end; the per-request bytes go in between as
*stored* (uncompressed) deflate blocks, which cost nothing to make.

Deflated alone, each piece loses what came before it as context: a page of ~20 pieces came out
~40 % larger than the whole page gzipped. So each shared piece is also deflated with the page
before it as a preset dictionary (back-references into the bytes the reader has already
written), laid out as ``pack`` assumes: each request slot of an assumed length, stood for by NUL
bytes, which the page never holds, so nothing refers into a slot's own bytes, only over it. A
request uses that copy of a piece when every slot in the 32 KB before it has its assumed
length (``gzip_body`` follows the drift between the two layouts), and the piece deflated alone
otherwise: the output is right either way, and as small as the whole page gzipped when the
slots are as usual.

The gzip trailer needs the CRC-32 of the whole page. Reading 160 KB per request for it was most
of what a gzip answer still cost, so each shared piece carries its own CRC and the map that
carries a CRC past it: CRC-32 is linear, so ``crc32(a + b) = shift_len(b)(crc32(a)) ^ crc32(b)``
where ``shift_n`` depends only on ``n`` (it is ``crc32`` of ``n`` zero bytes from a given start,
less that of the zero start), a linear map on 32 bits kept as four 256-entry tables. Only the
per-request bytes are read. Any gzip reader accepts the result: it is one ordinary gzip member.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

WINDOW = 1 << 15  # how far back deflate may refer
HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, mtime 0, unknown OS
LAST_BLOCK = b"\x03\x00"  # an empty final block (fixed Huffman, end of block)
STORED_MAX = 0xFFFF


@dataclass(frozen=True)
class PackedPiece:
    """Shared bytes, deflated once, with what the trailer needs of them without reading them."""

    deflated: bytes
    length: int
    crc: int  # crc32 of the bytes from a zero start
    shift: tuple[tuple[int, ...], ...]  # per byte of a CRC: its image under shift_length
    # The same bytes deflated with the page before them (as ``pack`` laid it out) as context,
    # and where they start in that layout; b"" when there is no such copy.
    in_context: bytes = b""
    offset: int = 0

    def crc_after(self, crc: int) -> int:
        """The CRC-32 of (whatever gave ``crc``) followed by this piece's bytes."""
        low, second, third, high = self.shift
        return (
            low[crc & 0xFF]
            ^ second[(crc >> 8) & 0xFF]
            ^ third[(crc >> 16) & 0xFF]
            ^ high[crc >> 24]
            ^ self.crc
        )


def packed_piece(data: bytes, level: int = 9, context: bytes = b"", offset: int = 0) -> PackedPiece:
    """``data`` as deflate blocks that end byte-aligned (not the last block): standing alone,
    and, when there is a ``context`` (the bytes just before it), referring into it too."""
    in_context = b""
    if context and b"\0" not in data:  # a NUL could match a slot's stand-in
        compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS, zdict=context)
        in_context = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    deflated = compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)
    return PackedPiece(
        deflated, len(data), zlib.crc32(data), _shift_tables(len(data)), in_context, offset
    )


def pack(layout: Iterable[bytes | int], level: int = 9) -> list[PackedPiece | bytes]:
    """A page's shared pieces (``bytes``) deflated once, each with the page before it as
    context, where an ``int`` is a slot each request fills, of the length assumed for it.
    The slots come back as b"", to be replaced by each request's bytes for ``gzip_body``."""
    before = bytearray()
    packed: list[PackedPiece | bytes] = []
    for item in layout:
        if isinstance(item, int):
            packed.append(b"")
            before += bytes(item)  # NULs: never matched by the page's text
        else:
            packed.append(packed_piece(item, level, bytes(before[-WINDOW:]), len(before)))
            before += item
    return packed


def joined(pieces: Sequence[PackedPiece]) -> PackedPiece:
    """Pieces that lie side by side in the page (no request's bytes between them, as ``pack``
    laid them out) as one: one step of ``gzip_body`` instead of one per piece. Each piece's
    deflate blocks end byte-aligned, so their concatenation is one valid stream; in context,
    a piece without a copy in context stands as deflated alone (the first of a page has none)."""
    crc = length = 0
    for piece in pieces:
        crc = piece.crc_after(crc)
        length += piece.length
    return PackedPiece(
        b"".join(piece.deflated for piece in pieces),
        length,
        crc,
        _shift_tables(length),
        b"".join(piece.in_context or piece.deflated for piece in pieces),
        pieces[0].offset,
    )


def _shift_tables(length: int) -> tuple[tuple[int, ...], ...]:
    zeros = bytes(length)
    from_zero = zlib.crc32(zeros)
    bits = [zlib.crc32(zeros, 1 << bit) ^ from_zero for bit in range(32)]
    tables = []
    for byte in range(4):
        table = [0] * 256
        for value in range(1, 256):
            lowest = (
                value & -value
            )  # the image of value is the image of its lowest bit xor the rest's
            table[value] = table[value ^ lowest] ^ bits[8 * byte + lowest.bit_length() - 1]
        tables.append(tuple(table))
    return tuple(tables)


def stored_piece(data: bytes) -> bytes:
    """``data`` as stored (uncompressed) deflate blocks, for the few bytes that change."""
    if len(data) <= STORED_MAX:  # (nearly always: one block)
        return b"\x00" + struct.pack("<HH", len(data), len(data) ^ 0xFFFF) + data
    out = bytearray()
    for start in range(0, len(data), STORED_MAX):
        chunk = data[start : start + STORED_MAX]
        out += b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk
    return bytes(out)


def gzip_body(pieces: Iterable[PackedPiece | bytes]) -> bytes:
    """One gzip member of the pieces in order: shared ones as deflated once (with context when
    the bytes before them are laid out as ``pack`` assumed), the rest (plain bytes, this
    request's) as stored blocks."""
    crc = length = 0
    drift = 0  # where this body has got to, less where pack() assumed it would be
    moved_at = -WINDOW  # where the drift last changed: a slot of another length ended there
    deflate: list[bytes] = [HEADER]
    for piece in pieces:
        if isinstance(piece, PackedPiece):
            if length - piece.offset != drift:
                drift, moved_at = length - piece.offset, length
            as_assumed = piece.in_context and moved_at <= length - WINDOW
            crc = piece.crc_after(crc)
            length += piece.length
            deflate.append(piece.in_context if as_assumed else piece.deflated)
        elif piece:
            crc = zlib.crc32(piece, crc)
            length += len(piece)
            deflate.append(stored_piece(piece))
    deflate += (LAST_BLOCK, struct.pack("<II", crc, length & 0xFFFFFFFF))
    return b"".join(deflate)
