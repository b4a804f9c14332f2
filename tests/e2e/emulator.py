"""Drive the telegram-test-api Bot API emulator from Python (end-to-end tests and load bench).

``Emulator`` starts ``start-emulator.js`` on a free loopback port; ``ScriptedUser`` plays a
Telegram user through the emulator's test-side API (``/sendMessage``, ``/sendCommand``,
``/sendCallback``) and reads the bot's replies (``/getUpdates`` per chat).
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "start-emulator.js"
PACKAGE = HERE / "node_modules" / "telegram-test-api"
TOKEN = "e2e-token"


def missing_reason() -> str | None:
    """Why the emulator cannot run here (None when it can)."""
    if shutil.which("node") is None:
        return "node is not installed (needed for the telegram-test-api emulator)"
    if not PACKAGE.exists():
        return "telegram-test-api is not installed: run `npm ci --prefix tests/e2e`"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Emulator:
    """The emulator process on 127.0.0.1 (stopped by :meth:`stop` or the context manager)."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.process: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    def start(self, timeout: float = 15.0) -> Emulator:
        self.process = subprocess.Popen(
            ["node", str(SCRIPT), str(self.port)],
            cwd=HERE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + timeout
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if line.startswith("READY"):
                return self
            if self.process.poll() is not None:
                err = self.process.stderr.read() if self.process.stderr else ""
                raise RuntimeError(f"emulator exited: {err[-2000:]}")
        self.stop()
        raise RuntimeError("emulator did not start in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@asynccontextmanager
async def polling_bot(settings: Any, engine: Any) -> AsyncIterator[Any]:
    """The real bot (``bot.app``) in this process, long polling the emulator every 50 ms;
    stopped on exit. ``settings`` must point ``telegram_base_url`` at the emulator."""
    from bot.app import build_application

    application = build_application(settings, engine)
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.05)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


async def delivery_stats(client: httpx.AsyncClient) -> dict[str, int]:
    """Webhook deliveries so far: delivered, failed attempts (retried), given up."""
    response = await client.get("/deliveryStats")
    response.raise_for_status()
    return dict(response.json()["result"])


async def delivery_waits(client: httpx.AsyncClient) -> list[float]:
    """Seconds each webhook-delivered user update waited in the emulator until the bot
    acknowledged it (sent -> delivered; deliveries go one at a time)."""
    response = await client.post("/getUpdatesHistory", json={"token": TOKEN})
    response.raise_for_status()
    return [
        (item["deliveredAt"] - item["time"]) / 1000
        for item in response.json()["result"]
        if "deliveredAt" in item
    ]


_message_ids = itertools.count(10_000)


class ScriptedUser:
    """One Telegram user in a chat of the emulator."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        user_id: int,
        *,
        first_name: str = "Pengguna",
        chat: dict[str, Any] | None = None,
    ) -> None:
        self.client = client
        self.user = {"id": user_id, "is_bot": False, "first_name": first_name}
        self.chat = chat or {"id": user_id, "type": "private", "first_name": first_name}

    def _message(self, text: str | None, **extra: Any) -> dict[str, Any]:
        message: dict[str, Any] = {
            "botToken": TOKEN,
            "from": self.user,
            "chat": self.chat,
            "date": int(time.time()),
        }
        if text is not None:
            message["text"] = text
        message.update(extra)
        return message

    async def send(self, text: str | None, **extra: Any) -> int:
        """Send a message; returns the message id it was given (what the bot's reply quotes)."""
        response = await self.client.post("/sendMessage", json=self._message(text, **extra))
        response.raise_for_status()
        return int(response.json()["result"]["message_id"])

    async def command(self, text: str) -> int:
        command = text.split()[0]
        entities = [{"offset": 0, "length": len(command), "type": "bot_command"}]
        response = await self.client.post(
            "/sendCommand", json=self._message(text, entities=entities)
        )
        response.raise_for_status()
        return int(response.json()["result"]["message_id"])

    async def press(self, data: str) -> None:
        message = {
            "message_id": next(_message_ids),
            "chat": self.chat,
            "date": int(time.time()),
            "text": "…",
        }
        body = {"botToken": TOKEN, "from": self.user, "message": message, "data": data}
        response = await self.client.post("/sendCallback", json=body)
        response.raise_for_status()

    async def set_file(self, file_id: str, content: bytes) -> None:
        import base64

        body = {"file_id": file_id, "content_base64": base64.b64encode(content).decode()}
        (await self.client.post("/setFile", json=body)).raise_for_status()

    async def sent_ids(self) -> dict[str, int]:
        """The message id the emulator gave each text this user sent (last one wins)."""
        response = await self.client.post("/getUpdatesHistory", json={"token": TOKEN})
        response.raise_for_status()
        ids = {}
        for item in response.json()["result"]:
            message = item.get("message") or {}
            chat = message.get("chat") or {}
            user = message.get("from") or {}
            if chat.get("id") == self.chat["id"] and user.get("id") == self.user["id"]:
                ids[str(message.get("text"))] = int(item["messageId"])
        return ids

    async def replies(
        self, count: int = 1, timeout: float = 15.0, settle: float = 0.3
    ) -> list[dict[str, Any]]:
        """Unread bot messages in this chat: wait for ``count``, then ``settle`` for stragglers."""
        got: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        quiet_until: float | None = None
        while time.monotonic() < deadline:
            response = await self.client.post(
                "/getUpdates", json={"token": TOKEN, "chatId": self.chat["id"]}
            )
            response.raise_for_status()
            new = [
                {"message_id": item.get("messageId"), **item["message"]}
                for item in response.json()["result"]
            ]
            got.extend(new)
            now = time.monotonic()
            if new:
                quiet_until = now + settle
            if len(got) >= count and quiet_until is not None and now >= quiet_until:
                break
            await asyncio.sleep(0.03)
        return got
