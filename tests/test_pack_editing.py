"""Issue 16 part 7: the pack is easy to edit — sanctions by reference, short provision ids,
English overlays — and every reference is still checked."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from knowledge.models import Provision
from knowledge.pack import default_pack_dir, load_pack
from knowledge.pack_refs import regulation_slug, suggest_provision_id


@pytest.fixture(scope="module")
def pack():
    return load_pack()


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(default_pack_dir(), target, ignore=shutil.ignore_patterns("vectors", "intent"))
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(pack_dir: Path) -> str:
    return "\n".join(load_pack(pack_dir, strict=False).problems)


# --- sanctions table --------------------------------------------------------------------------
def test_every_sanction_text_lives_once_in_the_table(pack) -> None:
    table = pack.sanction_table
    texts = Counter(" ".join(entry.text.split()) for entry in table.sanctions.values())
    assert [t for t, n in texts.items() if n > 1] == []
    assert all(r.sanction_ids for r in pack.rulings if r.sanction)
    shared = Counter(ref for r in pack.rulings for ref in r.sanction_ids)
    assert shared["berat-pp94-14i4"] >= 8  # the text once pasted into many rulings


def test_a_ruling_shows_its_entries_joined_in_order(pack) -> None:
    ruling = pack.rulings_by_id["jadi-juru-kampanye"]
    table = pack.sanction_table
    assert ruling.sanction_ids[0] == "pidana-uu7-494"
    assert ruling.sanction == " ".join(table.sanctions[i].text for i in ruling.sanction_ids)
    assert ruling.sanction_by == "; ".join(
        table.authorities[i].text for i in ruling.sanction_by_ids
    )
    assert ruling.sanction_en and ruling.sanction_en.startswith("Election offence")


def test_unknown_or_pasted_sanctions_are_rejected(pack_dir: Path) -> None:
    rulings = pack_dir / "rulings" / "kampanye.yaml"
    _edit(rulings, "sanction: tingkat-ikut-kampanye\n", "sanction: tingkat-ikut-kampanyee\n")
    _edit(rulings, "sanction_by: pyb-disiplin\n", "sanction_by: Pejabat yang Berwenang\n")
    problems = _problems(pack_dir)
    assert "names unknown sanction 'tingkat-ikut-kampanyee'" in problems
    assert "names unknown authority 'Pejabat yang Berwenang'" in problems


def test_a_sanction_basis_must_resolve_and_be_cited_in_its_text(pack_dir: Path) -> None:
    table = pack_dir / "sanctions.yaml"
    _edit(table, "basis: [pp94-14-i-1, pp94-8-4]", "basis: [pp94-14-i-1, pp94-99, pp94-13-g]")
    problems = _problems(pack_dir)
    assert "sanction berat-pp94-14i1 basis 'pp94-99' is not in the pack" in problems
    assert "sanction berat-pp94-14i1 basis 'pp94-13-g' is not cited in its text" in problems


def test_an_unused_entry_is_reported(pack_dir: Path) -> None:
    table = pack_dir / "sanctions.yaml"
    _edit(table, "sanctions:\n", "sanctions:\n  nobody:\n    text: x\n    text_en: x\n")
    assert "sanction nobody is named by no ruling" in _problems(pack_dir)


def test_english_belongs_in_the_overlays_and_the_table(pack_dir: Path) -> None:
    _edit(
        pack_dir / "rulings" / "kampanye.yaml",
        "  sanction: tingkat-ikut-kampanye\n",
        "  sanction: tingkat-ikut-kampanye\n  act_en: Joining a campaign\n",
    )
    assert "act_en is filled by the loader" in _problems(pack_dir)


# --- provision ids --------------------------------------------------------------------------
def test_suggested_ids_follow_the_convention() -> None:
    def provision(**levels: object) -> Provision:
        return Provision.model_validate({"text": "t", "source": "s", **levels})

    assert regulation_slug("PP 94/2021") == "pp94"
    assert regulation_slug("SE MenPANRB 18/2023") == "se-menpanrb18"
    assert regulation_slug("SKB Netralitas 2022") == "skb-netralitas-2022"
    pp = {"regulation": "PP 94/2021"}
    assert suggest_provision_id(provision(**pp, pasal="5", huruf="n", angka="1")) == "pp94-5-n-1"
    assert suggest_provision_id(provision(**pp, pasal="5", penjelasan=True)) == "pp94-penj-5"
    uu = {"regulation": "UU 20/2023", "pasal": "24", "ayat": "1", "huruf": "d"}
    assert suggest_provision_id(provision(**uu)) == "uu20-24-1-d"
    document = provision(regulation="SE MenPANRB 1/2023", document=True, angka="4")
    assert suggest_provision_id(document) == "se-menpanrb1-4"


def test_every_provision_has_a_short_unique_id(pack) -> None:
    ids = [p.id for p in pack.provisions.values()]
    assert None not in ids and len(set(ids)) == len(ids)
    assert max(len(i or "") for i in ids) <= 30


def test_rulings_cite_by_id_and_answers_still_show_the_label(pack) -> None:
    path = default_pack_dir() / "rulings" / "kampanye.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["rulings"][0]
    assert raw["basis"][0] == "pp94-5-n-1"
    ruling = pack.rulings_by_id[raw["id"]]
    assert ruling.basis[0] == "PP 94/2021 Pasal 5 huruf n angka 1"
    assert pack.provisions[ruling.basis[0]].id == "pp94-5-n-1"


def test_labels_still_work_and_unknown_references_do_not(pack_dir: Path) -> None:
    rulings = pack_dir / "rulings" / "kampanye.yaml"
    _edit(rulings, "  - pp94-5-n-1\n", "  - PP 94/2021 Pasal 5 huruf n angka 1\n")
    pack = load_pack(pack_dir)
    assert pack.rulings_by_id["ikut-kampanye-calon"].basis[0] == (
        "PP 94/2021 Pasal 5 huruf n angka 1"
    )
    _edit(rulings, "  - pp94-penj-5-n-1\n", "  - pp94-penj-5-n-9\n")
    assert "cites 'pp94-penj-5-n-9', which is not in the pack" in _problems(pack_dir)


def test_a_provision_without_or_with_a_taken_id_is_rejected(pack_dir: Path) -> None:
    regulation = pack_dir / "regulations" / "pp-94-2021.yaml"
    _edit(regulation, "  - id: pp94-1-6\n    pasal:", "  - pasal:")
    _edit(regulation, "  - id: pp94-5-n-2\n", "  - id: pp94-5-n-1\n")
    problems = _problems(pack_dir)
    assert "PP 94/2021 Pasal 1 angka 6 has no id (suggested: pp94-1-6" in problems
    assert "provision id pp94-5-n-1 names both" in problems


# --- English overlays -------------------------------------------------------------------------
def _overlay(pack_dir: Path, kind: str, name: str, data: dict) -> None:
    path = pack_dir / "en" / kind / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_an_overlay_sets_the_english_forms(pack_dir: Path) -> None:
    shutil.rmtree(pack_dir / "en", ignore_errors=True)
    _overlay(
        pack_dir,
        "rulings",
        "kampanye.yaml",
        {"rulings": {"ikut-kampanye-calon": {"act": "Joining a campaign", "period": "campaign"}}},
    )
    label = "PP 94/2021 Pasal 5 huruf n angka 1"
    _overlay(
        pack_dir,
        "regulations",
        "pp-94-2021.yaml",
        {
            "regulation": "PP 94/2021",
            "title": "Government Regulation 94 of 2021 on Civil Servant Discipline",
            "provisions": {
                label: {"text": "(Our wording) joining a campaign.", "context": "PNS may not:"},
                "pp94-5-n-2": {"text": "(Our wording) attending with attributes."},
            },
        },
    )
    pack = load_pack(pack_dir)
    ruling = pack.rulings_by_id["ikut-kampanye-calon"]
    assert (ruling.act_en, ruling.period_en) == ("Joining a campaign", "campaign")
    assert pack.regulations["PP 94/2021"].title_en.startswith("Government Regulation")
    provision = pack.provisions[label]
    assert provision.full_text_en() == "(Our wording) PNS may not: joining a campaign."
    assert pack.provisions["PP 94/2021 Pasal 5 huruf n angka 2"].text_en
    assert "en/rulings/kampanye.yaml: ruling ikut-kampanye-calon: explanation, notes" in (
        pack.english_gaps
    )


def test_overlay_entries_that_name_nothing_are_errors(pack_dir: Path) -> None:
    shutil.rmtree(pack_dir / "en", ignore_errors=True)
    _overlay(
        pack_dir,
        "rulings",
        "kampanye.yaml",
        {
            "rulings": {
                "no-such-ruling": {"act": "x"},
                "like-unggahan-calon": {"act": "x"},  # lives in media-sosial.yaml
                "ikut-kampanye-calon": {"conditions": "x", "sanction": "x"},
            }
        },
    )
    _overlay(pack_dir, "rulings", "no-such-topic.yaml", {"rulings": {}})
    _overlay(
        pack_dir,
        "regulations",
        "pp-94-2021.yaml",
        {"regulation": "PP 94/2022", "provisions": {"PP 94/2021 Pasal 99": {"text": "x"}}},
    )
    problems = _problems(pack_dir)
    for expected in (
        "en/rulings/kampanye.yaml: no-such-ruling is not a ruling of rulings/kampanye.yaml",
        "en/rulings/kampanye.yaml: like-unggahan-calon is not a ruling of rulings/kampanye.yaml",
        "ikut-kampanye-calon: conditions has no Indonesian text to translate",
        "ikut-kampanye-calon: unknown field 'sanction'",
        "en/rulings/no-such-topic.yaml: no rulings/no-such-topic.yaml to translate",
        "en/regulations/pp-94-2021.yaml: regulation must be PP 94/2021",
        "'PP 94/2021 Pasal 99' is not a provision of PP 94/2021",
    ):
        assert expected in problems


def test_a_period_left_to_its_default_has_an_english_default(pack_dir: Path) -> None:
    _edit(pack_dir / "rulings" / "kampanye.yaml", "  period: masa kampanye\n", "")
    assert "ikut-kampanye-calon: period has no Indonesian text" in _problems(pack_dir)
    _edit(pack_dir / "en" / "rulings" / "kampanye.yaml", "    period: the campaign period\n", "")
    ruling = load_pack(pack_dir).rulings_by_id["ikut-kampanye-calon"]
    assert (ruling.period, ruling.period_en) == ("kapan saja", "any time")


def test_the_pack_has_an_english_form_of_every_text(pack) -> None:
    """Issue 15 item 5: none missing. While translations are being written this lists exactly
    what is still missing, by overlay file."""
    by_file = Counter(gap.split(": ", 1)[0] for gap in pack.english_gaps)
    summary = ", ".join(f"{name} ({count})" for name, count in sorted(by_file.items()))
    assert pack.english_gaps == [], (
        f"{len(pack.english_gaps)} entries lack English: {summary}\n" + "\n".join(pack.english_gaps)
    )


def test_the_id_script_adds_the_suggested_id_and_nothing_else(pack_dir: Path) -> None:
    from scripts.pack_ids import add_ids

    regulation = pack_dir / "regulations" / "pp-94-2021.yaml"
    before = regulation.read_text(encoding="utf-8")
    _edit(regulation, "  - id: pp94-1-6\n    pasal:", "  - pasal:")
    assert add_ids(regulation) == ["PP 94/2021 Pasal 1 angka 6 -> pp94-1-6"]
    assert regulation.read_text(encoding="utf-8") == before
    assert add_ids(regulation) == []


def test_a_note_overlay_translates_its_lists_item_by_item(pack, pack_dir: Path) -> None:
    note = next(n for n in pack.notes if n.id == "pasuruan-2020-01-28")
    assert note.points_en and len(note.points_en) == len(note.points)
    assert note.title_en and note.title_en.startswith("ASN neutrality")
    path = pack_dir / "en" / "notes" / "pasuruan-2020-01-28.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(
        yaml.safe_dump({**data, "id": "pasuruan", "points": data["points"][:-1]}),
        encoding="utf-8",
    )
    assert "en/notes/pasuruan-2020-01-28.yaml: id must be pasuruan-2020-01-28" in _problems(
        pack_dir
    )
    path.write_text(yaml.safe_dump({**data, "points": data["points"][:-1]}), encoding="utf-8")
    problems = _problems(pack_dir)
    assert "points must be non-empty text (a list as long as the Indonesian one)" in problems
