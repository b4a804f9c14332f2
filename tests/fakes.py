"""Shared test doubles (imported by test modules; not a test module itself): an offline Bot API
request layer, a tiny fake engine, update builders, the bot harness and a fake ingest function.

The request layer records every call and answers with canned JSON, the way PTB's own tests do,
so handlers run through ``Application.process_update`` without any network.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.app import BotServices, build_application
from bot.protocols import IngestFunction, PhrasingStats
from bot.storage import BotStorage
from knowledge.config import Settings
from knowledge.models import (
    Answer,
    AnswerKind,
    Citation,
    Provision,
    Regulation,
    Section,
    Status,
    Verdict,
)
from knowledge.present import rendered
from knowledge.store import IndexInfo

BOT_ID = 999
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Netra", "username": "netra_bot"}
TOKEN = "123456:TEST-TOKEN-abcdef"


@dataclass
class Call:
    method: str
    params: dict[str, Any]


class OfflineRequest(BaseRequest):
    """Records Bot API calls and returns plausible results; serves files from ``files``."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.files: dict[str, bytes] = {}
        self._ids = itertools.count(1000)

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:
            name = url.rsplit("/", 1)[-1]
            return 200, self.files.get(name, b"")
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        self.calls.append(Call(api_method, params))
        return 200, json.dumps({"ok": True, "result": self._result(api_method, params)}).encode()

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in ("sendMessage", "sendDocument"):
            message: dict[str, Any] = {
                "message_id": next(self._ids),
                "date": int(time.time()),
                "chat": {"id": params.get("chat_id", 1), "type": "private"},
                "from": BOT_USER,
            }
            if method == "sendMessage":
                message["text"] = params.get("text", "")
            else:
                message["document"] = {"file_id": "doc", "file_unique_id": "doc"}
            return message
        if method == "getFile":
            file_id = params["file_id"]
            return {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_size": len(self.files.get(file_id, b"")),
                "file_path": f"documents/{file_id}",
            }
        return True

    # --- helpers for assertions ---------------------------------------------------------------
    def sent(self, method: str = "sendMessage") -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def texts(self) -> list[str]:
        return [str(c.params.get("text", "")) for c in self.sent()]

    def clear(self) -> None:
        self.calls.clear()


# --- a tiny engine with real Answer objects ---------------------------------------------------------
LIKE_CITATION = Citation(
    label="PP 94/2021 Pasal 5 huruf n angka 5",
    regulation="PP 94/2021",
    pasal="5",
    huruf="n",
    angka="5",
    text="(Rumusan kami) PNS dilarang mendukung calon, termasuk <b>tanda</b> & simbol di medsos.",
    status=Status.BERLAKU,
    source="shared/corpus/regulations/pp-94-2021.txt",
)


def make_answer(
    question: str,
    verdict: Verdict,
    text: str,
    citations: list[Citation],
    *,
    act: str | None = None,
    lookup: str | None = None,
) -> Answer:
    """A structured answer as the composer makes them: a ruling about ``act`` explained by
    ``text``, a look-up of the provision ``lookup``, or a message ``text``."""
    kind: AnswerKind = "ruling" if act else "lookup" if lookup else "unknown"
    if lookup:
        sections = [Section(kind="lookup", label=lookup)]
    else:
        sections = [Section(kind="explanation" if act else "message", text=text)]
    return rendered(
        Answer(
            question=question,
            verdict=verdict,
            answer="",
            citations=citations,
            sanctions=["Hukuman disiplin sedang (Rumusan kami)."] if citations else [],
            confidence=0.9 if verdict is not Verdict.TIDAK_DIKETAHUI else 0.2,
            knowledge_version="test+00000000",
            kind="out_of_scope" if verdict is Verdict.DI_LUAR_CAKUPAN else kind,
            act=act,
            sections=sections,
        )
    )


@dataclass
class FakeEngine:
    """Keyword rules standing in for the engine; records (question, context) pairs."""

    calls: list[tuple[str, str | None]] = field(default_factory=list)
    reloads: int = 0
    knowledge_version: str = "test+00000000"
    info: IndexInfo = field(
        default_factory=lambda: IndexInfo("netra-test", "hash", 8, 0.0, "", "test", 1)
    )
    pack: Any = field(
        default_factory=lambda: SimpleNamespace(
            regulations={
                "PP 94/2021": Regulation(
                    id="PP 94/2021",
                    title="Disiplin Pegawai Negeri Sipil",
                    type="PP",
                    number="94",
                    year=2021,
                    status=Status.BERLAKU,
                    source_url="https://example.invalid/pp94",
                    verified_against=["x"],
                ),
                "PP 53/2010": Regulation(
                    id="PP 53/2010",
                    title="Disiplin PNS (lama)",
                    type="PP",
                    number="53",
                    year=2010,
                    status=Status.DICABUT,
                    status_note="Dicabut oleh PP 94/2021",
                    source_url="https://example.invalid/pp53",
                    verified_against=["x"],
                ),
            }
        )
    )

    def answer(self, question: str, *, context: str | None = None) -> Answer:
        self.calls.append((question, context))
        folded = question.lower()
        follow_up = folded.startswith("kalau") and context
        merged = f"{folded} {(context or '').lower()}" if follow_up else folded
        if "rendang" in folded:
            return make_answer(
                question, Verdict.DI_LUAR_CAKUPAN, "Netra hanya menjawab soal netralitas ASN.", []
            )
        if "like" in merged or "komen" in folded:
            return make_answer(
                question,
                Verdict.DILARANG,
                "Penjelasan <i>singkat</i> & jelas.",
                [LIKE_CITATION],
                act="memberi tanda suka pada unggahan calon",
            )
        if "hadir" in folded:
            return make_answer(question, Verdict.BOLEH, "", [], act="hadir sebagai warga")
        return make_answer(
            question,
            Verdict.TIDAK_DIKETAHUI,
            "Netra belum dapat memastikan jawabannya.",
            [LIKE_CITATION],
        )

    def provision(self, label: str) -> Provision | None:
        if label != LIKE_CITATION.label:
            return None
        return Provision(
            regulation="PP 94/2021",
            pasal="5",
            huruf="n",
            angka="5",
            text="Teks resmi <angka 5> tentang dukungan.",
            official=True,
            source="pp-94-2021.txt",
        )

    def reload(self) -> bool:
        self.reloads += 1
        return True


# --- building updates -------------------------------------------------------------------------------
_update_ids = itertools.count(1)
_message_ids = itertools.count(1)
USER = {"id": 42, "is_bot": False, "first_name": "Rina", "language_code": "id"}
ADMIN = {"id": 7, "is_bot": False, "first_name": "Admin"}


def message_update(
    text: str | None = None,
    *,
    user: dict[str, Any] | None = None,
    chat: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    user = user or USER
    message: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat or {"id": user["id"], "type": "private", "first_name": user["first_name"]},
        "from": user,
    }
    if text is not None:
        message["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    message.update(extra)
    return {"update_id": next(_update_ids), "message": message}


def callback_update(data: str, *, user: dict[str, Any] | None = None) -> dict[str, Any]:
    user = user or USER
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_update_ids)),
            "from": user,
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": next(_message_ids),
                "date": int(time.time()),
                "chat": {"id": user["id"], "type": "private"},
                "from": BOT_USER,
                "text": "jawaban",
            },
        },
    }


class BotHarness:
    """An initialised Application over the offline request layer."""

    def __init__(
        self,
        settings: Settings,
        engine: Any,
        *,
        ingest: IngestFunction | None = None,
        phrasing: PhrasingStats | None = None,
    ) -> None:
        self.request = OfflineRequest()
        self.engine = engine
        services = BotServices(engine, BotStorage.from_settings(settings), ingest, phrasing)
        self.app = build_application(settings, services, request=self.request)

    async def __aenter__(self) -> BotHarness:
        await self.app.initialize()
        self.request.clear()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.app.shutdown()
        self.app.bot_data["state"].close()

    async def send(self, update: dict[str, Any]) -> list[str]:
        """Process one update; return the texts the bot sent in response."""
        start = len(self.request.calls)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return [
            str(c.params.get("text", ""))
            for c in self.request.calls[start:]
            if c.method == "sendMessage"
        ]

    def last_markup(self) -> Any:
        sent = self.request.sent()
        return sent[-1].params.get("reply_markup") if sent else None

    @property
    def state(self) -> Any:
        return self.app.bot_data["state"]


def bot_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "embedding": "hash",
        "TELEGRAM_BOT_TOKEN": TOKEN,  # the field only reads its alias
        "admin_ids": [ADMIN["id"]],
    }
    values.update(overrides)
    return Settings(**values)
