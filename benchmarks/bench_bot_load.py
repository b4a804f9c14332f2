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
import itertools
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

from tests.e2e.emulator import (  # noqa: E402
    TOKEN,
    Emulator,
    ScriptedUser,
    free_port,
    missing_reason,
)

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


def replied_to(message: dict) -> int | None:
    parameters = message.get("reply_parameters") or {}
    if isinstance(parameters, str):
        parameters = json.loads(parameters)
    return parameters.get("message_id")


BURST_POLL_SECONDS = 0.25  # 50 clients polling faster would load the emulator more than the bot


async def poll_once(user: ScriptedUser) -> list[dict]:
    response = await user.client.post(
        "/getUpdates", json={"token": TOKEN, "chatId": user.chat["id"]}
    )
    response.raise_for_status()
    return [{"message_id": i.get("messageId"), **i["message"]} for i in response.json()["result"]]


async def burst_user(
    client: httpx.AsyncClient, user_id: int, messages: int, deadline: float, result: dict
) -> None:
    """Back to back: all messages at once, then every answer is awaited and checked: each one
    replies to its own question, in the order they were sent."""
    user = ScriptedUser(client, user_id, first_name=f"U{user_id}")
    rng = random.Random(user_id)
    questions = [f"{rng.choice(QUESTIONS)} (#{i})" for i in range(messages)]
    sent_at = {}
    for question in questions:
        sent_at[question] = time.monotonic()
        await user.send(question)
    by_id: dict[int, str] = {}
    answered: list[int] = []
    unmatched: list[dict] = []  # answers to questions not yet seen in the history
    while len(answered) < messages and time.monotonic() < deadline:
        await asyncio.sleep(BURST_POLL_SECONDS)
        try:
            # webhook deliveries reach the history one after another
            if len(by_id) < messages and (not by_id or unmatched or rng.random() < 0.25):
                ids = await user.sent_ids()
                by_id = {ids[q]: q for q in questions if q in ids}
            polled = await poll_once(user)
        except httpx.HTTPError as error:  # the harness's own HTTP hiccup, not a lost answer
            result["harness_errors"].append(type(error).__name__)
            continue
        waiting, unmatched = [*unmatched, *polled], []
        for reply in waiting:
            text = str(reply.get("text", ""))
            if "Maaf, terjadi kesalahan" in text:
                result["errors"].append("apology")
            if not reply.get("reply_markup"):
                continue  # the first parts of a long answer; the last one carries the buttons
            target = replied_to(reply)
            if target is None:  # not quoted (nothing else was pending): the next one in order
                target = next((i for i in sorted(by_id) if i not in answered), None)
            if target is not None and target not in by_id:
                unmatched.append(reply)
                continue
            if target in by_id:
                answered.append(target)
                result["latencies"].append(time.monotonic() - sent_at[by_id[target]])
                result["replies"] += 1
    result["missing"] += messages - len(set(answered))
    result["out_of_order"] += sum(1 for a, b in itertools.pairwise(answered) if b < a)


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
    result: dict = {
        "replies": 0,
        "missing": 0,
        "out_of_order": 0,
        "errors": [],
        "harness_errors": [],
        "latencies": [],
    }
    limits = httpx.Limits(max_connections=users + 10, max_keepalive_connections=users + 10)
    async with httpx.AsyncClient(base_url=emulator.url, timeout=30, limits=limits) as client:
        deadline = time.monotonic() + timeout
        started = time.monotonic()
        await asyncio.gather(
            *(
                burst_user(client, 100_000 + i, messages, deadline, result)
                if think == (0.0, 0.0)
                else one_user(client, 100_000 + i, messages, deadline, think, result)
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


class RoundRobinProxy:
    """A tiny HTTP forwarder on loopback standing in for the load balancer of a webhook set-up:
    each webhook delivery goes to the next replica in turn."""

    def __init__(self, targets: list[str]) -> None:
        self.targets = targets
        self.port = free_port()
        self.turn = 0
        self.client = httpx.AsyncClient(timeout=None)  # a slow replica delays, never drops
        self.server: asyncio.AbstractServer | None = None

    async def start(self) -> None:
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", self.port)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin1").split("\r\n")
        path = lines[0].split(" ")[1]
        headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        size = int(next((v for k, v in headers.items() if k.lower() == "content-length"), 0))
        body = await reader.readexactly(size)
        target = self.targets[self.turn % len(self.targets)]
        self.turn += 1
        keep = {k: v for k, v in headers.items() if k.lower().startswith(("content-type", "x-"))}
        response = await self.client.post(target + path, content=body, headers=keep)
        writer.write(
            f"HTTP/1.1 {response.status_code} OK\r\nContent-Length: {len(response.content)}\r\n"
            "Connection: close\r\n\r\n".encode()
            + response.content
        )
        await writer.drain()
        writer.close()

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
        await self.client.aclose()


def start_chroma(tmp: Path) -> tuple[subprocess.Popen, int]:
    """A Chroma server (``chroma run``) on loopback, for the replicas' shared index."""
    port = free_port()
    process = subprocess.Popen(
        ["chroma", "run", "--path", str(tmp / "chroma-server"), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).is_success:
                return process, port
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.kill()
    raise SystemExit("the Chroma server did not start")


def stop(process: subprocess.Popen) -> int | None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    return process.returncode


def base_env(tmp: str, emulator: Emulator, embedding: str, pack_dir: str | None) -> dict:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("NETRA_")},
        "NETRA_DATA_DIR": str(Path(tmp) / "data"),
        "NETRA_EMBEDDING": embedding,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "NETRA_TELEGRAM_BASE_URL": emulator.base_url,
        "NETRA_TELEGRAM_BASE_FILE_URL": emulator.base_file_url,
        "NETRA_POLL_INTERVAL": "0.05",
        "NETRA_RATE_LIMIT_PER_MINUTE": "1000",
        "NETRA_LOG_LEVEL": "WARNING",
    }
    if pack_dir:
        env["NETRA_PACK_DIR"] = pack_dir
    return env


def run_load(args: argparse.Namespace, think: tuple[float, float]) -> dict:
    """Start the set-up (one polling replica, or two webhook replicas behind a round-robin
    proxy sharing PostgreSQL and a Chroma server), drive the users, tear everything down."""
    from tests.pg_server import PostgresServer

    netra = [sys.executable, "-m", "netra"]
    with tempfile.TemporaryDirectory(prefix="netra-bot-load-") as tmp, Emulator() as emulator:
        env = base_env(tmp, emulator, args.embedding, args.pack_dir)
        services: list[subprocess.Popen] = []
        pg = PostgresServer().start() if args.replicas > 1 else None
        proxy = None
        try:
            if pg is not None:
                chroma, chroma_port = start_chroma(Path(tmp))
                services.append(chroma)
                env.update(NETRA_DATABASE_URL=pg.url, NETRA_CHROMA_HOST="127.0.0.1",
                           NETRA_CHROMA_PORT=str(chroma_port))  # fmt: skip
            subprocess.run([*netra, "ask", "boleh kampanye?"], env=env, cwd=REPO, check=True,
                           stdout=subprocess.DEVNULL)  # fmt: skip
            bots, proxy = start_replicas(args.replicas, env, netra)
            services += bots
            wait_for_bot(emulator, bots[0])
            cpu_before = [cpu_seconds(b.pid) for b in bots]
            result = asyncio.run(drive(emulator, args.users, args.messages, args.timeout, think))
            cpu_after = [cpu_seconds(b.pid) for b in bots]
            if None not in cpu_before and None not in cpu_after:
                result["bot_cpu"] = sum(a - b for a, b in zip(cpu_after, cpu_before, strict=False))  # type: ignore[operator]
        finally:
            for process in reversed(services):
                code = stop(process)
                if process in services[-args.replicas :] and code not in (0, -15):
                    print(f"bot exit code {code}", file=sys.stderr)
            if proxy is not None:
                proxy.terminate()
            if pg is not None:
                pg.stop()
    return result


def start_replicas(
    replicas: int, env: dict, netra: list[str]
) -> tuple[list[subprocess.Popen], subprocess.Popen | None]:
    """One long-polling bot, or N webhook replicas behind the round-robin proxy (run as its
    own process, so its event loop is not the benchmark's)."""
    if replicas == 1:
        return [subprocess.Popen([*netra, "serve"], env=env, cwd=REPO)], None
    ports = [free_port() for _ in range(replicas)]
    proxy_port = free_port()
    targets = ",".join(f"http://127.0.0.1:{p}" for p in ports)
    proxy = subprocess.Popen(
        [sys.executable, __file__, "--proxy", f"{proxy_port}={targets}"], cwd=REPO
    )
    bots = []
    for port in ports:
        replica_env = {
            **env,
            "NETRA_WEBHOOK_URL": f"http://127.0.0.1:{proxy_port}/hook",
            "NETRA_WEBHOOK_LISTEN": "127.0.0.1",
            "NETRA_WEBHOOK_PORT": str(port),
        }
        bots.append(subprocess.Popen([*netra, "serve"], env=replica_env, cwd=REPO))
    for port, bot in zip(ports, bots, strict=True):  # listening = the webhook is registered
        deadline = time.monotonic() + 120
        while bot.poll() is None and time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.3)
    time.sleep(0.5)
    return bots, proxy


def serve_proxy(spec: str) -> None:
    port, _, targets = spec.partition("=")

    async def forever() -> None:
        proxy = RoundRobinProxy(targets.split(","))
        proxy.port = int(port)
        await proxy.start()
        await asyncio.Event().wait()

    asyncio.run(forever())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--replicas", type=int, default=1, choices=(1, 2, 3, 4))
    parser.add_argument("--embedding", default="hash")
    parser.add_argument("--pack-dir", default=None, help="NETRA_PACK_DIR for the run")
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument(
        "--think",
        default="0",
        help="seconds a user waits after a reply before the next message, as MIN-MAX "
        "(default 0: back to back, every message at once, then the answers are checked)",
    )
    parser.add_argument("--proxy", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.proxy:
        serve_proxy(args.proxy)
        return
    low, _, high = args.think.partition("-")
    think = (float(low), float(high or low))
    reason = missing_reason()
    if reason:
        raise SystemExit(reason)
    result = run_load(args, think)
    expected = args.users * args.messages
    latencies = result["latencies"]
    report = {
        "users": args.users,
        "messages_per_user": args.messages,
        "replicas": args.replicas,
        "database": "postgresql" if args.replicas > 1 else "sqlite",
        "think_seconds": list(think),
        "expected_answers": expected,
        "answers_received": len(latencies),
        "lost": result["missing"],
        "out_of_order": result["out_of_order"],
        "errors": len(result["errors"]),
        "error_kinds": sorted(set(result["errors"])),
        "harness_http_retries": len(result["harness_errors"]),
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
    report["ok"] = report["lost"] == 0 and report["errors"] == 0 and report["out_of_order"] == 0
    print(json.dumps(report, indent=None if args.json else 2))
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
