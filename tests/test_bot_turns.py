"""Per-chat turns across replicas sharing PostgreSQL (bot/turns.py): order and quoting."""

from __future__ import annotations

import asyncio
import datetime
import random

from telegram import Chat, Message, Update

from bot.database import PostgresDatabase
from bot.storage import BotStorage
from bot.turns import ChatTurns


def private_update(update_id: int, chat_id: int) -> Update:
    chat = Chat(id=chat_id, type=Chat.PRIVATE)
    when = datetime.datetime.now(datetime.UTC)
    return Update(update_id, message=Message(update_id, when, chat, text="Bolehkah PNS kampanye?"))


def replica(url: str) -> ChatTurns:
    return ChatTurns(BotStorage(PostgresDatabase(url), salt=b"turns-test"))


async def test_an_update_on_another_replica_makes_the_pending_answer_quote(postgres) -> None:
    chat_id = random.randrange(10**6, 10**7)
    first, second = private_update(chat_id + 1, chat_id), private_update(chat_id + 2, chat_id)
    a, b = replica(postgres.url), replica(postgres.url)
    try:
        await a.register(first)
        async with a.turn(first, chat_id):
            assert not a.crowded(first, chat_id)  # alone when its turn began
            await b.register(second)  # the next question lands on the other replica
            await a.refresh(first, chat_id)
            assert a.crowded(first, chat_id)  # so the first answer says which question it is
            later = asyncio.create_task(enter(b, second, chat_id))
            await asyncio.sleep(0.3)
            assert not later.done()  # the second waits for the first, on another replica
        assert await asyncio.wait_for(later, 10) is False  # then alone: no quote needed
    finally:
        a.close()
        b.close()


async def enter(turns: ChatTurns, update: Update, chat_id: int) -> bool:
    async with turns.turn(update, chat_id):
        return turns.crowded(update, chat_id)
