"""Per-user sliding-window rate limit, kept in the bot database (shared by replicas).

Messages over the limit are not answered one by one; the handlers collect them and tell the
user once, after the answers, which ones were left out and when to send them again.
"""

from __future__ import annotations

from bot.storage import BotStorage

WINDOW_SECONDS = 60.0
DROPPED = "dropped"  # kv namespace: questions left unanswered in the current burst
DROPPED_KEPT = 20  # at most this many are listed back to the user


class RateLimiter:
    """At most ``per_minute`` answered messages per user in any 60-second window."""

    def __init__(self, storage: BotStorage, per_minute: int, window: float = WINDOW_SECONDS):
        self.storage = storage
        self.per_minute = per_minute
        self.window = window

    def _key(self, user_id: int) -> str:
        return self.storage.user_hash(user_id)

    def hit(self, user_id: int) -> float:
        """Record an event; 0.0 if allowed, else the seconds until the next one is allowed."""
        return self.storage.rate_hit(self._key(user_id), self.per_minute, self.window)

    def retry_after(self, user_id: int, needed: int) -> float:
        """Seconds until ``needed`` questions of this user can be answered again."""
        return self.storage.rate_retry_after(self._key(user_id), needed, self.window)

    def drop(self, user_id: int, question: str) -> int:
        """Remember a question left unanswered; returns how many this burst has so far."""
        key = self._key(user_id)
        dropped = self.storage.get(DROPPED, key) or {"count": 0, "items": []}
        dropped["count"] += 1
        dropped["items"] = [*dropped["items"], question][:DROPPED_KEPT]
        self.storage.put(DROPPED, key, dropped, self.window * 10)
        return int(dropped["count"])

    def take_dropped(self, user_id: int) -> tuple[int, list[str]]:
        """How many questions were left unanswered since the user was last told, the first few
        of them (and forget them)."""
        dropped = self.storage.pop(DROPPED, self._key(user_id)) or {"count": 0, "items": []}
        return int(dropped["count"]), [str(q) for q in dropped["items"]]
