"""The ``netra`` command line: the composition root shared by every subcommand.

One :class:`Settings` is built here and passed down (``ctx.obj``). Library code raises domain
errors; they become friendly messages only here, at the edge.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from ingest.commands import ingest_command, sources_command
from knowledge.config import ConfigError, LLMSetupError, Settings, load_settings
from knowledge.embeddings import EmbeddingError
from knowledge.pack import PackError, load_pack
from knowledge.store import IndexMismatchError, IndexMissingError

if TYPE_CHECKING:
    from knowledge.engine import Engine
    from knowledge.models import Answer

FRIENDLY_ERRORS = (
    ConfigError,
    EmbeddingError,
    IndexMismatchError,
    IndexMissingError,
    LLMSetupError,
    PackError,
)


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Turn domain errors into a one-line message and exit code 2 instead of a traceback."""
    try:
        yield
    except FRIENDLY_ERRORS as error:
        raise click.ClickException(str(error)) from None


def open_engine(settings: Settings) -> Engine:
    """The engine, building the index from the pack on first use (progress on stderr)."""
    from knowledge.engine import Engine
    from knowledge.progress import rich_progress

    with friendly_errors():
        return Engine.open(settings, progress=rich_progress)


def render_answer(answer: Answer) -> str:
    """The readable terminal form of an answer; several questions get one section each, with
    their own verdict line and their own citations."""
    if answer.parts:
        sections = [
            f"{i}. {part.question}\n{_details(part)}" for i, part in enumerate(answer.parts, 1)
        ]
        return "\n\n".join([*sections, f"(pengetahuan {answer.knowledge_version})"])
    return _details(answer)


def _details(answer: Answer) -> str:
    lines = [answer.answer.rstrip()]
    if answer.citations:
        lines.append("")
        lines.append("Dasar hukum:")
        for citation in answer.citations:
            status = "" if citation.status.value == "berlaku" else f" [{citation.status.value}]"
            lines.append(f"  - {citation.label}{status}: {citation.text}")
    if answer.sanctions:
        lines.append("Sanksi:")
        lines.extend(f"  - {s}" for s in answer.sanctions)
    if answer.sources:
        lines.append("Dari sosialisasi:")
        lines.extend(
            f"  - {s.title}{f' ({s.date})' if s.date else ''}: {s.excerpt}" for s in answer.sources
        )
    lines.append(f"(keyakinan {answer.confidence:.2f}; pengetahuan {answer.knowledge_version})")
    return "\n".join(lines)


@click.group()
@click.option("--data-dir", type=click.Path(file_okay=False), help="Overrides NETRA_DATA_DIR.")
@click.option("-v", "--verbose", is_flag=True, help="Log at DEBUG level on stderr.")
@click.version_option(package_name="netra")
@click.pass_context
def cli(ctx: click.Context, data_dir: str | None, verbose: bool) -> None:
    """Netra: what the law permits ASN around elections, with exact citations."""
    overrides: dict[str, object] = {"data_dir": data_dir} if data_dir else {}
    with friendly_errors():
        settings = load_settings(**overrides)
    logging.basicConfig(
        level=logging.DEBUG if verbose else getattr(logging, settings.log_level),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    ctx.obj = settings


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the Answer object as JSON.")
@click.pass_obj
def ask(settings: Settings, question: str, as_json: bool) -> None:
    """Answer QUESTION; with "-" read one question per line from stdin and print JSON lines."""
    engine = open_engine(settings)
    if question == "-":
        for line in sys.stdin:
            text = line.strip()
            if not text:
                continue
            click.echo(engine.answer(text).to_json())
            sys.stdout.flush()
        return
    if not question.strip():
        raise click.UsageError("the question is empty")
    answer = engine.answer(question)
    click.echo(answer.to_json() if as_json else render_answer(answer))


@cli.command()
@click.pass_obj
def chat(settings: Settings) -> None:
    """Interactive chat in the terminal (empty line or Ctrl-D to quit)."""
    engine = open_engine(settings)
    click.echo("Netra — tanyakan soal netralitas ASN. Baris kosong untuk keluar.", err=True)
    previous: str | None = None
    while True:
        try:
            question = click.prompt("Anda", default="", show_default=False, err=True)
        except (EOFError, click.Abort):
            break
        if not question.strip():
            break
        answer = engine.answer(question, context=previous)
        previous = question
        click.echo(render_answer(answer))
        click.echo("")


@cli.command()
@click.pass_obj
def validate(settings: Settings) -> None:
    """Check the knowledge pack: citations resolve, sources present, ids unique."""
    pack = load_pack(settings.pack_dir, strict=False)
    for problem in pack.problems:
        click.echo(f"problem: {problem}", err=True)
    click.echo(
        json.dumps(
            {
                "knowledge_version": pack.knowledge_version,
                "regulations": len(pack.regulations),
                "provisions": len(pack.provisions),
                "rulings": len(pack.rulings),
                "notes": len(pack.notes),
                "problems": len(pack.problems),
            }
        )
    )
    if pack.problems:
        raise SystemExit(1)


@cli.command(name="eval")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--mode",
    "modes",
    multiple=True,
    type=click.Choice(["hybrid", "dense", "lexical"]),
    help="Retrieval mode(s) to evaluate (default hybrid); several compare side by side.",
)
@click.option("--errors", "show_errors", is_flag=True, help="List every wrong answer.")
@click.option(
    "--answer-mode",
    "answer_modes",
    multiple=True,
    type=click.Choice(["extractive", "llm"]),
    help="Answer mode(s) to compare (default NETRA_ANSWER_MODE); see docs/llm.md.",
)
@click.pass_obj
def eval_command(
    settings: Settings,
    path: str,
    as_json: bool,
    modes: tuple[str, ...],
    show_errors: bool,
    answer_modes: tuple[str, ...],
) -> None:
    """Run a JSONL question set and report accuracy, citation quality and latency."""
    from pathlib import Path

    from knowledge.evaluation import evaluate

    reports = []
    # --- answer modes (generative answers, issue 7): one engine per mode, columns "hybrid/llm" ---
    for answer_mode in answer_modes or (settings.answer_mode,):
        engine = open_engine(settings.model_copy(update={"answer_mode": answer_mode}))
        for mode in modes or ("hybrid",):
            report = evaluate(engine, Path(path), mode)
            if answer_modes:
                report.mode = f"{mode}/{answer_mode}"
            reports.append(report)
    if as_json:
        payload = [json.loads(r.to_json()) for r in reports]
        click.echo(json.dumps(payload[0] if len(payload) == 1 else payload, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"netra eval {Path(path).name} ({reports[0].questions} questions)")
    table.add_column("metric")
    for report in reports:
        table.add_column(report.mode, justify="right")
    rows = [
        ("verdict accuracy", lambda r: f"{r.verdict_accuracy:.1%}"),
        ("citation hit rate", lambda r: f"{r.citation_hit_rate:.1%}"),
        ("citation precision", lambda r: f"{r.citation_precision:.1%}"),
        ("abstain/refuse precision", lambda r: f"{r.abstain_refuse_precision:.1%}"),
        ("abstain/refuse recall", lambda r: f"{r.abstain_refuse_recall:.1%}"),
        ("unresolved citations", lambda r: str(r.unresolved_citations)),
        ("latency p50 (ms)", lambda r: f"{r.latency_ms['p50']:.1f}"),
        ("latency p95 (ms)", lambda r: f"{r.latency_ms['p95']:.1f}"),
        ("latency p99 (ms)", lambda r: f"{r.latency_ms['p99']:.1f}"),
    ]
    for name, cell in rows:
        table.add_row(name, *(cell(r) for r in reports))
    console = Console()
    console.print(table)
    if show_errors:
        for error in reports[0].errors:
            console.print(error, highlight=False)


@cli.command()
@click.pass_obj
def serve(settings: Settings) -> None:
    """Run the Telegram bot (long polling, or webhook when NETRA_WEBHOOK_URL is set)."""
    from bot.app import run

    with friendly_errors():
        run(settings)


cli.add_command(ingest_command)
cli.add_command(sources_command)


def main() -> None:
    cli(prog_name="netra")


if __name__ == "__main__":  # pragma: no cover
    main()
