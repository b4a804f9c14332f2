"""The CLI speaks English (answers follow their user), and its first-run messages say what is
loaded and where data went; a bad model name is one clean error line."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from knowledge.embeddings import model_load_failure
from knowledge.pack import load_pack
from netra.cli import cli
from tests.conftest import REPO, SHARED_CACHE, copy_pack_index

CLI_MODULES = tuple(
    sorted(path.relative_to(REPO / "netra").as_posix() for path in (REPO / "netra").rglob("*.py"))
)
# Words no English CLI message contains, and that Indonesian messages nearly always do.
INDONESIAN_WORDS = frozenset({
    "yang", "ada", "belum", "tidak", "untuk", "dan", "dari", "dengan", "jalankan", "dokumen",
    "kosong", "keluar", "tanyakan", "anda", "ringkasan", "sudah", "berhasil", "gagal", "silakan",
    "baris", "pertanyaan", "diingest",
})  # fmt: skip


def run(args: list[str], data_dir: Path, input_: str | None = None):  # type: ignore[no-untyped-def]
    env = {"NETRA_DATA_DIR": str(data_dir), "NETRA_EMBEDDING": "hash", "COLUMNS": "200"}
    return CliRunner().invoke(cli, args, input=input_, env=env, catch_exceptions=False)


def _message_strings(tree: ast.Module) -> list[str]:
    """String literals of a CLI module, without docstrings and the answer-language labels."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "ANSWER_LABELS" for t in node.targets
        ):
            skip.update(id(n) for n in ast.walk(node.value))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


@pytest.mark.parametrize("module", CLI_MODULES)
def test_cli_messages_are_english(module: str) -> None:
    tree = ast.parse((REPO / "netra" / module).read_text(encoding="utf-8"))
    indonesian = [
        text
        for text in _message_strings(tree)
        if INDONESIAN_WORDS & set(text.lower().replace(":", " ").replace(".", " ").split())
    ]
    assert not indonesian, f"Indonesian CLI text in netra/{module}: {indonesian}"


def test_sources_on_a_fresh_install_names_the_packaged_knowledge(tmp_path: Path) -> None:
    result = run(["sources"], tmp_path / "data")
    assert result.exit_code == 0, result.output
    pack = load_pack(None)
    first, second = result.stdout.splitlines()[:2]
    assert f"Knowledge pack {pack.knowledge_version} loaded" in first
    assert f"{len(pack.regulations)} regulations" in first
    assert f"{len(pack.provisions)} provisions" in first
    assert f"{len(pack.rulings)} rulings" in first
    assert second.startswith("Nothing else has been ingested")
    assert "empty" not in result.stdout.lower()


def test_first_run_says_where_data_went_and_only_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "not" / "there" / "yet"
    first = run(["ask", "boleh ikut kampanye?"], data_dir)
    assert first.exit_code == 0, first.output
    assert data_dir.is_dir()
    assert f"data (index, caches) is stored in {data_dir.resolve()}" in first.stderr
    second = run(["ask", "boleh ikut kampanye?"], data_dir)
    assert "is stored in" not in second.stderr


def test_a_command_that_writes_nothing_says_nothing_about_data(tmp_path: Path) -> None:
    result = run(["validate"], tmp_path / "never")
    assert result.exit_code == 0, result.output
    assert "is stored in" not in result.stderr
    assert not (tmp_path / "never").exists()


def test_answer_headings_follow_the_question_language(tmp_path: Path, pack_index: Path) -> None:
    data_dir = copy_pack_index(pack_index, tmp_path / "data")
    english = run(["ask", "Can a civil servant join a presidential campaign rally?"], data_dir)
    assert "Legal basis:" in english.stdout and "Dasar hukum:" not in english.stdout
    assert "(confidence " in english.stdout
    indonesian = run(["ask", "Bolehkah PNS ikut kampanye calon presiden?"], data_dir)
    assert "Dasar hukum:" in indonesian.stdout and "Legal basis:" not in indonesian.stdout


def test_chat_greets_in_english(tmp_path: Path, pack_index: Path) -> None:
    result = run(["chat"], copy_pack_index(pack_index, tmp_path / "data"), input_="\n")
    assert result.exit_code == 0, result.output
    assert "Empty line to quit" in result.stderr


def test_model_load_failure_is_one_line_without_the_library_ramble() -> None:
    library = OSError(
        "We couldn't connect to 'https://huggingface.co' to load the files.\n"
        "Check your internet connection or see 'https://huggingface.co/docs#offline-mode'."
    )
    message = model_load_failure("no/such-model", library)
    assert "\n" not in message and ".." not in message
    assert "huggingface.co" not in message
    assert "'no/such-model' offline: it is not a local path" in message
    found = model_load_failure(str(REPO), ValueError("Unrecognized model.\nShould have a key.."))
    assert "\n" not in found and ".." not in found
    assert "Unrecognized model. Should have a key;" in found


@pytest.mark.slow
def test_bad_sentence_transformers_name_prints_one_clean_error_line(tmp_path: Path) -> None:
    pytest.importorskip("sentence_transformers")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETRA_") or k == SHARED_CACHE}
    env.update(
        NETRA_EMBEDDING="sentence-transformers:no-such/model-xyz",
        NETRA_DATA_DIR=str(tmp_path / "d"),
        HOME=str(tmp_path),
        PYTHONPATH=str(REPO),
    )
    result = subprocess.run(
        [sys.executable, "-c", "from netra.cli import main; main()", "ask", "boleh kampanye?"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: cannot load sentence-transformers model 'no-such/model-xyz'")
    assert not lines[0].endswith("..")
