"""``netra ask`` with any bytes: one JSON line out per line in, error objects for lines that
cannot be answered, a clear error for closed stdin or an unreadable argument, never a traceback.
Also: a first run prints no bm25s DEBUG line (it set its own logger level at import)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from netra.ask_input import decode_question, input_lines
from tests.conftest import REPO, SHARED_CACHE

BATCH = (
    b"Bolehkah PNS \xff jadi anggota partai?\n"  # invalid UTF-8 byte inside a question
    b"\n"  # empty line
    b"\x00\x01\x02\xff\xfe\xfd\xfc\xfb\n"  # binary
    b"   \t  \n"  # blanks only
    b"boleh ikut kampanye? na\xefve\r\n"  # cp1252, CRLF
    b"Bolehkah PNS ikut kampanye?"  # last line without a newline
)


def netra(
    args: list[str], stdin: bytes | None, data_dir: Path, **kwargs
) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def,type-arg]
    env = {
        key: value
        for key, value in os.environ.items()
        if (not key.startswith("NETRA_") or key == SHARED_CACHE) and key != "TELEGRAM_BOT_TOKEN"
    }
    env.update(NETRA_EMBEDDING="hash", NETRA_DATA_DIR=str(data_dir), PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-c", "from netra.cli import main; main()", *args],
        input=stdin,
        capture_output=True,
        env=env,
        cwd=REPO,
        check=False,
        **kwargs,
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile") / "data"


@pytest.fixture(scope="module")
def first_batch(data_dir: Path) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    """The first run on an empty data dir (it builds the index): the batch above."""
    return netra(["ask", "-"], BATCH, data_dir)


def test_one_json_line_per_input_line(first_batch) -> None:  # type: ignore[no-untyped-def]
    assert first_batch.returncode == 0, first_batch.stderr
    lines = first_batch.stdout.decode("utf-8").splitlines()
    assert len(lines) == 6
    payloads = [json.loads(line) for line in lines]
    assert payloads[0]["verdict"] == "dilarang"
    assert payloads[1] == {**payloads[1], "line": 2, "error": "empty_line"}
    assert payloads[2]["error"] == "undecodable_line" and payloads[2]["line"] == 3
    assert payloads[3]["error"] == "empty_line"
    assert "naïve" in payloads[4]["question"]
    assert payloads[5]["verdict"] == "dilarang"
    assert b"Traceback" not in first_batch.stderr


def test_a_first_run_prints_no_bm25s_debug_line(first_batch) -> None:  # type: ignore[no-untyped-def]
    stderr = first_batch.stderr.decode("utf-8", errors="replace")
    assert "Embedding knowledge pack" in stderr  # it was a first run: the index was built
    assert "Building index from tokens" not in stderr and " DEBUG " not in stderr


def test_utf16_stdin_is_read(first_batch, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    text = "Bolehkah PNS ikut kampanye?\n\nboleh like postingan caleg?\n"
    result = netra(["ask", "-"], text.encode("utf-16"), data_dir)
    assert result.returncode == 0, result.stderr
    payloads = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert [p.get("verdict", p.get("error")) for p in payloads][1] == "empty_line"
    assert payloads[0]["question"] == "Bolehkah PNS ikut kampanye?" and len(payloads) == 3


def test_closed_stdin_is_a_clear_error(first_batch, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    result = netra(["ask", "-"], b"", data_dir)
    assert result.returncode == 0 and result.stdout == b""  # empty input: nothing to answer
    closed = subprocess.run(
        [
            "/bin/sh",
            "-c",
            f'exec "{sys.executable}" -c "from netra.cli import main; main()" ask - <&-',
        ],
        capture_output=True,
        env={
            **os.environ,
            "NETRA_EMBEDDING": "hash",
            "NETRA_DATA_DIR": str(data_dir),
            "PYTHONPATH": str(REPO),
        },
        cwd=REPO,
        check=False,
    )
    assert closed.returncode == 1
    assert b"standard input is closed" in closed.stderr and b"Traceback" not in closed.stderr


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        (b"Bolehkah PNS \xff ikut kampanye?", "answer"),
        (b"\xff\xfe\xfd\xfc", "error"),
        (b"   ", "error"),
    ],
)
def test_argv_in_any_encoding(first_batch, data_dir: Path, argument: bytes, expected: str) -> None:  # type: ignore[no-untyped-def]
    result = netra(["ask", "--json", os.fsdecode(argument)], None, data_dir)
    assert b"Traceback" not in result.stderr
    if expected == "answer":
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["verdict"] == "dilarang"
    else:
        assert result.returncode == 2 and b"Error: the question is" in result.stderr


def test_decoding_rules() -> None:
    assert decode_question(b"boleh \xef\xbb\xbfkampanye?") == ("boleh \ufeffkampanye?", None)
    assert decode_question("\ufeffboleh?".encode()) == ("boleh?", None)
    assert decode_question(b"\x00\x00") == (None, "empty_line")
    assert decode_question(bytes(range(128, 160)))[1] == "undecodable_line"


def test_input_lines_keep_the_numbering() -> None:
    import io

    lines = list(input_lines(io.BytesIO(b"a?\n\nb?\r\n\xff\xfe\xfd\n")))
    assert [(line.number, line.text, line.error) for line in lines] == [
        (1, "a?", None),
        (2, None, "empty_line"),
        (3, "b?", None),
        (4, None, "undecodable_line"),
    ]
