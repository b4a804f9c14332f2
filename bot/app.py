"""The Telegram bot's application: ``build_application`` wires handlers; ``serve`` runs it.

``netra serve`` (:mod:`netra.commands.serve`) checks the settings first (``check_can_serve``:
token, webhook server), opens the engine, waits for Telegram, then serves: long polling by
default, a webhook server when ``NETRA_WEBHOOK_URL`` is set (several replicas behind one URL).
The services the handlers use (:class:`BotServices`) are handed in by the application's wiring.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from urllib.parse import urlparse

from telegram import Bot, Update
from telegram.error import InvalidToken, NetworkError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import admin, buttons, handlers
from bot.state import BotServices, BotState
from bot.turns import ChatOrderedProcessor, TurnRegisteringQueue
from knowledge.config import ConfigError, Settings

log = logging.getLogger(__name__)

CONCURRENT_UPDATES = 64  # across chats; one chat's updates are always handled one at a time
ADMIN_COMMANDS = ("stats", "unanswered", "reload")
# Start-up retries while Telegram (or NETRA_TELEGRAM_BASE_URL) cannot be reached: 2, 4, ... 60 s.
CONNECT_FIRST_DELAY_SECONDS = 2.0
CONNECT_MAX_DELAY_SECONDS = 60.0
NON_TEXT = (
    filters.Sticker.ALL
    | filters.PHOTO
    | filters.VOICE
    | filters.AUDIO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.ANIMATION
    | filters.LOCATION
    | filters.VENUE
    | filters.CONTACT
    | filters.POLL
    | filters.Dice.ALL
)


def quiet_loggers() -> None:
    """httpx logs every request URL at INFO, and the URL contains the bot token."""
    for name in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(name).setLevel(logging.WARNING)


def register(application: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    """All handlers, in priority order. Admin handlers sit behind a user filter."""
    admins = filters.User(user_id=settings.bot.admin_ids)
    new = filters.UpdateType.MESSAGE
    asked = filters.UpdateType.MESSAGES  # questions are answered again when the user edits them
    private = filters.ChatType.PRIVATE
    add = application.add_handler

    add(CommandHandler("start", handlers.start, filters=new))
    add(CommandHandler(["help", "bantuan"], handlers.help_command, filters=new))
    add(CommandHandler("tentang", handlers.about, filters=new))
    add(CommandHandler("sumber", handlers.sources, filters=new))
    add(CommandHandler("tanya", handlers.tanya, filters=new))
    add(CommandHandler("stats", admin.stats, filters=new & admins))
    add(CommandHandler("unanswered", admin.unanswered, filters=new & admins))
    add(CommandHandler("reload", admin.reload, filters=new & admins))
    add(CommandHandler(list(ADMIN_COMMANDS), handlers.not_admin, filters=new))

    wants_ingest = filters.CaptionRegex(admin.INGEST_CAPTION)
    document = filters.Document.ALL & ~filters.ANIMATION  # a GIF arrives as a document too
    txt = filters.Document.FileExtension("txt")
    add(MessageHandler(new & admins & document & (wants_ingest | ~txt), admin.ingest_document))
    add(MessageHandler(new & admins & private & txt, admin.document_choice))
    add(MessageHandler(new & private & txt & ~wants_ingest, handlers.text_document))
    add(MessageHandler(new & private & document, handlers.other_document))

    captioned = filters.CAPTION & (filters.PHOTO | filters.VIDEO | filters.ANIMATION)
    question = (filters.TEXT & ~filters.COMMAND) | captioned
    add(MessageHandler(asked & private & question, handlers.private_text))
    add(
        MessageHandler(
            asked & filters.ChatType.GROUPS & question & handlers.AddressedToBot(),
            handlers.group_text,
        )
    )
    add(MessageHandler(new & private & NON_TEXT, handlers.non_text))
    add(MessageHandler(new & private & filters.COMMAND, handlers.unknown_command))
    add(CallbackQueryHandler(admin.document_button, pattern=r"^d:"))
    add(CallbackQueryHandler(buttons.button))
    application.add_error_handler(handlers.on_error)


def _token(settings: Settings) -> str:
    token = settings.bot.telegram_bot_token
    if token is None or not token.get_secret_value().strip():
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and export its token."
        )
    return token.get_secret_value().strip()


def build_application(
    settings: Settings,
    services: BotServices,
    *,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
) -> Application:  # type: ignore[type-arg]
    """The configured Application (not started). ``request`` replaces the HTTP layer in tests."""
    quiet_loggers()
    builder = ApplicationBuilder().token(_token(settings))
    if settings.bot.telegram_base_url:
        builder = builder.base_url(settings.bot.telegram_base_url)
    if settings.bot.telegram_base_file_url:
        builder = builder.base_file_url(settings.bot.telegram_base_file_url)
    if request is not None:
        builder = builder.request(request).get_updates_request(updates_request or request)
    else:
        builder = builder.connection_pool_size(16).pool_timeout(10.0)
    state = BotState.create(settings, services)

    async def _shutdown(_: Application) -> None:  # type: ignore[type-arg]
        state.close()

    application = (
        builder.concurrent_updates(ChatOrderedProcessor(state.turns, CONCURRENT_UPDATES))
        .update_queue(TurnRegisteringQueue(state.turns))
        .post_shutdown(_shutdown)
        .build()
    )
    application.bot_data["state"] = state
    register(application, settings)
    return application


class TelegramUnreachableError(RuntimeError):
    """Telegram could not be reached within the allowed attempts."""


async def _get_me(bot: Bot) -> None:
    async with bot:
        await bot.get_me()


def wait_for_telegram(
    settings: Settings,
    *,
    attempts: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
    check: Callable[[Bot], object] | None = None,
) -> int:
    """Block until the Bot API answers ``getMe``, retrying with backoff; returns the attempts.

    Each failure is one log line naming the server and the reason (never the token), instead of
    the library's traceback. A rejected token is a :class:`ConfigError`. ``attempts`` (tests)
    bounds the tries; by default it retries until the server is back.
    """
    assert settings.bot.telegram_bot_token is not None
    token = settings.bot.telegram_bot_token.get_secret_value().strip()
    where = settings.bot.telegram_base_url or "api.telegram.org"
    probe = check or (lambda bot: asyncio.run(_get_me(bot)))  # type: ignore[arg-type]
    delay, attempt = CONNECT_FIRST_DELAY_SECONDS, 0
    while True:
        attempt += 1
        bot = Bot(token, base_url=settings.bot.telegram_base_url or "https://api.telegram.org/bot")
        try:
            probe(bot)
            return attempt
        except InvalidToken:
            raise ConfigError(
                "Telegram rejected TELEGRAM_BOT_TOKEN: check it with @BotFather."
            ) from None
        except NetworkError as error:  # includes TimedOut
            reason = str(error).replace(token, "***") or type(error).__name__
            if attempts is not None and attempt >= attempts:
                raise TelegramUnreachableError(
                    f"cannot reach Telegram at {where}: {reason}"
                ) from None
            log.warning(
                "cannot reach Telegram at %s (%s); retrying in %.0f s", where, reason, delay
            )
            sleep(delay)
            delay = min(delay * 2, CONNECT_MAX_DELAY_SECONDS)


def check_can_serve(settings: Settings) -> None:
    """Fail fast, before opening the index or touching Telegram, on what is missing."""
    quiet_loggers()
    _token(settings)
    if settings.bot.webhook_url:
        try:
            import tornado  # noqa: F401 - PTB's webhook server
        except ImportError:
            raise ConfigError(
                "NETRA_WEBHOOK_URL is set but the webhook server is not installed: "
                'pip install "python-telegram-bot[webhooks]"'
            ) from None


def serve(application: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    """Run until stopped: long polling, or a webhook server when NETRA_WEBHOOK_URL is set."""
    state = application.bot_data["state"]
    log.info(
        "Netra bot starting (%s, knowledge %s)",
        "webhook" if settings.bot.webhook_url else "long polling",
        state.engine.knowledge_version,
    )
    if settings.bot.webhook_url:
        path = urlparse(settings.bot.webhook_url).path.lstrip("/")
        secret = (
            settings.bot.webhook_secret.get_secret_value() if settings.bot.webhook_secret else None
        )
        application.run_webhook(
            listen=settings.bot.webhook_listen,
            port=settings.bot.webhook_port,
            url_path=path,
            webhook_url=settings.bot.webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(
            poll_interval=settings.bot.poll_interval,
            allowed_updates=Update.ALL_TYPES,
        )


__all__ = ["BotServices", "build_application", "check_can_serve", "serve", "wait_for_telegram"]
