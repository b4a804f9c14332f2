"""The layout holds: dependencies run netra -> {bot, ingest} -> knowledge, no module import cycle,
one wiring builds every service, and no function in ingest/ or knowledge/ runs over 60 lines."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from tests.conftest import REPO

PACKAGES = ("knowledge", "ingest", "bot", "netra")
MAX_FUNCTION_LINES = 60
# Functions allowed to run longer, each with its reason; the list only ever shrinks.
LONG_FUNCTION_ALLOWED: dict[str, str] = {}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            name = ".".join(path.relative_to(REPO).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _imported(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every project module ``path`` imports, at any depth (functions and TYPE_CHECKING too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name in modules}


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imported(path, modules) - {name} for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path of module names, or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for child in sorted(graph.get(node, ())):
            if state.get(child) == 1:
                return [*path[path.index(child) :], child]
            if child not in state and (cycle := visit(child)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_no_import_cycle_between_modules() -> None:
    graph = import_graph()
    assert {"knowledge.engine", "netra.wiring", "bot.app", "ingest.pipeline"} <= set(graph)
    assert find_cycle(graph) is None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_packages_depend_one_way() -> None:
    allowed = {
        "knowledge": {"knowledge"},
        "ingest": {"ingest", "knowledge"},
        "bot": {"bot", "knowledge"},
        "netra": set(PACKAGES),
    }
    wrong = [
        f"{module} -> {target}"
        for module, targets in import_graph().items()
        for target in targets
        if target.split(".")[0] not in allowed[module.split(".")[0]]
    ]
    assert wrong == []


LOADED = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(info.name)
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("bot", {"ingest", "netra"}), ("ingest", {"bot", "netra"}), ("knowledge", {"bot", "ingest"})],
)
def test_importing_a_package_loads_none_it_must_not_depend_on(
    package: str, forbidden: set[str]
) -> None:
    """Every module of the package imported in a fresh interpreter: sys.modules then holds no
    module of the packages it must not depend on."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED, package],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert package in loaded
    assert not loaded & forbidden


def _long_functions() -> list[str]:
    found = []
    for package in ("ingest", "knowledge"):
        for path in sorted((REPO / package).rglob("*.py")):
            relative = path.relative_to(REPO).as_posix()
            if relative in LONG_FUNCTION_ALLOWED:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = (node.end_lineno or node.lineno) - node.lineno + 1
                    if length > MAX_FUNCTION_LINES:
                        found.append(f"{relative}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_function_in_ingest_or_knowledge_runs_over_60_lines() -> None:
    assert _long_functions() == []


def test_the_wiring_builds_every_service_from_one_settings(settings, tmp_path) -> None:
    """Engine, store, embedder, ingest and the bot application, all from one Settings (hash
    embedder), sharing one store and one embedding cache."""
    from bot.state import BotState
    from netra.wiring import Services

    configured = settings.with_bot(telegram_bot_token=SecretStr("123:TEST"))
    services = Services(configured)
    engine = services.engine()
    assert engine.store is services.store and engine.cache is services.cache
    assert services.embedder.id.startswith("hash") and engine.embedder is services.embedder
    assert engine.answer("Bolehkah PNS ikut kampanye?").citations

    report_file = tmp_path / "laporan.txt"
    report_file.write_text(
        "Sosialisasi netralitas ASN di Kabupaten Contoh\n\n"
        "Narasumber menyampaikan bahwa ASN dilarang ikut kampanye pemilu dan pilkada; "
        "pegawai yang melanggar netralitas dijatuhi hukuman disiplin.\n",
        encoding="utf-8",
    )
    report = services.ingest([report_file], kind="transcript")
    assert report.ok and report.count("added") == 1
    assert [entry.kind for entry in services.documents()] == ["transcript"]
    assert engine.reload()

    application = services.bot_application(engine)
    state = application.bot_data["state"]
    assert isinstance(state, BotState)
    assert state.engine is engine and state.ingest is not None and state.phrasing is None
    state.close()
    services.close()
