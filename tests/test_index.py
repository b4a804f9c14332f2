"""The knowledge index: built on first use, reused afterwards, rebuilt when the pack changes,
refused when opened with another embedding."""

from __future__ import annotations

import shutil

import pytest

from knowledge.embeddings import EmbeddingCache, HashEmbeddings
from knowledge.index import ORIGIN_INGEST, build_index, ensure_index, pack_records
from knowledge.pack import default_pack_dir, load_pack
from knowledge.records import DocumentEntry, IndexRecord
from knowledge.store import IndexMismatchError, KnowledgeStore, make_client
from netra.wiring import open_engine


def test_first_use_builds_then_reuses(settings) -> None:
    first = open_engine(settings)
    name = first.info.name
    assert first.info.count == len(pack_records(first.pack))
    assert first.cache.computed == first.info.count or first.cache.computed > 0

    second = open_engine(settings)
    assert second.info.name == name, "the second run must not rebuild the index"
    assert second.cache.computed == 0, "nothing is re-embedded on the second run"


def test_other_embedding_is_refused_with_advice(settings) -> None:
    open_engine(settings)
    store = KnowledgeStore.from_settings(settings)
    other = HashEmbeddings(dim=32)
    with pytest.raises(IndexMismatchError, match="Re-ingest"):
        store.open(other)
    with pytest.raises(IndexMismatchError):
        open_engine(settings, embedder=other)


def test_pack_change_rebuilds_and_keeps_ingested_records(settings, tmp_path) -> None:
    pack_dir = tmp_path / "pack"
    shutil.copytree(default_pack_dir(), pack_dir, ignore=shutil.ignore_patterns("vectors"))
    settings = settings.model_copy(update={"pack_dir": pack_dir})
    now = [1000.0]
    store = KnowledgeStore(make_client(settings), retire_seconds=60.0, clock=lambda: now[0])
    cache = EmbeddingCache(settings.embedding_cache_path, HashEmbeddings())
    pack = load_pack(pack_dir)
    extra = [
        IndexRecord(
            "doc:x:1",
            "teks resmi contoh tentang kampanye",
            "transcript",
            {"origin": ORIGIN_INGEST, "doc_id": "x"},
        )
    ]
    built = build_index(store, cache, pack, extra=extra, documents=[DocumentEntry(doc_id="x")])

    meta = pack_dir / "pack.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    changed = load_pack(pack_dir)
    assert changed.content_hash != pack.content_hash
    rebuilt = ensure_index(store, cache, changed)
    assert rebuilt.name != built.name
    assert rebuilt.pack_hash == changed.content_hash
    assert rebuilt.documents == [DocumentEntry(doc_id="x")]
    ids = {record.id for record, _ in store.iter_records()}
    assert "doc:x:1" in ids
    names = {c.name for c in store.client.list_collections()}
    assert built.name in names, "the superseded build stays while readers may still use it"
    now[0] += 59.0
    assert store.drop_unused() == []
    now[0] += 1.0
    assert store.drop_unused() == [built.name]
    assert len(store.client.list_collections()) == 2, "old builds are dropped (registry + active)"


def test_failed_build_keeps_previous_index(settings, monkeypatch) -> None:
    engine = open_engine(settings)
    store = engine.store
    before = store.active_name()

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("chromadb.api.models.Collection.Collection.add", explode)
    with pytest.raises(RuntimeError):
        build_index(store, engine.cache, engine.pack)
    assert store.active_name() == before
    assert engine.answer("boleh ikut kampanye?").citations
