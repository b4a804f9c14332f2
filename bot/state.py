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

from bot.protocols import AnswerEngine
from bot.ratelimit import RateLimiter
from bot.storage import BotStorage
from bot.turns import ChatTurns
from knowledge.config import Settings
from knowledge.models import Answer

T = TypeVar("T")

ENGINE_WORKERS = 4
ANSWERS = "answer"  # kv namespaces
CONTEXTS = "context"
MESSAGES = "message"
CONTEXT_CHARS = 600


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
    """The previous question of each (chat, user) for a short while, for follow-ups."""

    def __init__(self, storage: BotStorage, ttl: float) -> None:
        self.storage = storage
        self.ttl = ttl

    def _key(self, key: tuple[int, int]) -> str:
        return self.storage.user_hash(f"c:{key[0]}:{key[1]}")

    def get(self, key: tuple[int, int]) -> str | None:
        if self.ttl <= 0:
            return None
        value = self.storage.get(CONTEXTS, self._key(key))
        return str(value) if value else None

    def set(self, key: tuple[int, int], question: str) -> None:
        if self.ttl > 0:
            self.storage.put(CONTEXTS, self._key(key), question[-CONTEXT_CHARS:], self.ttl)


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
    started_at: float = field(default_factory=time.time)

    @classmethod
    def create(
        cls, settings: Settings, engine: AnswerEngine, storage: BotStorage | None = None
    ) -> BotState:
        storage = storage or BotStorage.from_settings(settings)
        return cls(
            settings=settings,
            engine=engine,
            storage=storage,
            limiter=RateLimiter(storage, settings.rate_limit_per_minute),
            answers=AnswerCache(storage, settings.answer_ttl_seconds),
            contexts=ContextMemory(storage, settings.context_ttl_seconds),
            executor=ThreadPoolExecutor(ENGINE_WORKERS, thread_name_prefix="netra-engine"),
            turns=ChatTurns(storage),
        )

    async def run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run blocking engine/storage work off the event loop, on the bounded executor."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, lambda: function(*args, **kwargs))

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.admin_ids

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.turns.close()
        self.storage.close()


def get_state(context: ContextTypes.DEFAULT_TYPE) -> BotState:
    state = context.application.bot_data["state"]
    assert isinstance(state, BotState)
    return state
