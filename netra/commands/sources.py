"""``netra sources``: the packaged knowledge, then what was ingested."""

from __future__ import annotations

import json
from pathlib import Path

import click

from netra.errors import friendly_errors
from netra.wiring import Services


def pack_summary(services: Services) -> str:
    """One line on the packaged knowledge, which answers questions before any ingest."""
    settings = services.settings
    with friendly_errors():
        pack = services.lenient_pack
    origin = f"from {settings.pack_dir}" if settings.pack_dir else "packaged with Netra"
    return (
        f"Knowledge pack {pack.knowledge_version} loaded ({origin}; answers use it): "
        f"{len(pack.regulations)} regulations, {len(pack.provisions)} provisions, "
        f"{len(pack.rulings)} rulings."
    )


@click.command(name="sources")
@click.option("--json", "as_json", is_flag=True, help="Print the documents manifest as JSON.")
@click.pass_obj
def sources_command(services: Services, as_json: bool) -> None:
    """Name the packaged knowledge and list the ingested documents (kind, status, count, hash)."""
    with friendly_errors():
        documents = services.documents()
    if as_json:
        dumped = [entry.to_dict() for entry in documents]
        click.echo(json.dumps(dumped, ensure_ascii=False, indent=2))
        return
    click.echo(pack_summary(services))
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
            Path(doc.path).name,
            doc.kind or "",
            (doc.regulation or doc.title or "")[:60],
            doc.status or "",
            str(doc.count),
            doc.hash[:12],
            doc.ingested_at,
        )
    Console().print(table)
