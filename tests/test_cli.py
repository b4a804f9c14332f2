"""The `netra` command line: readable and JSON answers, batch mode, friendly errors."""

from __future__ import annotations

import json

from click.testing import CliRunner

from netra.cli import cli
from tests.conftest import copy_pack_index
from tests.test_answer_contract import check_contract


def run(args, data_dir, input_=None, embedding="hash"):
    runner = CliRunner()
    env = {"NETRA_DATA_DIR": str(data_dir), "NETRA_EMBEDDING": embedding}
    return runner.invoke(cli, args, input=input_, env=env, catch_exceptions=False)


def test_ask_prints_a_cited_answer(tmp_path) -> None:
    result = run(["ask", "bolehkah PNS menghadiri kampanye terbuka?"], tmp_path / "d")
    assert result.exit_code == 0, result.output
    assert "Dasar hukum:" in result.stdout
    assert "PP 94/2021 Pasal 5 huruf n" in result.stdout
    assert "bukan nasihat hukum resmi" in result.stdout


def test_ask_json_follows_the_contract(tmp_path, pack_index) -> None:
    data_dir = copy_pack_index(pack_index, tmp_path / "d")
    result = run(["ask", "--json", "boleh ga pns ikut kampanye?"], data_dir)
    check_contract(json.loads(result.stdout))


def test_batch_mode_answers_100_questions_and_reuses_the_index(tmp_path) -> None:
    questions = [f"pertanyaan {i}: boleh ga asn ikut kampanye caleg?" for i in range(100)]
    first = run(["ask", "-"], tmp_path / "d", input_="\n".join(questions) + "\n\n")
    lines = [json.loads(line) for line in first.stdout.splitlines()]
    assert len(lines) == 101, "one line out per line in, the trailing blank one included"
    for payload in lines[:100]:
        check_contract(payload)
    assert lines[100] == {**lines[100], "line": 101, "error": "empty_line"}
    assert "Writing index" in first.stderr
    second = run(["ask", "-"], tmp_path / "d", input_="boleh kampanye?\n")
    assert len(second.stdout.splitlines()) == 1
    assert "Writing index" not in second.stderr, "the second run must not rebuild the index"


def test_friendly_errors(tmp_path, pack_index) -> None:
    copy_pack_index(pack_index, tmp_path / "d")
    runner = CliRunner()
    env = {"NETRA_DATA_DIR": str(tmp_path / "d"), "NETRA_EMBEDDING": "nonsense"}
    result = runner.invoke(cli, ["ask", "x"], env=env)
    assert result.exit_code != 0
    assert "NETRA_EMBEDDING" in result.output
    assert "Traceback" not in result.output


def test_validate_reports_the_pack(tmp_path) -> None:
    result = run(["validate"], tmp_path / "d")
    summary = json.loads(result.stdout.splitlines()[-1])
    assert summary["problems"] == 0
    assert summary["rulings"] >= 1
