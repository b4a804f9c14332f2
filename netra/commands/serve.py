"""``netra serve``: run the Telegram bot."""

from __future__ import annotations

import click

from netra.errors import friendly_errors
from netra.wiring import Services


def run_bot(services: Services) -> None:
    """Check the settings, open the engine over the existing index, wait for Telegram, serve."""
    from bot.app import check_can_serve, serve, wait_for_telegram

    settings = services.settings
    check_can_serve(settings)
    engine = services.engine(build=False)
    wait_for_telegram(settings)
    serve(services.bot_application(engine), settings)


@click.command()
@click.pass_obj
def serve(services: Services) -> None:
    """Run the Telegram bot (long polling, or webhook when NETRA_WEBHOOK_URL is set)."""
    with friendly_errors():
        run_bot(services)
