"""Lists in a message: an HR officer's numbered questions, a bulleted list.

One reading of list markers for the whole project: the bot's batch mode (several numbered
questions answered one by one) and the question analysis (one message, several parts) both call
:func:`list_items`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A list item opens a line: "1." "1)" "(1)" "1 -" "1:" (up to three digits), or with ``bullets``
# also "-" "•" "*"; then whitespace and the item's text.
_NUMBER = r"\(?\d{1,3}[.)]|\d{1,3}\s*[-:]"
_BULLET = r"[-•*]"
_NUMBERED_ITEM = re.compile(rf"^\s*(?:{_NUMBER})\s+(.*\S)\s*$")
_LISTED_ITEM = re.compile(rf"^\s*(?:{_NUMBER}|{_BULLET})\s+(.*\S)\s*$")


@dataclass(frozen=True)
class ListItems:
    """The text before the first item, and each item's text (continuation lines joined)."""

    preamble: str
    items: list[str]


def list_items(text: str, *, bullets: bool = False) -> ListItems:
    """The list items of ``text``, in order. A line that opens no item continues the item before
    it (or, before the first item, the preamble)."""
    marker = _LISTED_ITEM if bullets else _NUMBERED_ITEM
    preamble: list[str] = []
    items: list[str] = []
    for line in text.splitlines():
        match = marker.match(line)
        if match:
            items.append(match.group(1).strip())
        elif line.strip() and items:
            items[-1] = f"{items[-1]} {line.strip()}"
        elif line.strip():
            preamble.append(line.strip())
    return ListItems(" ".join(preamble), items)
