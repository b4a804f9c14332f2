"""``netra ask QUESTION`` and ``netra ask -`` (one JSON line out per line in)."""

from __future__ import annotations

import itertools
import logging
import sys

import click

from knowledge.engine import Engine
from knowledge.present import render_terminal
from knowledge.progress import rich_progress
from netra.ask_input import (
    StdinClosedError,
    answer_lines,
    input_lines,
    question_from_argv,
    stdin_bytes,
)
from netra.errors import friendly_errors
from netra.wiring import Services


def cli_engine(services: Services) -> Engine:
    """The engine, building the index from the pack on first use (progress on stderr)."""
    with friendly_errors():
        return services.engine(progress=rich_progress)


@click.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the Answer object as JSON.")
@click.pass_obj
def ask(services: Services, question: str, as_json: bool) -> None:
    """Answer QUESTION; with "-" read one question per line from stdin and print JSON lines
    (one per input line: an error object {"line", "error", "message"} for a line that is empty or
    not text)."""
    if question == "-":
        ask_batch(services)
        return
    text, error = question_from_argv(question)
    if text is None:
        raise click.UsageError(
            "the question is empty"
            if error == "empty_line"
            else "the question is not readable text"
        )
    answer = cli_engine(services).answer(text)
    click.echo(answer.to_json() if as_json else render_terminal(answer))


def ask_batch(services: Services) -> None:
    """``netra ask -``: stdin bytes in, one JSON line out per line in (see netra.ask_input)."""
    log = logging.getLogger("netra.ask")
    try:
        stream = stdin_bytes(sys.stdin)
        lines = input_lines(stream)
        first = next(lines, None)
    except StdinClosedError as error:
        raise click.ClickException(str(error)) from None
    if first is None:
        return
    engine = cli_engine(services)
    out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
    for line in answer_lines(
        itertools.chain([first], lines), lambda text: engine.answer(text).to_json(), log.error
    ):
        if out is None:
            click.echo(line)
        else:
            out.write(line.encode("utf-8") + b"\n")
            out.flush()
