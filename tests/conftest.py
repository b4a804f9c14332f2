"""Shared fixtures: offline settings with the deterministic hash embedder in a temp data dir."""

from __future__ import annotations

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
