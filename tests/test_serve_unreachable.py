"""``netra serve`` when Telegram cannot be reached: one clear line per attempt, retries with
backoff, no traceback, and never the token in the log."""

from __future__ import annotations

import logging
import socket

import pytest
from telegram.error import InvalidToken, NetworkError

from bot.app import TelegramUnreachableError, wait_for_telegram
from knowledge.config import ConfigError, Settings

TOKEN = "123456:SECRET-token-value"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def settings_for(tmp_path, base_url: str) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(
        data_dir=tmp_path / "data",
        embedding="hash",
        telegram_base_url=base_url,
        **{"TELEGRAM_BOT_TOKEN": TOKEN},
    )


def test_an_unreachable_server_is_retried_with_backoff_and_one_line_each(
    tmp_path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(tmp_path, f"http://127.0.0.1:{closed_port()}/bot")
    slept: list[float] = []
    with caplog.at_level(logging.WARNING), pytest.raises(TelegramUnreachableError):
        wait_for_telegram(settings, attempts=4, sleep=slept.append)
    assert slept == [2.0, 4.0, 8.0]
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.app"]
    assert len(lines) == 3
    assert all("cannot reach Telegram at http://127.0.0.1:" in line for line in lines)
    assert all("\n" not in line and TOKEN not in line and "SECRET" not in line for line in lines)
    assert not any(r.exc_info for r in caplog.records)


def test_it_goes_on_once_the_server_answers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    failures = [NetworkError("down"), NetworkError("still down")]

    def check(_bot: object) -> None:
        if failures:
            raise failures.pop(0)

    slept: list[float] = []
    settings = settings_for(tmp_path, "http://127.0.0.1:9/bot")
    assert wait_for_telegram(settings, sleep=slept.append, check=check) == 3
    assert slept == [2.0, 4.0]


def test_the_backoff_is_capped(tmp_path) -> None:  # type: ignore[no-untyped-def]
    def check(_bot: object) -> None:
        raise NetworkError("down")

    slept: list[float] = []
    settings = settings_for(tmp_path, "http://127.0.0.1:9/bot")
    with pytest.raises(TelegramUnreachableError):
        wait_for_telegram(settings, attempts=9, sleep=slept.append, check=check)
    assert max(slept) == 60.0 and slept[-1] == 60.0


def test_a_rejected_token_is_a_configuration_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    def check(_bot: object) -> None:
        raise InvalidToken("Unauthorized")

    with pytest.raises(ConfigError, match="rejected TELEGRAM_BOT_TOKEN"):
        wait_for_telegram(settings_for(tmp_path, "http://127.0.0.1:9/bot"), check=check)
