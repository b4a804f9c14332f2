"""Shared fixtures: offline settings with the deterministic hash embedder in a temp data dir."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge.config import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
# The variable naming the session's intent-model cache; subprocesses keep it.
SHARED_CACHE = "NETRA_INTENT_CACHE_DIR"


@pytest.fixture(scope="session")
def intent_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One intent-model cache for the session: the model is keyed by its training data, and
    training it in every fresh data dir cost most of each test's engine start."""
    return tmp_path_factory.mktemp("intent-cache")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, intent_cache: Path) -> None:
    """No test reads the developer's .env or NETRA_* variables, or writes outside tmp_path (and
    the session's intent cache, which subprocesses inherit through the environment)."""
    import os

    for name in list(os.environ):
        if name.startswith("NETRA_") or name == "TELEGRAM_BOT_TOKEN":
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(SHARED_CACHE, str(intent_cache))
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
def pack_index(tmp_path_factory: pytest.TempPathFactory, intent_cache: Path) -> Path:
    """A data dir holding the pack's index (hash embedder), built once per session. Tests that
    only need an index, not the first build itself, start from a copy (``built_settings``)."""
    from netra.wiring import Services

    root = tmp_path_factory.mktemp("pack-index") / "data"
    settings = Settings(data_dir=root, embedding="hash", intent_cache_dir=intent_cache)
    services = Services(settings)
    services.engine()
    services.close()
    return root


def copy_pack_index(pack_index: Path, data_dir: Path) -> Path:
    """``data_dir`` holding a copy of the session's pack index; returns ``data_dir``."""
    shutil.copytree(pack_index, data_dir)
    return data_dir


@pytest.fixture
def built_settings(tmp_path: Path, pack_index: Path) -> Settings:
    """Like ``settings``, with the pack's index already built in the data dir."""
    return Settings(data_dir=copy_pack_index(pack_index, tmp_path / "data"), embedding="hash")


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
