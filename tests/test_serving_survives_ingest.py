"""Readers keep answering across ingests, and no interleaving of ask and ingest loses one.

Issue 14: ``store.build`` used to delete every other collection, so a running ``netra ask -`` or
bot died with NotFoundError on its next question; and a first ``netra ask`` during the first
ingest built the pack index beside it and dropped the ingest's documents.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from ingest.lock import IngestLockedError, ingest_lock
from knowledge import lock as lock_module
from knowledge.config import Settings
from knowledge.engine import Engine
from knowledge.lock import PURPOSE_INGEST, PURPOSE_PACK_BUILD
from knowledge.store import KnowledgeStore
from netra.wiring import indexed_documents, ingest_paths, open_engine

QUESTION = "Bolehkah PNS ikut kampanye calon bupati?"


def report_text(marker: str) -> str:
    """A small socialisation report carrying a unique word (to see which build answers)."""
    return (
        f"Sosialisasi Netralitas ASN {marker}\n"
        f"SURABAYA – Bawaslu menyampaikan bahwa ASN harus netral dalam pemilu dan pilkada. "
        f"Narasumber menegaskan kata kunci {marker} untuk seluruh pegawai.\n"
    )


def served_markers(engine: Engine) -> set[str]:
    return {
        word for r in engine.retriever.records for word in re.findall(r"zebramarker\w+", r.text)
    }


@pytest.fixture
def reader_settings(settings: Settings) -> Settings:
    # check the pointer before every answer, and drop superseded builds at once: the reader
    # must survive its collection being deleted under it
    return settings.model_copy(update={"index_check_seconds": 0.0, "index_retire_seconds": 0.0})


def test_reader_keeps_answering_across_three_ingests(
    reader_settings: Settings, tmp_path: Path
) -> None:
    engine = open_engine(reader_settings)
    errors: list[BaseException] = []
    answered = [0]
    stop = threading.Event()

    def read_in_a_loop() -> None:
        while not stop.is_set():
            try:
                engine.answer(QUESTION)
                answered[0] += 1
            except BaseException as error:  # the test counts every failure
                errors.append(error)

    reader = threading.Thread(target=read_in_a_loop)
    reader.start()
    document = tmp_path / "docs" / "laporan.txt"
    document.parent.mkdir()
    try:
        for number in range(3):
            before = answered[0]
            document.write_text(report_text(f"zebramarker{number}"), encoding="utf-8")
            report = ingest_paths(reader_settings, [document.parent])
            assert report.ok, report.to_dict()
            while answered[0] == before and reader.is_alive():  # at least one answer per build
                stop.wait(0.01)
    finally:
        stop.set()
        reader.join()
    assert errors == []
    engine.answer(QUESTION)
    assert engine.info.name == KnowledgeStore.from_settings(reader_settings).active_name()
    assert served_markers(engine) == {"zebramarker2"}


def test_a_second_process_view_switches_without_reload(reader_settings: Settings, tmp_path: Path):
    """Every replica follows the pointer by itself (not only the one that got /reload)."""
    replicas = [open_engine(reader_settings) for _ in range(2)]
    document = tmp_path / "laporan.txt"
    document.write_text(report_text("zebramarkerx"), encoding="utf-8")
    assert ingest_paths(reader_settings, [document]).ok
    for replica in replicas:
        replica.answer(QUESTION)
        assert served_markers(replica) == {"zebramarkerx"}


def test_ask_during_the_first_ingest_waits_and_keeps_it(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race of issue 14 item 2, made deterministic: the ingest is held just before it
    writes its index while an ask opens the (still empty) data dir."""
    import ingest.pipeline as pipeline

    document = tmp_path / "laporan.txt"
    document.write_text(report_text("zebramarkerrace"), encoding="utf-8")
    in_build, go = threading.Event(), threading.Event()
    real_build = pipeline.build_index

    def held_build(*args, **kwargs):  # type: ignore[no-untyped-def]
        in_build.set()
        go.wait()
        return real_build(*args, **kwargs)

    monkeypatch.setattr(pipeline, "build_index", held_build)
    waiting = threading.Event()
    real_sleep = lock_module.time.sleep

    def noting_sleep(seconds: float) -> None:
        waiting.set()  # the ask is waiting for the lock
        real_sleep(seconds)

    monkeypatch.setattr(lock_module.time, "sleep", noting_sleep)
    results: dict[str, object] = {}
    ingest = threading.Thread(
        target=lambda: results.setdefault("report", ingest_paths(settings, [document]))
    )
    ingest.start()
    in_build.wait()
    ask = threading.Thread(target=lambda: results.setdefault("engine", open_engine(settings)))
    ask.start()
    waiting.wait()
    assert "engine" not in results, "the ask must wait for the running ingest"
    go.set()
    ingest.join()
    ask.join()
    report, engine = results["report"], results["engine"]
    assert report.ok  # type: ignore[attr-defined]
    assert engine.info.name == report.index  # type: ignore[attr-defined]
    assert [d.title for d in indexed_documents(settings)] != []
    assert served_markers(engine) == {"zebramarkerrace"}  # type: ignore[arg-type]


def test_an_ingest_waits_for_a_pack_build_but_not_for_another_ingest(
    settings: Settings, tmp_path: Path
) -> None:
    document = tmp_path / "laporan.txt"
    document.write_text(report_text("zebramarkerwait"), encoding="utf-8")
    with (
        ingest_lock(settings.lock_path, purpose=PURPOSE_INGEST),
        pytest.raises(IngestLockedError, match="another ingest"),
    ):
        ingest_paths(settings, [document])
    released = threading.Event()
    results: list[object] = []

    def hold_as_pack_build() -> None:
        with ingest_lock(settings.lock_path, purpose=PURPOSE_PACK_BUILD):
            held.set()
            released.wait()

    held = threading.Event()
    holder = threading.Thread(target=hold_as_pack_build)
    holder.start()
    held.wait()
    ingest = threading.Thread(target=lambda: results.append(ingest_paths(settings, [document])))
    ingest.start()
    released.set()
    holder.join()
    ingest.join()
    assert results and results[0].ok  # type: ignore[attr-defined]


def test_half_built_collections_are_dropped_at_the_next_open(settings: Settings) -> None:
    engine = open_engine(settings)
    store = engine.store
    store.client.create_collection(f"{settings.collection_prefix}-20000101000000-000001")
    with ingest_lock(settings.lock_path):  # a build is running: its collection stays
        open_engine(settings)
        assert len(store.client.list_collections()) == 3
    open_engine(settings)
    names = {c.name for c in store.client.list_collections()}
    assert names == {engine.info.name, f"{settings.collection_prefix}-registry"}


def test_a_reader_whose_collection_was_dropped_reopens_and_answers(
    settings: Settings, tmp_path: Path
) -> None:
    """A reader that has not looked at the pointer yet finds its build deleted mid-question
    (its build holds a transcript, so answering queries Chroma for sources)."""
    slow = settings.model_copy(update={"index_check_seconds": 3600.0, "index_retire_seconds": 0.0})
    document = tmp_path / "laporan.txt"
    document.write_text(report_text("zebramarkerold"), encoding="utf-8")
    assert ingest_paths(slow, [document]).ok
    engine = open_engine(slow)
    old = engine.info.name
    document.write_text(report_text("zebramarkernew"), encoding="utf-8")
    assert ingest_paths(slow, [document]).ok
    names = {c.name for c in engine.store.client.list_collections()}
    assert old not in names, "the old build is gone (retire_seconds=0)"
    answer = engine.answer(QUESTION)
    assert answer.verdict.value == "dilarang"
    assert engine.info.name != old and served_markers(engine) == {"zebramarkernew"}


def test_a_dangling_active_pointer_is_rebuilt_from_the_pack(settings: Settings) -> None:
    engine = open_engine(settings)
    engine.store.client.delete_collection(engine.info.name)
    again = open_engine(settings)
    assert again.info.name != engine.info.name
    assert again.answer(QUESTION).verdict.value == "dilarang"
