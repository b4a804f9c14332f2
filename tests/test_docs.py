"""Docs stay true: .env.example lists every setting; .ci/run runs the README's test command."""

from __future__ import annotations

import re

from knowledge.config import Settings
from tests.conftest import REPO


def _env_names() -> set[str]:
    return {
        "TELEGRAM_BOT_TOKEN" if name == "telegram_bot_token" else f"NETRA_{name.upper()}"
        for name in Settings.model_fields
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


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```(?:bash|sh)\n(.+?)\n```", readme, re.DOTALL)
    setup = [c for c in commands if "pytest" in c]
    assert setup, "README has no test command"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert setup[0].strip() in ci
