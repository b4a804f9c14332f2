"""Word lists and regulation names are data (issue 16): a slang word, a regulation alias or a
regulation of a new type added to a copy of the pack is used, with no code edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from knowledge.config import Settings
from knowledge.lexicon import load_word_lists
from knowledge.pack import default_pack_dir, load_pack
from netra.wiring import open_engine

NEW_SLANG = "nglaiki"  # not a word any list knows
NEW_ALIAS = "UU Kepemiluan Nasional"


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    root = tmp_path / "pack"
    shutil.copytree(default_pack_dir(), root, ignore=shutil.ignore_patterns("vectors"))
    return root


def _edit_yaml(path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_slang_word_added_to_the_pack_is_tokenised_and_retrieved(
    pack_copy: Path, tmp_path
) -> None:
    question = f"pns {NEW_SLANG} postingan capres"
    before = load_word_lists(pack_copy)
    assert NEW_SLANG in before.tokens(question)
    _edit_yaml(pack_copy / "lexicon.yaml", lambda d: d["slang"].update({NEW_SLANG: "suka like"}))
    after = load_word_lists(pack_copy)
    assert NEW_SLANG not in after.tokens(question) and "like" in after.tokens(question)
    assert after.fingerprint != before.fingerprint  # BM25 snapshots made with the old lists go
    settings = Settings(data_dir=tmp_path / "data", embedding="hash", pack_dir=pack_copy)
    engine = open_engine(settings)
    assert "like" in engine.retriever.query_tokens(question)


def test_a_regulation_alias_added_to_the_pack_names_the_regulation(
    pack_copy: Path, tmp_path
) -> None:
    question = f"apa isi Pasal 280 {NEW_ALIAS}?"
    assert load_pack(pack_copy).regulation_names.first(question) is None
    _edit_yaml(
        pack_copy / "regulations" / "uu-7-2017.yaml", lambda d: d["aliases"].append(NEW_ALIAS)
    )
    pack = load_pack(pack_copy)
    assert pack.regulation_names.first(question).id == "UU 7/2017"  # type: ignore[union-attr]
    settings = Settings(data_dir=tmp_path / "data", embedding="hash", pack_dir=pack_copy)
    answer = open_engine(settings).answer(question)
    assert answer.kind == "lookup"
    assert answer.citations and all(
        c.label.startswith("UU 7/2017 Pasal 280") for c in answer.citations
    )


def test_a_regulation_of_a_new_type_needs_no_code(pack_copy: Path) -> None:
    """A pack regulation's ``type`` is a type name: "Perkomdigi 3/2031" is then known, so no
    "Netra does not know ..." note, and its id resolves without a year."""
    source = yaml.safe_load((pack_copy / "regulations" / "pp-37-2004.yaml").read_text("utf-8"))
    new = {
        "id": "Perkomdigi 3/2031",
        "title": "Peraturan Komdigi Nomor 3 Tahun 2031 (test regulation)",
        "type": "Perkomdigi",
        "number": "3",
        "year": 2031,
        "aliases": [],
        "status": "berlaku",
        "source_url": source["source_url"],
        "verified_against": source["verified_against"],
    }
    path = pack_copy / "regulations" / "perkomdigi-3-2031.yaml"
    path.write_text(yaml.safe_dump(new, sort_keys=False), encoding="utf-8")
    names = load_pack(pack_copy).regulation_names
    assert [r.id for r in names.find("menurut perkomdigi no. 3 tahun 2031")] == [
        "Perkomdigi 3/2031"
    ]
    assert names.resolve("Perkomdigi 3/*") == "Perkomdigi 3/2031"
    assert load_pack().regulation_names.first("perkomdigi 3/2031") is None


def test_an_alias_naming_two_regulations_is_a_pack_error(pack_copy: Path) -> None:
    _edit_yaml(
        pack_copy / "regulations" / "uu-5-2014.yaml", lambda d: d["aliases"].append("UU ASN")
    )
    problems = load_pack(pack_copy, strict=False).problems
    assert any("alias 'UU ASN' already names" in p for p in problems)
