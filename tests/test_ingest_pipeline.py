"""The ingest pipeline end to end with the hash embedder: hashing, replacement, pruning, atomic
switch on crash, the lock, bad files, and the click commands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ingest.lock import IngestLockedError, ingest_lock
from ingest.pipeline import StatusOverride
from knowledge.config import Settings
from knowledge.embeddings import EmbeddingCache, make_embeddings
from knowledge.index import ORIGIN_INGEST
from knowledge.models import Status
from knowledge.store import KnowledgeStore
from netra.commands.ingest import ingest_command
from netra.commands.sources import sources_command
from netra.wiring import Services, indexed_documents, ingest_paths
from tests.ingest_fixtures import corpus_file, seeds_dir


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", embedding="hash")


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A folder with two real regulations and the five seed transcripts (copies we may edit)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("pp-94-2021.txt", "pp-37-2004.txt"):
        shutil.copy(corpus_file(name), folder / name)
    for path in seeds_dir().glob("*.txt"):
        shutil.copy(path, folder / path.name)
    shutil.copy(seeds_dir() / "README.md", folder / "README.md")  # skipped when walking folders
    return folder


def run(settings: Settings, paths: list[Path], **kwargs):  # type: ignore[no-untyped-def]
    cache = EmbeddingCache(settings.embedding_cache_path, make_embeddings(settings))
    try:
        report = ingest_paths(settings, paths, cache=cache, **kwargs)
    finally:
        cache.close()
    return report, cache.computed


def ingested(settings: Settings) -> list:  # type: ignore[type-arg]
    store = KnowledgeStore.from_settings(settings)
    return [
        record
        for record, _ in store.iter_records()
        if record.metadata.get("origin") == ORIGIN_INGEST
    ]


def test_ingest_then_unchanged_then_changed(settings: Settings, docs: Path) -> None:
    first, computed = run(settings, [docs])
    assert first.ok, [f.error for f in first.failed]
    assert first.count("added") == 7  # README.md is not a document
    assert computed > 0
    records = ingested(settings)
    kinds = {r.kind for r in records}
    assert kinds == {"provision", "transcript"}
    angka1 = next(
        r for r in records if r.metadata.get("label") == "PP 94/2021 Pasal 5 huruf n angka 1"
    )
    assert angka1.metadata["official"] is True and angka1.metadata["status"] == "berlaku"
    assert angka1.text.endswith("dengan cara: ikut kampanye;")

    second, computed = run(settings, [docs])
    assert second.count("unchanged") == 7 and second.count("added") == 0
    assert computed == 0  # unchanged content costs nothing
    assert second.index == first.index  # nothing rebuilt

    seed = next(docs.glob("000_*.txt"))
    seed.write_text(seed.read_text(encoding="utf-8") + "\nTambahan paragraf baru dari panitia.\n")
    third, computed = run(settings, [docs])
    assert third.count("updated") == 1 and third.count("unchanged") == 6
    assert 0 < computed <= 6  # only the changed transcript's new chunks were embedded
    after = ingested(settings)
    assert len({r.id for r in after}) == len(after)
    changed = [r for r in after if r.metadata.get("source") == seed.name]
    assert any("Tambahan paragraf baru" in r.text for r in changed)
    assert len(after) >= len(records)


def test_transcript_metadata_and_no_boilerplate(settings: Settings, docs: Path) -> None:
    run(settings, [docs])
    chunks = [r for r in ingested(settings) if r.kind == "transcript"]
    by_source: dict[str, list] = {}  # type: ignore[type-arg]
    for record in chunks:
        by_source.setdefault(str(record.metadata["source"]), []).append(record)
    probolinggo = by_source[next(docs.glob("000_*.txt")).name]
    assert {r.metadata["place"] for r in probolinggo} == {"Probolinggo"}
    assert {r.metadata["date"] for r in probolinggo} == {"2023-11-09"}
    lumajang = by_source[next(docs.glob("004_*.txt")).name]
    assert {r.metadata["date"] for r in lumajang} == {"2024-05-15"}
    assert any(r.metadata.get("speaker") == "Putut" for r in probolinggo)
    for record in chunks:
        for junk in ("Tinggalkan Balasan", "Alamat email", "banner 1024x768", "\nIklan"):
            assert junk not in record.text
    manifest = indexed_documents(settings)
    assert {d.kind for d in manifest} == {"regulation", "transcript"}
    pp94 = next(d for d in manifest if d.regulation == "PP 94/2021")
    assert pp94.count > 300 and len(pp94.hash) == 64 and pp94.ingested_at


def test_prune_drops_deleted_files(settings: Settings, docs: Path) -> None:
    run(settings, [docs])
    gone = docs / "pp-37-2004.txt"
    gone.unlink()
    report, _ = run(settings, [docs])  # without --prune the document stays
    assert any(d.regulation == "PP 37/2004" for d in indexed_documents(settings))
    report, computed = run(settings, [docs], prune=True)
    assert report.count("removed") == 1 and computed == 0
    assert not any(d.regulation == "PP 37/2004" for d in indexed_documents(settings))
    assert not any(r.metadata.get("regulation") == "PP 37/2004" for r in ingested(settings))


def test_crash_mid_build_keeps_previous_index(
    settings: Settings, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(settings, [docs])
    store = KnowledgeStore.from_settings(settings)
    before_name = store.active_name()
    before_count = store.info().count
    before_ids = {r.id for r, _ in store.iter_records()}

    from chromadb.api.models.Collection import Collection

    import knowledge.store as store_module

    monkeypatch.setattr(store_module, "ADD_BATCH", 100)
    original_add = Collection.add
    calls = {"n": 0}

    def failing_add(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] > 1:
            raise RuntimeError("simulated crash while writing the new index")
        return original_add(self, *args, **kwargs)

    monkeypatch.setattr(Collection, "add", failing_add)
    (docs / "pp-37-2004.txt").write_text(
        (docs / "pp-37-2004.txt").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    with pytest.raises(RuntimeError, match="simulated crash"):
        run(settings, [docs])
    monkeypatch.setattr(Collection, "add", original_add)

    store = KnowledgeStore.from_settings(settings)
    assert store.active_name() == before_name
    assert store.info().count == before_count
    assert {r.id for r, _ in store.iter_records()} == before_ids
    names = [c.name if hasattr(c, "name") else str(c) for c in store.client.list_collections()]
    assert sorted(names) == sorted([str(before_name), f"{settings.collection_prefix}-registry"])


def test_lock_blocks_a_second_ingest(settings: Settings, docs: Path) -> None:
    with ingest_lock(settings.lock_path), pytest.raises(IngestLockedError, match="another ingest"):
        ingest_paths(settings, [docs])
    report, _ = run(settings, [docs / "pp-37-2004.txt"])  # released afterwards
    assert report.ok


def test_bad_files_reported_and_others_ingested(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(corpus_file("pp-37-2004.txt"), folder / "pp-37-2004.txt")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<>> garbage without xref\n")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 64)
    big = folder / "huge.txt"
    with big.open("w", encoding="utf-8") as handle:
        line = "Sosialisasi netralitas ASN di aula kantor bupati berjalan lancar. " * 16 + "\n"
        while handle.tell() < 20 * 1024 * 1024:
            handle.write(line)
    latin = "Sosialisasi Netralitas di Café Merdeka\n\nMALANG – Acara pada Senin, 2 Oktober 2023 "
    latin += "membahas netralitas ASN. “ASN wajib netral,” kata Budi Santoso. " * 8
    (folder / "latin.txt").write_bytes(latin.encode("cp1252"))
    import docx

    document = docx.Document()
    document.add_paragraph("Catatan Sosialisasi Netralitas")
    document.add_paragraph(
        "SURABAYA – Pertemuan pada Rabu, 4 Oktober 2023 membahas larangan kampanye."
    )
    document.save(str(folder / "catatan.docx"))

    report, _ = run(settings, [folder])
    assert not report.ok
    failed = {Path(f.path).name: f.error or "" for f in report.failed}
    assert set(failed) == {"corrupt.pdf", "empty.txt", "junk.txt", "huge.txt"}
    assert "empty" in failed["empty.txt"]
    assert "binary" in failed["junk.txt"]
    assert "too large" in failed["huge.txt"]
    assert "PDF" in failed["corrupt.pdf"]
    added = {Path(f.path).name: f for f in report.files if f.status == "added"}
    assert set(added) == {"pp-37-2004.txt", "latin.txt", "catatan.docx"}
    records = ingested(settings)
    latin_chunks = [r for r in records if r.metadata.get("source") == "latin.txt"]
    assert latin_chunks and "Café Merdeka" in latin_chunks[0].text
    assert any("“ASN wajib netral,”" in r.text for r in latin_chunks)
    assert any(r.metadata.get("regulation") == "PP 37/2004" for r in records)


def test_status_override_and_pack_status(settings: Settings, docs: Path) -> None:
    report, _ = run(
        settings,
        [docs / "pp-37-2004.txt"],
        override=StatusOverride(Status.DICABUT, replaced_by="PP 94/2021"),
    )
    assert report.ok
    records = [r for r in ingested(settings) if r.metadata.get("regulation") == "PP 37/2004"]
    assert {r.metadata["status"] for r in records} == {"dicabut"}
    manifest = indexed_documents(settings)
    assert manifest[0].status == "dicabut" and manifest[0].replaced_by == "PP 94/2021"


def test_dry_run_writes_nothing(settings: Settings, docs: Path) -> None:
    report, _ = run(settings, [docs], dry_run=True)
    assert report.count("added") == 7 and report.provisions > 300
    assert indexed_documents(settings) == []


def test_click_commands(settings: Settings, docs: Path) -> None:
    @click.group()
    @click.pass_context
    def group(ctx: click.Context) -> None:
        ctx.obj = Services(settings)
        ctx.call_on_close(ctx.obj.close)

    group.add_command(ingest_command)
    group.add_command(sources_command)
    runner = CliRunner()
    result = runner.invoke(group, ["ingest", str(docs), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["totals"]["added"] == 7
    result = runner.invoke(group, ["sources", "--json"])
    assert result.exit_code == 0
    assert len(json.loads(result.output)) == 7
    result = runner.invoke(group, ["sources"], env={"COLUMNS": "200"})
    assert "PP 94/2021" in result.output
    (docs / "bad.pdf").write_bytes(b"not a pdf")
    result = runner.invoke(group, ["ingest", str(docs)], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert "bad.pdf" in result.output
    with ingest_lock(settings.lock_path):
        result = runner.invoke(group, ["ingest", str(docs)])
    assert result.exit_code != 0 and "another ingest" in result.output


def test_rebuild_reprocesses_but_reuses_vectors(settings: Settings, docs: Path) -> None:
    first, _ = run(settings, [docs])
    report, computed = run(settings, [docs], rebuild=True)
    assert report.count("updated") == 7
    assert computed == 0  # same texts: the content-hash cache answers
    assert report.index != first.index
    assert report.records == first.records


def test_forced_kind_regulation_on_a_transcript_fails_cleanly(
    settings: Settings, docs: Path
) -> None:
    seed = next(docs.glob("000_*.txt"))
    report, _ = run(settings, [seed, docs / "pp-37-2004.txt"], kind="regulation")
    failed = {Path(f.path).name: f.error for f in report.failed}
    assert set(failed) == {seed.name}
    assert "identity" in str(failed[seed.name]) or "Pasal" in str(failed[seed.name])
    assert report.count("added") == 1
