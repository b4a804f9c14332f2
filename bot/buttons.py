"""Inline buttons: example questions, 📚 more, 📖 provisions, 📄 formal version, 👍/👎.

Answers come from the database-backed cache (:class:`bot.state.AnswerCache`), so a button works
after a restart and on any replica. Admin document choices (``d:``) live in :mod:`bot.admin`.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot import texts
from bot.formatting import esc, render_answer, render_formal, render_provisions
from bot.handlers import Asked, answer_buttons, english_user, respond, send_html
from bot.state import BotState, CachedAnswer, get_state


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Dispatch a button press by the prefix of its callback data."""
    query = update.callback_query
    if query is None or not query.data:
        return
    state = get_state(context)
    kind, _, rest = query.data.partition(":")
    message = query.message if isinstance(query.message, Message) else None
    if kind == "x":
        await query.answer()
        await example(update, context, message, rest)
        return
    key, _, vote = rest.partition(":")
    cached = await state.run(state.answers.get, key)
    if cached is None:
        await query.answer(texts.t("EXPIRED", english_user(update)), show_alert=True)
        return
    if kind == "v":
        await feedback(update, state, key, cached, vote)
        return
    await query.answer()
    if message is not None:
        await show(state, message, kind, key, cached)


async def example(
    update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message | None, rest: str
) -> None:
    index = int(rest) if rest.isdigit() else -1
    if message is not None and 0 <= index < len(texts.EXAMPLE_QUESTIONS):
        question = texts.EXAMPLE_QUESTIONS[index]
        await message.reply_text(f"❓ <i>{esc(question)}</i>", parse_mode=ParseMode.HTML)
        await respond(update, context, Asked(question, "example"))


async def feedback(
    update: Update, state: BotState, key: str, cached: CachedAnswer, vote: str
) -> None:
    query = update.callback_query
    assert query is not None
    await state.run(
        state.storage.record_feedback,
        answer_id=key,
        user_id=query.from_user.id,
        vote=1 if vote == "+" else -1,
        verdict=cached.answer.verdict.value,
    )
    await query.answer(texts.t("FEEDBACK_THANKS", cached.answer.english))


async def show(
    state: BotState, message: Message, kind: str, key: str, cached: CachedAnswer
) -> None:
    """📚 the full answer, 📖 the cited provisions, 📄 the formal paragraph."""
    answer = cached.answer
    if kind == "m":
        await send_html(message, render_answer(answer), answer_buttons(key, answer, more=False))
    elif kind == "p":
        citations = answer.citations or [c for p in answer.parts for c in p.citations]
        labels = list(dict.fromkeys(c.label for c in citations))
        provisions = [await state.run(state.engine.provision, label) for label in labels]
        links = regulation_links(state, provisions)
        await send_html(message, render_provisions(labels, provisions, links, en=answer.english))
    elif kind == "f":
        await send_html(message, render_formal(answer))


def regulation_links(state: BotState, provisions: Sequence[object]) -> dict[str, str]:
    """Official source address of each cited regulation, from the knowledge pack."""
    regulations = getattr(state.engine.pack, "regulations", {}) or {}
    links = {}
    for provision in provisions:
        regulation = regulations.get(getattr(provision, "regulation", None))
        url = getattr(regulation, "source_url", None)
        if regulation is not None and url:
            links[regulation.id] = str(url)
    return links
