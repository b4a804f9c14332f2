"""Progress reporting for long work (embedding, indexing), decoupled from any UI library.

Library code takes a :data:`ProgressFactory`; the CLI passes a rich progress bar on stderr, tests
and the bot pass nothing (``no_progress``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

Task = Callable[[int], None]
"""Advance a progress display by a number of finished items."""


ProgressFactory = Callable[[str, int], AbstractContextManager[Task]]


@contextmanager
def no_progress(description: str, total: int) -> Iterator[Task]:  # noqa: ARG001 - protocol
    """A progress sink that does nothing."""

    def advance(n: int = 1) -> None:  # noqa: ARG001 - protocol
        return None

    yield advance


@contextmanager
def rich_progress(description: str, total: int) -> Iterator[Task]:
    """A rich progress bar on stderr (only when stderr is a terminal or CI wants it)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    console = Console(stderr=True)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
        disable=total <= 0,
    ) as bar:
        task_id = bar.add_task(description, total=total)

        def advance(n: int = 1) -> None:
            bar.advance(task_id, n)

        yield advance
