"""Telegram bot load benchmark: simulated users against ``netra serve`` through the emulator.

    python benchmarks/bench_bot_load.py [--users 50] [--messages 20] [--think 1.0-3.0]

Loopback only and bounded: it starts the Bot API emulator (tests/e2e, needs node and
``npm ci --prefix tests/e2e``) on 127.0.0.1, builds an index in a temporary data dir
(``netra ask``, hash embedder by default), starts the real bot (``netra serve``, long polling
every 50 ms) in a subprocess, and lets all users talk at once: each arrives within the first few
seconds, sends a message, waits for the answer, "reads" it for ``--think`` seconds (1-3 s by
default, like a person; 0 makes it a stress test) and sends the next. It stops by itself after
``--timeout`` seconds at most and tears everything down.

Reports answers received (an answer is complete when its last message, the one with the
buttons, arrives; long answers come as several messages), errors (missing answers, apologies,
HTTP errors, messages over 4096 characters), answer latency (send -> visible to the user)
p50/p95/p99, and the bot's CPU time per answer.
Targets (issue "Telegram bot"): no lost replies, no errors, p95 < 1 s. The per-user rate limit is
raised for the run (by design it would answer a 21st message within a minute with a "slow down"
note); the limiter is covered by the unit tests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.e2e.emulator import TOKEN, Emulator, ScriptedUser, missing_reason  # noqa: E402

QUESTIONS = [
    "Bolehkah PNS ikut kampanye calon presiden?",
    "Bolehkah ASN memberi like pada postingan calon bupati?",
    "kalau cuma komen?",
    "Bolehkah PPPK menjadi anggota partai politik?",
    "Bolehkah PNS foto bersama calon kepala daerah?",
    "Bolehkah ASN hadir di acara kampanye di luar jam kerja?",
    "resep rendang yang enak gimana?",
    "Bolehkah camat mengerahkan PNS ke acara calon?",
    "<b>halo</b> bolehkah honorer ikut kampanye?",
    "Bolehkah PNS jadi tim sukses pilkada?",
]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


async def one_user(
    client: httpx.AsyncClient,
    user_id: int,
    messages: int,
    deadline: float,
    think: tuple[float, float],
    result: dict,
) -> None:
    user = ScriptedUser(client, user_id, first_name=f"U{user_id}")
    rng = random.Random(user_id)
    await asyncio.sleep(rng.uniform(0, think[1]))  # users arrive over a few seconds, not at once
    for index in range(messages):
        if index:
            await asyncio.sleep(rng.uniform(*think))  # reading the answer, typing the next one
        if time.monotonic() > deadline:
            result["missing"] += 1
            continue
        question = rng.choice(QUESTIONS)
        started = time.monotonic()
        try:
            await user.send(question)
            replies = await final_reply(user, min(15.0, deadline - started))
        except httpx.HTTPError as error:
            result["errors"].append(f"http: {type(error).__name__}")
            continue
        if not replies or not replies[-1].get("reply_markup"):
            result["missing"] += 1
            continue
        result["latencies"].append(time.monotonic() - started)
        result["replies"] += len(replies)
        for reply in replies:
            text = str(reply.get("text", ""))
            if "Maaf, terjadi kesalahan" in text:
                result["errors"].append("apology")
            if len(text.encode("utf-16-le")) // 2 > 4096:
                result["errors"].append("too long")


async def final_reply(user: ScriptedUser, timeout: float) -> list[dict]:
    """Replies until the last part of the answer (the one carrying the buttons) arrives."""
    got: list[dict] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got += await user.replies(1, timeout=deadline - time.monotonic(), settle=0.0)
        if got and got[-1].get("reply_markup"):
            break
    return got


async def drive(
    emulator: Emulator, users: int, messages: int, timeout: float, think: tuple[float, float]
) -> dict:
    result: dict = {"replies": 0, "missing": 0, "errors": [], "latencies": []}
    limits = httpx.Limits(max_connections=users + 10, max_keepalive_connections=users + 10)
    async with httpx.AsyncClient(base_url=emulator.url, timeout=10, limits=limits) as client:
        deadline = time.monotonic() + timeout
        started = time.monotonic()
        await asyncio.gather(
            *(
                one_user(client, 100_000 + i, messages, deadline, think, result)
                for i in range(users)
            )
        )
        result["seconds"] = time.monotonic() - started
    return result


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for_bot(emulator: Emulator, process: subprocess.Popen, timeout: float = 60) -> None:
    """The bot is up once it answers /start."""

    async def probe() -> bool:
        async with httpx.AsyncClient(base_url=emulator.url, timeout=5) as client:
            user = ScriptedUser(client, 99)
            await user.command("/start")
            return bool(await user.replies(1, timeout=timeout, settle=0.0))

    if process.poll() is not None or not asyncio.run(probe()):
        raise SystemExit("the bot did not start (see its log above)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--embedding", default="hash")
    parser.add_argument("--pack-dir", default=None, help="NETRA_PACK_DIR for the run")
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument(
        "--think",
        default="1.0-3.0",
        help="seconds a user waits after a reply before the next message, as MIN-MAX "
        "(default 1.0-3.0; 0 = fire the next message at once, a stress test)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    low, _, high = args.think.partition("-")
    think = (float(low), float(high or low))
    reason = missing_reason()
    if reason:
        raise SystemExit(reason)

    with tempfile.TemporaryDirectory(prefix="netra-bot-load-") as tmp, Emulator() as emulator:
        env = {
            **os.environ,
            "NETRA_DATA_DIR": str(Path(tmp) / "data"),
            "NETRA_EMBEDDING": args.embedding,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "NETRA_TELEGRAM_BASE_URL": emulator.base_url,
            "NETRA_TELEGRAM_BASE_FILE_URL": emulator.base_file_url,
            "NETRA_POLL_INTERVAL": "0.05",
            "NETRA_RATE_LIMIT_PER_MINUTE": "1000",
            "NETRA_LOG_LEVEL": "WARNING",
        }
        if args.pack_dir:
            env["NETRA_PACK_DIR"] = args.pack_dir
        netra = [sys.executable, "-m", "ingest.cli"]
        subprocess.run([*netra, "ask", "boleh kampanye?"], env=env, cwd=REPO, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        bot = subprocess.Popen([*netra, "serve"], env=env, cwd=REPO)
        try:
            wait_for_bot(emulator, bot)
            cpu_before = cpu_seconds(bot.pid)
            result = asyncio.run(drive(emulator, args.users, args.messages, args.timeout, think))
            cpu_after = cpu_seconds(bot.pid)
            if cpu_before is not None and cpu_after is not None:
                result["bot_cpu"] = cpu_after - cpu_before
        finally:
            bot.terminate()
            try:
                bot.wait(timeout=15)
            except subprocess.TimeoutExpired:
                bot.kill()
                bot.wait()
        if bot.returncode not in (0, -15):
            result["errors"].append(f"bot exit code {bot.returncode}")

    expected = args.users * args.messages
    latencies = result["latencies"]
    report = {
        "users": args.users,
        "messages_per_user": args.messages,
        "think_seconds": list(think),
        "expected_answers": expected,
        "answers_received": len(latencies),
        "reply_messages": result["replies"],  # long answers arrive as several messages
        "lost": result["missing"],
        "errors": len(result["errors"]),
        "error_kinds": sorted(set(result["errors"])),
        "latency_ms": {
            "p50": round(percentile(latencies, 50) * 1000, 1),
            "p95": round(percentile(latencies, 95) * 1000, 1),
            "p99": round(percentile(latencies, 99) * 1000, 1),
            "max": round(max(latencies) * 1000, 1) if latencies else None,
        },
        "seconds": round(result["seconds"], 2),
        "throughput_per_s": round(len(latencies) / result["seconds"], 1),
        "bot_cpu_ms_per_reply": (
            round(result["bot_cpu"] * 1000 / len(latencies), 1)
            if "bot_cpu" in result and latencies
            else None
        ),
        "cpus": os.cpu_count(),
    }
    report["ok"] = (
        report["lost"] == 0 and report["errors"] == 0 and report["latency_ms"]["p95"] < 1000
    )
    print(json.dumps(report, indent=None if args.json else 2))
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
