"""Thin async callbacks: parse the update, call the engine off the event loop, render, reply.

All answering goes through :func:`respond` (rate limit, length cap, follow-up context, typing
action, storage, buttons). Admin callbacks live in :mod:`bot.admin` and are only reachable
through handlers registered with an admin filter.
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
from bot.batch import NAME_MASK, mask_nip, mask_personal, split_numbered, split_questions_file
from bot.formatting import (
    VERDICT_EMOJI,
    esc,
    plain_text,
    render_answer,
    render_formal,
    render_provisions,
    render_sources,
    shorten,
    split_html,
)
from bot.state import BotState, get_state
from knowledge.analysis import FOLLOW_UP_TOKENS
from knowledge.models import DISCLAIMER_ID, Answer
from knowledge.text import tokens

log = logging.getLogger(__name__)

MAX_TXT_BYTES = 256 * 1024
BATCH_AS_DOCUMENT_MESSAGES = 8  # more reply messages than this -> one .txt document
TYPING_DELAY = 0.3  # seconds of work before the "typing…" action is worth sending


# --- sending helpers -------------------------------------------------------------------------------
async def send_html(
    message: Message, html_text: str, markup: InlineKeyboardMarkup | None = None
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


def answer_buttons(key: str, answer: Answer) -> InlineKeyboardMarkup:
    """📖 / 📄 / 👍 / 👎 under an answer; callback data stays far below 64 bytes."""
    first = []
    if answer.citations:
        first.append(InlineKeyboardButton("📖 Bunyi pasal", callback_data=f"p:{key}"))
    first.append(InlineKeyboardButton("📄 Versi formal", callback_data=f"f:{key}"))
    votes = [
        InlineKeyboardButton("👍", callback_data=f"v:{key}:+"),
        InlineKeyboardButton("👎", callback_data=f"v:{key}:-"),
    ]
    return InlineKeyboardMarkup([first, votes])


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
    kind: str = "text"  # text | forward | batch | group | example
    preface: str | None = None
    use_context: bool = True


def _user_id(update: Update) -> int:
    user = update.effective_user
    return user.id if user else 0


def _chat(update: Update) -> tuple[int, str]:
    chat = update.effective_chat
    return (chat.id, chat.type) if chat else (0, "unknown")


async def allowed(update: Update, state: BotState, message: Message) -> bool:
    """Apply the per-user rate limit; tell the user once per window when it applies."""
    wait = state.limiter.hit(_user_id(update))
    if not wait:
        return True
    if state.limiter.should_warn(_user_id(update)):
        await message.reply_text(texts.RATE_LIMITED.format(seconds=max(int(wait + 0.5), 1)))
    return False


def cap_length(text: str, limit: int) -> tuple[str, bool]:
    """The first ``limit`` characters, cut at a word boundary when one is near."""
    if len(text) <= limit:
        return text, False
    head = text[:limit]
    cut = max(head.rfind("\n"), head.rfind(". "), head.rfind("? "), head.rfind(" "))
    return (head[:cut] if cut > limit * 0.6 else head).strip(), True


async def compute(update: Update, state: BotState, asked: Asked) -> tuple[Answer, str]:
    """Run the engine for one question and record it; returns the answer and its cache key."""
    chat_id, chat_type = _chat(update)
    user_id = _user_id(update)
    key = (chat_id, user_id)
    previous = state.contexts.get(key) if asked.use_context else None
    answer = await state.run(state.engine.answer, asked.question, context=previous)
    if asked.use_context:
        # A short follow-up keeps the subject it leaned on; a full question starts afresh.
        follow_up = previous is not None and len(tokens(asked.question)) <= FOLLOW_UP_TOKENS
        remembered = f"{previous} {asked.question}" if follow_up else asked.question
        state.contexts.set(key, remembered[-600:])
    answer_key = state.answers.put(answer, asked.kind)
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


async def respond(update: Update, context: ContextTypes.DEFAULT_TYPE, asked: Asked) -> None:
    """Answer one question in reply to the update's message."""
    state = get_state(context)
    message = update.effective_message
    if message is None or not await allowed(update, state, message):
        return
    question, truncated = cap_length(asked.question, state.settings.max_message_chars)
    asked.question = question
    async with typing_while(message):
        answer, key = await compute(update, state, asked)
    html_text = render_answer(answer, preface=asked.preface)
    if truncated:
        html_text = (
            texts.TRUNCATED.format(limit=state.settings.max_message_chars) + "\n\n" + html_text
        )
    await send_html(message, html_text, answer_buttons(key, answer))


async def respond_batch(
    update: Update, context: ContextTypes.DEFAULT_TYPE, questions: list[str], kind: str = "batch"
) -> None:
    """One answer per question: a message series, or one .txt document when it would be long."""
    state = get_state(context)
    message = update.effective_message
    if message is None or not await allowed(update, state, message):
        return
    await typing(message)
    limit = state.settings.max_message_chars
    results = []
    async with typing_while(message, delay=4.0):
        for question in questions:
            capped, _ = cap_length(question, limit)
            results.append(await compute(update, state, Asked(capped, kind, use_context=False)))
    rendered = [
        render_answer(
            answer, preface=f"<b>{i}. {esc(shorten(answer.question, 300))}</b>", disclaimer=False
        )
        for i, (answer, _) in enumerate(results, 1)
    ]
    chunks = sum(len(split_html(r)) for r in rendered)
    if chunks > BATCH_AS_DOCUMENT_MESSAGES:
        summary = "\n".join(
            f"{i}. {VERDICT_EMOJI[a.verdict]} {esc(shorten(a.question, 80))}"
            for i, (a, _) in enumerate(results, 1)
        )
        body = "\n\n".join(plain_text(r) for r in rendered) + f"\n\n{DISCLAIMER_ID}\n"
        await send_html(message, texts.BATCH_DOCUMENT.format(count=len(results), summary=summary))
        await message.reply_document(
            document=io.BytesIO(body.encode("utf-8")),
            filename=f"jawaban-netra-{time.strftime('%Y%m%d-%H%M')}.txt",
        )
        return
    await message.reply_text(
        texts.BATCH_INTRO.format(count=len(results)), parse_mode=ParseMode.HTML
    )
    for html_text, (answer, key) in zip(rendered, results, strict=True):
        await send_html(message, html_text, answer_buttons(key, answer))
    await message.reply_text(f"<i>{esc(DISCLAIMER_ID)}</i>", parse_mode=ParseMode.HTML)


# --- commands ------------------------------------------------------------------------------------
async def start(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message:
        await update.effective_message.reply_text(
            texts.START, parse_mode=ParseMode.HTML, reply_markup=example_buttons()
        )


async def help_command(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message:
        await update.effective_message.reply_text(texts.HELP, parse_mode=ParseMode.HTML)


async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = get_state(context)
    if update.effective_message is None:
        return
    pack = state.engine.pack
    documents = list(getattr(state.engine.info, "documents", []) or [])
    text = (
        "<b>Tentang Netra</b>\n\n"
        "Netra menjawab pertanyaan tentang netralitas ASN dalam pemilu dan pilkada dengan vonis "
        "(boleh / dilarang / boleh bersyarat) dan pasal dasar hukumnya. Jawaban disusun dari "
        "basis pengetahuan yang dikurasi: pernyataan isi peraturan dalam rumusan kami sendiri, "
        "diperiksa terhadap teks resminya, ditambah dokumen resmi dan catatan sosialisasi yang "
        "diingest. Bila tidak yakin, Netra menyatakannya dan menyarankan bertanya ke BKPSDM atau "
        "Bawaslu.\n\n"
        f"📚 Peraturan: {len(pack.regulations)} · dokumen diingest: {len(documents)}\n"
        f"🔖 Versi pengetahuan: <code>{esc(state.engine.knowledge_version)}</code>\n"
        "Daftar peraturan: /sumber\n\n"
        f"<i>{esc(DISCLAIMER_ID)}</i>"
    )
    await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = get_state(context)
    if update.effective_message is None:
        return
    documents = list(getattr(state.engine.info, "documents", []) or [])
    await send_html(update.effective_message, render_sources(state.engine.pack, documents))


async def tanya(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/tanya <question>``: the explicit way to ask in a group (works in private too)."""
    message = update.effective_message
    if message is None:
        return
    question = " ".join(context.args or []).strip()
    if not question and message.reply_to_message and message.reply_to_message.text:
        question = message.reply_to_message.text
    if not question:
        await message.reply_text(texts.TANYA_EMPTY, parse_mode=ParseMode.HTML)
        return
    kind = "group" if message.chat.type != ChatType.PRIVATE else "text"
    await respond(update, context, Asked(question, kind))


async def not_admin(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message:
        await update.effective_message.reply_text(texts.ADMIN_ONLY)


async def unknown_command(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message:
        await update.effective_message.reply_text(texts.UNKNOWN_COMMAND)


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


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text in a private chat: a question, a forwarded question, or a numbered list."""
    message = update.effective_message
    if message is None or not message.text:
        return
    if message.forward_origin is not None:
        await forwarded(update, context, message)
        return
    questions = split_numbered(mask_nip(message.text))
    if len(questions) >= 2:
        await respond_batch(update, context, questions)
        return
    await respond(update, context, Asked(message.text))


async def forwarded(update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message) -> None:
    """HR flow: answer a forwarded question for the officer, without the sender's identity."""
    name = origin_name(message.forward_origin)
    text = mask_personal(message.text or "", name)
    questions = split_numbered(text)
    if len(questions) >= 2:
        await respond_batch(update, context, questions, kind="forward")
        return
    preface = texts.FORWARDED_PREFACE.format(
        sender=esc(NAME_MASK), question=esc(shorten(text, 400))
    )
    await respond(update, context, Asked(text, "forward", preface, use_context=False))


class AddressedToBot(filters.MessageFilter):
    """Group messages that mention the bot or reply to one of its messages."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        reply = message.reply_to_message
        if reply is not None and reply.from_user is not None and reply.from_user.id == bot.id:
            return True
        username = (bot.username or "").lower()
        if not username:
            return False
        for entity, value in message.parse_entities([MessageEntityType.MENTION]).items():
            if entity.type == MessageEntityType.MENTION and value.lower() == f"@{username}":
                return True
        return False


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group message addressed to the bot: answer it without the @mention."""
    message = update.effective_message
    if message is None or not message.text:
        return
    username = message.get_bot().username or ""
    question = message.text.replace(f"@{username}", " ").strip() if username else message.text
    if not question:
        await message.reply_text(texts.TANYA_EMPTY, parse_mode=ParseMode.HTML)
        return
    await respond(update, context, Asked(question, "group"))


async def text_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A .txt file of questions (HR officer): one answer per question."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    document = message.document
    if document.file_size and document.file_size > MAX_TXT_BYTES:
        await message.reply_text("Berkasnya terlalu besar; kirim paling banyak 256 KB teks.")
        return
    file = await document.get_file()
    data = bytes(await file.download_as_bytearray())
    text = data.decode("utf-8", errors="replace")
    questions = split_questions_file(mask_nip(text))
    if not questions:
        await message.reply_text("Saya tidak menemukan pertanyaan di berkas itu.")
        return
    if len(questions) == 1:
        await respond(update, context, Asked(questions[0], "batch", use_context=False))
        return
    await respond_batch(update, context, questions)


async def other_document(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message:
        await update.effective_message.reply_text(
            texts.DOCUMENT_NOT_ALLOWED, parse_mode=ParseMode.HTML
        )


async def non_text(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message:
        await update.effective_message.reply_text(texts.NON_TEXT, parse_mode=ParseMode.HTML)


# --- buttons -------------------------------------------------------------------------------------
async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Inline buttons: example questions, 📖 provisions, 📄 formal version, 👍/👎 feedback."""
    query = update.callback_query
    if query is None or not query.data:
        return
    state = get_state(context)
    kind, _, rest = query.data.partition(":")
    message = query.message if isinstance(query.message, Message) else None
    if kind == "x":
        await query.answer()
        index = int(rest) if rest.isdigit() else -1
        if message is not None and 0 <= index < len(texts.EXAMPLE_QUESTIONS):
            question = texts.EXAMPLE_QUESTIONS[index]
            await message.reply_text(f"❓ <i>{esc(question)}</i>", parse_mode=ParseMode.HTML)
            await respond(update, context, Asked(question, "example"))
        return
    key, _, vote = rest.partition(":")
    cached = state.answers.get(key)
    if cached is None:
        await query.answer(texts.EXPIRED, show_alert=True)
        return
    if kind == "v":
        value = 1 if vote == "+" else -1
        await state.run(
            state.storage.record_feedback,
            answer_id=key,
            user_id=query.from_user.id,
            vote=value,
            verdict=cached.answer.verdict.value,
        )
        await query.answer(texts.FEEDBACK_THANKS)
        return
    await query.answer()
    if message is None:
        return
    if kind == "p":
        labels = [c.label for c in cached.answer.citations]
        provisions = [await state.run(state.engine.provision, label) for label in labels]
        await send_html(message, render_provisions(labels, provisions))
    elif kind == "f":
        await send_html(message, render_formal(cached.answer))


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
            await update.effective_message.reply_text(texts.ERROR)
        except TelegramError:
            log.warning("could not send the apology")
