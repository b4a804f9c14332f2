"""Telegram bot load benchmark: simulated users against ``netra serve`` through the emulator.

    python benchmarks/bench_bot_load.py [--users 50] [--messages 20] [--replicas 1|2]
                                        [--think MIN-MAX]

Loopback only and bounded: it starts the Bot API emulator (tests/e2e, needs node and
``npm ci --prefix tests/e2e``) on 127.0.0.1, builds an index in a temporary data dir
(``netra ask``, hash embedder by default) and starts the real bot (``netra serve``) in a
subprocess: one replica long polling every 50 ms, or ``--replicas N`` webhook replicas behind a
round-robin proxy sharing a throwaway PostgreSQL cluster and a ``chroma run`` server. It stops by
itself after ``--timeout`` seconds at most and tears everything down.

By default every user sends all ``--messages`` back to back, then waits for the answers. Each
question's message id comes from the emulator when it is sent; an answer belongs to the
question it replies to (or, unquoted, to the chat's earliest unanswered one), and its headline
must be the one the same question gets asked alone. Reported: lost (no answer), out of order
(an answer arriving after the answer to a later question of its chat), wrong / stray /
duplicate answers, apologies and messages over 4096 characters, latency (send -> visible to the
user) p50/p95/p99, webhook delivery retries, and the bot's CPU time per answer. ``--think 1-3``
makes users wait for each answer and "read" it before the next message instead.
The per-user rate limit is raised for the run (by design it would answer a 13th message within
a minute with a "slow down" note); the limiter has tests of its own.
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
from collections import Counter
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from knowledge.analysis import FOLLOW_UP_TOKENS  # noqa: E402
from knowledge.lexicon import tokens  # noqa: E402
from tests.e2e.emulator import (  # noqa: E402
    TOKEN,
    Emulator,
    ScriptedUser,
    delivery_stats,
    delivery_waits,
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
FOLLOW_UPS = {"kalau cuma komen?"}  # answered about the question before it in the chat
# Reference answers: keyed (None, question) for a question asked alone, and (previous, follow-up)
# for a follow-up after a question long enough to be remembered on its own.
Expected = dict[tuple[str | None, str], str]


def stands_alone(question: str) -> bool:
    """Whether the bot remembers this question by itself as a follow-up's context (a short
    one is remembered together with the question before it)."""
    return question not in FOLLOW_UPS and len(tokens(question)) > FOLLOW_UP_TOKENS


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


def headline(text: str) -> str:
    """An answer's first line: the verdict and the ruling it applies."""
    return text.split("\n", 1)[0].strip()


BURST_POLL_SECONDS = 0.25  # 50 clients polling faster would load the emulator more than the bot


async def poll_once(user: ScriptedUser) -> list[dict]:
    response = await user.client.post(
        "/getUpdates", json={"token": TOKEN, "chatId": user.chat["id"]}
    )
    response.raise_for_status()
    return [{"message_id": i.get("messageId"), **i["message"]} for i in response.json()["result"]]


class ChatLedger:
    """One chat's questions (message ids, in the order sent) and the answers seen so far.

    An answer belongs to the question it replies to (the bot quotes the question whenever more
    than one of the chat's messages is pending); an unquoted answer was sent while its question
    was the only one pending, so it belongs to the earliest question not answered yet. Its
    headline is then checked against the answer the same question gets when asked alone, so a
    misattributed (or wrong) answer shows up as ``wrong_answer``.
    """

    def __init__(self, sent: list[tuple[int, str, float]], expected: Expected) -> None:
        self.order = [message_id for message_id, _, _ in sent]
        self.question = {message_id: text for message_id, text, _ in sent}
        self.sent_at = {message_id: at for message_id, _, at in sent}
        self.expected = expected
        self.answered: list[int] = []  # in arrival order
        self.counts = dict.fromkeys(
            ("quoted", "unquoted", "parts", "stray", "duplicate", "wrong_answer", "checked"), 0
        )
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.wrong: list[dict] = []

    @property
    def complete(self) -> bool:
        return len(self.answered) >= len(self.order)

    def take(self, reply: dict, now: float) -> None:
        text = str(reply.get("text", ""))
        if "Maaf, terjadi kesalahan" in text:
            self.errors.append("apology")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            self.errors.append("too long")
        if not reply.get("reply_markup"):
            self.counts["parts"] += 1  # leading parts of a long answer; the last carries buttons
            return
        target = replied_to(reply)
        self.counts["quoted" if target is not None else "unquoted"] += 1
        if target is None:
            target = next((i for i in self.order if i not in self.answered), None)
        if target not in self.sent_at:
            self.counts["stray"] += 1
        elif target in self.answered:
            self.counts["duplicate"] += 1
        else:
            self.answered.append(target)
            self.latencies.append(now - self.sent_at[target])
            self.check(target, text)

    def check(self, target: int, text: str) -> None:
        expected = self.expected_headline(target)
        if expected is not None:
            self.counts["checked"] += 1
            if headline(text) != expected:
                self.counts["wrong_answer"] += 1
                self.wrong.append({"question": self.question[target], "got": headline(text),
                                   "expected": expected})  # fmt: skip

    def expected_headline(self, target: int) -> str | None:
        """The reference answer's headline; None (unchecked) for a follow-up after a short one."""
        question = self.question[target]
        index = self.order.index(target)
        previous = self.question[self.order[index - 1]] if index else None
        if question in FOLLOW_UPS and previous is not None:
            return self.expected.get((previous, question))
        return self.expected.get((None, question))

    def out_of_order(self) -> int:
        """Answers that arrived after the answer to a later question of this chat."""
        position = {message_id: i for i, message_id in enumerate(self.order)}
        latest, late = -1, 0
        for message_id in self.answered:
            late += position[message_id] < latest
            latest = max(latest, position[message_id])
        return late

    def add_to(self, result: dict) -> None:
        result["missing"] += len(self.order) - len(self.answered)
        result["out_of_order"] += self.out_of_order()
        result["latencies"] += self.latencies
        result["errors"] += self.errors
        result["replies"] += len(self.answered)
        result["wrong"] += self.wrong
        for name, value in self.counts.items():
            result["attribution"][name] = result["attribution"].get(name, 0) + value


async def burst_user(
    client: httpx.AsyncClient,
    user_id: int,
    messages: int,
    deadline: float,
    result: dict,
) -> None:
    """Back to back: all messages at once, then every answer is awaited and checked: each one
    replies to its own question, in the order they were sent, with that question's answer."""
    user = ScriptedUser(client, user_id, first_name=f"U{user_id}")
    rng = random.Random(user_id)
    sent = []
    for question in (rng.choice(QUESTIONS) for _ in range(messages)):
        started = time.monotonic()
        sent.append((await user.send(question), question, started))
    ledger = ChatLedger(sent, result["expected"])
    while not ledger.complete and time.monotonic() < deadline:
        await asyncio.sleep(BURST_POLL_SECONDS)
        try:
            polled = await poll_once(user)
        except httpx.HTTPError as error:  # the harness's own HTTP hiccup, not a lost answer
            result["harness_errors"].append(type(error).__name__)
            continue
        for reply in polled:
            ledger.take(reply, time.monotonic())
    ledger.add_to(result)


async def reference_headlines(client: httpx.AsyncClient) -> Expected:
    """What each question gets asked alone, and each follow-up after each question that stands
    alone, one at a time, every probe by a user of its own."""
    probes = [[q] for q in QUESTIONS]
    probes += [[q, f] for q in QUESTIONS if stands_alone(q) for f in sorted(FOLLOW_UPS)]
    expected: Expected = {}
    for number, probe in enumerate(probes):
        user = ScriptedUser(client, 90_000 + number)
        for question in probe:
            await user.send(question)
            replies = await final_reply(user, 60.0)
            if not replies or not replies[-1].get("reply_markup"):
                raise SystemExit(f"no reference answer for {question!r}")
        context = probe[0] if len(probe) > 1 else None
        expected[(context, probe[-1])] = headline(str(replies[-1].get("text", "")))
    return expected


async def final_reply(user: ScriptedUser, timeout: float) -> list[dict]:
    """Replies until the last part of the answer (the one carrying the buttons) arrives."""
    got: list[dict] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got += await user.replies(1, timeout=deadline - time.monotonic(), settle=0.0)
        if got and got[-1].get("reply_markup"):
            break
    return got


def new_result() -> dict:
    """The run's tallies, added to by every simulated user."""
    return {
        "replies": 0,
        "missing": 0,
        "out_of_order": 0,
        "errors": [],
        "harness_errors": [],
        "latencies": [],
        "attribution": {},
        "wrong": [],
    }


async def drive(
    emulator: Emulator, args: argparse.Namespace, think: tuple[float, float], bots: list
) -> dict:
    """The reference answers, then the users; the bots' CPU is counted for the users only."""
    users, messages = args.users, args.messages
    result = new_result()
    limits = httpx.Limits(max_connections=users + 10, max_keepalive_connections=users + 10)
    async with httpx.AsyncClient(base_url=emulator.url, timeout=30, limits=limits) as client:
        result["expected"] = await reference_headlines(client)
        deliveries_before = await delivery_stats(client)
        cpu_before = bots_cpu(bots)
        deadline = time.monotonic() + args.timeout
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
        cpu_after = bots_cpu(bots)
        if cpu_before is not None and cpu_after is not None:
            result["bot_cpu"] = cpu_after - cpu_before
        deliveries = await delivery_stats(client)
        result["webhook"] = {k: v - deliveries_before.get(k, 0) for k, v in deliveries.items()}
        result["delivery_waits"] = (await delivery_waits(client))[-users * messages :]
    return result


def wait_percentiles(waits: list[float]) -> dict:
    """How long updates waited for their webhook delivery (empty in long-polling mode)."""
    if not waits:
        return {}
    return {f"wait_ms_p{q}": round(percentile(waits, q) * 1000, 1) for q in (50, 95)}


def grouped(wrong: list[dict]) -> list[dict]:
    """Wrong answers, one entry per (question, headline received), the most frequent first."""
    counts = Counter(json.dumps(w, ensure_ascii=False, sort_keys=True) for w in wrong)
    return [{**json.loads(key), "count": n} for key, n in counts.most_common()]


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bots_cpu(bots: list[subprocess.Popen]) -> float | None:
    """CPU seconds used by all replicas so far (None where /proc cannot tell)."""
    used = [cpu_seconds(bot.pid) for bot in bots]
    return None if None in used else sum(u for u in used if u is not None)


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
            result = asyncio.run(drive(emulator, args, think, bots))
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
    load_before = round(os.getloadavg()[0], 2)  # the machine is shared: say how busy it was
    result = {**run_load(args, think), "load_before": load_before}
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
        "attribution": result["attribution"],
        "webhook_deliveries": {**result["webhook"], **wait_percentiles(result["delivery_waits"])},
        "wrong_answers": grouped(result["wrong"])[:5],
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
        "load_average_1m": {"before": result["load_before"], "after": round(os.getloadavg()[0], 2)},
    }
    wrong = sum(result["attribution"].get(k, 0) for k in ("stray", "duplicate", "wrong_answer"))
    report["ok"] = not (report["lost"] or report["errors"] or report["out_of_order"] or wrong)
    print(json.dumps(report, indent=None if args.json else 2))
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
