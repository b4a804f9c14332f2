"""The ``netra`` command line: the composition root shared by every subcommand.

One :class:`Settings` is built here and passed down (``ctx.obj``). Library code raises domain
errors; they become friendly messages only here, at the edge.
"""

from __future__ import annotations

import itertools
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ingest.commands import ingest_command, sources_command
from ingest.eval_command import eval_command
from knowledge.config import ConfigError, LLMSetupError, Settings, load_settings
from knowledge.embeddings import EmbeddingError
from knowledge.pack import PackError, load_pack
from knowledge.present import render_terminal
from knowledge.store import IndexMismatchError, IndexMissingError

if TYPE_CHECKING:
    from knowledge.engine import Engine

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
    for chatty in QUIET_LIBRARY_LOGGERS:
        logging.getLogger(chatty).setLevel(logging.WARNING)
    if is_new_data_dir(settings.data_dir):
        ctx.call_on_close(lambda: say_where_data_went(settings.data_dir))
    ctx.obj = settings


# Libraries whose INFO lines are noise on a terminal (sentence-transformers announces it is
# "initializing a new model" just before it fails to find one).
QUIET_LIBRARY_LOGGERS = ("bm25s", "httpx", "sentence_transformers")


def is_new_data_dir(path: Path) -> bool:
    """True before the first run on ``path``: it does not exist yet, or is an empty directory."""
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def say_where_data_went(path: Path) -> None:
    """First run: name the directory Netra just filled, since nothing else would tell the user."""
    if path.is_dir() and any(path.iterdir()):
        click.echo(
            f"netra: data (index, caches) is stored in {path.resolve()}; "
            "NETRA_DATA_DIR or --data-dir chooses another directory.",
            err=True,
        )


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the Answer object as JSON.")
@click.pass_obj
def ask(settings: Settings, question: str, as_json: bool) -> None:
    """Answer QUESTION; with "-" read one question per line from stdin and print JSON lines
    (one per input line: an error object {"line", "error", "message"} for a line that is empty or
    not text)."""
    from ingest.ask_input import question_from_argv

    if question == "-":
        ask_batch(settings)
        return
    text, error = question_from_argv(question)
    if text is None:
        raise click.UsageError(
            "the question is empty"
            if error == "empty_line"
            else "the question is not readable text"
        )
    answer = open_engine(settings).answer(text)
    click.echo(answer.to_json() if as_json else render_terminal(answer))


def ask_batch(settings: Settings) -> None:
    """``netra ask -``: stdin bytes in, one JSON line out per line in (see ingest.ask_input)."""
    from ingest.ask_input import StdinClosedError, answer_lines, input_lines, stdin_bytes

    log = logging.getLogger("netra.ask")
    try:
        stream = stdin_bytes(sys.stdin)
        lines = input_lines(stream)
        first = next(lines, None)
    except StdinClosedError as error:
        raise click.ClickException(str(error)) from None
    if first is None:
        return
    engine = open_engine(settings)
    out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
    for line in answer_lines(
        itertools.chain([first], lines), lambda text: engine.answer(text).to_json(), log.error
    ):
        if out is None:
            click.echo(line)
        else:
            out.write(line.encode("utf-8") + b"\n")
            out.flush()


@cli.command()
@click.pass_obj
def chat(settings: Settings) -> None:
    """Interactive chat in the terminal (empty line or Ctrl-D to quit)."""
    engine = open_engine(settings)
    click.echo(
        "Netra: ask about ASN political neutrality (Indonesian or English). Empty line to quit.",
        err=True,
    )
    previous: str | None = None
    while True:
        try:
            question = click.prompt("You", default="", show_default=False, err=True)
        except (EOFError, click.Abort):
            break
        if not question.strip():
            break
        answer = engine.answer(question, context=previous)
        previous = question
        click.echo(render_terminal(answer))
        click.echo("")


@cli.command()
@click.pass_obj
def validate(settings: Settings) -> None:
    """Check the knowledge pack: citations resolve, sources present, ids unique, English complete."""
    pack = load_pack(settings.pack_dir, strict=False)
    for problem in pack.problems:
        click.echo(f"problem: {problem}", err=True)
    for gap in pack.english_gaps:
        click.echo(f"missing English: {gap}", err=True)
    click.echo(
        json.dumps(
            {
                "knowledge_version": pack.knowledge_version,
                "regulations": len(pack.regulations),
                "provisions": len(pack.provisions),
                "document_level_provisions": len(pack.document_level_provisions),
                "rulings": len(pack.rulings),
                "notes": len(pack.notes),
                "sanctions": len(pack.sanction_table.sanctions),
                "problems": len(pack.problems),
                "english_missing": len(pack.english_gaps),
            }
        )
    )
    if pack.problems or pack.english_gaps:
        raise SystemExit(1)


@cli.command()
@click.pass_obj
def serve(settings: Settings) -> None:
    """Run the Telegram bot (long polling, or webhook when NETRA_WEBHOOK_URL is set)."""
    from bot.app import run

    with friendly_errors():
        run(settings)


cli.add_command(eval_command)
cli.add_command(ingest_command)
cli.add_command(sources_command)


def main() -> None:
    cli(prog_name="netra")


if __name__ == "__main__":  # pragma: no cover
    main()
