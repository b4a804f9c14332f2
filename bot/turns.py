"""One chat's messages are answered in the order they were sent, one at a time.

Different chats are still answered concurrently. Within a process a FIFO lock per chat keeps
the order (PTB creates one task per update, in update order, and each task queues on its chat's
lock before doing anything else). With a shared database (several replicas behind one webhook)
every update is also registered in ``chat_turns`` before the webhook request is acknowledged,
and an update waits until the earlier updates of its chat, wherever they landed, are finished.

The number of updates a chat has waiting tells the handlers when to quote the question: with
several pending, each answer is sent as a reply to its own question.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.storage import BotStorage

TURN_POLL_SECONDS = 0.02  # first wait before a replica checks again for an earlier update
TURN_POLL_MAX_SECONDS = 0.25  # waits grow to this, so 50 waiting chats stay a light load
T = TypeVar("T")
NEVER_BLOCKS = 1_000_000  # PTB's semaphore width (see ChatOrderedProcessor)


def chat_of(update: object) -> int | None:
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


class ChatTurns:
    """Per-chat FIFO turns (and pending counts), local and, when shared, across replicas."""

    def __init__(self, storage: BotStorage) -> None:
        self.storage = storage
        # Turn-table calls get their own threads (and, on PostgreSQL, their own connection), so
        # acknowledging a webhook never queues behind answers being stored.
        self._executor = ThreadPoolExecutor(2, thread_name_prefix="netra-turns")
        self._locks: dict[int, asyncio.Lock] = {}
        self._pending: Counter[int] = Counter()
        self._shared_pending: dict[int, int] = {}
        self._crowded: set[int] = set()  # update ids that arrived while others were pending

    def pending(self, chat_id: int) -> int:
        """Updates of this chat not finished yet, this one included."""
        return max(self._pending[chat_id], self._shared_pending.get(chat_id, 0))

    def crowded(self, update: Update, chat_id: int) -> bool:
        """Whether this update arrived while others of its chat were pending, or others arrived
        since: then its answer must say which question it answers."""
        return update.update_id in self._crowded or self.pending(chat_id) > 1

    async def refresh(self, update: Update, chat_id: int) -> None:
        """Count the chat's pending updates across replicas again just before an answer goes
        out: one that reached another replica after this turn began still makes it quote."""
        if not self.storage.shared:
            return  # the local count is always current
        _, total = await self._run(self.storage.turn_state, update.update_id, str(chat_id))
        self._shared_pending[chat_id] = total
        if total > 1:
            self._crowded.add(update.update_id)

    async def register(self, update: Update) -> None:
        """Record an update in the shared turn table before it is acknowledged."""
        chat_id = chat_of(update)
        if chat_id is not None and self.storage.shared:
            await self._run(self.storage.register_turn, update.update_id, str(chat_id))

    @asynccontextmanager
    async def turn(self, update: Update, chat_id: int) -> AsyncIterator[None]:
        self._pending[chat_id] += 1
        if self._pending[chat_id] > 1:
            self._crowded.add(update.update_id)
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        try:
            async with lock:
                try:
                    if self.storage.shared:
                        await self._wait_for_earlier(update.update_id, chat_id)
                        if self._shared_pending.get(chat_id, 0) > 1:
                            self._crowded.add(update.update_id)
                    yield
                finally:
                    if self.storage.shared:
                        await self._run(self.storage.finish_turn, update.update_id)
        finally:
            self._crowded.discard(update.update_id)
            self._pending[chat_id] -= 1
            if self._pending[chat_id] <= 0:
                del self._pending[chat_id]
                self._locks.pop(chat_id, None)
                self._shared_pending.pop(chat_id, None)

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, function, *args)

    async def _wait_for_earlier(self, update_id: int, chat_id: int) -> None:
        pause = TURN_POLL_SECONDS
        while True:
            earlier, total = await self._run(self.storage.turn_state, update_id, str(chat_id))
            self._shared_pending[chat_id] = total
            if earlier == 0:
                return
            await asyncio.sleep(pause)
            pause = min(pause * 1.5, TURN_POLL_MAX_SECONDS)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class ChatOrderedProcessor(BaseUpdateProcessor):
    """PTB update processor: concurrent across chats, in order within one chat.

    PTB's own semaphore (taken before :meth:`do_process_update`) is made wide enough never to
    block, so updates reach the chat locks in arrival order; the real bound on concurrent work
    is taken after the chat's turn has come, so waiting chats do not hold its slots.
    """

    def __init__(self, turns: ChatTurns, max_concurrent_updates: int) -> None:
        super().__init__(NEVER_BLOCKS)
        self.turns = turns
        self.limit = max_concurrent_updates
        self._active: asyncio.BoundedSemaphore | None = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if self._active is None:
            self._active = asyncio.BoundedSemaphore(self.limit)
        chat_id = chat_of(update)
        if chat_id is None or not isinstance(update, Update):
            async with self._active:
                await coroutine
            return
        async with self.turns.turn(update, chat_id), self._active:
            await coroutine

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


class TurnRegisteringQueue(asyncio.Queue):  # type: ignore[type-arg]
    """The update queue: registers each update's turn before the webhook acknowledges it."""

    def __init__(self, turns: ChatTurns) -> None:
        super().__init__()
        self.turns = turns

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            await self.turns.register(item)
        await super().put(item)
