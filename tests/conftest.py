"""Shared fixtures: offline settings with the deterministic hash embedder in a temp data dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.config import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's .env or NETRA_* variables, or writes outside tmp_path."""
    import os

    for name in list(os.environ):
        if name.startswith("NETRA_") or name == "TELEGRAM_BOT_TOKEN":
            monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", embedding="hash")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared (corpus and seeds) is not beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster for the whole run (skips where it cannot start)."""
    from tests import pg_server

    reason = pg_server.missing_reason()
    if reason:
        pytest.skip(reason)
    try:
        server = pg_server.PostgresServer().start()
    except Exception as error:  # e.g. no permission to run the cluster here
        pytest.skip(f"PostgreSQL could not start: {error}")
    yield server
    server.stop()
