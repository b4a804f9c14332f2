"""The packaged knowledge pack: valid, complete enough, and documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.models import Status
from knowledge.pack import PackError, load_pack
from knowledge.pack_table import render_into


@pytest.fixture(scope="module")
def pack():
    return load_pack()


def test_pack_validates(pack) -> None:
    assert pack.problems == []


def test_catalogue_size_and_examples(pack) -> None:
    assert len(pack.rulings) >= 100
    assert all(len(r.examples) >= 4 for r in pack.rulings)
    assert {r.verdict for r in pack.rulings} == {"dilarang", "boleh", "boleh_bersyarat"}


def test_every_provision_is_sourced_and_marked_as_ours(pack) -> None:
    for label, provision in pack.provisions.items():
        assert provision.source.strip(), label
        assert provision.text.startswith("(Rumusan kami)"), label


def test_replaced_regulations_name_their_replacement(pack) -> None:
    for regulation in pack.regulations.values():
        if regulation.status is Status.DICABUT:
            assert regulation.replaced_by or regulation.status_note, regulation.id
    assert pack.regulations["UU 5/2014"].status is Status.DICABUT
    assert "UU 20/2023" in pack.regulations["UU 5/2014"].replaced_by


def test_readme_table_is_current(pack) -> None:
    readme = Path(__file__).resolve().parents[1] / "knowledge" / "README.md"
    assert readme.read_text(encoding="utf-8") == render_into(readme, pack), (
        "run: python -m knowledge.pack_table"
    )


def test_validator_catches_broken_packs(tmp_path) -> None:
    (tmp_path / "regulations").mkdir()
    (tmp_path / "rulings").mkdir()
    (tmp_path / "regulations" / "x.yaml").write_text(
        "id: PP 1/2000\ntitle: T\ntype: PP\nnumber: 1\nyear: 2000\nstatus: dicabut\n"
        "status_note: dicabut oleh PP 2/2001\nsource_url: https://example.invalid\n"
        "verified_against: [x]\nprovisions:\n  - pasal: '1'\n    text: '(Rumusan kami) a'\n"
        "    source: x\n",
        encoding="utf-8",
    )
    ruling = (
        "  - id: {id}\n    act: a\n    verdict: dilarang\n    applies_to: [PNS]\n"
        "    basis: ['{basis}']\n    explanation: e\n    examples: {examples}\n"
    )
    (tmp_path / "rulings" / "t.yaml").write_text(
        "topic: t\nrulings:\n"
        + ruling.format(id="a", basis="PP 1/2000 Pasal 1", examples="[q, w, e, r]")
        + ruling.format(id="a", basis="PP 1/2000 Pasal 9", examples="[q, w, e, r]")
        + ruling.format(id="b", basis="PP 1/2000 Pasal 1", examples="[]")
        + ruling.format(id="c", basis="PP 1/2000 Pasal 1", examples="[x, y, z, ' Q ']"),
        encoding="utf-8",
    )
    with pytest.raises(PackError) as error:
        load_pack(tmp_path)
    message = str(error.value)
    assert "duplicate ruling id a" in message
    assert "PP 1/2000 Pasal 9" in message and "not in the pack" in message
    assert "revoked" in message
    assert "examples" in message
    assert "is listed under a and c" in message
