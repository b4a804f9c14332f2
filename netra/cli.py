"""The ``netra`` command line: one group, one module per command (:mod:`netra.commands`).

The group builds the one :class:`Settings` and the :class:`~netra.wiring.Services` built from it
(``ctx.obj``); every command takes its services from there. Library code raises domain errors;
they become friendly messages only at this edge (:mod:`netra.errors`).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from knowledge.config import load_settings
from netra.commands.ask import ask
from netra.commands.chat import chat
from netra.commands.eval import eval_command
from netra.commands.ingest import ingest_command
from netra.commands.serve import serve
from netra.commands.sources import sources_command
from netra.commands.validate import validate
from netra.errors import friendly_errors
from netra.wiring import Services

# Libraries whose INFO lines are noise on a terminal (sentence-transformers announces it is
# "initializing a new model" just before it fails to find one).
QUIET_LIBRARY_LOGGERS = ("bm25s", "httpx", "sentence_transformers")


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
    services = Services(settings)
    ctx.call_on_close(services.close)
    ctx.obj = services


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


for command in (ask, chat, validate, serve, eval_command, ingest_command, sources_command):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="netra")


if __name__ == "__main__":  # pragma: no cover
    main()
