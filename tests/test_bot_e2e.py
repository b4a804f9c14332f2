"""End to end: the real Engine (hash embedder) behind the bot, through the Bot API emulator.

A scripted user talks to the bot over HTTP exactly as Telegram would relay it; the test reads
the bot's replies from the emulator and checks verdicts, citations, escaping and lengths.
Skipped (with the reason) when node or the ``telegram-test-api`` package is missing.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest

from bot.formatting import TELEGRAM_LIMIT, u16len
from knowledge.config import Settings
from knowledge.phrases import DISCLAIMER
from tests.conftest import REPO, SHARED_CACHE
from tests.e2e.emulator import TOKEN, Emulator, ScriptedUser, missing_reason, polling_bot
from tests.fakes import bot_settings

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,  # a node process (the Bot API emulator) and a real engine per test
    pytest.mark.skipif(missing_reason() is not None, reason=missing_reason() or ""),
]

VERDICT_EMOJI = ("❌", "✅", "⚠️", "❔", "🧭", "🚫")
ALLOWED_TAGS = {"b", "i", "u", "s", "code", "pre", "a", "blockquote", "tg-spoiler"}


class TelegramHTML(HTMLParser):
    """Checks a message is valid Telegram HTML: known tags only, properly nested."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag not in ALLOWED_TAGS:
            self.errors.append(f"tag <{tag}>")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unbalanced </{tag}>")


def assert_valid_html(text: str) -> None:
    parser = TelegramHTML()
    parser.feed(text)
    parser.close()
    assert not parser.errors and not parser.stack, (parser.errors, parser.stack, text[:300])
    assert not re.search(r"&(?!amp;|lt;|gt;|quot;|#x27;|#\d+;)", text), "raw & in HTML"


def callbacks(message: dict[str, Any]) -> dict[str, str]:
    markup = message.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return {
        b["text"]: b["callback_data"]
        for row in markup.get("inline_keyboard", [])
        for b in row
        if "callback_data" in b
    }


@pytest.fixture
def emulator():
    with Emulator() as running:
        yield running


@pytest.fixture
def engine_settings(tmp_path, emulator) -> Settings:
    return bot_settings(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        telegram_base_url=emulator.base_url,
        telegram_base_file_url=emulator.base_file_url,
    )


@pytest.fixture
async def running_bot(engine_settings):
    from netra.wiring import open_engine

    engine = await asyncio.to_thread(open_engine, engine_settings)
    async with polling_bot(engine_settings, engine) as application:
        yield application


async def test_conversation_through_the_emulator(emulator, running_bot) -> None:
    all_texts: list[str] = []
    async with httpx.AsyncClient(base_url=emulator.url, timeout=10) as client:
        user = ScriptedUser(client, 5001, first_name="Rina")

        await user.command("/start")
        start = await user.replies(1)
        assert "Netra" in start[0]["text"] and len(callbacks(start[0])) == 3

        await user.send("Bolehkah PNS ikut kampanye?")
        answer = (await user.replies(1))[0]
        text = answer["text"]
        all_texts.append(text)
        assert text.startswith("❌ <b>")  # a settled rule: PNS may not join a campaign
        assert "📌 Dasar utama: <b>PP 94/2021 Pasal 5 huruf n" in text
        assert DISCLAIMER.id in text
        assert answer.get("parse_mode") == "HTML"
        buttons = callbacks(answer)
        assert {"📚 Selengkapnya", "📖 Bunyi pasal", "📄 Versi formal", "👍", "👎"} <= set(buttons)

        await user.press(buttons["📖 Bunyi pasal"])
        provisions = await user.replies(1)
        assert "PP 94/2021 Pasal 5 huruf n" in provisions[0]["text"]
        all_texts += [m["text"] for m in provisions]

        await user.press(buttons["👎"])
        await user.send("kalau cuma jadi pendengar saja?")
        follow_up = (await user.replies(1))[0]["text"]
        assert follow_up.startswith(VERDICT_EMOJI)
        all_texts.append(follow_up)

        await user.send("<b>halo</b> bolehkah PNS jadi anggota partai politik?")
        tagged = (await user.replies(1))[0]
        assert "<b>halo</b>" not in tagged["text"]
        await user.press(callbacks(tagged)["📄 Versi formal"])
        formal = (await user.replies(1))[0]["text"]
        assert "halo" not in formal  # the question is restated formally, not quoted
        all_texts += [tagged["text"], formal]

        origin = {
            "type": "user",
            "date": 1700000000,
            "sender_user": {
                "id": 77,
                "is_bot": False,
                "first_name": "Budi",
                "last_name": "Santoso",
            },
        }
        await user.send(
            "Saya Budi Santoso, NIP 19850101 201001 1 001. Bolehkah saya ikut kampanye?",
            forward_origin=origin,
        )
        forwarded = (await user.replies(1))[0]["text"]
        assert "Budi" not in forwarded and "Santoso" not in forwarded
        assert "19850101" not in forwarded and "[NIP disamarkan]" in forwarded
        all_texts.append(forwarded)

        sticker = {
            "file_id": "stk",
            "file_unique_id": "stk",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        await user.send(None, sticker=sticker)
        note = (await user.replies(1))[0]["text"]
        assert "pesan teks" in note

        await user.send("Bolehkah PNS ikut kampanye? " + "ulang " * 1700)  # ~10,000 characters
        long_replies = await user.replies(1)
        assert "Pesan Anda panjang" in long_replies[0]["text"]
        all_texts += [m["text"] for m in long_replies]

        await user.send(
            "1. Bolehkah PNS ikut kampanye?\n2. Bolehkah PPPK jadi anggota partai?\n"
            "3. Resep rendang bagaimana?"
        )
        batch = await user.replies(5)
        answers = [m["text"] for m in batch if m["text"].startswith("<b>")]
        assert len(answers) == 3
        all_texts += [m["text"] for m in batch]

        group = {"id": -4242, "type": "group", "title": "ASN Desa"}
        member = ScriptedUser(client, 5002, first_name="Andi", chat=group)
        await member.send("bolehkah PNS ikut kampanye?")
        assert await member.replies(0, timeout=1.0) == []
        await member.command("/tanya bolehkah PNS ikut kampanye?")
        group_answer = await member.replies(1)
        assert group_answer and group_answer[0]["text"].startswith(VERDICT_EMOJI)

        questions = "1. Bolehkah PNS ikut kampanye?\n2. Bolehkah PPPK jadi anggota partai?\n"
        await user.set_file("qfile", questions.encode())
        document = {
            "file_id": "qfile",
            "file_unique_id": "qfile",
            "file_name": "daftar-pertanyaan.txt",
            "mime_type": "text/plain",
        }
        await user.send(None, document=document)
        from_file = await user.replies(4)
        assert sum(1 for m in from_file if m["text"].startswith("<b>")) == 2
        all_texts += [m["text"] for m in from_file]

    for text in all_texts:
        assert u16len(text) <= TELEGRAM_LIMIT
        assert_valid_html(text)
        assert "Maaf, terjadi kesalahan" not in text


async def test_netra_serve_in_webhook_mode(emulator, tmp_path) -> None:
    """The real `netra serve` command: webhook with a secret token, then a graceful stop."""
    import signal
    import subprocess
    import sys

    from netra.wiring import open_engine
    from tests.e2e.emulator import free_port

    data_dir = tmp_path / "data"
    await asyncio.to_thread(open_engine, Settings(data_dir=data_dir, embedding="hash"))
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("NETRA_") or k == SHARED_CACHE},
        "NETRA_DATA_DIR": str(data_dir),
        "NETRA_EMBEDDING": "hash",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "NETRA_TELEGRAM_BASE_URL": emulator.base_url,
        "NETRA_TELEGRAM_BASE_FILE_URL": emulator.base_file_url,
        "NETRA_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram/hook",
        "NETRA_WEBHOOK_LISTEN": "127.0.0.1",
        "NETRA_WEBHOOK_PORT": str(port),
        "NETRA_WEBHOOK_SECRET": "s3cret-token",
        "PYTHONPATH": str(REPO),  # this checkout's code, whatever is installed
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "netra", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        async with httpx.AsyncClient(base_url=emulator.url, timeout=10) as client:
            user = ScriptedUser(client, 6001)
            deadline = asyncio.get_running_loop().time() + 40
            while True:  # the webhook is registered once the bot has started
                if process.poll() is not None:
                    _, stderr = process.communicate()
                    pytest.fail(f"netra serve exited: {stderr[-2000:]}")
                try:
                    async with httpx.AsyncClient(timeout=1) as probe:
                        await probe.get(f"http://127.0.0.1:{port}/")
                    break
                except httpx.TransportError:
                    assert asyncio.get_running_loop().time() < deadline, "bot did not start"
                    await asyncio.sleep(0.2)
            await asyncio.sleep(0.5)
            await user.send("Bolehkah PNS ikut kampanye calon presiden?")
            replies = await user.replies(1)
            assert replies and replies[0]["text"].startswith(VERDICT_EMOJI)
            assert "PP 94/2021 Pasal 5 huruf n" in replies[0]["text"]
        forged = httpx.post(
            f"http://127.0.0.1:{port}/telegram/hook",
            json={"update_id": 1},
            headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"},
        )
        assert forged.status_code == 403
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            _, stderr = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
    assert process.returncode == 0, stderr[-2000:]
    assert TOKEN not in stderr
    assert "Bolehkah PNS" not in stderr
