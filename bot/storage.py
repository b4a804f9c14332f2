"""The bot's database: feedback, usage statistics, unanswered questions and shared state.

SQLite by default; PostgreSQL when ``NETRA_DATABASE_URL`` names one, so that replicas share
everything below (see :mod:`bot.database`).

Users appear only as salted hashes (the salt comes from ``NETRA_HASH_SALT`` or is generated once
and kept in the data directory). Message text is stored with a user hash only when
``NETRA_STORE_MESSAGE_TEXT`` is on; unanswered questions are kept without any user identity so
maintainers can see what the knowledge pack lacks. The schema evolves through an append-only
migration list (SQLite: ``PRAGMA user_version``; PostgreSQL: table ``netra_schema``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.database import Database, PostgresDatabase, SqliteDatabase, open_database
from knowledge.config import Settings

# Append only: entry i migrates the schema from version i to i + 1 ({id}/{float}: see database).
MIGRATIONS: list[str] = [
    """
    CREATE TABLE questions (
        id {id},
        ts {float} NOT NULL,
        user_hash TEXT NOT NULL,
        chat_type TEXT NOT NULL,
        kind TEXT NOT NULL,
        verdict TEXT NOT NULL,
        confidence {float} NOT NULL,
        answer_id TEXT,
        text TEXT
    );
    CREATE INDEX questions_ts ON questions (ts);
    CREATE TABLE feedback (
        id {id},
        ts {float} NOT NULL,
        answer_id TEXT NOT NULL,
        user_hash TEXT NOT NULL,
        vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        verdict TEXT,
        UNIQUE (answer_id, user_hash)
    );
    CREATE TABLE unanswered (
        id {id},
        ts {float} NOT NULL,
        question TEXT NOT NULL
    );
    """,
    """
    CREATE TABLE ingests (
        id {id},
        ts {float} NOT NULL,
        file_name TEXT NOT NULL,
        ok INTEGER NOT NULL,
        summary TEXT
    );
    """,
    # Short-lived state shared by replicas: answers behind buttons, follow-up context, pending
    # admin documents (key/value with expiry), rate-limit events and the per-chat turn order.
    """
    CREATE TABLE kv (
        ns TEXT NOT NULL,
        k TEXT NOT NULL,
        v TEXT NOT NULL,
        expires {float} NOT NULL,
        PRIMARY KEY (ns, k)
    );
    CREATE INDEX kv_expires ON kv (expires);
    CREATE TABLE rate_events (
        id {id},
        user_hash TEXT NOT NULL,
        ts {float} NOT NULL
    );
    CREATE INDEX rate_events_user ON rate_events (user_hash, ts);
    CREATE TABLE chat_turns (
        update_id BIGINT PRIMARY KEY,
        chat_key TEXT NOT NULL,
        ts {float} NOT NULL
    );
    CREATE INDEX chat_turns_chat ON chat_turns (chat_key, update_id);
    """,
]

SALT_FILE = "bot-hash-salt"
FOREVER = 1e12  # an expiry far beyond any timestamp
PURGE_EVERY = 200  # writes between sweeps of expired state
RATE_EVENT_KEEP = 3600.0  # rate-limit events older than this are never consulted
TURN_TTL = 120.0  # a turn not finished in this time belonged to a replica that died


def load_salt(settings: Settings) -> bytes:
    """The hashing salt: the configured one, else one generated once and kept in the data dir."""
    if settings.bot.hash_salt is not None and settings.bot.hash_salt.get_secret_value():
        return settings.bot.hash_salt.get_secret_value().encode()
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
    """Feedback, statistics and the bot's shared short-lived state, over one :class:`Database`."""

    def __init__(
        self, path_or_db: Path | Database, salt: bytes | None = None, *, store_text: bool = False
    ) -> None:
        self.db = path_or_db if isinstance(path_or_db, Database) else SqliteDatabase(path_or_db)
        self.store_text = store_text
        self.db.migrate(MIGRATIONS)
        self._salt = salt if salt is not None else self._shared_salt()
        self._writes = 0
        # The turn table is polled while answers are stored: a second connection on PostgreSQL.
        url = getattr(self.db, "url", None)
        self.turn_db: Database = PostgresDatabase(url) if self.db.shared and url else self.db

    @classmethod
    def from_settings(cls, settings: Settings) -> BotStorage:
        url = settings.bot.database_url.get_secret_value() if settings.bot.database_url else None
        db = open_database(url, settings.bot_db_path)
        configured = (
            settings.bot.hash_salt is not None and settings.bot.hash_salt.get_secret_value()
        )
        # Replicas must hash users alike: a shared database keeps one generated salt for all.
        salt = load_salt(settings) if configured or not db.shared else None
        return cls(db, salt, store_text=settings.bot.store_message_text)

    @property
    def shared(self) -> bool:
        return self.db.shared

    @property
    def schema_version(self) -> int:
        return self.db.schema_version()

    def migrate(self) -> None:
        self.db.migrate(MIGRATIONS)

    def _shared_salt(self) -> bytes:
        self.db.execute(
            "INSERT INTO kv (ns, k, v, expires) VALUES ('salt', 'salt', ?, ?) "
            "ON CONFLICT (ns, k) DO NOTHING",
            (secrets.token_hex(32), FOREVER),
        )
        return str(self.db.execute("SELECT v FROM kv WHERE ns = 'salt'")[0][0]).encode()

    def close(self) -> None:
        if self.turn_db is not self.db:
            self.turn_db.close()
        self.db.close()

    def user_hash(self, user_id: int | str | None) -> str:
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
        """Count one answered question; unanswered ones are also kept, without identity.

        Without ``store_text`` the row does not name its answer either: the cached answer holds
        the question's text, and the pair would tie that text to the user's hash.
        """
        text = question if self.store_text else None
        now = time.time()
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO questions (ts, user_hash, chat_type, kind, verdict, confidence, "
                "answer_id, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    now,
                    self.user_hash(user_id),
                    chat_type,
                    kind,
                    verdict,
                    confidence,
                    answer_id if self.store_text else None,
                    text,
                ),
            )
            if verdict == "tidak_diketahui":
                self.db.execute(
                    "INSERT INTO unanswered (ts, question) VALUES (?, ?)", (now, question[:500])
                )

    def record_feedback(
        self, *, answer_id: str, user_id: int | None, vote: int, verdict: str | None
    ) -> bool:
        """Store a vote (the latest vote of a user on an answer wins); False if unchanged."""
        return (
            self.db.rowcount(
                "INSERT INTO feedback (ts, answer_id, user_hash, vote, verdict) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (answer_id, user_hash) "
                "DO UPDATE SET vote = excluded.vote, ts = excluded.ts "
                "WHERE feedback.vote != excluded.vote",
                (time.time(), answer_id, self.user_hash(user_id), vote, verdict),
            )
            > 0
        )

    def record_ingest(self, file_name: str, ok: bool, summary: str) -> None:
        self.db.execute(
            "INSERT INTO ingests (ts, file_name, ok, summary) VALUES (?, ?, ?, ?)",
            (time.time(), file_name, int(ok), summary[:2000]),
        )

    # --- reading ----------------------------------------------------------------------------
    def stats(self, since: float = 0.0) -> Stats:
        rows = self.db.execute(
            "SELECT verdict, COUNT(*) FROM questions WHERE ts >= ? GROUP BY verdict", (since,)
        )
        users = self.db.execute(
            "SELECT COUNT(DISTINCT user_hash) FROM questions WHERE ts >= ?", (since,)
        )[0][0]
        votes: dict[int, int] = dict(
            self.db.execute(
                "SELECT vote, COUNT(*) FROM feedback WHERE ts >= ? GROUP BY vote", (since,)
            )
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
        rows = self.db.execute(
            "SELECT ts, question FROM unanswered ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [(float(ts), str(q)) for ts, q in rows]

    # --- short-lived shared state ---------------------------------------------------------------
    def put(self, ns: str, key: str, value: Any, ttl: float) -> None:
        """Keep a JSON value under (ns, key) for ``ttl`` seconds (replacing any earlier one)."""
        now = time.time()
        self.db.execute(
            "INSERT INTO kv (ns, k, v, expires) VALUES (?, ?, ?, ?) ON CONFLICT (ns, k) "
            "DO UPDATE SET v = excluded.v, expires = excluded.expires",
            (ns, key, json.dumps(value, ensure_ascii=False), now + ttl),
        )
        self._writes += 1
        if self._writes % PURGE_EVERY == 0:
            self.purge(now)

    def get(self, ns: str, key: str) -> Any:
        rows = self.db.execute(
            "SELECT v FROM kv WHERE ns = ? AND k = ? AND expires > ?", (ns, key, time.time())
        )
        return json.loads(rows[0][0]) if rows else None

    def pop(self, ns: str, key: str) -> Any:
        with self.db.transaction():
            value = self.get(ns, key)
            self.db.execute("DELETE FROM kv WHERE ns = ? AND k = ?", (ns, key))
        return value

    def purge(self, now: float | None = None) -> None:
        """Drop expired state (answers past their TTL, old context, old rate-limit events)."""
        now = time.time() if now is None else now
        self.db.execute("DELETE FROM kv WHERE expires <= ?", (now,))
        self.db.execute("DELETE FROM rate_events WHERE ts < ?", (now - RATE_EVENT_KEEP,))
        self.db.execute("DELETE FROM chat_turns WHERE ts < ?", (now - TURN_TTL,))

    def rate_hit(self, user_key: str, per_window: int, window: float) -> float:
        """Record an event; 0.0 if allowed, else the seconds until the next one is allowed."""
        now = time.time()
        with self.db.transaction(lock_key=_lock_id(user_key)):
            rows = self.db.execute(
                "SELECT COUNT(*), MIN(ts) FROM rate_events WHERE user_hash = ? AND ts > ?",
                (user_key, now - window),
            )
            count, oldest = int(rows[0][0]), rows[0][1]
            if count >= per_window and oldest is not None:
                return max(window - (now - float(oldest)), 0.1)
            self.db.execute(
                "INSERT INTO rate_events (user_hash, ts) VALUES (?, ?)", (user_key, now)
            )
        return 0.0

    def rate_retry_after(self, user_key: str, needed: int, window: float) -> float:
        """Seconds until ``needed`` more events fit in the user's window."""
        now = time.time()
        rows = self.db.execute(
            "SELECT ts FROM rate_events WHERE user_hash = ? AND ts > ? ORDER BY ts LIMIT ?",
            (user_key, now - window, max(needed, 1)),
        )
        if not rows:
            return 0.0
        return max(window - (now - float(rows[-1][0])), 1.0)

    # --- per-chat turn order across replicas ------------------------------------------------------
    def register_turn(self, update_id: int, chat_key: str) -> None:
        self.turn_db.execute(
            "INSERT INTO chat_turns (update_id, chat_key, ts) VALUES (?, ?, ?) "
            "ON CONFLICT (update_id) DO NOTHING",
            (update_id, chat_key, time.time()),
        )

    def turn_state(self, update_id: int, chat_key: str) -> tuple[int, int]:
        """(earlier updates of this chat still pending, all pending updates of this chat)."""
        rows = self.turn_db.execute(
            "SELECT update_id FROM chat_turns WHERE chat_key = ? AND ts > ?",
            (chat_key, time.time() - TURN_TTL),
        )
        ids = [int(r[0]) for r in rows]
        return sum(1 for i in ids if i < update_id), len(ids)

    def finish_turn(self, update_id: int) -> None:
        self.turn_db.execute("DELETE FROM chat_turns WHERE update_id = ?", (update_id,))


def _lock_id(key: str) -> int:
    """A stable signed 63-bit advisory-lock id for a key."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:15], 16)
