"""SQLite storage for feedback, usage statistics and unanswered questions.

Users appear only as salted hashes (the salt comes from ``NETRA_HASH_SALT`` or is generated once
and kept in the data directory). Message text is stored with a user hash only when
``NETRA_STORE_MESSAGE_TEXT`` is on; unanswered questions are kept without any user identity so
maintainers can see what the knowledge pack lacks. The schema evolves through an append-only
migration list keyed by ``PRAGMA user_version``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.config import Settings

# Append only: entry i migrates the schema from user_version i to i + 1.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY,
        ts REAL NOT NULL,
        user_hash TEXT NOT NULL,
        chat_type TEXT NOT NULL,
        kind TEXT NOT NULL,
        verdict TEXT NOT NULL,
        confidence REAL NOT NULL,
        answer_id TEXT,
        text TEXT
    );
    CREATE INDEX questions_ts ON questions (ts);
    CREATE TABLE feedback (
        id INTEGER PRIMARY KEY,
        ts REAL NOT NULL,
        answer_id TEXT NOT NULL,
        user_hash TEXT NOT NULL,
        vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        verdict TEXT,
        UNIQUE (answer_id, user_hash)
    );
    CREATE TABLE unanswered (
        id INTEGER PRIMARY KEY,
        ts REAL NOT NULL,
        question TEXT NOT NULL
    );
    """,
    """
    CREATE TABLE ingests (
        id INTEGER PRIMARY KEY,
        ts REAL NOT NULL,
        file_name TEXT NOT NULL,
        ok INTEGER NOT NULL,
        summary TEXT
    );
    """,
]

SALT_FILE = "bot-hash-salt"


def load_salt(settings: Settings) -> bytes:
    """The hashing salt: the configured one, else one generated once and kept in the data dir."""
    if settings.hash_salt is not None and settings.hash_salt.get_secret_value():
        return settings.hash_salt.get_secret_value().encode()
    path = settings.data_dir / SALT_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip().encode()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    salt = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(salt)
    return salt.encode()


@dataclass
class Stats:
    questions: int = 0
    users: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    abstentions: int = 0
    thumbs_up: int = 0
    thumbs_down: int = 0

    @property
    def thumbs_down_rate(self) -> float:
        votes = self.thumbs_up + self.thumbs_down
        return self.thumbs_down / votes if votes else 0.0


class BotStorage:
    """A small thread-safe wrapper around one SQLite connection."""

    def __init__(self, path: Path, salt: bytes, *, store_text: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._salt = salt
        self.store_text = store_text
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: durable enough, no fsync per row
        self.migrate()

    @classmethod
    def from_settings(cls, settings: Settings) -> BotStorage:
        return cls(
            settings.bot_db_path, load_salt(settings), store_text=settings.store_message_text
        )

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        """Apply the migrations this database has not seen yet, each in one transaction."""
        with self._lock:
            version = self.schema_version
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                self._db.executescript(
                    f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
                )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def user_hash(self, user_id: int | None) -> str:
        if user_id is None:
            return "anonymous"
        digest = hmac.new(self._salt, str(user_id).encode(), hashlib.sha256)
        return digest.hexdigest()[:32]

    # --- writing ----------------------------------------------------------------------------
    def record_question(
        self,
        *,
        user_id: int | None,
        chat_type: str,
        kind: str,
        verdict: str,
        confidence: float,
        answer_id: str | None,
        question: str,
    ) -> None:
        """Count one answered question; unanswered ones are also kept, without identity."""
        text = question if self.store_text else None
        now = time.time()
        with self._lock:
            self._db.execute(
                "INSERT INTO questions (ts, user_hash, chat_type, kind, verdict, confidence, "
                "answer_id, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    now,
                    self.user_hash(user_id),
                    chat_type,
                    kind,
                    verdict,
                    confidence,
                    answer_id,
                    text,
                ),
            )
            if verdict == "tidak_diketahui":
                self._db.execute(
                    "INSERT INTO unanswered (ts, question) VALUES (?, ?)", (now, question[:500])
                )

    def record_feedback(
        self, *, answer_id: str, user_id: int | None, vote: int, verdict: str | None
    ) -> bool:
        """Store a vote (the latest vote of a user on an answer wins); False if unchanged."""
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO feedback (ts, answer_id, user_hash, vote, verdict) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (answer_id, user_hash) "
                "DO UPDATE SET vote = excluded.vote, ts = excluded.ts "
                "WHERE feedback.vote != excluded.vote",
                (time.time(), answer_id, self.user_hash(user_id), vote, verdict),
            )
            return cursor.rowcount > 0

    def record_ingest(self, file_name: str, ok: bool, summary: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO ingests (ts, file_name, ok, summary) VALUES (?, ?, ?, ?)",
                (time.time(), file_name, int(ok), summary[:2000]),
            )

    # --- reading ----------------------------------------------------------------------------
    def stats(self, since: float = 0.0) -> Stats:
        with self._lock:
            rows = self._db.execute(
                "SELECT verdict, COUNT(*) FROM questions WHERE ts >= ? GROUP BY verdict", (since,)
            ).fetchall()
            users = self._db.execute(
                "SELECT COUNT(DISTINCT user_hash) FROM questions WHERE ts >= ?", (since,)
            ).fetchone()[0]
            votes = dict(
                self._db.execute(
                    "SELECT vote, COUNT(*) FROM feedback WHERE ts >= ? GROUP BY vote", (since,)
                ).fetchall()
            )
        verdicts = {str(v): int(n) for v, n in rows}
        return Stats(
            questions=sum(verdicts.values()),
            users=int(users),
            verdicts=verdicts,
            abstentions=verdicts.get("tidak_diketahui", 0),
            thumbs_up=int(votes.get(1, 0)),
            thumbs_down=int(votes.get(-1, 0)),
        )

    def unanswered(self, limit: int = 20) -> list[tuple[float, str]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT ts, question FROM unanswered ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [(float(ts), str(q)) for ts, q in rows]
