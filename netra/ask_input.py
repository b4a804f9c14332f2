"""Questions for ``netra ask`` from raw bytes: stdin and argv in whatever encoding they come.

Batch mode (``netra ask -``) promises one JSON line out per line in, so that line N of the output
always answers line N of the input: a line that cannot be answered (empty, not text) gets an
error object instead of being dropped, and one bad line never ends the batch. Stdin is read as
bytes: UTF-8 (with or without a BOM) line by line, UTF-16 when it starts with a UTF-16 BOM; a line
that is not valid UTF-8 is read as Windows-1252 when it is mostly ASCII, else with replacement
characters, and refused when little of it is text.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

# A line with more than this share of undecodable characters is not a question.
MAX_REPLACED_SHARE = 0.3
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]+")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

EMPTY_LINE = "empty_line"
UNDECODABLE_LINE = "undecodable_line"
INTERNAL_ERROR = "internal_error"
MESSAGES = {
    EMPTY_LINE: "the line is empty; send one question per line",
    UNDECODABLE_LINE: "the line is not readable text (unknown encoding or binary data)",
}


class StdinClosedError(RuntimeError):
    """There is no standard input to read questions from."""


@dataclass(frozen=True)
class InputLine:
    """One input line: the question read from it, or why there is none."""

    number: int
    text: str | None
    error: str | None = None

    def error_json(self, message: str | None = None) -> str:
        """The error object printed in place of an answer."""
        payload = {
            "line": self.number,
            "error": self.error or INTERNAL_ERROR,
            "message": message or MESSAGES.get(self.error or "", "the line could not be answered"),
        }
        return json.dumps(payload, ensure_ascii=False)


def decode_question(raw: bytes) -> tuple[str | None, str | None]:
    """(question, None) or (None, error code) for the bytes of one line or argument."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = _legacy(raw)
    text = _CONTROL.sub(" ", text.lstrip("\ufeff")).strip()
    if not text:
        return None, EMPTY_LINE
    if text.count("\ufffd") > len(text) * MAX_REPLACED_SHARE:
        return None, UNDECODABLE_LINE
    return text, None


def _legacy(raw: bytes) -> str:
    """Bytes that are not UTF-8: Windows-1252 when mostly ASCII (old Windows tools), else UTF-8
    with replacement characters (counted by :func:`decode_question`)."""
    if sum(1 for byte in raw if byte >= 0x80) * 5 <= len(raw):
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", errors="replace")


def question_from_argv(argument: str) -> tuple[str | None, str | None]:
    """A command-line question: Python hands undecodable argv bytes over as lone surrogates,
    which cannot be printed; recover the bytes and decode them like a stdin line."""
    try:
        raw = os.fsencode(argument)
    except UnicodeEncodeError:
        raw = argument.encode("utf-8", errors="replace")
    return decode_question(raw)


class _Prefixed(io.RawIOBase):
    """A byte stream with bytes already read from it put back in front."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        chunk = self._rest.read1(len(buffer)) if hasattr(self._rest, "read1") else (
            self._rest.read(len(buffer))
        )  # fmt: skip
        buffer[: len(chunk)] = chunk
        return len(chunk)


def stdin_bytes(stdin: object) -> BinaryIO:
    """The binary stream under ``sys.stdin``, or :class:`StdinClosedError` (``<&-``)."""
    buffer = getattr(stdin, "buffer", None)
    if stdin is None or buffer is None:
        raise StdinClosedError("standard input is closed: pipe questions in, one per line")
    return buffer  # type: ignore[no-any-return]


def input_lines(stream: BinaryIO) -> Iterator[InputLine]:
    """Every line of ``stream`` (bytes), numbered from 1, decoded as the module docstring says."""
    try:
        head = stream.read(2)
    except (OSError, ValueError) as error:  # a closed or unreadable descriptor
        raise StdinClosedError(f"cannot read standard input: {error}") from error
    reader = io.BufferedReader(_Prefixed(head, stream))
    if head in _UTF16_BOMS:
        text = io.TextIOWrapper(reader, encoding="utf-16", errors="replace", newline=None)
        for number, line in enumerate(text, 1):
            yield InputLine(number, *decode_question(line.encode("utf-8", errors="replace")))
        return
    for number, raw in enumerate(reader, 1):
        yield InputLine(number, *decode_question(raw.rstrip(b"\r\n")))


def answer_lines(
    lines: Iterator[InputLine], answer: Callable[[str], str], on_error: Callable[[str], None]
) -> Iterator[str]:
    """One output line per input line: ``answer(question)`` or an error object; an exception
    while answering one line is reported in its error object and the batch goes on."""
    for line in lines:
        if line.text is None:
            yield line.error_json()
            continue
        try:
            yield answer(line.text)
        except Exception as error:  # one bad line must not end the batch
            on_error(f"line {line.number}: {type(error).__name__}: {error}")
            yield InputLine(line.number, None, INTERNAL_ERROR).error_json(
                f"could not answer this line ({type(error).__name__})"
            )
