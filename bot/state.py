"""Per-process bot state: the engine, storage, limiter and the small in-memory caches.

Kept in ``application.bot_data["state"]`` so handlers stay thin and tests can build their own.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram.ext import ContextTypes

from bot.protocols import AnswerEngine
from bot.ratelimit import RateLimiter
from bot.storage import BotStorage
from knowledge.config import Settings
from knowledge.models import Answer

T = TypeVar("T")

ANSWER_CACHE_SIZE = 2000
CONTEXT_KEYS = 20_000
ENGINE_WORKERS = 4


@dataclass
class CachedAnswer:
    answer: Answer
    kind: str
    voted: set[str] = field(default_factory=set)


class AnswerCache:
    """Answers by short id, for the inline buttons (callback data is limited to 64 bytes)."""

    def __init__(self, size: int = ANSWER_CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[str, CachedAnswer] = OrderedDict()

    def put(self, answer: Answer, kind: str) -> str:
        key = secrets.token_urlsafe(6)  # 8 characters
        while key in self._items:
            key = secrets.token_urlsafe(6)
        self._items[key] = CachedAnswer(answer, kind)
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return key

    def get(self, key: str) -> CachedAnswer | None:
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
        return item

    def __len__(self) -> int:
        return len(self._items)


class ContextMemory:
    """The previous question of each (chat, user) for a short while, for follow-ups."""

    def __init__(
        self, ttl: float, size: int = CONTEXT_KEYS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.size = size
        self.clock = clock
        self._items: OrderedDict[tuple[int, int], tuple[str, float]] = OrderedDict()

    def get(self, key: tuple[int, int]) -> str | None:
        item = self._items.get(key)
        if item is None or self.ttl <= 0:
            return None
        question, at = item
        if self.clock() - at > self.ttl:
            self._items.pop(key, None)
            return None
        return question

    def set(self, key: tuple[int, int], question: str) -> None:
        self._items.pop(key, None)
        self._items[key] = (question, self.clock())
        if len(self._items) > self.size:
            self._items.popitem(last=False)


@dataclass
class BotState:
    settings: Settings
    engine: AnswerEngine
    storage: BotStorage
    limiter: RateLimiter
    answers: AnswerCache
    contexts: ContextMemory
    executor: ThreadPoolExecutor
    started_at: float = field(default_factory=time.time)

    @classmethod
    def create(
        cls, settings: Settings, engine: AnswerEngine, storage: BotStorage | None = None
    ) -> BotState:
        return cls(
            settings=settings,
            engine=engine,
            storage=storage or BotStorage.from_settings(settings),
            limiter=RateLimiter(settings.rate_limit_per_minute),
            answers=AnswerCache(),
            contexts=ContextMemory(settings.context_ttl_seconds),
            executor=ThreadPoolExecutor(ENGINE_WORKERS, thread_name_prefix="netra-engine"),
        )

    async def run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run blocking engine/storage work off the event loop, on the bounded executor."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, lambda: function(*args, **kwargs))

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.admin_ids

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.storage.close()


def get_state(context: ContextTypes.DEFAULT_TYPE) -> BotState:
    state = context.application.bot_data["state"]
    assert isinstance(state, BotState)
    return state
