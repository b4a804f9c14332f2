"""One parser of regulation names for analysis, ingest and the LLM checks (issue 16)."""

from __future__ import annotations

import pytest

from knowledge.llm_prompt import regulations_in
from knowledge.pack import load_pack
from knowledge.regulation_ref import RegulationNames


@pytest.fixture(scope="module")
def names() -> RegulationNames:
    return load_pack().regulation_names


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("apa isi pasal 5 PP 94/2021?", ["PP 94/2021"]),
        ("Peraturan Pemerintah Republik Indonesia Nomor 94 Tahun 2021", ["PP 94/2021"]),
        ("pp no. 94 pasal 5", ["PP 94/*"]),
        ("What does Law 10/2016 Article 71 say?", ["UU 10/2016"]),
        ("undang undang nomor 7 tahun 2017 dan PKPU 15 thn 2023", ["UU 7/2017", "PKPU 15/2023"]),
        ("SE Menpan 18/2023", ["SE MenPANRB 18/2023"]),
        ("pasal 280 uu pemilu", ["UU 7/2017"]),
        ("UU ASN 2014 vs UU ASN", ["UU 5/2014", "UU 20/2023"]),
        ("Perppu Nomor 1 Tahun 2014", ["UU 1/2015"]),  # its alias "Perppu 1/2014"
        ("Putusan MK 65/PUU-XXI/2023", ["Putusan MK 65/PUU-XXI/2023"]),
        ("beli permen 2 bungkus", []),
    ],
)
def test_regulations_named_in_a_text(names: RegulationNames, text: str, ids: list[str]) -> None:
    assert [ref.id for ref in names.find(text)] == ids


def test_resolving_a_number_without_a_year(names: RegulationNames) -> None:
    assert names.resolve("PP 94/*") == "PP 94/2021"
    assert names.resolve("Putusan MK 65/*") == "Putusan MK 65/PUU-XXI/2023"
    assert names.resolve("UU 99/*") is None
    assert names.resolve("PP 99/2030") == "PP 99/2030"  # a full id is kept (it may be unknown)


def test_headings_and_file_names_of_official_texts(names: RegulationNames) -> None:
    assert names.heading_code("PERATURAN PEMERINTAH PENGGANTI UNDANG-UNDANG") == "Perppu"
    assert names.heading_code("PERATURAN MENTERI DALAM NEGERI") == "Permen"
    assert names.heading_code("KEPUTUSAN BUPATI") is None
    assert names.in_file_name("jdih-uu-7-2017.pdf").id == "UU 7/2017"  # type: ignore[union-attr]
    assert names.in_file_name("notulen-2017.txt") is None


def test_the_llm_check_counts_only_complete_names(names: RegulationNames) -> None:
    text = "Menurut UU Pemilu dan PP 94/2021, serta PP 94, juga Perpres 92 Tahun 2024."
    assert regulations_in(text, names) == {"UU 7/2017", "PP 94/2021", "Perpres 92/2024"}
