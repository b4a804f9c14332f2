"""Thin async callbacks: parse the update, call the engine off the event loop, render, reply.

All answering goes through :func:`respond` (rate limit, long messages, follow-up and reply
context, typing action, storage, the short answer and its buttons). Buttons live in
:mod:`bot.buttons`; admin callbacks in :mod:`bot.admin`, reachable only through handlers
registered with an admin filter. Updates of one chat arrive here one at a time, in order
(:mod:`bot.turns`).
"""

from __future__ import annotations

import asyncio
import io
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageOrigin,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    Update,
)
from telegram.constants import ChatAction, ChatType, MessageEntityType, ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes, filters

from bot import texts
from bot.batch import (
    MAX_BATCH,
    NAME_MASK,
    find_questions,
    mask_nip,
    mask_personal,
    split_numbered,
    split_questions_file,
)
from bot.formatting import (
    VERDICT_EMOJI,
    disclaimer_html,
    esc,
    render_about,
    render_batch_document,
    render_sources,
    shorten,
    split_html,
)
from bot.short import render_short
from bot.state import BotState, get_state
from knowledge.conversation import Conversation
from knowledge.lexicon import is_english as is_english_text
from knowledge.lexicon import tokens
from knowledge.models import Answer, Verdict

log = logging.getLogger(__name__)

MAX_TXT_BYTES = 256 * 1024
BATCH_AS_DOCUMENT_MESSAGES = 8  # more reply messages than this -> one .txt document
TYPING_DELAY = 0.3  # seconds of work before the "typing…" action is worth sending


# --- language and sending helpers -----------------------------------------------------------------
def english_user(update: Update, text: str | None = None) -> bool:
    """Whether to use English: the message's own language, else the user's Telegram setting."""
    if text and len(tokens(text)) >= 2:
        return is_english_text(text)
    user = update.effective_user
    return bool(user and (user.language_code or "").lower().startswith("en"))


async def quote_reply(update: Update, state: BotState) -> bool | None:
    """Reply to the question itself when the chat has more than one message waiting, on any
    replica (groups always quote: PTB's default)."""
    chat_id, chat_type = _chat(update)
    if chat_type != ChatType.PRIVATE:
        return None
    await state.turns.refresh(update, chat_id)
    return True if state.turns.crowded(update, chat_id) else None


async def send_html(
    message: Message,
    html_text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    quote: bool | None = None,
) -> list[Message]:
    """Reply with HTML split under Telegram's limit; buttons go under the last part."""
    chunks = split_html(html_text)
    sent = []
    for i, chunk in enumerate(chunks):
        last = i == len(chunks) - 1
        sent.append(
            await message.reply_text(
                chunk,
                parse_mode=ParseMode.HTML,
                reply_markup=markup if last else None,
                disable_web_page_preview=True,
                do_quote=quote,
            )
        )
    return sent


async def typing(message: Message) -> None:
    try:
        await message.get_bot().send_chat_action(message.chat_id, ChatAction.TYPING)
    except TelegramError:
        log.debug("chat action failed", exc_info=True)


@asynccontextmanager
async def typing_while(message: Message, delay: float | None = None) -> AsyncIterator[None]:
    """Show "typing…" if the work takes longer than ``delay`` (most answers are faster, and an
    extra API call per message would only add load), refreshed every 4 s until done."""

    async def keep_typing() -> None:
        await asyncio.sleep(TYPING_DELAY if delay is None else delay)
        while True:
            await typing(message)
            await asyncio.sleep(4.0)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()


def offers_formal(answer: Answer) -> bool:
    """Refusals and out-of-scope replies have nothing to put in a nota dinas."""
    verdicts = [p.verdict for p in answer.parts] or [answer.verdict]
    return any(v not in (Verdict.DITOLAK, Verdict.DI_LUAR_CAKUPAN) for v in verdicts)


def has_citations(answer: Answer) -> bool:
    return bool(answer.citations) or any(p.citations for p in answer.parts)


def answer_buttons(key: str, answer: Answer, *, more: bool = True) -> InlineKeyboardMarkup:
    """📚 / 📖 / 📄 / 👍 / 👎 under an answer; callback data stays far below 64 bytes."""
    en = answer.english
    first = []
    if more and offers_formal(answer):
        first.append(InlineKeyboardButton(texts.t("MORE", en), callback_data=f"m:{key}"))
    if has_citations(answer):
        first.append(InlineKeyboardButton(texts.t("PROVISIONS", en), callback_data=f"p:{key}"))
    if offers_formal(answer):
        first.append(InlineKeyboardButton(texts.t("FORMAL", en), callback_data=f"f:{key}"))
    votes = [
        InlineKeyboardButton("👍", callback_data=f"v:{key}:+"),
        InlineKeyboardButton("👎", callback_data=f"v:{key}:-"),
    ]
    return InlineKeyboardMarkup([first, votes] if first else [votes])


def example_buttons() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(q, callback_data=f"x:{i}")]
            for i, q in enumerate(texts.EXAMPLE_QUESTIONS)
        ]
    )


# --- the answering path ------------------------------------------------------------------------------
@dataclass
class Asked:
    """One question to answer and how to present it."""

    question: str
    kind: str = "text"  # text | forward | batch | group | example | caption
    preface: str | None = None
    use_context: bool = True
    context: str | None = None  # the answer this message replies to, when it replies to one


def _user_id(update: Update) -> int:
    user = update.effective_user
    return user.id if user else 0


def _chat(update: Update) -> tuple[int, str]:
    chat = update.effective_chat
    return (chat.id, chat.type) if chat else (0, "unknown")


async def allowed(update: Update, state: BotState, question: str) -> bool:
    """Apply the per-user rate limit; a question over it is remembered to be reported once."""
    user_id = _user_id(update)
    if not await state.run(state.limiter.hit, user_id):
        return True
    await state.run(state.limiter.drop, user_id, shorten(question, 90))
    return False


async def report_dropped(update: Update, state: BotState, message: Message) -> None:
    """Once the chat has nothing more waiting: which questions went unanswered, and when to
    send them again (one message, after the answers)."""
    chat_id, _ = _chat(update)
    if state.turns.pending(chat_id) > 1:
        return
    user_id = _user_id(update)
    count, items = await state.run(state.limiter.take_dropped, user_id)
    if not count:
        return
    seconds = await state.run(state.limiter.retry_after, user_id, count)
    listed = "\n".join(f"{i}. <i>{esc(q)}</i>" for i, q in enumerate(items, 1))
    if count > len(items):
        listed += f"\n… (+{count - len(items)})"
    en = english_user(update, items[0] if items else None)
    await message.reply_text(
        texts.t("RATE_LIMITED", en).format(
            count=count,
            limit=state.limiter.per_minute,
            questions=listed,
            seconds=max(int(seconds + 0.5), 1),
        ),
        parse_mode=ParseMode.HTML,
    )


def cap_length(text: str, limit: int) -> tuple[str, bool]:
    """The first ``limit`` characters, cut at a word boundary when one is near."""
    if len(text) <= limit:
        return text, False
    head = text[:limit]
    cut = max(head.rfind("\n"), head.rfind(". "), head.rfind("? "), head.rfind(" "))
    return (head[:cut] if cut > limit * 0.6 else head).strip(), True


def fit_question(question: str, limit: int, en: bool) -> tuple[str, str | None]:
    """The part of a long message to answer, and the note saying what was left out."""
    found = find_questions(question, limit)
    if found is not None:
        text, skipped = found
        note = texts.t("LONG_MESSAGE", en).format(length=len(question), skipped=skipped)
        return text, note
    capped, truncated = cap_length(question, limit)
    return capped, texts.t("TRUNCATED", en).format(limit=limit) if truncated else None


async def compute(update: Update, state: BotState, asked: Asked) -> tuple[Answer, str]:
    """Run the engine for one question and record it; returns the answer and its cache key."""
    chat_id, chat_type = _chat(update)
    user_id = _user_id(update)
    key = (chat_id, user_id)
    conversation = Conversation(asked.context)
    if asked.context is None and asked.use_context:
        conversation = await state.run(state.contexts.get, key)
    answer = await state.run(state.engine.answer, asked.question, context=conversation.context)
    if asked.use_context:
        conversation.remember(asked.question)
        await state.run(state.contexts.set, key, conversation)
    answer_key = await state.run(state.answers.put, answer, asked.kind)
    await state.run(
        state.storage.record_question,
        user_id=user_id,
        chat_type=chat_type,
        kind=asked.kind,
        verdict=answer.verdict.value,
        confidence=answer.confidence,
        answer_id=answer_key,
        question=mask_nip(asked.question),
    )
    return answer, answer_key


async def send_answer(
    update: Update, state: BotState, message: Message, answer: Answer, key: str, preface: str | None
) -> None:
    """The short answer with its buttons; its messages are linked to the answer for replies."""
    html_text = render_short(answer, preface=preface)
    sent = await send_html(
        message, html_text, answer_buttons(key, answer), quote=await quote_reply(update, state)
    )
    for part in sent:
        await state.run(state.answers.link_message, part.chat_id, part.message_id, key)


async def respond(update: Update, context: ContextTypes.DEFAULT_TYPE, asked: Asked) -> None:
    """Answer one question in reply to the update's message."""
    state = get_state(context)
    message = update.effective_message
    if message is None:
        return
    if await allowed(update, state, asked.question):
        en = english_user(update, asked.question)
        asked.question, note = fit_question(
            asked.question, state.settings.bot.max_message_chars, en
        )
        if update.edited_message is not None:
            note = "\n\n".join(x for x in (texts.t("EDITED_PREFACE", en), note) if x)
        async with typing_while(message):
            answer, key = await compute(update, state, asked)
        preface = "\n\n".join(x for x in (note, asked.preface) if x) or None
        await send_answer(update, state, message, answer, key, preface)
    await report_dropped(update, state, message)


async def respond_batch(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    questions: list[str],
    kind: str = "batch",
) -> None:
    """One short answer per question (at most MAX_BATCH, saying what was cut): a message series,
    or one .txt document of full answers when it would be long."""
    state = get_state(context)
    message = update.effective_message
    if message is None:
        return
    if not await allowed(update, state, questions[0]):
        await report_dropped(update, state, message)
        return
    en = english_user(update, " ".join(questions[:3]))
    await typing(message)
    limit = state.settings.bot.max_message_chars
    results = []
    async with typing_while(message, delay=4.0):
        for question in questions[:MAX_BATCH]:
            capped, _ = cap_length(question, limit)
            results.append(await compute(update, state, Asked(capped, kind, use_context=False)))
    quote = await quote_reply(update, state)
    if len(questions) > MAX_BATCH:
        cut = texts.t("BATCH_CUT", en).format(
            total=len(questions), limit=MAX_BATCH, rest=len(questions) - MAX_BATCH
        )
        await message.reply_text(cut, do_quote=quote)
    if len(results) > BATCH_AS_DOCUMENT_MESSAGES:
        await send_batch_document(message, results, en, quote)
    else:
        await send_batch_messages(update, state, message, results, en)
    await report_dropped(update, state, message)


async def send_batch_messages(
    update: Update,
    state: BotState,
    message: Message,
    results: list[tuple[Answer, str]],
    en: bool,
) -> None:
    quote = await quote_reply(update, state)
    intro = texts.t("BATCH_INTRO", en).format(count=len(results))
    await message.reply_text(intro, parse_mode=ParseMode.HTML, do_quote=quote)
    for i, (answer, key) in enumerate(results, 1):
        preface = f"<b>{i}. {esc(shorten(answer.question, 300))}</b>"
        html_text = render_short(answer, preface=preface, disclaimer=False)
        sent = await send_html(message, html_text, answer_buttons(key, answer), quote=quote)
        for part in sent:
            await state.run(state.answers.link_message, part.chat_id, part.message_id, key)
    await message.reply_text(disclaimer_html(en), parse_mode=ParseMode.HTML, do_quote=quote)


async def send_batch_document(
    message: Message, results: list[tuple[Answer, str]], en: bool, quote: bool | None
) -> None:
    """Many answers: a verdict summary message, then every full answer in one .txt file."""
    summary = "\n".join(
        f"{i}. {VERDICT_EMOJI[a.verdict]} {esc(shorten(a.question, 80))}"
        for i, (a, _) in enumerate(results, 1)
    )
    body = render_batch_document([a for a, _ in results], en)
    head = texts.t("BATCH_DOCUMENT", en).format(count=len(results), summary=summary)
    await send_html(message, head, quote=quote)
    await message.reply_document(
        document=io.BytesIO(body.encode("utf-8")),
        filename=f"jawaban-netra-{time.strftime('%Y%m%d-%H%M')}.txt",
        do_quote=quote,
    )


# --- commands ------------------------------------------------------------------------------------
async def start(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message:
        await update.effective_message.reply_text(
            texts.t("START", english_user(update)),
            parse_mode=ParseMode.HTML,
            reply_markup=example_buttons(),
        )


async def help_command(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message:
        await update.effective_message.reply_text(
            texts.t("HELP", english_user(update)), parse_mode=ParseMode.HTML
        )


async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = get_state(context)
    if update.effective_message is None:
        return
    documents = state.engine.info.documents
    text = render_about(
        len(state.engine.pack.regulations),
        len(documents),
        state.engine.knowledge_version,
        en=english_user(update),
    )
    await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = get_state(context)
    if update.effective_message is None:
        return
    documents = [entry.to_dict() for entry in state.engine.info.documents]
    listing = render_sources(state.engine.pack, documents, en=english_user(update))
    await send_html(update.effective_message, listing)


async def tanya(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/tanya <question>``: the explicit way to ask in a group (works in private too)."""
    message = update.effective_message
    if message is None:
        return
    question = " ".join(context.args or []).strip()
    if not question and message.reply_to_message and message.reply_to_message.text:
        question = message.reply_to_message.text
    if not question:
        await message.reply_text(
            texts.t("TANYA_EMPTY", english_user(update)), parse_mode=ParseMode.HTML
        )
        return
    kind = "group" if message.chat.type != ChatType.PRIVATE else "text"
    await respond(update, context, Asked(question, kind))


async def not_admin(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message:
        await update.effective_message.reply_text(texts.t("ADMIN_ONLY", english_user(update)))


async def unknown_command(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message:
        await update.effective_message.reply_text(texts.t("UNKNOWN_COMMAND", english_user(update)))


# --- messages ------------------------------------------------------------------------------------
def origin_name(origin: MessageOrigin | None) -> str | None:
    """The display name of a forwarded message's original sender (to mask it)."""
    if isinstance(origin, MessageOriginUser):
        return origin.sender_user.full_name
    if isinstance(origin, MessageOriginHiddenUser):
        return origin.sender_user_name
    if isinstance(origin, MessageOriginChat):
        return origin.author_signature or origin.sender_chat.title
    if isinstance(origin, MessageOriginChannel):
        return origin.author_signature or origin.chat.title
    return None


def message_text(message: Message) -> str:
    """A message's text, or the caption of a photo/video/GIF that carries the question."""
    return message.text or message.caption or ""


async def reply_context(state: BotState, message: Message) -> str | None:
    """A reply to one of the bot's answers takes that answer's question as its context."""
    reply = message.reply_to_message
    bot_id = message.get_bot().id
    if reply is None or reply.from_user is None or reply.from_user.id != bot_id:
        return None
    cached = await state.run(state.answers.for_message, message.chat_id, reply.message_id)
    if cached is not None:
        return cached.answer.question
    return shorten(reply.text or reply.caption or "", 600) or None


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text in a private chat: a question, a forwarded question, or a numbered list."""
    message = update.effective_message
    text = message_text(message) if message else ""
    if message is None or not text:
        return
    if message.forward_origin is not None:
        await forwarded(update, context, message)
        return
    questions = split_numbered(mask_nip(text), limit=None)
    if len(questions) >= 2:
        await respond_batch(update, context, questions)
        return
    state = get_state(context)
    kind = "caption" if message.caption and not message.text else "text"
    await respond(update, context, Asked(text, kind, context=await reply_context(state, message)))


async def forwarded(update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message) -> None:
    """HR flow: answer a forwarded question for the officer, without the sender's identity."""
    name = origin_name(message.forward_origin)
    text = mask_personal(message_text(message), name)
    questions = split_numbered(text, limit=None)
    if len(questions) >= 2:
        await respond_batch(update, context, questions, kind="forward")
        return
    preface = texts.t("FORWARDED_PREFACE", english_user(update, text)).format(
        sender=esc(NAME_MASK), question=esc(shorten(text, 400))
    )
    await respond(update, context, Asked(text, "forward", preface, use_context=False))


class AddressedToBot(filters.MessageFilter):
    """Group messages (or captions) that mention the bot or reply to one of its messages."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        reply = message.reply_to_message
        if reply is not None and reply.from_user is not None and reply.from_user.id == bot.id:
            return True
        username = (bot.username or "").lower()
        if not username:
            return False
        mentions = {
            **message.parse_entities([MessageEntityType.MENTION]),
            **message.parse_caption_entities([MessageEntityType.MENTION]),
        }
        return any(value.lower() == f"@{username}" for value in mentions.values())


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group message addressed to the bot: answer it without the @mention; a reply to one of
    the bot's answers is read in that answer's context, whoever writes it."""
    message = update.effective_message
    text = message_text(message) if message else ""
    if message is None or not text:
        return
    username = message.get_bot().username or ""
    question = text.replace(f"@{username}", " ").strip() if username else text
    if not question:
        await message.reply_text(
            texts.t("TANYA_EMPTY", english_user(update)), parse_mode=ParseMode.HTML
        )
        return
    state = get_state(context)
    context_text = await reply_context(state, message)
    await respond(update, context, Asked(question, "group", context=context_text))


async def text_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A .txt file of questions (HR officer): one answer per question."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    await answer_text_file(update, context, message.document.file_id, message.document.file_size)


async def answer_text_file(
    update: Update, context: ContextTypes.DEFAULT_TYPE, file_id: str, size: int | None
) -> None:
    """Download a .txt file and answer the questions in it (also the admin's "answer" choice)."""
    message = update.effective_message
    if message is None:
        return
    if size and size > MAX_TXT_BYTES:
        await message.reply_text(texts.t("FILE_TOO_LARGE", english_user(update)))
        return
    file = await message.get_bot().get_file(file_id)
    data = bytes(await file.download_as_bytearray())
    text = data.decode("utf-8", errors="replace")
    questions = split_questions_file(mask_nip(text), limit=None)
    if not questions:
        await message.reply_text(texts.t("NO_QUESTIONS_IN_FILE", english_user(update)))
        return
    if len(questions) == 1:
        await respond(update, context, Asked(questions[0], "batch", use_context=False))
        return
    await respond_batch(update, context, questions)


async def other_document(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message:
        await update.effective_message.reply_text(
            texts.t("DOCUMENT_NOT_ALLOWED", english_user(update)), parse_mode=ParseMode.HTML
        )


async def non_text(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message:
        await update.effective_message.reply_text(
            texts.t("NON_TEXT", english_user(update)), parse_mode=ParseMode.HTML
        )


# --- errors --------------------------------------------------------------------------------------
async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log with context (never message text or the token) and apologise to the user."""
    kind = "none"
    chat_type = "-"
    if isinstance(update, Update):
        kind = next(
            (
                name
                for name in ("message", "edited_message", "callback_query", "channel_post")
                if getattr(update, name, None) is not None
            ),
            "other",
        )
        if update.effective_chat:
            chat_type = update.effective_chat.type
    error = context.error
    log.error(
        "error handling update (type=%s, chat=%s): %s: %s",
        kind,
        chat_type,
        type(error).__name__,
        str(error)[:200],
        exc_info=(type(error), error, error.__traceback__) if error else None,
    )
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(texts.t("ERROR", english_user(update)))
        except TelegramError:
            log.warning("could not send the apology")
