"""Click commands ``netra ingest`` and ``netra sources`` (registered on the group in cli.py).

Library code raises domain errors; they become one-line messages here, at the edge.
``ctx.obj`` is the :class:`~knowledge.config.Settings` built by the ``cli`` group.
The ingest pipeline (parsers, text splitters) is imported only when one of these commands runs,
so ``netra ask`` does not pay for it at start-up.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ingest.lock import IngestLockedError
from knowledge.config import ConfigError, Settings
from knowledge.embeddings import EmbeddingError
from knowledge.models import Status
from knowledge.pack import PackError
from knowledge.store import IndexMismatchError, IndexMissingError

if TYPE_CHECKING:
    from ingest.pipeline import FileResult, IngestReport


def _friendly() -> tuple[type[Exception], ...]:
    """Domain errors shown as one-line messages (the pipeline's own imported on demand)."""
    from ingest.pipeline import IngestError

    return (
        ConfigError,
        EmbeddingError,
        IndexMismatchError,
        IndexMissingError,
        IngestError,
        IngestLockedError,
        PackError,
    )


def _settings(ctx: click.Context) -> Settings:
    settings = ctx.obj
    if not isinstance(settings, Settings):  # pragma: no cover - wiring error
        raise click.UsageError("internal: the command group did not build the settings")
    return settings


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
    totals = report.to_dict()["totals"]
    summary = Table(title="summary", show_header=False)
    summary.add_column("")
    summary.add_column("", justify="right")
    for key in (
        "files", "provisions", "chunks", "added", "updated", "moved", "unchanged", "duplicate",
        "removed", "failed", "warnings", "embedded", "records", "seconds",
    ):  # fmt: skip
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
    from ingest.pipeline import StatusOverride, ingest_paths
    from knowledge.progress import no_progress, rich_progress

    settings = _settings(ctx)
    if (replaced_by or status_note) and not status:
        raise click.UsageError("--replaced-by/--status-note need --status")
    override = (
        StatusOverride(Status(status), note=status_note, replaced_by=replaced_by)
        if status
        else None
    )
    try:
        report = ingest_paths(
            settings,
            list(paths),
            kind=kind,  # type: ignore[arg-type]
            dry_run=dry_run,
            rebuild=rebuild,
            prune=prune,
            override=override,
            progress=no_progress if as_json else rich_progress,
        )
    except _friendly() as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        render_report(report)
    if not report.ok:
        ctx.exit(1)


def pack_summary(settings: Settings) -> str:
    """One line on the packaged knowledge, which answers questions before any ingest."""
    from knowledge.pack import load_pack

    try:
        pack = load_pack(settings.pack_dir, strict=False)
    except PackError as error:
        raise click.ClickException(str(error)) from None
    origin = f"from {settings.pack_dir}" if settings.pack_dir else "packaged with Netra"
    return (
        f"Knowledge pack {pack.knowledge_version} loaded ({origin}; answers use it): "
        f"{len(pack.regulations)} regulations, {len(pack.provisions)} provisions, "
        f"{len(pack.rulings)} rulings."
    )


@click.command(name="sources")
@click.option("--json", "as_json", is_flag=True, help="Print the documents manifest as JSON.")
@click.pass_context
def sources_command(ctx: click.Context, as_json: bool) -> None:
    """Name the packaged knowledge and list the ingested documents (kind, status, count, hash)."""
    settings = _settings(ctx)
    try:
        from ingest.pipeline import indexed_documents

        documents = indexed_documents(settings)
    except _friendly() as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(documents, ensure_ascii=False, indent=2))
        return
    click.echo(pack_summary(settings))
    if not documents:
        click.echo(
            "Nothing else has been ingested. Add official regulation texts or socialisation "
            "transcripts with: netra ingest PATH..."
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"netra sources ({len(documents)} documents)")
    for column in ("document", "kind", "regulation", "status", "count", "hash", "ingested at"):
        table.add_column(column, overflow="fold")
    for doc in documents:
        table.add_row(
            Path(str(doc.get("path", ""))).name,
            str(doc.get("kind") or ""),
            str(doc.get("regulation") or doc.get("title") or "")[:60],
            str(doc.get("status") or ""),
            str(doc.get("count", "")),
            str(doc.get("hash", ""))[:12],
            str(doc.get("ingested_at", "")),
        )
    Console().print(table)
