"""Print what a Telegram user sees for some questions, as a transcript for the docs.

    python scripts/bot_transcript.py "boleh like postingan capres?" [more questions ...]

Runs the real bot (default settings, so the default embedding; ``NETRA_DATA_DIR`` chooses the
index) against the Bot API emulator on loopback (tests/e2e, needs node and
``npm ci --prefix tests/e2e``), sends each question as one user in a private chat, and prints
every reply as plain text the way Telegram shows it (HTML tags dropped, entities decoded) with
its buttons, so README and docs/bot.md quote real output rather than a mock-up.
"""

from __future__ import annotations

import asyncio
import html
import re
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from knowledge.config import Settings
from knowledge.engine import Engine
from tests.e2e.emulator import TOKEN, Emulator, ScriptedUser, missing_reason, polling_bot

WIDTH = 96  # characters per transcript line, the speaker's name included
INDENT = " " * len("Netra: ")


def plain(text: str) -> str:
    """Telegram HTML as the user reads it."""
    return html.unescape(re.sub(r"</?[a-z][^>]*>", "", text))


def wrapped(speaker: str, text: str) -> list[str]:
    """``speaker: text`` wrapped under the text; a line opening with an emoji (📌, ⚖️) keeps
    its continuation under its words."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        hanging = "   " if paragraph[:1] and not paragraph[:1].isalnum() else ""
        lines += textwrap.wrap(paragraph, WIDTH - len(INDENT), subsequent_indent=hanging) or [""]
    first, *rest = lines
    return [
        f"{speaker + ':':<{len(INDENT)}}{first}",
        *(INDENT + line if line else "" for line in rest),
    ]


def button_rows(message: dict[str, Any]) -> list[str]:
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    rows = [INDENT + " ".join(f"[{button['text']}]" for button in row) for row in keyboard]
    return ["", *rows] if rows else []


async def converse(emulator: Emulator, questions: list[str]) -> list[str]:
    emulated: dict[str, Any] = {
        "TELEGRAM_BOT_TOKEN": TOKEN,  # the field reads only its alias
        "telegram_base_url": emulator.base_url,
        "telegram_base_file_url": emulator.base_file_url,
    }
    settings = Settings(**emulated)
    engine = await asyncio.to_thread(Engine.open, settings)
    lines: list[str] = []
    async with (
        polling_bot(settings, engine),
        httpx.AsyncClient(base_url=emulator.url, timeout=30) as client,
    ):
        user = ScriptedUser(client, 4242)
        for question in questions:
            await user.send(question)
            lines += ["", *wrapped("Anda", question)]
            for message in await user.replies(1, timeout=120, settle=1.0):
                lines += ["", *wrapped("Netra", plain(str(message.get("text", ""))))]
                lines += button_rows(message)
    return lines[1:]


def main() -> None:
    questions = sys.argv[1:] or ["boleh like postingan capres?"]
    reason = missing_reason()
    if reason:
        raise SystemExit(reason)
    with Emulator() as emulator:
        print("\n".join(asyncio.run(converse(emulator, questions))))


if __name__ == "__main__":
    main()
