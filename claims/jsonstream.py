"""Read JSON input without surprises: deep nesting refused cleanly, lines bounded, big exports one record at a time.

Imports and bundle checks read exports through :func:`iter_object` (a 300 MB
export is parsed one claim at a time instead of as one 1.5 GB tree; a
``[[[[...`` bomb is a clean :class:`~claims.errors.BadInputError` naming the
source, not a ``RecursionError``); JSONL files, ingested or imported, through
:func:`iter_lines`, which refuses an over-long line before holding it.
"""
from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import IO, Any

from claims.errors import BadInputError

_CHUNK = 1 << 20
_DECODER = json.JSONDecoder()
_BLANKS = re.compile(r"[ \t\r\n]*")


class _Reader:
    """A text buffer over a binary stream that grows on demand (one element at a time stays in memory)."""

    def __init__(self, raw: IO[bytes], source: str) -> None:
        self.dec = codecs.getincrementaldecoder("utf-8-sig")()
        self.raw = raw
        self.source = source
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.consumed = 0  # characters dropped from the front of buf (for error positions)

    def more(self) -> bool:
        if self.eof:
            return False
        block = self.raw.read(_CHUNK)
        try:
            text = self.dec.decode(block, final=not block)
        except UnicodeDecodeError as e:
            raise BadInputError(f"{self.source}: not UTF-8 text ({e.reason})") from None
        if not block:
            self.eof = True
        if self.pos > _CHUNK:
            self.consumed += self.pos
            self.buf = self.buf[self.pos:]
            self.pos = 0
        self.buf += text
        return bool(block) or bool(text)

    def skip_ws(self) -> str:
        """Return the next non-blank character without consuming it ("" at the end)."""
        while True:
            self.pos = _BLANKS.match(self.buf, self.pos).end()  # C speed over megabytes of padding
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def expect(self, chars: str) -> str:
        ch = self.skip_ws()
        if not ch or ch not in chars:
            self.fail(f"expected {' or '.join(repr(c) for c in chars)}")
        self.pos += 1
        return ch

    def value(self) -> Any:
        """Decode one JSON value at the cursor, reading more input while it runs past the end of the buffer."""
        self.skip_ws()
        while True:
            try:
                obj, stop = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as e:
                cut = e.pos >= len(self.buf) - 6 or e.msg.startswith("Unterminated string")
                if cut and self.more():
                    continue
                self.fail(e.msg, at=e.pos)
            except RecursionError:
                self.fail("nested too deeply")
            if stop >= len(self.buf) and self.more():
                continue  # a number cut at the buffer's end may go on
            self.pos = stop
            return obj

    def fail(self, msg: str, *, at: int | None = None) -> None:
        where = self.consumed + (self.pos if at is None else at)
        raise BadInputError(f"{self.source}: character {where}: not valid JSON ({msg})")


def iter_object(raw: IO[bytes], source: str, *, stream_keys: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
    """Yield ``(key, value)`` for each member of the top-level JSON object in ``raw``.

    Members named in ``stream_keys`` must be lists; their elements are
    yielded one at a time as ``(key, element)`` (and never all held at once).
    """
    r = _Reader(raw, source)
    r.expect("{")
    if r.skip_ws() == "}":
        r.pos += 1
        return
    while True:
        if r.skip_ws() != '"':
            r.fail("expected a member name")
        key = r.value()
        r.expect(":")
        if key in stream_keys:
            r.expect("[")
            if r.skip_ws() == "]":
                r.pos += 1
            else:
                while True:
                    yield key, r.value()
                    if r.expect(",]") == "]":
                        break
        else:
            yield key, r.value()
        if r.expect(",}") == "}":
            break
    if r.skip_ws():
        r.fail("text after the end of the object")


def iter_lines(raw: IO[bytes], source: str, *, limit: int) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, text)`` for each line of UTF-8 ``raw``; refuse a line over ``limit`` bytes early.

    A line is read at most ``limit + 1`` bytes at a time, so a 300 MB line (or
    ``/dev/zero``) is refused after reading ``limit`` bytes, not after holding it.
    """
    n = 0
    while True:
        line = raw.readline(limit + 1)
        if not line:
            return
        n += 1
        if len(line) > limit:
            raise BadInputError(f"{source}:{n}: line longer than the {limit / 1048576:g} MB limit "
                                "(CLAIMS_MAX_FILE_MB)")
        if b"\x00" in line:
            raise BadInputError(f"{source}:{n}: binary data (NUL bytes), not JSON text")
        try:
            text = line.decode("utf-8-sig" if n == 1 else "utf-8")
        except UnicodeDecodeError as e:
            raise BadInputError(f"{source}:{n}: not UTF-8 text (invalid byte at offset {e.start} of the line); "
                                "convert it to UTF-8") from None
        yield n, text
