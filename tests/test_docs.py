"""Docs stay true: .env.example lists every setting; the README's prerequisites and its two set-up
commands stay in step with .ci/run."""

from __future__ import annotations

import re

from knowledge.config import BotSettings, Settings
from tests.conftest import REPO


def _env_names() -> set[str]:
    fields = {*Settings.model_fields, *BotSettings.model_fields} - {"bot"}
    return {
        "TELEGRAM_BOT_TOKEN" if name == "telegram_bot_token" else f"NETRA_{name.upper()}"
        for name in fields
    }


def test_env_example_lists_every_setting_with_a_comment() -> None:
    text = (REPO / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^(NETRA_\w+|TELEGRAM_BOT_TOKEN)=", text, re.MULTILINE))
    assert listed == _env_names()
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^(NETRA_\w+|TELEGRAM_BOT_TOKEN)=", line):
            assert lines[i - 1].startswith("#"), f"no comment above {line}"


def test_readme_documents_every_setting() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [name for name in _env_names() if name not in readme]
    assert not missing


def _section(text: str, heading: str) -> str:
    """The body of a markdown section, up to the next heading of the same or a higher level."""
    level = heading.split(" ", 1)[0]
    start = text.index(heading + "\n") + len(heading) + 1
    pattern = "^#{1," + str(len(level)) + "} "
    ends = [m.start() for m in re.finditer(pattern, text[start:], re.MULTILINE)]
    return text[start : start + ends[0]] if ends else text[start:]


def _shell_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```(?:bash|sh)\n(.+?)\n```", text, re.DOTALL)]


def _ci_command_lines() -> list[str]:
    """The lines of .ci/run that run something (not the shebang, comments, set, cd or export)."""
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    skip = ("#", "set ", "cd ", "export ")
    return [line.strip() for line in ci.splitlines() if line.strip() and not line.startswith(skip)]


def _readme_quickstart() -> str:
    return _section((REPO / "README.md").read_text(encoding="utf-8"), "## Quickstart")


def test_quickstart_has_exactly_two_setup_commands_and_the_second_is_ci() -> None:
    commands = _shell_blocks(_readme_quickstart())
    assert len(commands) == 2, f"the Quickstart must show exactly two set-up commands: {commands}"
    answer, tests = commands
    assert "netra ask" in answer and "pytest" not in answer
    assert "\n" not in tests, "the test command is one line, as in .ci/run"
    assert tests in _ci_command_lines(), ".ci/run must run exactly the README's test command"


def test_before_you_start_lists_what_the_two_commands_need() -> None:
    quickstart = _readme_quickstart()
    before = _section(quickstart, "### Before you start")
    assert quickstart.index("### Before you start") < quickstart.index("```bash")
    assert not _shell_blocks(before), "prerequisites are a list, not a third set-up command"
    items = re.findall(r"^- (.+?)(?=^- |\Z)", before, re.MULTILINE | re.DOTALL)
    listed = " ".join(" ".join(item.split()) for item in items)
    requires = re.search(r'requires-python = ">=([\d.]+)"', (REPO / "pyproject.toml").read_text())
    assert requires and f"Python >= {requires.group(1)}" in listed
    assert "`python3 -m venv .venv && . .venv/bin/activate`" in listed
    assert "PostgreSQL" in listed and "`postgresql`" in listed and "skip" in listed
    assert "`../shared`" in listed and "SOURCES.md" in listed and "skip" in listed
    tests = _shell_blocks(quickstart)[1]
    if "npm " in tests:
        assert "Node.js and npm" in listed
        assert re.search(r"npm ci --prefix (\S+)", tests).group(0) in listed  # type: ignore[union-attr]
    extras = re.findall(r"pip install (?:-e \S+ )?([^&]+)", tests)
    for package in " ".join(extras).split():
        if not package.startswith(("torch==", "-", '"')):
            assert f"`{package}`" in listed, f"{package} is installed but not explained"


def test_readme_names_how_long_the_fast_and_full_runs_take() -> None:
    timing = _section(_readme_quickstart(), "### How long things take")
    assert "`python -m pytest`" in timing and "`python -m pytest -m slow`" in timing
    assert "`.ci/run`" in timing
    assert re.search(r"\d+ (?:s|min)\b", timing), "give measured durations"
