"""Ingest edge cases of issue 14 item 5, each with a test: symlink loops, the same content at a
second path, what each file was taken to be, text that is neither a regulation nor a
socialisation report, cp1252 text, and (in test_serving_survives_ingest) half-built collections."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from ingest.loaders import decode_text
from knowledge.config import Settings
from knowledge.index import ORIGIN_INGEST
from knowledge.store import KnowledgeStore
from netra.cli import cli
from netra.wiring import indexed_documents, ingest_paths
from tests.ingest_fixtures import corpus_file, seeds_dir

ARISAN = (
    "Catatan arisan ibu-ibu RT 05\n"
    "Bulan ini yang dapat Bu Siti. Iuran Rp50.000, kumpul di rumah Bu Ani hari Minggu.\n"
    "Jangan lupa bawa kue dan piring sendiri.\n"
)
FAKE_PP = """PERATURAN PEMERINTAH REPUBLIK INDONESIA
NOMOR 99 TAHUN 2030
TENTANG ARISAN PEGAWAI

DENGAN RAHMAT TUHAN YANG MAHA ESA

Menimbang : bahwa arisan perlu diatur;

MEMUTUSKAN:

Pasal 1
Setiap pegawai wajib ikut arisan setiap bulan.

Pasal 2
Pegawai boleh menjadi anggota partai politik.
"""
CP1252_REPORT = (
    "Sosialisasi Netralitas ASN di Kantor Bupati\n"
    "MALANG – Narasumber dari Bawaslu menyampaikan bahwa sikap naïve terhadap ajakan kampanye "
    "di café atau grup WhatsApp bisa menjerat ASN dalam pelanggaran netralitas pemilu.\n"
)


def records_of(settings: Settings) -> list:  # type: ignore[type-arg]
    store = KnowledgeStore.from_settings(settings)
    return [r for r, _ in store.iter_records() if r.metadata.get("origin") == ORIGIN_INGEST]


def by_name(report) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {Path(f.path).name: f for f in report.files}


def test_a_symlink_loop_is_a_per_file_failure(settings: Settings, tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    shutil.copy(seeds_dir() / "000_fd57eae9cd509109.txt", folder / "report.txt")
    report = ingest_paths(settings, [loop, folder])
    files = by_name(report)
    assert files["loop.txt"].status == "failed" and "loop" in str(files["loop.txt"].error)
    assert files["a.txt"].status == "failed" and files["b.txt"].status == "failed"
    assert files["report.txt"].status == "added"


def test_the_same_content_at_a_second_path_is_a_duplicate(
    settings: Settings, tmp_path: Path
) -> None:
    first, second = tmp_path / "first", tmp_path / "copy"
    first.mkdir()
    shutil.copy(seeds_dir() / "000_fd57eae9cd509109.txt", first / "report.txt")
    shutil.copytree(first, second)
    report = ingest_paths(settings, [first, second])
    statuses = sorted(f.status for f in report.files)
    assert statuses == ["added", "duplicate"]
    duplicate = next(f for f in report.files if f.status == "duplicate")
    assert duplicate.duplicate_of == str(first / "report.txt")
    assert report.to_dict()["totals"]["duplicate"] == 1
    chunks = len(records_of(settings))
    assert len(indexed_documents(settings)) == 1
    again = ingest_paths(settings, [second])  # on its own: still a duplicate of the first
    assert [f.status for f in again.files] == ["duplicate"]
    assert len(records_of(settings)) == chunks


def test_a_renamed_folder_moves_its_documents(settings: Settings, tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    shutil.copy(seeds_dir() / "001_f3267966ef4d0336.txt", old / "report.txt")
    ingest_paths(settings, [old])
    chunks = len(records_of(settings))
    old.rename(new)
    report = ingest_paths(settings, [new])
    assert [f.status for f in report.files] == ["moved"]
    assert any("moved from" in w for w in report.files[0].warnings)
    documents = indexed_documents(settings)
    assert [d.path for d in documents] == [str(new / "report.txt")]
    assert len(records_of(settings)) == chunks


def test_prune_removes_vanished_documents_outside_the_given_paths(
    settings: Settings, tmp_path: Path
) -> None:
    kept, gone = tmp_path / "kept", tmp_path / "gone"
    for folder, seed in ((kept, "002_ece06cd1b8b44749.txt"), (gone, "003_ff7ea359481deb65.txt")):
        folder.mkdir()
        shutil.copy(seeds_dir() / seed, folder / seed)
    ingest_paths(settings, [kept, gone])
    shutil.rmtree(gone)
    report = ingest_paths(settings, [kept], prune=True)
    assert sorted(f.status for f in report.files) == ["removed", "unchanged"]
    assert [Path(d.path).parent for d in indexed_documents(settings)] == [kept]


def test_the_summary_names_each_files_kind_and_identity(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(corpus_file("pp-37-2004.txt"), folder / "pp-37-2004.txt")
    shutil.copy(seeds_dir() / "000_fd57eae9cd509109.txt", folder / "laporan.txt")
    (folder / "pp-99-2030.txt").write_text(FAKE_PP, encoding="utf-8")
    report = ingest_paths(settings, [folder])
    files = by_name(report)
    regulation, transcript, fake = (
        files["pp-37-2004.txt"],
        files["laporan.txt"],
        files["pp-99-2030.txt"],
    )
    assert regulation.kind == "regulation" and regulation.identity.startswith("PP 37/2004 — ")
    assert regulation.reason == "regulation heading and Pasal 1"
    assert transcript.kind == "transcript" and transcript.reason.startswith("socialisation report")
    assert "Netralitas" in transcript.identity or "Netral" in transcript.identity
    assert fake.kind == "regulation" and fake.identity == "PP 99/2030 — Arisan Pegawai"
    assert any("not a regulation the knowledge pack knows" in w for w in fake.warnings)

    result = CliRunner().invoke(
        cli,
        ["--data-dir", str(settings.data_dir), "ingest", str(folder), "--rebuild"],
        env={"NETRA_EMBEDDING": "hash", "COLUMNS": "250"},
    )
    assert result.exit_code == 0, result.output
    for shown in ("taken as", "identity", "regulation (official text)", "socialisation report",
                  "PP 99/2030 — Arisan Pegawai"):  # fmt: skip
        assert shown in result.output


def test_text_that_is_neither_needs_an_explicit_kind(settings: Settings, tmp_path: Path) -> None:
    note = tmp_path / "arisan.txt"
    note.write_text(ARISAN, encoding="utf-8")
    report = ingest_paths(settings, [note])
    assert report.files[0].status == "failed"
    assert "--kind transcript" in str(report.files[0].error)
    assert records_of(settings) == []
    forced = ingest_paths(settings, [note], kind="transcript")
    assert forced.files[0].status == "added" and forced.files[0].reason == "--kind transcript"


def test_cp1252_text_is_read_as_cp1252(settings: Settings, tmp_path: Path) -> None:
    assert decode_text(CP1252_REPORT.encode("cp1252")) == (CP1252_REPORT, "cp1252")
    assert decode_text("Sikap naïve ASN".encode("cp1252"))[0] == "Sikap naïve ASN"
    cyrillic = "Привет мир, как дела? Это тест кодировки.".encode("cp1251")
    assert decode_text(cyrillic)[1] == "cp1251"  # mostly non-ASCII: the detector decides
    path = tmp_path / "laporan-cp1252.txt"
    path.write_bytes(CP1252_REPORT.encode("cp1252"))
    report = ingest_paths(settings, [path])
    assert report.files[0].status == "added"
    assert "decoded as cp1252" in report.files[0].warnings
    assert any("naïve" in r.text and "café" in r.text for r in records_of(settings))


def test_an_ingest_of_only_bad_files_keeps_the_index_serving(
    settings: Settings, tmp_path: Path
) -> None:
    note = tmp_path / "arisan.txt"
    note.write_text(ARISAN, encoding="utf-8")
    ingest_paths(settings, [seeds_dir() / "004_0eda01ef906afaa2.txt"])
    before = KnowledgeStore.from_settings(settings).active_name()
    report = ingest_paths(settings, [note])
    assert not report.ok
    assert KnowledgeStore.from_settings(settings).active_name() == before
