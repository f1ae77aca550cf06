"""A gzip body built from pieces compressed once and small pieces that change per request.

A lesson page is ~160 KB of HTML that is the same for every learner, with a few dozen bytes per
learner spliced in (the CSRF token, a best score). Compressing the whole page per request cost
more than everything else the request did. Deflate allows another way: each shared piece is
compressed once, on its own, and ended with a full flush (byte-aligned, no reference to what
came before), so the pieces can be laid end to end; the per-request bytes go in between as
*stored* (uncompressed) deflate blocks, which cost nothing to make.

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
from collections.abc import Iterable
from dataclasses import dataclass

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


def packed_piece(data: bytes, level: int = 9) -> PackedPiece:
    """``data`` as deflate blocks that stand alone and end byte-aligned (not the last block)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    deflated = compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)
    return PackedPiece(deflated, len(data), zlib.crc32(data), _shift_tables(len(data)))


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
    out = bytearray()
    for start in range(0, len(data), STORED_MAX):
        chunk = data[start : start + STORED_MAX]
        out += b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk
    return bytes(out)


def gzip_body(pieces: Iterable[PackedPiece | bytes]) -> bytes:
    """One gzip member of the pieces in order: shared ones as deflated once, the rest (plain
    bytes, this request's) as stored blocks."""
    crc = length = 0
    deflate: list[bytes] = [HEADER]
    for piece in pieces:
        if isinstance(piece, PackedPiece):
            crc = piece.crc_after(crc)
            length += piece.length
            deflate.append(piece.deflated)
        elif piece:
            crc = zlib.crc32(piece, crc)
            length += len(piece)
            deflate.append(stored_piece(piece))
    deflate += (LAST_BLOCK, struct.pack("<II", crc, length & 0xFFFFFFFF))
    return b"".join(deflate)
