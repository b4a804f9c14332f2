"""Shared helpers for the ingest tests (not a conftest: the lead owns conftest.py)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus" / "regulations"
SEEDS = SHARED / "seeds"


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"reference corpus not available: {path} (expected ../shared beside the repo)")
    return path


def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed transcripts not available: {SEEDS} (expected ../shared beside the repo)")
    return SEEDS


@cache
def _parsed(name: str):  # type: ignore[no-untyped-def]
    from ingest.regulation_parser import parse_regulation

    path = CORPUS / name
    return parse_regulation(path.read_text(encoding="utf-8"), source=name)


def parsed(name: str):  # type: ignore[no-untyped-def]
    """The parsed corpus file (cached across tests: parsing is the slow part)."""
    corpus_file(name)
    return _parsed(name)
