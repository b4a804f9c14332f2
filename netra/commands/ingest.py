"""``netra ingest PATH...``: add regulation texts and socialisation transcripts to the index.

The ingest pipeline (parsers, text splitters) is imported only when this command runs, so
``netra ask`` does not pay for it at start-up.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from knowledge.models import Status
from netra.errors import friendly_errors

if TYPE_CHECKING:
    from ingest.report import FileResult, IngestReport


# The summary table's rows, in order (keys of IngestReport.totals()).
SUMMARY_ROWS = (
    *("files", "provisions", "chunks", "added", "updated", "moved", "unchanged", "duplicate"),
    *("removed", "failed", "warnings", "embedded", "records", "seconds"),
)


def taken_as(result: FileResult) -> str:
    """What a file was read as, and why ("regulation (--kind regulation)")."""
    kind = {"regulation": "regulation (official text)", "transcript": "socialisation report"}.get(
        result.kind or "", result.kind or ""
    )
    return f"{kind} [{result.reason}]" if kind and result.reason else kind


def render_report(report: IngestReport) -> None:
    """Per-file lines and a summary table on stdout (rich)."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    files = Table(title="netra ingest" + (" (dry run: nothing written)" if report.dry_run else ""))
    for column in ("file", "status", "taken as", "identity", "provisions", "chunks", "notes"):
        files.add_column(column, overflow="fold")
    for f in report.files:
        note = f.error or ("; ".join(f.warnings[:2]) + (" …" if len(f.warnings) > 2 else ""))
        style = "red" if f.status == "failed" else None
        files.add_row(
            Path(f.path).name,
            f.status,
            taken_as(f),
            (f.identity or f.regulation or f.title or "")[:80],
            str(f.provisions or ""),
            str(f.chunks or ""),
            note,
            style=style,
        )
    console.print(files)
    totals = report.totals()
    summary = Table(title="summary", show_header=False)
    summary.add_column("")
    summary.add_column("", justify="right")
    for key in SUMMARY_ROWS:
        summary.add_row(key, str(totals[key]))
    console.print(summary)
    if report.index:
        console.print(f"active index: {report.index}")


@click.command(name="ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(["regulation", "transcript", "auto"]),
    default="auto",
    show_default=True,
    help="How to read the files; auto recognises regulations by their heading.",
)
@click.option("--dry-run", is_flag=True, help="Parse and report, write nothing.")
@click.option("--rebuild", is_flag=True, help="Re-process every file even if unchanged.")
@click.option("--prune", is_flag=True, help="Drop indexed documents whose files are gone.")
@click.option(
    "--status",
    "status",
    type=click.Choice([s.value for s in Status]),
    default=None,
    help="Mark the regulations ingested now (e.g. dicabut); default from the knowledge pack.",
)
@click.option("--replaced-by", default=None, help='With --status: e.g. "UU 20/2023".')
@click.option("--status-note", default=None, help="With --status: a note shown in answers.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def ingest_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    kind: str,
    dry_run: bool,
    rebuild: bool,
    prune: bool,
    status: str | None,
    replaced_by: str | None,
    status_note: str | None,
    as_json: bool,
) -> None:
    """Ingest regulation documents and socialisation transcripts (files or folders)."""
    from ingest.documents import StatusOverride
    from knowledge.progress import no_progress, rich_progress

    services = ctx.obj
    if (replaced_by or status_note) and not status:
        raise click.UsageError("--replaced-by/--status-note need --status")
    override = (
        StatusOverride(Status(status), note=status_note, replaced_by=replaced_by)
        if status
        else None
    )
    with friendly_errors():
        report = services.ingest(
            list(paths),
            kind=kind,
            dry_run=dry_run,
            rebuild=rebuild,
            prune=prune,
            override=override,
            progress=no_progress if as_json else rich_progress,
        )
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        render_report(report)
    if not report.ok:
        ctx.exit(1)
