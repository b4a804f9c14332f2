"""``netra chat``: an interactive conversation in the terminal."""

from __future__ import annotations

import click

from knowledge.conversation import Conversation
from knowledge.present import render_terminal
from netra.commands.ask import cli_engine
from netra.wiring import Services


@click.command()
@click.pass_obj
def chat(services: Services) -> None:
    """Interactive chat in the terminal (empty line or Ctrl-D to quit)."""
    engine = cli_engine(services)
    click.echo(
        "Netra: ask about ASN political neutrality (Indonesian or English). Empty line to quit.",
        err=True,
    )
    conversation = Conversation()
    while True:
        try:
            question = click.prompt("You", default="", show_default=False, err=True)
        except (EOFError, click.Abort):
            break
        if not question.strip():
            break
        answer = engine.answer(question, context=conversation.context)
        conversation.remember(question)
        click.echo(render_terminal(answer))
        click.echo("")
