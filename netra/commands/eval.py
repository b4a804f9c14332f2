"""``netra eval``: question sets side by side, the harmful-error count, catalogue cross-validation.

``netra eval dev.jsonl blind.jsonl`` prints one column per file (per retrieval / answer mode when
several are asked for) and the verdict-accuracy gap between the first two files: the dev set is
what the catalogue was tuned on, a blind set is not, and the gap says how much of the dev figure
is fitted. ``--crossval`` answers each ruling's held-out example phrasings with them removed from
the catalogue search (see :mod:`knowledge.crossval`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from knowledge.config import Settings
from netra.commands.ask import cli_engine
from netra.wiring import Services

if TYPE_CHECKING:
    from rich.console import Console

    from knowledge.crossval import CrossValReport, FoldScore
    from knowledge.engine import Engine
    from knowledge.evaluation import Report

Row = tuple[str, Callable[["Report"], str]]

ROWS: list[Row] = [
    ("questions", lambda r: str(r.questions)),
    ("verdict accuracy", lambda r: f"{r.verdict_accuracy:.1%}"),
    ("citation hit rate", lambda r: f"{r.citation_hit_rate:.1%}"),
    ("citation precision", lambda r: f"{r.citation_precision:.1%}"),
    ("abstain/refuse precision", lambda r: f"{r.abstain_refuse_precision:.1%}"),
    ("abstain/refuse recall", lambda r: f"{r.abstain_refuse_recall:.1%}"),
    ("unresolved citations", lambda r: str(r.unresolved_citations)),
    ("abstentions (ruling expected)", lambda r: f"{r.abstention_rate:.1%}"),
    ("accuracy when not abstaining", lambda r: f"{r.answered_accuracy:.1%}"),
    ("latency p50 (ms)", lambda r: f"{r.latency_ms['p50']:.1f}"),
    ("latency p95 (ms)", lambda r: f"{r.latency_ms['p95']:.1f}"),
    ("latency p99 (ms)", lambda r: f"{r.latency_ms['p99']:.1f}"),
]
HARMFUL_ROW = "HARMFUL ERRORS (n / items, %)"


def _harmful_cell(report: Report) -> str:
    return f"{report.harmful_errors} / {report.harmful_items} ({report.harmful_rate:.1%})"


def run_reports(
    settings: Settings,
    paths: tuple[str, ...],
    modes: tuple[str, ...],
    answer_modes: tuple[str, ...],
) -> list[Report]:
    """Every file under every answer mode and retrieval mode (one engine per answer mode)."""
    from knowledge.evaluation import evaluate

    reports = []
    for answer_mode in answer_modes or (settings.answer_mode,):
        engine = _engine(settings, answer_mode)
        for path in paths:
            for mode in modes or ("hybrid",):
                report = evaluate(engine, Path(path), mode)
                if answer_modes:
                    report.mode = f"{mode}/{answer_mode}"
                reports.append(report)
    return reports


def _engine(settings: Settings, answer_mode: str) -> Engine:
    """An engine of its own for one answer mode (the progress bar on stderr on first use)."""
    services = Services(settings.model_copy(update={"answer_mode": answer_mode}))
    return cli_engine(services)


def verdict_gaps(reports: list[Report]) -> dict[str, float]:
    """Per mode: verdict accuracy of the first file minus the second, in points."""
    from knowledge.evaluation import verdict_gap

    sources = list(dict.fromkeys(r.source for r in reports))
    if len(sources) < 2:
        return {}
    first = {r.mode: r for r in reports if r.source == sources[0]}
    second = {r.mode: r for r in reports if r.source == sources[1]}
    return {mode: verdict_gap(first[mode], second[mode]) for mode in first if mode in second}


def _column(report: Report, several_files: bool, several_modes: bool) -> str:
    if not several_files:
        return report.mode
    return f"{report.source}\n{report.mode}" if several_modes else report.source


def render_reports(console: Console, reports: list[Report], gaps: dict[str, float]) -> None:
    from rich.table import Table

    sources = list(dict.fromkeys(r.source for r in reports))
    several_modes = len({r.mode for r in reports}) > 1
    table = Table(title=f"netra eval {' | '.join(sources)}")
    table.add_column("metric")
    for report in reports:
        table.add_column(_column(report, len(sources) > 1, several_modes), justify="right")
    table.add_row(HARMFUL_ROW, *(_harmful_cell(r) for r in reports), style="bold red")
    for name, cell in ROWS:
        table.add_row(name, *(cell(r) for r in reports))
    console.print(table)
    for report in reports:
        console.print(
            f"[bold red]HARMFUL ERRORS[/] {report.source} ({report.mode}): "
            f"{report.harmful_errors} of {report.harmful_items} prohibited or refusal items "
            f"answered boleh/boleh_bersyarat ({report.harmful_rate:.1%})",
            highlight=False,
        )
    for mode, points in gaps.items():
        console.print(
            f"verdict accuracy gap {sources[0]} - {sources[1]} ({mode}): {points:+.1f} points",
            highlight=False,
        )


def render_crossval(console: Console, report: CrossValReport) -> None:
    from rich.table import Table

    table = Table(
        title=f"catalogue cross-validation: {report.folds} folds, {report.examples} held-out "
        f"example phrasings ({report.mode})"
    )
    columns = (
        "fold",
        "examples",
        "verdict",
        "all basis cited",
        "≥1 basis cited",
        "exact",
        "harmful",
    )
    for column in columns:
        table.add_column(column, justify="right")
    rows: list[tuple[str, FoldScore | CrossValReport]] = [
        *((str(f.fold), f) for f in report.per_fold),
        ("all", report),
    ]
    for name, score in rows:
        table.add_row(
            name,
            str(score.examples),
            f"{score.verdict_accuracy:.1%}",
            f"{score.citation_all_basis:.1%}",
            f"{score.citation_any_basis:.1%}",
            f"{score.exact:.1%}",
            f"{score.harmful_errors} / {score.harmful_items}",
            style="bold" if name == "all" else None,
        )
    console.print(table)
    console.print(f"unresolved citations: {report.unresolved_citations}", highlight=False)


def _payload(
    reports: list[Report], gaps: dict[str, float], crossval: CrossValReport | None, files: int
) -> object:
    """JSON: one file alone keeps its old shape (a report, or a list of them per mode)."""
    items = [json.loads(r.to_json()) for r in reports]
    if crossval is None and files == 1:
        return items[0] if len(items) == 1 else items
    payload: dict[str, object] = {}
    if items:
        payload["reports"] = items
        payload["verdict_gap_points"] = gaps
    if crossval is not None:
        payload["crossval"] = asdict(crossval)
    return payload


@click.command(name="eval")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report(s) as JSON.")
@click.option(
    "--mode",
    "modes",
    multiple=True,
    type=click.Choice(["hybrid", "dense", "lexical"]),
    help="Retrieval mode(s) to evaluate (default hybrid); several compare side by side.",
)
@click.option("--errors", "show_errors", is_flag=True, help="List every wrong answer.")
@click.option(
    "--answer-mode",
    "answer_modes",
    multiple=True,
    type=click.Choice(["extractive", "llm"]),
    help="Answer mode(s) to compare (default NETRA_ANSWER_MODE); see docs/llm.md.",
)
@click.option(
    "--crossval", is_flag=True, help="Also cross-validate the catalogue (held-out examples)."
)
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20))
@click.pass_obj
def eval_command(
    services: Services,
    paths: tuple[str, ...],
    as_json: bool,
    modes: tuple[str, ...],
    show_errors: bool,
    answer_modes: tuple[str, ...],
    crossval: bool,
    folds: int,
) -> None:
    """Run JSONL question set(s) side by side: accuracy, citations, harmful errors, latency."""
    if not paths and not crossval:
        raise click.UsageError("give one or more question files (JSONL), or --crossval")
    settings = services.settings
    reports = run_reports(settings, paths, modes, answer_modes)
    gaps = verdict_gaps(reports)
    cv = _crossval(settings, modes, folds) if crossval else None
    if as_json:
        click.echo(
            json.dumps(_payload(reports, gaps, cv, len(paths)), ensure_ascii=False, indent=2)
        )
        return
    from rich.console import Console

    console = Console()
    if reports:
        render_reports(console, reports, gaps)
    if cv is not None:
        render_crossval(console, cv)
    if show_errors:
        _print_errors(console, reports, cv)


def _crossval(settings: Settings, modes: tuple[str, ...], folds: int) -> CrossValReport:
    """Cross-validation with the extractive engine and the first retrieval mode."""
    from knowledge.crossval import cross_validate

    engine = _engine(settings, "extractive")
    return cross_validate(engine, folds, (modes or ("hybrid",))[0])


def _print_errors(console: Console, reports: list[Report], cv: CrossValReport | None) -> None:
    for report in reports:
        console.print(f"[bold]{report.source} ({report.mode})[/]")
        for item in report.harmful:
            console.print("HARMFUL", item, highlight=False)
        for error in report.errors:
            console.print(error, highlight=False)
    for miss in cv.misses if cv is not None else []:
        console.print("crossval miss", miss, highlight=False)
