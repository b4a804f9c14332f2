"""Document-level citations: an instrument whose articles are unverified is cited by its id."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from knowledge.models import Provision
from knowledge.pack import PackError, load_pack


def test_a_document_level_provision_is_labelled_with_its_regulation() -> None:
    whole = Provision(regulation="SE MenPANRB 18/2023", document=True, text="t", source="s")
    part = Provision(
        regulation="SE MenPANRB 1/2023", document=True, angka="4", text="t", source="s"
    )
    assert whole.label == "SE MenPANRB 18/2023"
    assert part.label == "SE MenPANRB 1/2023 angka 4"


def test_a_provision_without_an_article_must_say_it_is_document_level() -> None:
    with pytest.raises(ValidationError, match="document: true"):
        Provision(regulation="SE MenPANRB 18/2023", text="t", source="s")
    with pytest.raises(ValidationError, match="document-level"):
        Provision(regulation="Perpres 92/2024", document=True, pasal="3", text="t", source="s")


def test_the_instruments_without_verified_articles_are_citable() -> None:
    pack = load_pack()
    for label in ("SE MenPANRB 1/2023", "SE MenPANRB 18/2023", "Perpres 92/2024"):
        assert pack.provisions[label].document, label
    cited = {label for ruling in pack.rulings for label in ruling.basis}
    assert {"SE MenPANRB 1/2023", "SE MenPANRB 18/2023", "Perpres 92/2024"} <= cited


def test_a_document_level_citation_needs_two_sources(tmp_path) -> None:
    (tmp_path / "regulations").mkdir()
    (tmp_path / "regulations" / "x.yaml").write_text(
        "id: SE X 1/2024\ntitle: T\ntype: SE\nnumber: 1\nyear: 2024\nstatus: berlaku\n"
        "source_url: https://example.invalid\nverified_against: [one]\nprovisions:\n"
        "  - document: true\n    text: '(Rumusan kami) a'\n    source: https://example.invalid\n",
        encoding="utf-8",
    )
    with pytest.raises(PackError, match="needs 2 sources"):
        load_pack(tmp_path)
