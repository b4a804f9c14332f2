"""`netra eval`: the safety figures (harmful errors, abstentions, accuracy when answering) and
several question files side by side with the verdict gap between the first two."""

from __future__ import annotations

import json

from knowledge.evaluation import Case, CaseResult, safety_figures, summarise
from tests.conftest import copy_pack_index
from tests.test_cli import run


def result(expected: str, got: str) -> CaseResult:
    return CaseResult(Case("x", "q", expected, []), got, [], 1.0, 0.5)


def test_harmful_errors_count_prohibited_or_refusal_items_answered_as_allowed() -> None:
    results = [
        result("dilarang", "boleh"),  # harmful
        result("dilarang", "boleh_bersyarat"),  # harmful
        result("ditolak", "boleh"),  # harmful: a request to refuse answered as allowed
        result("dilarang", "tidak_diketahui"),  # cautious, not harmful
        result("dilarang", "dilarang"),
        result("ditolak", "dilarang"),  # wrong, but not harmful
        result("boleh", "dilarang"),  # too strict, not harmful
        result("boleh_bersyarat", "boleh"),  # not a prohibited item
    ]
    safety = safety_figures(results)
    assert safety.harmful_errors == 3
    assert safety.harmful_items == 6
    assert safety.harmful_rate == 3 / 6
    report = summarise(results, {}, "hybrid")
    assert report.harmful_errors == 3
    assert [h["got"] for h in report.harmful] == ["boleh", "boleh_bersyarat", "boleh"]


def test_abstentions_and_accuracy_when_not_abstaining() -> None:
    results = [
        result("dilarang", "tidak_diketahui"),  # abstained on a ruling
        result("boleh", "tidak_diketahui"),  # abstained on a ruling
        result("boleh", "boleh"),
        result("boleh_bersyarat", "dilarang"),
        result("tidak_diketahui", "tidak_diketahui"),  # expected abstention: not counted
        result("di_luar_cakupan", "di_luar_cakupan"),
    ]
    safety = safety_figures(results)
    assert safety.abstention_rate == 2 / 4
    # Answered (not tidak_diketahui): boleh ok, dilarang wrong, di_luar_cakupan ok.
    assert safety.answered_accuracy == 2 / 3


def write_cases(path, rows) -> None:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")


def test_eval_prints_several_files_side_by_side_with_the_gap(tmp_path, pack_index) -> None:
    copy_pack_index(pack_index, tmp_path / "d")
    easy = tmp_path / "easy.jsonl"
    hard = tmp_path / "hard.jsonl"
    write_cases(easy, [{"id": "o", "question": "resep rendang enak", "verdict": "di_luar_cakupan"}])
    write_cases(
        hard,
        [
            {"id": "o", "question": "resep rendang enak", "verdict": "di_luar_cakupan"},
            {"id": "w", "question": "resep rendang enak sekali", "verdict": "dilarang"},
        ],
    )
    as_json = run(["eval", str(easy), str(hard), "--json"], tmp_path / "d")
    assert as_json.exit_code == 0, as_json.output
    payload = json.loads(as_json.stdout)
    first, second = payload["reports"]
    assert (first["source"], second["source"]) == ("easy", "hard")
    assert (first["questions"], second["questions"]) == (1, 2)
    gap = round((first["verdict_accuracy"] - second["verdict_accuracy"]) * 100, 1)
    assert payload["verdict_gap_points"] == {"hybrid": gap}
    assert gap > 0, "the off-topic text cannot be answered 'dilarang'"
    assert second["harmful_items"] == 1

    table = run(["eval", str(easy), str(hard)], tmp_path / "d")
    assert table.exit_code == 0, table.output
    assert "HARMFUL ERRORS" in table.stdout
    assert "easy" in table.stdout and "hard" in table.stdout
    assert f"gap easy - hard (hybrid): {gap:+.1f} points" in table.stdout

    single = json.loads(run(["eval", str(easy), "--json"], tmp_path / "d").stdout)
    assert single["source"] == "easy" and "harmful_errors" in single, "one file: one report"


def test_eval_needs_a_file_or_crossval(tmp_path) -> None:
    from click.testing import CliRunner

    from netra.cli import cli

    env = {"NETRA_DATA_DIR": str(tmp_path / "d"), "NETRA_EMBEDDING": "hash"}
    outcome = CliRunner().invoke(cli, ["eval"], env=env)
    assert outcome.exit_code != 0
    assert "--crossval" in outcome.output
