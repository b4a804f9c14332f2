"""``netra validate``: check the knowledge pack."""

from __future__ import annotations

import json

import click

from netra.errors import friendly_errors
from netra.wiring import Services


@click.command()
@click.pass_obj
def validate(services: Services) -> None:
    """Check the knowledge pack: citations resolve, sources present, ids unique, English complete."""
    with friendly_errors():
        pack = services.lenient_pack
    for problem in pack.problems:
        click.echo(f"problem: {problem}", err=True)
    for gap in pack.english_gaps:
        click.echo(f"missing English: {gap}", err=True)
    summary = {
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
    click.echo(json.dumps(summary))
    if pack.problems or pack.english_gaps:
        raise SystemExit(1)
