"""Bot state: the engine, storage, limiter, per-chat turns and the database-backed caches.

Kept in ``application.bot_data["state"]`` so handlers stay thin and tests can build their own.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram.ext import ContextTypes

from bot.protocols import AnswerEngine, IngestFunction, PhrasingStats
from bot.ratelimit import RateLimiter
from bot.storage import BotStorage
from bot.turns import ChatTurns
from knowledge.config import Settings
from knowledge.conversation import Conversation
from knowledge.models import Answer

T = TypeVar("T")

ENGINE_WORKERS = 4
ANSWERS = "answer"  # kv namespaces
CONTEXTS = "context"
MESSAGES = "message"


@dataclass
class CachedAnswer:
    answer: Answer
    kind: str


class AnswerCache:
    """Answers by short id, for the inline buttons (callback data is limited to 64 bytes).

    Kept in the bot database, so buttons keep working after a restart and on every replica.
    Each bot message carrying an answer is also mapped (by a salted hash of chat and message id)
    to that answer, so a reply to it can take the answer as its context.
    """

    def __init__(self, storage: BotStorage, ttl: float) -> None:
        self.storage = storage
        self.ttl = ttl

    def put(self, answer: Answer, kind: str) -> str:
        key = secrets.token_urlsafe(6)  # 8 characters
        value = {"answer": answer.model_dump(mode="json"), "kind": kind}
        self.storage.put(ANSWERS, key, value, self.ttl)
        return key

    def get(self, key: str) -> CachedAnswer | None:
        value = self.storage.get(ANSWERS, key)
        if not isinstance(value, dict):
            return None
        return CachedAnswer(Answer.model_validate(value["answer"]), str(value.get("kind", "")))

    def link_message(self, chat_id: int, message_id: int, key: str) -> None:
        self.storage.put(MESSAGES, self._message_key(chat_id, message_id), key, self.ttl)

    def for_message(self, chat_id: int, message_id: int) -> CachedAnswer | None:
        key = self.storage.get(MESSAGES, self._message_key(chat_id, message_id))
        return self.get(str(key)) if key else None

    def _message_key(self, chat_id: int, message_id: int) -> str:
        return self.storage.user_hash(f"m:{chat_id}:{message_id}")


class ContextMemory:
    """Each (chat, user)'s :class:`Conversation` for a short while, for follow-ups; kept in the
    bot database so every replica sees it."""

    def __init__(self, storage: BotStorage, ttl: float) -> None:
        self.storage = storage
        self.ttl = ttl

    def _key(self, key: tuple[int, int]) -> str:
        return self.storage.user_hash(f"c:{key[0]}:{key[1]}")

    def get(self, key: tuple[int, int]) -> Conversation:
        if self.ttl <= 0:
            return Conversation()
        value = self.storage.get(CONTEXTS, self._key(key))
        return Conversation(str(value) if value else None)

    def set(self, key: tuple[int, int], conversation: Conversation) -> None:
        if self.ttl > 0 and conversation.context:
            self.storage.put(CONTEXTS, self._key(key), conversation.context, self.ttl)


@dataclass(frozen=True)
class BotServices:
    """The application's services the bot's handlers use, handed in by the wiring.

    ``ingest`` None: admin uploads are declined with a pointer to ``netra ingest``;
    ``phrasing`` None: ``/stats`` shows no language-model counters (extractive answers).
    """

    engine: AnswerEngine
    storage: BotStorage
    ingest: IngestFunction | None = None
    phrasing: PhrasingStats | None = None


@dataclass
class BotState:
    settings: Settings
    engine: AnswerEngine
    storage: BotStorage
    limiter: RateLimiter
    answers: AnswerCache
    contexts: ContextMemory
    executor: ThreadPoolExecutor
    turns: ChatTurns
    ingest: IngestFunction | None = None
    phrasing: PhrasingStats | None = None
    started_at: float = field(default_factory=time.time)

    @classmethod
    def create(cls, settings: Settings, services: BotServices) -> BotState:
        storage = services.storage
        return cls(
            settings=settings,
            engine=services.engine,
            storage=storage,
            ingest=services.ingest,
            phrasing=services.phrasing,
            limiter=RateLimiter(storage, settings.bot.rate_limit_per_minute),
            answers=AnswerCache(storage, settings.bot.answer_ttl_seconds),
            contexts=ContextMemory(storage, settings.bot.context_ttl_seconds),
            executor=ThreadPoolExecutor(ENGINE_WORKERS, thread_name_prefix="netra-engine"),
            turns=ChatTurns(storage),
        )

    async def run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run blocking engine/storage work off the event loop, on the bounded executor."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, lambda: function(*args, **kwargs))

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.bot.admin_ids

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.turns.close()
        self.storage.close()


def get_state(context: ContextTypes.DEFAULT_TYPE) -> BotState:
    state = context.application.bot_data["state"]
    assert isinstance(state, BotState)
    return state
